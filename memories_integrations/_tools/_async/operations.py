"""Every tool operation, declared once: arguments, result, annotations and the API calls.

Edit this file, never ``_sync/operations.py`` (generated from it by ``scripts/unasync.py``).
The answers are shaped by ``presenting`` (shared by both twins); ``registry`` pairs each
declaration here with its sync twin.
"""

from __future__ import annotations

from typing import Any

from memories_integrations import errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._tools import presenting as p
from memories_integrations._tools import results as r
from memories_integrations._tools.arguments import (
    ChatArgs,
    DeleteVideosArgs,
    ListNamespacesArgs,
    ListVideosArgs,
    SearchToolArgs,
    SummarizeArgs,
    TranscriptArgs,
    UploadArgs,
    VideoStatusArgs,
)
from memories_integrations._tools.definition import Annotations, operation
from memories_integrations._tools.keyframes import afetch_keyframes
from memories_integrations._tools.media import attach_keyframes
from memories_integrations._tools.outcome import Outcome, ToolOptions
from memories_integrations.models import UploadResult, VideoMetadata

__all__ = ["DECLARED"]

Client = AsyncMemoriesClient


def _moments(outcome: Outcome) -> list[dict[str, Any]]:
    return [{**record.metadata, "text": record.text} for record in outcome.records]


def _search_shape(a: SearchToolArgs, outcome: Outcome) -> dict[str, Any]:
    return {"query": a.query, "search_type": a.search_type, "moments": _moments(outcome)}


@operation(
    "memories_search",
    title="Search the video library",
    description=(
        "Search the user's private memories.ai video library for moments matching a "
        "description. Returns numbered moments as 'video_no (name) @ start-end, score: text'."
        " Only fully encoded videos (status PARSE) are searchable. Cite the video_no and time"
        " range of every moment you use; if nothing is found, say so instead of guessing. Use"
        " the returned video_no values with the transcript, summary and chat tools."
    ),
    args=SearchToolArgs,
    result=r.SearchResult,
    shape=_search_shape,
)
async def search(c: Client, a: SearchToolArgs, o: ToolOptions) -> Outcome:
    hits = await c.search(
        a.query, search_type=a.search_type, top_k=a.top_k, video_nos=a.video_nos,
        tag=a.tag, unique_id=o.unique_id,
    )  # fmt: skip
    found = p.search_outcome(hits, a, o)
    if pointers := found.extra.pop("keyframe_pointers", None):
        frames = await afetch_keyframes(c, pointers, p.keyframe_cache(o))
        return attach_keyframes(found, frames)
    return found


@operation(
    "memories_video_status",
    title="Video encoding status",
    description=(
        "Get the encoding status and metadata of one video by video_no. Status PARSE means "
        "ready to search and chat; UNPARSE means still encoding (check again later); "
        "PARSE_ERROR means it failed."
    ),
    args=VideoStatusArgs,
    result=r.VideoResult,
)
async def video_status(c: Client, a: VideoStatusArgs, o: ToolOptions) -> Outcome:
    return p.status_outcome(await known_metadata(c, a.video_no, o.unique_id))


async def known_metadata(c: Client, video_no: str, unique_id: str | None) -> VideoMetadata:
    """get_metadata, where ``data: null`` for a number the namespace does not list raises
    NotFoundError: the live API answers an unknown video like one not parsed yet."""
    meta = await c.get_metadata(video_no, unique_id=unique_id)
    if not meta.ready:
        try:
            rows = (await c.list_videos(video_no=video_no, unique_id=unique_id)).videos
        except errors.MemoriesError:
            return meta  # only a second opinion: its failure leaves get_metadata's answer
        if all(row.video_no != video_no for row in rows):
            raise errors.NotFoundError(
                f"video not found: {video_no} (not in this namespace)",
                endpoint="/serve/api/v1/get_metadata",
            )
    return meta


@operation(
    "memories_list_videos",
    title="List videos",
    description=(
        "List the videos in the user's memories.ai library, one per line: video_no, name, "
        "status, duration. Use it to find video numbers for the other tools."
    ),
    args=ListVideosArgs,
    result=r.PageResult,
)
async def list_videos(c: Client, a: ListVideosArgs, o: ToolOptions) -> Outcome:
    page = await c.list_videos(
        page=a.page, size=a.size, status=a.status, video_name=a.video_name, unique_id=o.unique_id
    )
    return p.page_outcome(page, o)


def _transcript_shape(a: TranscriptArgs, outcome: Outcome) -> dict[str, Any]:
    segments = [{**m, "track": m["transcript_source"]} for m in _moments(outcome)]
    return {**outcome.extra, "segments": segments}


@operation(
    "memories_get_transcript",
    title="Video transcript",
    description=(
        "Get the timestamped transcript of one encoded video: speech (audio), scene "
        "descriptions (visual) or both. Each line is '[start-end] text'; cite these times. "
        "Long videos: read a time range (start, end) and continue at the next_start it gives."
    ),
    args=TranscriptArgs,
    result=r.TranscriptResult,
    shape=_transcript_shape,
)
async def get_transcript(c: Client, a: TranscriptArgs, o: ToolOptions) -> Outcome:
    ns, video_no = o.unique_id, a.video_no
    audio = await c.get_audio_transcription(video_no, unique_id=ns) if a.track != "visual" else None
    visual = await c.get_video_caption(video_no, unique_id=ns) if a.track != "audio" else None
    return p.transcript_outcome(audio, visual, a, o)


