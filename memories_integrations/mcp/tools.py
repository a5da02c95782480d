"""The MCP tools: the LangChain toolkit's names, the shared argument models, text + structure.

Each tool returns the text a model reads (the same wording as every other adapter, from
``_adapters.formatting``) and ``structuredContent`` with the same facts as data (the moments,
their times and ``memories://`` links), so a client can use either.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp import types

from .. import errors as e
from .._adapters import formatting as fmt
from .._adapters import ranges
from .._adapters.arguments import (
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
)
from .._async_client import AsyncMemoriesClient
from .._documents import TimedText, hit_metadata, hit_text, moment_metadata
from .._lifecycle import WaitProgress
from ..models import UploadResult, VideoMetadata, VideoStatus, hhmmss
from ._config import ServerConfig
from .resources import fetch_transcript, metadata_dict

__all__ = ["TOOLS", "NoArgs", "ToolContext", "ToolOutput", "ToolSpec", "tools_for"]

Structured = dict[str, Any]
ToolOutput = tuple[str, Structured]
Progress = Callable[[float, float | None, str], Awaitable[None]]


#: Tools without arguments (list namespaces): the shared model, as for every other tool.
NoArgs = ListNamespacesArgs


@dataclass
class ToolContext:
    """What a tool call gets: the client, the server's options and a progress reporter."""

    client: AsyncMemoriesClient
    config: ServerConfig
    progress: Progress


