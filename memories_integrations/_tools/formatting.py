"""The text a model reads from every tool, whatever the framework: citations, statuses, video
lists, summaries, chat answers, transcripts, and truncation with a note.

Moments are given as ``(metadata, text)`` pairs whose metadata is ``_documents.moment_metadata``
(plus ``score`` for search hits), so LangChain Documents and LlamaIndex nodes format the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from memories_integrations._tools.documents import TimedText, render_lines
from memories_integrations.models import (
    ChatResponse,
    Summary,
    UploadResult,
    VideoMetadata,
    VideoPage,
    VideoStatus,
    hhmmss,
)
from memories_integrations.models.citations import CitationReport, annotate_unsupported

__all__ = [
    "Moment",
    "chat_text",
    "cite",
    "cite_all",
    "describe_status",
    "namespaces_text",
    "no_hits_text",
    "page_text",
    "status_text",
    "summary_text",
    "transcript_line",
    "transcript_text",
    "truncate",
    "upload_text",
]

#: A moment to cite: its metadata (``moment_metadata`` keys, optional ``score``) and its text.
Moment = tuple[Mapping[str, Any], str]


def truncate(text: str, max_chars: int) -> str:
    """Cut ``text`` to ``max_chars`` and say so, so the model knows it saw only part."""
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    cut = text[:max_chars].rstrip()
    omitted = len(text) - len(cut)
    return (
        f"{cut}\n[truncated: {omitted} more characters not shown; "
        "ask for fewer results or a narrower range to see the rest]"
    )


def cite(metadata: Mapping[str, Any], text: str) -> str:
    """``VI123 (name) @ 00:01:12-00:01:20, score 0.81: <text>``: what a model should quote."""
    m = metadata
    name = f" ({m['video_name']})" if m.get("video_name") else ""
    score = f", score {m['score']:.2f}" if isinstance(m.get("score"), (int, float)) else ""
    words = " ".join(text.split())
    when = f"{m['start_timestamp']}-{m['end_timestamp']}"
    return f"{m['video_no']}{name} @ {when}{score}: {words}"


def cite_all(moments: Sequence[Moment]) -> str:
    return "\n".join(f"[{i}] {cite(meta, text)}" for i, (meta, text) in enumerate(moments, 1))


def no_hits_text(query: str, search_type: str, namespace: str = "default") -> str:
    text = (
        f"No moments found for {query!r} ({search_type}). Say that nothing matched, or try "
        "other words, another search_type, or check the videos are encoded "
        "(memories_list_videos)."
    )
    if namespace != "default":
        # Videos uploaded under another unique_id are invisible here: say where we looked.
        text += (
            f" Only the namespace {namespace!r} was searched; other namespaces (unique_id) "
            "may hold the video: list them with memories_list_namespaces."
        )
    return text


def describe_status(meta: VideoMetadata | UploadResult) -> str:
    """``VI1 (name): status PARSE. Encoded: ...``: the status and what it means for the agent."""
    name = f" ({meta.video_name})" if meta.video_name else ""
    head = f"{meta.video_no}{name}: status {meta.status.value}"
    if meta.status is VideoStatus.PARSE:
        return f"{head}. Encoded: it can be searched, chatted with and transcribed."
    if meta.status is VideoStatus.PARSE_ERROR:
        cause = getattr(meta, "cause", None)
        return f"{head}. Encoding failed{': ' + cause if cause else ''}; it is not searchable."
    return f"{head}. Still encoding: not searchable yet; check the status again later."


def status_text(meta: VideoMetadata) -> str:
    extra = []
    if meta.duration is not None:
        extra.append(f"duration {hhmmss(meta.duration)}")
    if meta.tags:
        extra.append("tags " + ", ".join(meta.tags))
    return describe_status(meta) + (f" ({'; '.join(extra)})" if extra else "")


def page_text(page: VideoPage) -> str:
    if not page.videos:
        return "No videos found (the library is empty, or no video matches the filter)."
    lines = [
        f"{v.video_no} | {v.video_name or '(unnamed)'} | {v.status.value}"
        + (f" | {hhmmss(v.duration)}" if v.duration is not None else "")
        for v in page.videos
    ]
    footer = f"Page {page.current_page}, {page.total_count} videos in total."
    if page.has_more:
        footer += f" More: call again with page={page.current_page + 1}."
    return "\n".join([*lines, footer])


def summary_text(video_no: str, summary: Summary) -> str:
    lines = [f"Summary of {video_no} ({summary.summary_type or 'CHAPTER'}):"]
    if summary.text.strip():
        lines.append(summary.text.strip())
    for item in summary.items:
        end = item.end_time if item.end_time is not None else item.start_time
        title = f"{item.title}: " if item.title else ""
        lines.append(
            f"[{hhmmss(item.start_time)}-{hhmmss(end)}] {title}{item.description}".rstrip()
        )
    if len(lines) == 1:
        lines.append("(the API returned an empty summary; the video may still be encoding)")
    return "\n".join(lines)


def chat_text(
    response: ChatResponse, cited: Sequence[Moment], citations: CitationReport | None = None
) -> str:
    """The answer (times no cited moment backs marked ``[unverified: ...]`` when
    ``citations`` is given), the cited moments and the session id."""
    answer = response.content
    if citations is not None:
        answer = annotate_unsupported(answer, citations)
    parts = [answer.strip() or "(empty answer)"]
    if citations is not None and citations.citations:
        parts.append(citations.summary())
    if cited:
        parts.append("Cited moments:\n" + cite_all(cited))
    if response.session_id:
        parts.append(f"session_id: {response.session_id} (pass it to continue this chat)")
    return "\n\n".join(parts)


def transcript_text(
    video_no: str,
    track: str,
    segments: Sequence[TimedText],
    *,
    start: float | None = None,
    end: float | None = None,
    next_start: float | None = None,
    total: int | None = None,
) -> str:
    """``Transcript of VI1 (audio):`` then one ``[HH:MM:SS-HH:MM:SS] text`` line per segment
    (labelled by track when both are shown). With a range (``start`` / ``end``) the header
    names it; ``next_start``: the text was cut there, and the last line says how to read on.
    ``total``: segments in the whole transcript (tells an empty range from an empty track)."""
    ranged = start is not None or end is not None
    span = f"{hhmmss(start or 0.0)}-{hhmmss(end) if end is not None else 'end'}"
    if not segments:
        if ranged and total:
            return (
                f"No {track} transcript of {video_no} overlaps {span}; ask for another range "
                "(start / end)."
            )
        return (
            f"Video {video_no} has no {track} transcript (no such track, or it is still "
            "encoding: check memories_video_status)."
        )
    lines = render_lines(segments, labels=track == "both", ranges=True)
    text = f"Transcript of {video_no} ({track}{', ' + span if ranged else ''}):\n{lines}"
    if next_start is not None:
        text += (
            f"\n[more: the transcript continues; call again with start={next_start:g} "
            f"({hhmmss(next_start)}) to read on]"
        )
    return text


def transcript_line(segment: TimedText, track: str) -> str:
    """The line ``transcript_text`` shows for one segment (to measure a page)."""
    return render_lines([segment], labels=track == "both", ranges=True)


def namespaces_text(ids: Sequence[str], current: str, marker: str = "used by these tools") -> str:
    """The account's namespaces, one per line, the current one marked."""
    if not ids:
        return "No namespaces (unique_id values) have videos yet."
    lines = [f"{u}{f' ({marker})' if u == current else ''}" for u in ids]
    return "Namespaces (unique_id values) with videos:\n" + "\n".join(lines)


def upload_text(uploaded: UploadResult, final: VideoMetadata | None, waited: bool) -> str:
    """What happened to an upload. A failed encoding is reported by the caller as an error."""
    note = " (a video id, not a task id)"
    if final is None:
        return f"Uploaded{note}. {describe_status(uploaded)}"
    text = f"Uploaded{note}. {describe_status(final)}"
    if waited and final.status is VideoStatus.UNPARSE:
        text += " (Stopped waiting: the wait limit was reached; do not upload it again.)"
    return text
