"""What each agent tool does, once for every framework: call the client, shape the result.

``run_tool`` / ``arun_tool`` take a tool name (``arguments.ARGUMENT_MODELS``), the raw agent
input and ``ToolOptions``; they validate the input (coercing agent habits, see ``arguments``),
call the API and return an ``Outcome``: the text for the model plus the structured moments
(``Record``), which each adapter wraps in its own Document / node type. API errors propagate as
``errors.MemoriesError``; adapters turn them into their framework's error result with a hint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from memories_integrations import errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools import documents as d
from memories_integrations._tools import formatting as f
from memories_integrations._tools import ranges
from memories_integrations._tools.arguments import (
    ARGUMENT_MODELS,
    ChatArgs,
    DeleteVideosArgs,
    ListNamespacesArgs,
    ListVideosArgs,
    SearchArgs,
    SummarizeArgs,
    ToolArgs,
    TranscriptArgs,
    UploadArgs,
    VideoStatusArgs,
    parse_args,
)
from memories_integrations._tools.keyframes import (
    KeyframeCache,
    afetch_keyframes,
    default_cache,
    fetch_keyframes,
)
from memories_integrations._tools.media import attach_keyframes, keyframe_pointers
from memories_integrations._tools.paths import CWD, AllowedDirs, check_upload_path
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
    "Outcome",
    "Record",
    "ToolOptions",
    "arun_tool",
    "chat_records",
    "hit_record",
    "metadata_dict",
    "rank_hits",
    "run_tool",
]


@dataclass(frozen=True)
class Record:
    """One structured moment: a stable id, its text and ``moment_metadata``-style metadata."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass
class Outcome:
    """A tool's result: ``text`` for the model, ``records`` (moments) and ``extra`` data."""

    text: str
    records: list[Record] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    records_key: str | None = None
    """Set when the structured result is ``extra`` with the records under this key (chat:
    ``references``, transcript: ``segments``), not the bare records."""


# Every front end's defaults (LangChain, LlamaIndex, MCP): one place, so they cannot drift.
DEFAULT_MAX_CHARS = 4000
"""Characters of tool text a model reads at most."""
DEFAULT_MAX_WAIT = 300.0
"""Seconds an upload tool waits for encoding when asked to wait."""


@dataclass(frozen=True)
class ToolOptions:
    """Per-tool settings an adapter passes in (its fields / constructor arguments)."""

    unique_id: str | None = None
    """Namespace sent with each request (None: the client's)."""
    namespace: str = "default"
    """Namespace written into ids and links (the resolved ``unique_id``)."""
    max_chars: int = DEFAULT_MAX_CHARS
    score_threshold: float | None = None
    allowed_dirs: AllowedDirs = (CWD,)
    max_wait_seconds: float = DEFAULT_MAX_WAIT
    poll_interval: float = 2.0
    include_keyframes: int = 0
    """Keyframe images of the best N hits when the call does not say (search only)."""
    keyframe_cache: KeyframeCache | None = None
    """Where keyframes are kept (None: ``keyframes.default_cache()``)."""
    current_label: str = "used by these tools"
    """How the namespace list marks ``namespace`` (an MCP server says "this server")."""


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
def _search(hits: list[SearchHit], a: SearchArgs, o: ToolOptions) -> Outcome:
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


def _cache(o: ToolOptions) -> KeyframeCache:
    return o.keyframe_cache or default_cache()