@operation(
    "memories_summarize_video",
    title="Summarize a video",
    description=(
        "Summarize one encoded video as timestamped chapters (CHAPTER) or topics (TOPIC). "
        "Good for an overview before asking detailed questions."
    ),
    args=SummarizeArgs,
    result=r.SummaryResult,
)
async def summarize_video(c: Client, a: SummarizeArgs, o: ToolOptions) -> Outcome:
    summary = await c.generate_summary(
        a.video_no, summary_type=a.summary_type, unique_id=o.unique_id
    )
    return p.summary_outcome(summary, a, o)


def _chat_shape(a: ChatArgs, outcome: Outcome) -> dict[str, Any]:
    x = outcome.extra
    return {
        "answer": x["content"],
        "session_id": x["session_id"],
        "moments": _moments(outcome),
        "citations": x["citations"].model_dump(mode="json"),
    }


@operation(
    "memories_chat_with_videos",
    title="Ask about videos",
    description=(
        "Ask memories.ai's video model a question about specific encoded videos. Returns its "
        "answer, the moments it cited (video_no @ start-end) and a session_id for follow-ups."
        " Quote the cited moments when you answer; times marked [unverified: ...] match no "
        "cited moment, so do not repeat them as facts."
    ),
    args=ChatArgs,
    result=r.ChatResult,
    # Answers differ from call to call, but nothing is changed; each answer costs credits.
    annotations=Annotations(read_only=True, idempotent=False, spends=True),
    shape=_chat_shape,
)
async def chat_with_videos(c: Client, a: ChatArgs, o: ToolOptions) -> Outcome:
    answer = await c.chat(a.video_nos, a.prompt, session_id=a.session_id, unique_id=o.unique_id)
    return p.chat_outcome(answer, o)


@operation(
    "memories_list_namespaces",
    title="List namespaces",
    description=(
        "List the namespaces (unique_id values) of the memories.ai account that hold videos; "
        "the one these tools use is marked. Use it when a video cannot be found: it may have "
        "been uploaded under another namespace."
    ),
    args=ListNamespacesArgs,
    result=r.NamespacesResult,
)
async def list_namespaces(c: Client, a: ListNamespacesArgs, o: ToolOptions) -> Outcome:
    return p.namespaces_outcome(await c.list_unique_ids(), o)


@operation(
    "memories_upload_video",
    title="Upload a video",
    description=(
        "Upload a video to the user's memories.ai library from a local file_path or a url. "
        "Returns the new video_no (use it with the other tools; it is not a task id). A video"
        " is searchable only after encoding finishes (status PARSE): pass wait=true to wait "
        "for that, or check memories_video_status later."
    ),
    args=UploadArgs,
    result=r.VideoResult,
    # Writes to the library and spends encoding credits; a second call uploads again.
    annotations=Annotations(read_only=False, idempotent=False, spends=True),
)
async def upload_video(c: Client, a: UploadArgs, o: ToolOptions) -> Outcome:
    target = p.upload_target(a, o)
    if isinstance(target, str):
        uploaded = await c.upload_url(target, tags=a.tags, unique_id=o.unique_id)
    else:
        with target:  # opened at the check: the bytes sent are the file that was checked
            uploaded = await c.upload(
                target, tags=a.tags, unique_id=o.unique_id, progress=o.upload_progress
            )
    final = await _wait(c, uploaded, a, o) if a.wait else None
    return p.upload_outcome(uploaded, final, a)


async def _wait(c: Client, up: UploadResult, a: UploadArgs, o: ToolOptions) -> VideoMetadata:
    try:
        return await c.wait_for_ready(up.video_no, **p.wait_kwargs(a, o))
    except (errors.WaitTimeoutError, errors.ProcessingError):
        # Timed out or failed: the video's status says which, with the cause.
        return await c.get_metadata(up.video_no, unique_id=o.unique_id)


@operation(
    "memories_delete_videos",
    title="Delete videos",
    description=(
        "Permanently delete videos from the user's memories.ai library. Destructive and "
        "irreversible: only use it when the user explicitly asked to delete these videos."
    ),
    args=DeleteVideosArgs,
    result=r.DeleteResult,
    # Deleting again changes nothing more (the API answers success again).
    annotations=Annotations(read_only=False, destructive=True),
)
async def delete_videos(c: Client, a: DeleteVideosArgs, o: ToolOptions) -> Outcome:
    await c.delete_videos(a.video_nos, unique_id=o.unique_id)
    return p.deleted_outcome(a)


#: Every operation, in the order the tools are offered.
DECLARED = (
    search,
    video_status,
    list_videos,
    get_transcript,
    summarize_video,
    chat_with_videos,
    list_namespaces,
    upload_video,
    delete_videos,
)
