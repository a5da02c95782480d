"""How each tool shapes its answer, once for every framework (pure: no client calls).

The operations (``_async/operations.py`` and its generated sync twin) call the API and hand
the answers to these functions, which build the ``Outcome``: the text for the model (cut to
``max_chars``), the moments as ``Record``s and the facts as ``extra``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

from memories_integrations import errors
from memories_integrations._tools import documents as d
from memories_integrations._tools import formatting as f
from memories_integrations._tools import ranges
from memories_integrations._tools.arguments import (
    DeleteVideosArgs,
    SearchArgs,
    SummarizeArgs,
    TranscriptArgs,
    UploadArgs,
)
from memories_integrations._tools.keyframes import KeyframeCache, default_cache
from memories_integrations._tools.media import keyframe_pointers
from memories_integrations._tools.outcome import Outcome, Record, ToolOptions
from memories_integrations._tools.paths import open_upload_path
from memories_integrations.models import (
    ChatResponse,
    RefItem,
    SearchHit,
    Summary,
    Transcript,
    UploadResult,
    VideoMetadata,
    VideoPage,
    VideoStatus,
)

__all__ = [
    "chat_outcome",
    "chat_records",
    "deleted_outcome",
    "hit_record",
    "keyframe_cache",
    "metadata_dict",
    "namespaces_outcome",
    "page_outcome",
    "rank_hits",
    "search_outcome",
    "status_outcome",
    "summary_outcome",
    "transcript_outcome",
    "upload_outcome",
    "upload_target",
    "wait_kwargs",
]


# --------------------------------------------------------------------------- records
def rank_hits(hits: Sequence[SearchHit], score_threshold: float | None) -> list[SearchHit]:
    """Hits at or above ``score_threshold``, best first (ties keep the server's order);
    hits without times come after the timed ones."""
    if score_threshold is not None:
        hits = [h for h in hits if h.score is not None and h.score >= score_threshold]
    return sorted(hits, key=lambda h: (not h.timed, -(h.score or 0.0)))


def hit_record(hit: SearchHit, *, search_type: str, namespace: str) -> Record:
    meta = d.hit_metadata(hit, unique_id=namespace, search_type=search_type)
    # Keep the per-track texts: hybrid retrieval and callers citing speech need them apart.
    if hit.caption:
        meta["caption"] = hit.caption
    if hit.audio_ts:
        meta["transcript"] = hit.audio_ts
    # hit_text: a BY_VIDEO hit may have no words; its span is described instead.
    ident = d.hit_id(hit, unique_id=namespace, search_type=search_type)
    return Record(ident, d.hit_text(hit), meta)


def chat_records(response: ChatResponse, namespace: str) -> list[Record]:
    names = {r.video.video_no: r.video.video_name for r in response.references}
    return [
        _ref_record(m, namespace, names.get(m.video_no or ""))
        for m in response.moments
        if m.type != "keyframe"  # keyframes repeat a text moment's start, without text
    ]


def _ref_record(item: RefItem, namespace: str, video_name: str | None) -> Record:
    video_no = item.video_no or ""
    end = item.end_time if item.end_time is not None else item.start_time
    meta = d.moment_metadata(
        unique_id=namespace,
        video_no=video_no,
        video_name=video_name,
        start=item.start_time,
        end=end,
    )
    meta["ref_type"] = item.type
    kind = f"CHAT_{item.type}"
    ident = d.stable_id(
        "hit", namespace, video_no, kind, d.fmt_seconds(item.start_time), d.fmt_seconds(end)
    )
    return Record(ident, item.text or "", meta)


def _moments(records: Sequence[Record]) -> list[f.Moment]:
    return [(r.metadata, r.text) for r in records]


# --------------------------------------------------------------------------- presenting
def search_outcome(hits: list[SearchHit], a: SearchArgs, o: ToolOptions) -> Outcome:
    ranked = rank_hits(hits, o.score_threshold)[: a.top_k]
    records = [hit_record(h, search_type=a.search_type, namespace=o.namespace) for h in ranked]
    if not records:
        return Outcome(f.no_hits_text(a.query, a.search_type, o.namespace))
    outcome = Outcome(f.truncate(f.cite_all(_moments(records)), o.max_chars), records)
    wanted = getattr(a, "include_keyframes", None)  # SearchToolArgs only
    n = o.include_keyframes if wanted is None else wanted
    if n > 0:
        metadata = [r.metadata for r in records]
        outcome.extra["keyframe_pointers"] = keyframe_pointers(ranked, metadata, n)
    return outcome


def keyframe_cache(o: ToolOptions) -> KeyframeCache:
    return o.keyframe_cache or default_cache()


def transcript_outcome(
    audio: Transcript | None, visual: Transcript | None, a: TranscriptArgs, o: ToolOptions
) -> Outcome:
    every = d.merge_tracks(
        d.transcript_segments(audio, "audio") if audio else [],
        d.transcript_segments(visual, "visual") if visual else [],
    )
    # Only [start, end), and only whole segments that fit: the text is never cut mid-line.
    budget = min(a.max_chars or o.max_chars, o.max_chars) if o.max_chars > 0 else a.max_chars
    cut = ranges.page(
        ranges.overlapping(every, a.start, a.end),
        budget,
        lambda seg: f.transcript_line(seg, a.track),
    )
    segments = cut.segments
    records = []
    for seg in segments:
        meta = d.moment_metadata(
            unique_id=o.namespace,
            video_no=a.video_no,
            video_name=None,
            start=seg.start,
            end=seg.end,
        )
        meta["transcript_source"] = seg.track
        kind = f"TRANSCRIPT_{a.track}_{seg.track}"
        ident = d.stable_id(
            "hit", o.namespace, a.video_no, kind, d.fmt_seconds(seg.start), d.fmt_seconds(seg.end)
        )
        records.append(Record(ident, seg.text, meta))
    text = f.transcript_text(
        a.video_no, a.track, segments, start=a.start, end=a.end, next_start=cut.next_start,
        total=len(every),
    )  # fmt: skip
    extra = {
        "video_no": a.video_no,
        "track": a.track,
        "start": a.start,
        "end": a.end,
        "next_start": cut.next_start,
    }
    return Outcome(f.truncate(text, o.max_chars), records, extra, records_key="segments")


def chat_outcome(response: ChatResponse, o: ToolOptions) -> Outcome:
    records = chat_records(response, o.namespace)
    # Times the answer cites that no returned moment backs are flagged to the model.
    report = response.verify_citations()
    text = f.truncate(f.chat_text(response, _moments(records), report), o.max_chars)
    extra = {"content": response.content, "session_id": response.session_id, "citations": report}
    return Outcome(text, records, extra, records_key="references")


def metadata_dict(meta: VideoMetadata) -> dict[str, Any]:
    """A video's metadata as JSON-safe data (unset fields left out)."""
    data = meta.model_dump(mode="json", exclude_none=True)
    data["status"] = meta.status.value
    return data


def status_outcome(meta: VideoMetadata) -> Outcome:
    return Outcome(f.status_text(meta), extra=metadata_dict(meta))


def page_outcome(page: VideoPage, o: ToolOptions) -> Outcome:
    videos = [
        {
            "video_no": v.video_no,
            "video_name": v.video_name,
            "status": v.status.value,
            "duration": v.duration,
        }
        for v in page.videos
    ]
    extra = {
        "page": page.current_page,
        "total_count": page.total_count,
        "has_more": page.has_more,
        "videos": videos,
    }
    return Outcome(f.truncate(f.page_text(page), o.max_chars), extra=extra)


def summary_outcome(summary: Summary, a: SummarizeArgs, o: ToolOptions) -> Outcome:
    chapters = [
        {
            "start_time": i.start_time,
            "end_time": i.end_time if i.end_time is not None else i.start_time,
            "title": i.title,
            "description": i.description,
        }
        for i in summary.items
    ]
    extra = {
        "video_no": a.video_no,
        "summary_type": summary.summary_type or a.summary_type,
        "text": summary.text,
        "chapters": chapters,
    }
    return Outcome(f.truncate(f.summary_text(a.video_no, summary), o.max_chars), extra=extra)


def namespaces_outcome(ids: list[str], o: ToolOptions) -> Outcome:
    return Outcome(
        f.truncate(f.namespaces_text(ids, o.namespace, o.current_label), o.max_chars),
        extra={"unique_ids": list(ids), "current": o.namespace},
    )


def upload_outcome(uploaded: UploadResult, final: VideoMetadata | None, a: UploadArgs) -> Outcome:
    if final is not None and final.status is VideoStatus.PARSE_ERROR:
        # An error, not a result: the agent must not go on searching this video.
        raise errors.ProcessingError(
            f"uploaded as {final.video_no}, but {f.describe_status(final)}",
            video_no=final.video_no,
        )
    meta = final or uploaded
    extra = {"video_no": meta.video_no, "status": meta.status.value}
    return Outcome(f.upload_text(uploaded, final, a.wait), extra=extra)


def deleted_outcome(a: DeleteVideosArgs) -> Outcome:
    text = f"Deleted {len(a.video_nos)} video(s): {', '.join(a.video_nos)}."
    return Outcome(text, extra={"deleted": list(a.video_nos)})


def upload_target(a: UploadArgs, o: ToolOptions) -> str | IO[bytes]:
    """The url, or the local file opened once at its check (the caller closes it): a path
    outside allowed_dirs is refused here, and what is uploaded is what was checked."""
    if a.file_path is not None:
        if o.open_local_file is not None:
            return o.open_local_file(a.file_path)
        return open_upload_path(a.file_path, o.allowed_dirs)
    return str(a.url)


def wait_kwargs(a: UploadArgs, o: ToolOptions) -> dict[str, Any]:
    # The model may ask for a shorter wait, never a longer one than the tool allows.
    timeout = min(a.max_wait_seconds or o.max_wait_seconds, o.max_wait_seconds)
    kwargs: dict[str, Any] = {
        "timeout": timeout,
        "initial_interval": o.poll_interval,
        "unique_id": o.unique_id,
    }
    if o.on_progress is not None:
        kwargs["on_progress"] = o.on_progress
    return kwargs