Handler = Callable[[ToolContext, Any], Awaitable[ToolOutput]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    args: type[ToolArgs]
    handler: Handler
    annotations: types.ToolAnnotations = field(default_factory=types.ToolAnnotations)

    def to_mcp(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            title=self.title,
            description=self.description,
            inputSchema=self.args.model_json_schema(),
            annotations=self.annotations,
        )


# Read tools change nothing and ask the same external service again and again.
_READ = types.ToolAnnotations(
    readOnlyHint=True, destructiveHint=False, idempotentHint=True, openWorldHint=True
)


def _seg(s: TimedText) -> Structured:
    return {
        "start_time": s.start,
        "end_time": s.end,
        "start_timestamp": hhmmss(s.start),
        "end_timestamp": hhmmss(s.end),
        "track": s.track,
        "text": s.text,
    }


def _moment(meta: Mapping[str, Any], text: str) -> Structured:
    return {**meta, "text": text}


# ---------------------------------------------------------------------------------- search
async def _search(ctx: ToolContext, a: SearchArgs) -> ToolOutput:
    unique_id = ctx.client.unique_id
    hits = await ctx.client.search(
        a.query, search_type=a.search_type, top_k=a.top_k, video_nos=a.video_nos, tag=a.tag
    )
    ranked = sorted(hits, key=lambda h: -(h.score or 0.0))[: a.top_k]  # best first, stable
    moments = [
        (hit_metadata(h, unique_id=unique_id, search_type=a.search_type), hit_text(h))
        for h in ranked
    ]
    text = fmt.cite_all(moments) if moments else fmt.no_hits_text(a.query, a.search_type, unique_id)
    data = {
        "query": a.query,
        "search_type": a.search_type,
        "moments": [_moment(m, t) for m, t in moments],
    }
    return text, data


# ---------------------------------------------------------------------------------- status
async def _status(ctx: ToolContext, a: VideoStatusArgs) -> ToolOutput:
    meta = await ctx.client.get_metadata(a.video_no)
    return fmt.status_text(meta), metadata_dict(meta)


# ---------------------------------------------------------------------------------- list
async def _list(ctx: ToolContext, a: ListVideosArgs) -> ToolOutput:
    page = await ctx.client.list_videos(
        page=a.page, size=a.size, status=a.status, video_name=a.video_name
    )
    data = {
        "page": page.current_page,
        "total_count": page.total_count,
        "has_more": page.has_more,
        "videos": [
            {
                "video_no": v.video_no,
                "video_name": v.video_name,
                "status": v.status.value,
                "duration": v.duration,
            }
            for v in page.videos
        ],
    }
    return fmt.page_text(page), data


# ---------------------------------------------------------------------------------- transcript
async def _transcript(ctx: ToolContext, a: TranscriptArgs) -> ToolOutput:
    every = await fetch_transcript(ctx.client, a.video_no, a.track)
    cut = ranges.page(
        ranges.overlapping(every, a.start, a.end),
        a.max_chars,
        lambda seg: fmt.transcript_line(seg, a.track),
    )
    segments = cut.segments
    data = {
        "video_no": a.video_no,
        "track": a.track,
        "start": a.start,
        "end": a.end,
        "next_start": cut.next_start,
        "segments": [_seg(s) for s in segments],
    }
    text = fmt.transcript_text(
        a.video_no, a.track, segments, start=a.start, end=a.end, next_start=cut.next_start,
        total=len(every),
    )  # fmt: skip
    return text, data


# ---------------------------------------------------------------------------------- summary
async def _summarize(ctx: ToolContext, a: SummarizeArgs) -> ToolOutput:
    summary = await ctx.client.generate_summary(a.video_no, summary_type=a.summary_type)
    data = {
        "video_no": a.video_no,
        "summary_type": summary.summary_type or a.summary_type,
        "text": summary.text,
        "chapters": [
            {
                "start_time": i.start_time,
                "end_time": i.end_time if i.end_time is not None else i.start_time,
                "title": i.title,
                "description": i.description,
            }
            for i in summary.items
        ],
    }
    return fmt.summary_text(a.video_no, summary), data


# ---------------------------------------------------------------------------------- chat
async def _chat(ctx: ToolContext, a: ChatArgs) -> ToolOutput:
    response = await ctx.client.chat(a.video_nos, a.prompt, session_id=a.session_id)
    names = {r.video.video_no: r.video.video_name for r in response.references}
    cited = [
        (
            {
                **moment_metadata(
                    unique_id=ctx.client.unique_id,
                    video_no=m.video_no or "",
                    video_name=names.get(m.video_no or ""),
                    start=m.start_time,
                    end=m.end_time,
                ),
                "ref_type": m.type,
            },
            m.text or "",
        )
        for m in response.moments
        if m.type != "keyframe"  # keyframes repeat a text moment's start, without text
    ]
    report = response.verify_citations()  # cited times no moment backs are flagged
    data = {
        "answer": response.content,
        "session_id": response.session_id,
        "moments": [_moment(m, t) for m, t in cited],
        "citations": report.model_dump(mode="json"),
    }
    return fmt.chat_text(response, cited, report), data


# ---------------------------------------------------------------------------------- namespaces
async def _namespaces(ctx: ToolContext, a: NoArgs) -> ToolOutput:
    ids = await ctx.client.list_unique_ids()
    current = ctx.client.unique_id
    if not ids:
        return fmt.namespaces_text(ids, current), {"unique_ids": []}
    return fmt.namespaces_text(ids, current, "this server"), {"unique_ids": ids, "current": current}


# ---------------------------------------------------------------------------------- upload
async def _upload(ctx: ToolContext, a: UploadArgs) -> ToolOutput:
    client, config = ctx.client, ctx.config
    if a.file_path is not None:
        uploaded = await client.upload(config.local_file(a.file_path), tags=a.tags)
    else:
        uploaded = await client.upload_url(str(a.url), tags=a.tags)
    final = await _wait(ctx, uploaded, a) if a.wait else None
    if final is not None and final.status is VideoStatus.PARSE_ERROR:
        raise e.ProcessingError(
            f"uploaded as {uploaded.video_no}, but {fmt.describe_status(final)}",
            video_no=uploaded.video_no,
        )
    data = (
        metadata_dict(final)
        if final is not None
        else {
            "video_no": uploaded.video_no,
            "video_name": uploaded.video_name,
            "status": uploaded.status.value,
        }
    )
    return fmt.upload_text(uploaded, final, a.wait), data


async def _wait(ctx: ToolContext, uploaded: UploadResult, a: UploadArgs) -> VideoMetadata:
    """Wait (bounded by the server's limit) for encoding, reporting each check as MCP
    progress (elapsed seconds of the limit)."""
    limit = min(a.max_wait_seconds or math.inf, ctx.config.max_wait_seconds)
    video_no = uploaded.video_no
    # The client's progress hook is sync: it queues, the loop below sends.
    send, receive = anyio.create_memory_object_stream[WaitProgress](math.inf)
    outcome: list[VideoMetadata | e.MemoriesError] = []

    async def wait() -> None:
        with send:
            try:
                outcome.append(
                    await ctx.client.wait_for_ready(
                        video_no,
                        timeout=limit,
                        on_progress=send.send_nowait,
                        initial_interval=ctx.config.poll_interval,
                    )
                )
            except e.MemoriesError as exc:  # kept out of the task group's ExceptionGroup
                outcome.append(exc)

    await ctx.progress(0.0, limit, f"{video_no} uploaded; waiting for encoding")
    async with anyio.create_task_group() as tg, receive:
        tg.start_soon(wait)
        async for p in receive:
            note = f"{video_no}: {p.status.value} after {p.elapsed:.0f} s ({p.polls} checks)"
            await ctx.progress(min(p.elapsed, limit), limit, note)
    final = outcome[0]
    if isinstance(final, VideoMetadata):
        return final
    if not isinstance(final, (e.WaitTimeoutError, e.ProcessingError)):
        raise final
    return await ctx.client.get_metadata(video_no)  # timed out or failed: its status says which


# ---------------------------------------------------------------------------------- delete
async def _delete(ctx: ToolContext, a: DeleteVideosArgs) -> ToolOutput:
    await ctx.client.delete_videos(a.video_nos)
    text = f"Deleted {len(a.video_nos)} video(s): {', '.join(a.video_nos)}."
    return text, {"deleted": list(a.video_nos)}


# ---------------------------------------------------------------------------------- the set
READ_TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "memories_search",
        "Search the video library",
        "Search the user's private memories.ai video library for moments matching a "
        "description. Returns numbered moments as 'video_no (name) @ start-end, score: text'. "
        "Only fully encoded videos (status PARSE) are searchable. Cite the video_no and time "
        "range of every moment you use; if nothing is found, say so instead of guessing. "
        "Use the returned video_no values with the transcript, summary and chat tools.",
        SearchArgs,
        _search,
        _READ,
    ),
    ToolSpec(
        "memories_video_status",
        "Video encoding status",
        "Get the encoding status and metadata of one video by video_no. Status PARSE means "
        "ready to search and chat; UNPARSE means still encoding (check again later); "
        "PARSE_ERROR means it failed.",
        VideoStatusArgs,
        _status,
        _READ,
    ),
    ToolSpec(
        "memories_list_videos",
        "List videos",
        "List the videos in the user's memories.ai library, one per line: video_no, name, "
        "status, duration. Use it to find video numbers for the other tools.",
        ListVideosArgs,
        _list,
        _READ,
    ),
    ToolSpec(
        "memories_get_transcript",
        "Video transcript",
        "Get the timestamped transcript of one encoded video: speech (audio), scene "
        "descriptions (visual) or both. Each line is '[start-end] text'; cite these times.",
        TranscriptArgs,
        _transcript,
        _READ,
    ),
    ToolSpec(
        "memories_summarize_video",
        "Summarize a video",
        "Summarize one encoded video as timestamped chapters (CHAPTER) or topics (TOPIC). "
        "Good for an overview before asking detailed questions.",
        SummarizeArgs,
        _summarize,
        _READ,
    ),
    ToolSpec(
        "memories_chat_with_videos",
        "Ask about videos",
        "Ask memories.ai's video model a question about specific encoded videos. Returns its "
        "answer, the moments it cited (video_no @ start-end) and a session_id for follow-ups. "
        "Quote the cited moments when you answer.",
        ChatArgs,
        _chat,
        # Answers differ from call to call, but nothing is changed.
        types.ToolAnnotations(
            readOnlyHint=True, destructiveHint=False, idempotentHint=False, openWorldHint=True
        ),
    ),
)
NAMESPACES_TOOL = ToolSpec(
    "memories_list_namespaces",
    "List namespaces",
    "List the namespaces (unique_id values) of the memories.ai account that hold videos. "
    "This server searches the one marked '(this server)'.",
    NoArgs,
    _namespaces,
    _READ,
)
UPLOAD_TOOL = ToolSpec(
    "memories_upload_video",
    "Upload a video",
    "Upload a video to the user's memories.ai library from a url or a local file_path "
    "(local files only from the directories this server was allowed). Returns the new "
    "video_no (not a task id). A video is searchable only after encoding finishes (status "
    "PARSE): pass wait=true to wait for that (progress is reported), or check "
    "memories_video_status later.",
    UploadArgs,
    _upload,
    types.ToolAnnotations(
        readOnlyHint=False, destructiveHint=False, idempotentHint=False, openWorldHint=True
    ),
)
DELETE_TOOL = ToolSpec(
    "memories_delete_videos",
    "Delete videos",
    "Permanently delete videos from the user's memories.ai library. Destructive and "
    "irreversible: only use it when the user explicitly asked to delete these videos.",
    DeleteVideosArgs,
    _delete,
    # Deleting again changes nothing more (the API answers "already deleted").
    types.ToolAnnotations(
        readOnlyHint=False, destructiveHint=True, idempotentHint=True, openWorldHint=True
    ),
)
TOOLS: tuple[ToolSpec, ...] = (*READ_TOOLS, NAMESPACES_TOOL, UPLOAD_TOOL, DELETE_TOOL)


def tools_for(config: ServerConfig) -> dict[str, ToolSpec]:
    """The tools this server offers: read-only ones, plus writes only when switched on."""
    specs = [*READ_TOOLS, NAMESPACES_TOOL]
    if config.allow_upload:
        specs.append(UPLOAD_TOOL)
    if config.allow_delete:
        specs.append(DELETE_TOOL)
    return {s.name: s for s in specs}
