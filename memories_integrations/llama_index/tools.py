"""``MemoriesToolSpec``: memories.ai video memory as LlamaIndex agent tools.

Deliberately no ``from __future__ import annotations``: LlamaIndex builds each tool's argument
schema from the live annotations of these methods.

Errors: by default a ``MemoriesError`` (bad input, unknown video, API failure) comes back as
text starting with ``"Error:"`` plus a hint, so any agent (or a direct ``tool.call``) can read
it and recover. With ``raise_errors=True`` it is raised instead; LlamaIndex agents then turn it
into a tool output with ``is_error=True``. Other exceptions (bugs) always propagate.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from llama_index.core.tools.tool_spec.base import BaseToolSpec
from pydantic import SecretStr

from .. import errors
from .._async_client import AsyncMemoriesClient
from .._client import MemoriesClient
from ..models import (
    ChatResponse,
    SearchHit,
    Summary,
    Transcript,
    VideoMetadata,
    VideoPage,
    VideoStatus,
)
from ..models import hhmmss as _hms
from ._clients import ClientProvider

_FINAL = (VideoStatus.PARSE, VideoStatus.PARSE_ERROR)


class MemoriesToolSpec(BaseToolSpec):
    """Search, upload, inspect, summarise and chat about videos stored in memories.ai.

    ``to_tool_list()`` gives one ``FunctionTool`` per entry of ``spec_functions``, each with a
    sync and a native async implementation. ``delete_video`` is only offered when
    ``allow_delete=True``.
    """

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        unique_id: str | None = None,
        allow_delete: bool = False,
        raise_errors: bool = False,
        upload_max_wait: float = 120.0,
        poll_interval: float = 2.0,
        max_chars: int = 6000,
    ) -> None:
        self._clients = ClientProvider(
            client=client, async_client=async_client, api_key=api_key, base_url=base_url
        )
        self.unique_id = unique_id or self._clients.default_unique_id()
        self.allow_delete = allow_delete
        self.raise_errors = raise_errors
        self.upload_max_wait = upload_max_wait
        self.poll_interval = poll_interval
        self.max_chars = max_chars
        functions: list[str | tuple[str, str]] = [
            ("search_videos", "asearch_videos"),
            ("upload_video", "aupload_video"),
            ("video_status", "avideo_status"),
            ("list_videos", "alist_videos"),
            ("get_transcript", "aget_transcript"),
            ("summarize_video", "asummarize_video"),
            ("chat_about_videos", "achat_about_videos"),
        ]
        if allow_delete:
            functions.append(("delete_video", "adelete_video"))
        self.spec_functions = functions

    def __repr__(self) -> str:
        return f"MemoriesToolSpec(unique_id={self.unique_id!r}, allow_delete={self.allow_delete})"

    # ------------------------------------------------------------------ error policy
    def _guard(self, fn: Callable[[], str]) -> str:
        try:
            return fn()
        except errors.MemoriesError as exc:
            if self.raise_errors:
                raise
            return _error_text(exc)

    async def _aguard(self, fn: Callable[[], Awaitable[str]]) -> str:
        try:
            return await fn()
        except errors.MemoriesError as exc:
            if self.raise_errors:
                raise
            return _error_text(exc)

    # ------------------------------------------------------------------ search
    def search_videos(
        self,
        query: str,
        top_k: int = 5,
        search_type: str = "BY_CLIP",
        video_nos: list[str] | None = None,
    ) -> str:
        """Find moments in the user's uploaded videos that match a description (semantic search).

        Returns ranked moments, each with video name, video_no and start-end time (HH:MM:SS).
        Cite the video name and the time when you answer. If nothing is found, say so plainly;
        only videos whose encoding finished (status PARSE) are searchable.

        Args:
            query (str): What to look for, in English, e.g. "a goal is scored".
            top_k (int): How many moments to return (1-50).
            search_type (str): BY_CLIP (visual moments, default), BY_AUDIO (spoken words),
                BY_VIDEO (whole videos) or BY_CAPTION.
            video_nos (list[str] | None): Restrict to these video numbers (from list_videos).
        """
        c = self._clients.sync
        return self._guard(
            lambda: _format_hits(
                query,
                c.search(query, **self._search_args(top_k, search_type, video_nos)),
                search_type,
            )
        )

    async def asearch_videos(
        self,
        query: str,
        top_k: int = 5,
        search_type: str = "BY_CLIP",
        video_nos: list[str] | None = None,
    ) -> str:
        c = self._clients.async_

        async def run() -> str:
            hits = await c.search(query, **self._search_args(top_k, search_type, video_nos))
            return _format_hits(query, hits, search_type)

        return await self._aguard(run)

    def _search_args(
        self, top_k: int, search_type: str, video_nos: Sequence[str] | None
    ) -> dict[str, Any]:
        return {
            "top_k": top_k,
            "search_type": search_type,
            "video_nos": list(video_nos) if video_nos else None,
            "unique_id": self.unique_id,
        }

    # ------------------------------------------------------------------ upload
    def upload_video(self, source: str) -> str:
        """Upload a video (a local file path or a direct http(s) download URL) to memories.ai.

        Waits a bounded time for encoding. The answer gives the new video_no: an id of the
        video itself (use it with video_status, search_videos, chat_about_videos), not a task
        id. A video is searchable only once its status is PARSE; if it is still encoding, say
        so and check later with video_status instead of uploading again.

        Args:
            source (str): Local path of an .mp4/.mov/.mkv/.avi file, or an http(s) URL.
        """
        c = self._clients.sync

        def run() -> str:
            if _is_url(source):
                result = c.upload_url(source, unique_id=self.unique_id)
            else:
                result = c.upload(source, unique_id=self.unique_id)
            meta, waited = self._wait(result.video_no)
            return _format_upload(result.video_no, result.video_name or source, meta, waited)

        return self._guard(run)

    async def aupload_video(self, source: str) -> str:
        c = self._clients.async_

        async def run() -> str:
            if _is_url(source):
                result = await c.upload_url(source, unique_id=self.unique_id)
            else:
                result = await c.upload(source, unique_id=self.unique_id)
            meta, waited = await self._await(result.video_no)
            return _format_upload(result.video_no, result.video_name or source, meta, waited)

        return await self._aguard(run)

    def _wait(self, video_no: str) -> tuple[VideoMetadata, float]:
        """Poll until encoding ends or ``upload_max_wait`` passes (never forever)."""
        c, started = self._clients.sync, time.monotonic()
        waiter = getattr(c, "wait_for_ready", None)
        if waiter is not None:  # the core client's own bounded wait, when it has one
            try:
                ready = waiter(video_no, **self._wait_args())
                if isinstance(ready, VideoMetadata):
                    return ready, time.monotonic() - started
            except (errors.WaitTimeoutError, errors.ProcessingError):
                pass  # the status read below reports it (with the failure cause)
            return c.get_metadata(video_no, unique_id=self.unique_id), time.monotonic() - started
        while True:
            meta = c.get_metadata(video_no, unique_id=self.unique_id)
            elapsed = time.monotonic() - started
            if meta.status in _FINAL or elapsed + self.poll_interval > self.upload_max_wait:
                return meta, elapsed
            time.sleep(self.poll_interval)

    async def _await(self, video_no: str) -> tuple[VideoMetadata, float]:
        c, started = self._clients.async_, time.monotonic()
        waiter = getattr(c, "wait_for_ready", None)
        if waiter is not None:
            try:
                ready = await waiter(video_no, **self._wait_args())
                if isinstance(ready, VideoMetadata):
                    return ready, time.monotonic() - started
            except (errors.WaitTimeoutError, errors.ProcessingError):
                pass
            meta = await c.get_metadata(video_no, unique_id=self.unique_id)
            return meta, time.monotonic() - started
        while True:
            meta = await c.get_metadata(video_no, unique_id=self.unique_id)
            elapsed = time.monotonic() - started
            if meta.status in _FINAL or elapsed + self.poll_interval > self.upload_max_wait:
                return meta, elapsed
            await asyncio.sleep(self.poll_interval)

    def _wait_args(self) -> dict[str, Any]:
        return {
            "timeout": self.upload_max_wait,
            "initial_interval": self.poll_interval,
            "max_interval": max(self.poll_interval, 15.0),
            "unique_id": self.unique_id,
        }

    # ------------------------------------------------------------------ status and list
    def video_status(self, video_no: str) -> str:
        """Encoding status and basic facts (name, duration, tags) of one video.

        PARSE = ready and searchable; UNPARSE = still encoding (check again later);
        PARSE_ERROR = encoding failed (the reason is given).

        Args:
            video_no (str): The video number, e.g. "VI625239098370850816".
        """
        c = self._clients.sync
        return self._guard(
            lambda: _format_status(c.get_metadata(video_no, unique_id=self.unique_id))
        )

    async def avideo_status(self, video_no: str) -> str:
        c = self._clients.async_

        async def run() -> str:
            return _format_status(await c.get_metadata(video_no, unique_id=self.unique_id))

        return await self._aguard(run)

    def list_videos(self, page: int = 1, name_contains: str | None = None) -> str:
        """List the user's videos (20 per page): name, video_no, status and duration.

        Use it to find the video_no of a video the user names.

        Args:
            page (int): Page number, starting at 1.
            name_contains (str | None): Only videos whose name contains this text.
        """
        c = self._clients.sync
        return self._guard(
            lambda: _format_page(
                c.list_videos(page=page, video_name=name_contains, unique_id=self.unique_id)
            )
        )

    async def alist_videos(self, page: int = 1, name_contains: str | None = None) -> str:
        c = self._clients.async_

        async def run() -> str:
            result = await c.list_videos(
                page=page, video_name=name_contains, unique_id=self.unique_id
            )
            return _format_page(result)

        return await self._aguard(run)

    # ------------------------------------------------------------------ transcript and summary
    def get_transcript(self, video_no: str, track: Literal["audio", "visual"] = "audio") -> str:
        """Timestamped transcript of one video: what is said ("audio") or what is seen ("visual").

        Each line starts with [HH:MM:SS]; cite those times. Long transcripts are cut.

        Args:
            video_no (str): The video number.
            track (str): "audio" (speech to text) or "visual" (scene captions).
        """
        c = self._clients.sync

        def run() -> str:
            fetch = c.get_video_caption if track == "visual" else c.get_audio_transcription
            return self._format_transcript(
                video_no, track, fetch(video_no, unique_id=self.unique_id)
            )

        return self._guard(run)

    async def aget_transcript(
        self, video_no: str, track: Literal["audio", "visual"] = "audio"
    ) -> str:
        c = self._clients.async_

        async def run() -> str:
            fetch = c.get_video_caption if track == "visual" else c.get_audio_transcription
            transcript = await fetch(video_no, unique_id=self.unique_id)
            return self._format_transcript(video_no, track, transcript)

        return await self._aguard(run)

    def summarize_video(
        self, video_no: str, summary_type: Literal["CHAPTER", "TOPIC"] = "CHAPTER"
    ) -> str:
        """Summary of one video: an overview plus timestamped chapters (or topics).

        Args:
            video_no (str): The video number.
            summary_type (str): "CHAPTER" (scenes in time order) or "TOPIC".
        """
        c = self._clients.sync
        return self._guard(
            lambda: _format_summary(
                video_no,
                c.generate_summary(video_no, summary_type=summary_type, unique_id=self.unique_id),
            )
        )

    async def asummarize_video(
        self, video_no: str, summary_type: Literal["CHAPTER", "TOPIC"] = "CHAPTER"
    ) -> str:
        c = self._clients.async_

        async def run() -> str:
            summary = await c.generate_summary(
                video_no, summary_type=summary_type, unique_id=self.unique_id
            )
            return _format_summary(video_no, summary)

        return await self._aguard(run)

    # ------------------------------------------------------------------ chat
    def chat_about_videos(
        self, video_nos: list[str], question: str, session_id: str | None = None
    ) -> str:
        """Ask memories.ai's video assistant a question about specific videos.

        Returns its answer, the moments it cited (video_no and HH:MM:SS) and a session_id to
        pass back for a follow-up question. Cite the moments in your reply.

        Args:
            video_nos (list[str]): Video numbers the question is about (from list_videos).
            question (str): The question, in English.
            session_id (str | None): session_id of an earlier answer to continue that chat.
        """
        c = self._clients.sync
        return self._guard(
            lambda: _format_chat(
                c.chat(video_nos, question, session_id=session_id, unique_id=self.unique_id)
            )
        )

    async def achat_about_videos(
        self, video_nos: list[str], question: str, session_id: str | None = None
    ) -> str:
        c = self._clients.async_

        async def run() -> str:
            answer = await c.chat(
                video_nos, question, session_id=session_id, unique_id=self.unique_id
            )
            return _format_chat(answer)

        return await self._aguard(run)

    # ------------------------------------------------------------------ delete
    def delete_video(self, video_no: str) -> str:
        """Permanently delete one video. Only do this when the user explicitly asked for it.

        Args:
            video_no (str): The video number to delete.
        """
        c = self._clients.sync

        def run() -> str:
            self._check_delete()
            c.delete_videos([video_no], unique_id=self.unique_id)
            return f"Deleted video {video_no}."

        return self._guard(run)

    async def adelete_video(self, video_no: str) -> str:
        c = self._clients.async_

        async def run() -> str:
            self._check_delete()
            await c.delete_videos([video_no], unique_id=self.unique_id)
            return f"Deleted video {video_no}."

        return await self._aguard(run)

    def _check_delete(self) -> None:
        # Also guards direct calls: leaving the tool out of spec_functions is not enough.
        if not self.allow_delete:
            raise errors.PermissionDeniedError(
                "deleting videos is disabled for this agent "
                "(enable: MemoriesToolSpec(allow_delete=True))"
            )

    def _format_transcript(self, video_no: str, track: str, transcript: Transcript) -> str:
        lines = [
            f"[{_hms(s.start_time)}] {s.text.strip()}"
            for s in transcript.segments
            if s.text.strip()
        ]
        if not lines:
            what = "speech" if track == "audio" else "visual captions"
            return (
                f"No {what} found for video {video_no}: it may have no audio track or may still "
                "be encoding (check video_status)."
            )
        return _clip(
            f"{track.capitalize()} transcript of video {video_no}:\n" + "\n".join(lines),
            self.max_chars,
        )


# ---------------------------------------------------------------------- formatting for the LLM
def _is_url(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "\n[... cut: text too long]"


def _error_text(exc: errors.MemoriesError) -> str:
    hint = {
        errors.NotFoundError: "Check the video_no with list_videos.",
        errors.InvalidRequestError: "Fix the arguments and try again.",
        errors.RateLimitError: "Too many requests: wait a moment before retrying.",
        errors.AuthenticationError: "The memories.ai API key is missing or invalid.",
        errors.PermissionDeniedError: "This action is not allowed.",
    }
    advice = next((h for cls, h in hint.items() if isinstance(exc, cls)), "")
    return f"Error: {exc.message}. {advice}".strip()


def _format_hits(query: str, hits: list[SearchHit], search_type: str) -> str:
    if not hits:
        return (
            f"No moments found for {query!r} ({search_type}). Nothing in the library matches, "
            "or the relevant video is still encoding (only status PARSE is searchable)."
        )
    lines = [f"Moments matching {query!r} ({search_type}), best first:"]
    for n, h in enumerate(hits, 1):
        score = f", score {h.score:.2f}" if h.score is not None else ""
        text = h.text.strip() or "(no text for this moment)"
        lines.append(
            f"{n}. {h.video_name or h.video_no!r} (video_no {h.video_no}) "
            f"{h.start_timestamp}-{h.end_timestamp}{score}: {text}"
        )
    return "\n".join(lines)


def _format_upload(video_no: str, name: str, meta: VideoMetadata, waited: float) -> str:
    head = f"Uploaded {name!r} as video_no {video_no} (a video id, not a task id)."
    if meta.status is VideoStatus.PARSE:
        return f"{head} Encoding finished (PARSE): it is searchable now."
    if meta.status is VideoStatus.PARSE_ERROR:
        return f"{head} Encoding FAILED (PARSE_ERROR): {meta.cause or 'no reason given'}."
    return (
        f"{head} Still encoding after {waited:.0f}s (status {meta.status.value}): it is not "
        "searchable yet. Check later with video_status; do not upload it again."
    )


def _format_status(meta: VideoMetadata) -> str:
    meaning = {
        VideoStatus.PARSE: "ready and searchable",
        VideoStatus.UNPARSE: "still encoding, not searchable yet",
        VideoStatus.PARSE_ERROR: f"encoding failed: {meta.cause or 'no reason given'}",
    }.get(meta.status, "unknown status")
    parts = [
        f"Video {meta.video_no} ({meta.video_name or 'unnamed'!r}): {meta.status.value}, {meaning}."
    ]
    if meta.duration is not None:
        parts.append(f"Duration {_hms(meta.duration)}.")
    if meta.tags:
        parts.append(f"Tags: {', '.join(meta.tags)}.")
    return " ".join(parts)


def _format_page(page: VideoPage) -> str:
    if not page.videos:
        return "No videos found." if page.current_page == 1 else "No more videos on this page."
    lines = [f"Videos (page {page.current_page}, {page.total_count} in total):"]
    for v in page.videos:
        duration = f", {_hms(v.duration)}" if v.duration is not None else ""
        lines.append(
            f"- {v.video_name or 'unnamed'!r}: video_no {v.video_no}, {v.status.value}{duration}"
        )
    if page.has_more:
        lines.append(f"More videos on page {page.current_page + 1}.")
    return "\n".join(lines)


def _format_summary(video_no: str, summary: Summary) -> str:
    parts = [f"Summary of video {video_no}:"]
    if summary.text.strip():
        parts.append(summary.text.strip())
    for item in summary.items:
        end = f"-{_hms(item.end_time)}" if item.end_time is not None else ""
        title = f"{item.title}: " if item.title else ""
        parts.append(f"[{_hms(item.start_time)}{end}] {title}{item.description}".rstrip())
    if len(parts) == 1:
        return f"No summary available for video {video_no} (it may still be encoding)."
    return "\n".join(parts)


def _format_chat(answer: ChatResponse) -> str:
    parts = [answer.content.strip() or "(the assistant gave no answer)"]
    cited = [
        f"- video_no {m.video_no} at {m.start_timestamp}"
        + (f"-{m.end_timestamp}" if m.end_time is not None else "")
        + (f": {m.text}" if m.text else "")
        for m in answer.moments
        if m.type != "keyframe"
    ]
    if cited:
        parts.append("Cited moments:\n" + "\n".join(cited))
    if answer.session_id:
        parts.append(f"session_id for follow-ups: {answer.session_id}")
    return "\n\n".join(parts)


__all__ = ["MemoriesToolSpec"]