def _transcript(
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


def _chat(response: ChatResponse, o: ToolOptions) -> Outcome:
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


def _status(meta: VideoMetadata) -> Outcome:
    return Outcome(f.status_text(meta), extra=metadata_dict(meta))


def _page(page: VideoPage, o: ToolOptions) -> Outcome:
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


def _summary(summary: Summary, a: SummarizeArgs, o: ToolOptions) -> Outcome:
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


def _namespaces(ids: list[str], o: ToolOptions) -> Outcome:
    return Outcome(
        f.truncate(f.namespaces_text(ids, o.namespace, o.current_label), o.max_chars),
        extra={"unique_ids": list(ids), "current": o.namespace},
    )


def _upload(uploaded: UploadResult, final: VideoMetadata | None, a: UploadArgs) -> Outcome:
    if final is not None and final.status is VideoStatus.PARSE_ERROR:
        # An error, not a result: the agent must not go on searching this video.
        raise errors.ProcessingError(
            f"uploaded, but {f.describe_status(final)}", video_no=final.video_no
        )
    meta = final or uploaded
    extra = {"video_no": meta.video_no, "status": meta.status.value}
    return Outcome(f.upload_text(uploaded, final, a.wait), extra=extra)


def _deleted(a: DeleteVideosArgs) -> Outcome:
    text = f"Deleted {len(a.video_nos)} video(s): {', '.join(a.video_nos)}."
    return Outcome(text, extra={"deleted": list(a.video_nos)})


def _upload_target(a: UploadArgs, o: ToolOptions) -> tuple[str, str]:
    """("file", resolved path) or ("url", url); a path outside allowed_dirs is refused here."""
    if a.file_path is not None:
        return "file", check_upload_path(a.file_path, o.allowed_dirs)
    return "url", str(a.url)


def _wait_kwargs(a: UploadArgs, o: ToolOptions) -> dict[str, Any]:
    # The model may ask for a shorter wait, never a longer one than the tool allows.
    timeout = min(a.max_wait_seconds or o.max_wait_seconds, o.max_wait_seconds)
    return {"timeout": timeout, "initial_interval": o.poll_interval, "unique_id": o.unique_id}


# --------------------------------------------------------------------------- sync
def _run_sync(c: MemoriesClient, a: ToolArgs, o: ToolOptions) -> Outcome:
    ns = o.unique_id
    if isinstance(a, SearchArgs):
        hits = c.search(
            a.query, search_type=a.search_type, top_k=a.top_k, video_nos=a.video_nos,
            tag=a.tag, unique_id=ns,
        )  # fmt: skip
        found = _search(hits, a, o)
        if pointers := found.extra.pop("keyframe_pointers", None):
            return attach_keyframes(found, fetch_keyframes(c, pointers, _cache(o)))
        return found
    if isinstance(a, VideoStatusArgs):
        return _status(c.get_metadata(a.video_no, unique_id=ns))
    if isinstance(a, ListVideosArgs):
        page = c.list_videos(
            page=a.page, size=a.size, status=a.status, video_name=a.video_name, unique_id=ns
        )
        return _page(page, o)
    if isinstance(a, TranscriptArgs):
        audio = c.get_audio_transcription(a.video_no, unique_id=ns) if a.track != "visual" else None
        visual = c.get_video_caption(a.video_no, unique_id=ns) if a.track != "audio" else None
        return _transcript(audio, visual, a, o)
    if isinstance(a, SummarizeArgs):
        summary = c.generate_summary(a.video_no, summary_type=a.summary_type, unique_id=ns)
        return _summary(summary, a, o)
    if isinstance(a, ChatArgs):
        return _chat(c.chat(a.video_nos, a.prompt, session_id=a.session_id, unique_id=ns), o)
    if isinstance(a, ListNamespacesArgs):
        return _namespaces(c.list_unique_ids(), o)
    if isinstance(a, UploadArgs):
        kind, target = _upload_target(a, o)
        upload = c.upload if kind == "file" else c.upload_url
        uploaded = upload(target, tags=a.tags, unique_id=ns)
        return _upload(uploaded, _wait(c, uploaded, a, o) if a.wait else None, a)
    if isinstance(a, DeleteVideosArgs):
        c.delete_videos(a.video_nos, unique_id=ns)
        return _deleted(a)
    raise TypeError(f"no operation for {type(a).__name__}")


def _wait(c: MemoriesClient, up: UploadResult, a: UploadArgs, o: ToolOptions) -> VideoMetadata:
    try:
        return c.wait_for_ready(up.video_no, **_wait_kwargs(a, o))
    except (errors.WaitTimeoutError, errors.ProcessingError):
        return c.get_metadata(up.video_no, unique_id=o.unique_id)  # says which, with the cause


# --------------------------------------------------------------------------- async
async def _run_async(c: AsyncMemoriesClient, a: ToolArgs, o: ToolOptions) -> Outcome:
    ns = o.unique_id
    if isinstance(a, SearchArgs):
        hits = await c.search(
            a.query, search_type=a.search_type, top_k=a.top_k, video_nos=a.video_nos,
            tag=a.tag, unique_id=ns,
        )  # fmt: skip
        found = _search(hits, a, o)
        if pointers := found.extra.pop("keyframe_pointers", None):
            return attach_keyframes(found, await afetch_keyframes(c, pointers, _cache(o)))
        return found
    if isinstance(a, VideoStatusArgs):
        return _status(await c.get_metadata(a.video_no, unique_id=ns))
    if isinstance(a, ListVideosArgs):
        page = await c.list_videos(
            page=a.page, size=a.size, status=a.status, video_name=a.video_name, unique_id=ns
        )
        return _page(page, o)
    if isinstance(a, TranscriptArgs):
        audio, visual = await asyncio.gather(  # the two tracks are independent
            c.get_audio_transcription(a.video_no, unique_id=ns) if a.track != "visual" else _none(),
            c.get_video_caption(a.video_no, unique_id=ns) if a.track != "audio" else _none(),
        )
        return _transcript(audio, visual, a, o)
    if isinstance(a, SummarizeArgs):
        summary = await c.generate_summary(a.video_no, summary_type=a.summary_type, unique_id=ns)
        return _summary(summary, a, o)
    if isinstance(a, ChatArgs):
        answer = await c.chat(a.video_nos, a.prompt, session_id=a.session_id, unique_id=ns)
        return _chat(answer, o)
    if isinstance(a, ListNamespacesArgs):
        return _namespaces(await c.list_unique_ids(), o)
    if isinstance(a, UploadArgs):
        kind, target = _upload_target(a, o)
        upload = c.upload if kind == "file" else c.upload_url
        uploaded = await upload(target, tags=a.tags, unique_id=ns)
        return _upload(uploaded, await _await(c, uploaded, a, o) if a.wait else None, a)
    if isinstance(a, DeleteVideosArgs):
        await c.delete_videos(a.video_nos, unique_id=ns)
        return _deleted(a)
    raise TypeError(f"no operation for {type(a).__name__}")


async def _none() -> None:
    return None


async def _await(
    c: AsyncMemoriesClient, up: UploadResult, a: UploadArgs, o: ToolOptions
) -> VideoMetadata:
    try:
        return await c.wait_for_ready(up.video_no, **_wait_kwargs(a, o))
    except (errors.WaitTimeoutError, errors.ProcessingError):
        return await c.get_metadata(up.video_no, unique_id=o.unique_id)


# --------------------------------------------------------------------------- entry points
def _args(name: str, raw: Mapping[str, Any] | ToolArgs) -> ToolArgs:
    model = ARGUMENT_MODELS.get(name)
    if model is None:
        raise errors.InvalidInputError(f"unknown tool {name!r}", param="name")
    if isinstance(raw, ToolArgs) and issubclass(model, type(raw)):
        return raw  # already parsed, maybe by a base model (an MCP search has no keyframes)
    return parse_args(model, raw)


def run_tool(
    client: MemoriesClient, name: str, raw: Mapping[str, Any] | ToolArgs, options: ToolOptions
) -> Outcome:
    """Run tool ``name`` synchronously (input checked before any network call)."""
    return _run_sync(client, _args(name, raw), options)


async def arun_tool(
    client: AsyncMemoriesClient,
    name: str,
    raw: Mapping[str, Any] | ToolArgs,
    options: ToolOptions,
) -> Outcome:
    """Run tool ``name`` natively async (input checked before any network call)."""
    return await _run_async(client, _args(name, raw), options)
