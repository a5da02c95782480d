"""Library tools: upload, status, list and delete videos."""

from __future__ import annotations

import asyncio
import inspect
import time
from typing import Any, Literal

from langchain_core.tools import ToolException
from pydantic import BaseModel, Field, model_validator
from typing_extensions import Self

from ... import errors as e
from ..._async_client import AsyncMemoriesClient
from ..._client import MemoriesClient
from ...models import UploadResult, VideoMetadata, VideoPage, VideoStatus
from ._base import MemoriesBaseTool

__all__ = [
    "MemoriesDeleteVideosTool",
    "MemoriesListVideosTool",
    "MemoriesUploadTool",
    "MemoriesVideoStatusTool",
]

_VIDEO_NO = "The video number, like 'VI...' (from upload, search or memories_list_videos)."


def describe_status(meta: VideoMetadata | UploadResult) -> str:
    name = f" ({meta.video_name})" if meta.video_name else ""
    head = f"{meta.video_no}{name}: status {meta.status.value}"
    if meta.status is VideoStatus.PARSE:
        return f"{head}. Encoded: it can be searched, chatted with and transcribed."
    if meta.status is VideoStatus.PARSE_ERROR:
        cause = getattr(meta, "cause", None)
        return f"{head}. Encoding failed{': ' + cause if cause else ''}; it is not searchable."
    return f"{head}. Still encoding: not searchable yet; check the status again later."


# ---------------------------------------------------------------------------------- upload
class MemoriesUploadInput(BaseModel):
    file_path: str | None = Field(
        default=None, description="Path of a local video file (.mp4, .mov, .mkv, .avi)."
    )
    url: str | None = Field(
        default=None, description="Direct download URL of a video (http/https, m3u8 allowed)."
    )
    tags: list[str] | None = Field(default=None, description="Tags to filter searches by later.")
    wait: bool = Field(
        default=False,
        description="Wait until encoding finishes (status PARSE) before returning, up to "
        "max_wait_seconds. Without waiting, check memories_video_status before searching.",
    )
    max_wait_seconds: float | None = Field(
        default=None, gt=0, description="Longest time to wait when wait is true (seconds)."
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.file_path is None) == (self.url is None):
            raise ValueError("give exactly one of file_path or url")
        return self


class MemoriesUploadTool(MemoriesBaseTool):
    """Upload a local file or a URL; optionally wait (bounded) until it is encoded."""

    name: str = "memories_upload_video"
    description: str = (
        "Upload a video to the user's memories.ai library from a local file_path or a url. "
        "Returns the new video_no (use it with the other tools; it is not a task id). "
        "A video is searchable only after encoding finishes (status PARSE): pass wait=true to "
        "wait for that, or check memories_video_status later."
    )
    args_schema: type[BaseModel] = MemoriesUploadInput
    max_wait_seconds: float = Field(default=300.0, gt=0)
    """Upper bound on any wait, whatever the model asks for."""
    poll_interval: float = Field(default=2.0, gt=0)
    """Seconds before the first status check while waiting (the client's wait_for_ready
    backs off from there; the fallback poll keeps this interval)."""

    def _bound(self, requested: float | None) -> float:
        return min(requested or self.max_wait_seconds, self.max_wait_seconds)

    def _report(self, uploaded: UploadResult, final: VideoMetadata | None, waited: bool) -> str:
        if final is None:
            return f"Uploaded. {describe_status(uploaded)}"
        if final.status is VideoStatus.PARSE_ERROR:
            raise ToolException(f"Uploaded, but {describe_status(final)}")
        text = f"Uploaded. {describe_status(final)}"
        if waited and final.status is not VideoStatus.PARSE:
            text += " (Stopped waiting: the wait limit was reached.)"
        return text

    def _call(  # type: ignore[override]
        self,
        client: MemoriesClient,
        *,
        file_path: str | None = None,
        url: str | None = None,
        tags: list[str] | None = None,
        wait: bool = False,
        max_wait_seconds: float | None = None,
    ) -> str:
        ns = self.unique_id
        if file_path is not None:
            uploaded = client.upload(file_path, tags=tags, unique_id=ns)
        else:
            uploaded = client.upload_url(str(url), tags=tags, unique_id=ns)
        final = None
        if wait:
            final = self._wait(client, uploaded.video_no, self._bound(max_wait_seconds))
        return self._report(uploaded, final, wait)

    async def _acall(  # type: ignore[override]
        self,
        client: AsyncMemoriesClient,
        *,
        file_path: str | None = None,
        url: str | None = None,
        tags: list[str] | None = None,
        wait: bool = False,
        max_wait_seconds: float | None = None,
    ) -> str:
        ns = self.unique_id
        if file_path is not None:
            uploaded = await client.upload(file_path, tags=tags, unique_id=ns)
        else:
            uploaded = await client.upload_url(str(url), tags=tags, unique_id=ns)
        final = None
        if wait:
            final = await self._await(client, uploaded.video_no, self._bound(max_wait_seconds))
        return self._report(uploaded, final, wait)

    # The core's wait_for_ready (with back-off and callbacks) is used when the client has it;
    # otherwise a plain bounded poll of get_metadata.
    def _waiter_kwargs(self, waiter: Any, timeout: float) -> dict[str, Any]:
        wanted = {
            "timeout": timeout,
            "unique_id": self.unique_id,
            "initial_interval": self.poll_interval,
        }
        params = inspect.signature(waiter).parameters
        return {k: v for k, v in wanted.items() if k in params}

    def _wait(self, client: MemoriesClient, video_no: str, timeout: float) -> VideoMetadata:
        waiter = getattr(client, "wait_for_ready", None)
        if callable(waiter):
            try:
                result = waiter(video_no, **self._waiter_kwargs(waiter, timeout))
                if isinstance(result, VideoMetadata):
                    return result
            except (e.WaitTimeoutError, e.ProcessingError):
                pass  # the status read below says which
            return client.get_metadata(video_no, unique_id=self.unique_id)
        deadline = time.monotonic() + timeout
        while True:
            meta = client.get_metadata(video_no, unique_id=self.unique_id)
            left = deadline - time.monotonic()
            if meta.status in (VideoStatus.PARSE, VideoStatus.PARSE_ERROR) or left <= 0:
                return meta
            time.sleep(min(self.poll_interval, left))

    async def _await(
        self, client: AsyncMemoriesClient, video_no: str, timeout: float
    ) -> VideoMetadata:
        waiter = getattr(client, "wait_for_ready", None)
        if callable(waiter):
            try:
                result = await waiter(video_no, **self._waiter_kwargs(waiter, timeout))
                if isinstance(result, VideoMetadata):
                    return result
            except (e.WaitTimeoutError, e.ProcessingError):
                pass
            return await client.get_metadata(video_no, unique_id=self.unique_id)
        deadline = time.monotonic() + timeout
        while True:
            meta = await client.get_metadata(video_no, unique_id=self.unique_id)
            left = deadline - time.monotonic()
            if meta.status in (VideoStatus.PARSE, VideoStatus.PARSE_ERROR) or left <= 0:
                return meta
            await asyncio.sleep(min(self.poll_interval, left))


# ---------------------------------------------------------------------------------- status
class MemoriesVideoStatusInput(BaseModel):
    video_no: str = Field(description=_VIDEO_NO)


class MemoriesVideoStatusTool(MemoriesBaseTool):
    name: str = "memories_video_status"
    description: str = (
        "Get the encoding status and metadata of one video by video_no. Status PARSE means "
        "ready to search and chat; UNPARSE means still encoding (check again later); "
        "PARSE_ERROR means it failed."
    )
    args_schema: type[BaseModel] = MemoriesVideoStatusInput

    @staticmethod
    def _present(meta: VideoMetadata) -> str:
        extra = []
        if meta.duration is not None:
            extra.append(f"duration {meta.duration:g} s")
        if meta.tags:
            extra.append("tags " + ", ".join(meta.tags))
        return describe_status(meta) + (f" ({'; '.join(extra)})" if extra else "")

    def _call(self, client: MemoriesClient, *, video_no: str) -> str:  # type: ignore[override]
        return self._present(client.get_metadata(video_no, unique_id=self.unique_id))

    async def _acall(  # type: ignore[override]
        self, client: AsyncMemoriesClient, *, video_no: str
    ) -> str:
        return self._present(await client.get_metadata(video_no, unique_id=self.unique_id))


# ---------------------------------------------------------------------------------- list
class MemoriesListVideosInput(BaseModel):
    page: int = Field(default=1, ge=1, description="Page number, from 1.")
    size: int = Field(default=20, ge=1, le=100, description="Videos per page (1-100).")
    status: Literal["UNPARSE", "PARSE", "PARSE_ERROR"] | None = Field(
        default=None, description="Only videos with this status (PARSE = searchable)."
    )
    video_name: str | None = Field(default=None, description="Only videos with this name.")


class MemoriesListVideosTool(MemoriesBaseTool):
    name: str = "memories_list_videos"
    description: str = (
        "List the videos in the user's memories.ai library, one per line: video_no, name, "
        "status, duration. Use it to find video numbers for the other tools."
    )
    args_schema: type[BaseModel] = MemoriesListVideosInput

    def _present(self, page: VideoPage) -> str:
        if not page.videos:
            return "No videos found (the library is empty, or no video matches the filter)."
        lines = [
            f"{v.video_no} | {v.video_name or '(unnamed)'} | {v.status.value}"
            + (f" | {v.duration:g} s" if v.duration is not None else "")
            for v in page.videos
        ]
        footer = f"Page {page.current_page}, {page.total_count} videos in total."
        if page.has_more:
            footer += f" More: call again with page={page.current_page + 1}."
        return self._cut("\n".join([*lines, footer]))

    def _call(self, client: MemoriesClient, **kwargs: Any) -> str:
        return self._present(client.list_videos(unique_id=self.unique_id, **kwargs))

    async def _acall(self, client: AsyncMemoriesClient, **kwargs: Any) -> str:
        return self._present(await client.list_videos(unique_id=self.unique_id, **kwargs))


# ---------------------------------------------------------------------------------- delete
class MemoriesDeleteVideosInput(BaseModel):
    video_nos: list[str] = Field(
        min_length=1, max_length=100, description="Video numbers to delete permanently."
    )


class MemoriesDeleteVideosTool(MemoriesBaseTool):
    name: str = "memories_delete_videos"
    description: str = (
        "Permanently delete videos from the user's memories.ai library. Destructive and "
        "irreversible: only use it when the user explicitly asked to delete these videos."
    )
    args_schema: type[BaseModel] = MemoriesDeleteVideosInput

    def _call(  # type: ignore[override]
        self, client: MemoriesClient, *, video_nos: list[str]
    ) -> str:
        client.delete_videos(video_nos, unique_id=self.unique_id)
        return f"Deleted {len(video_nos)} video(s): {', '.join(video_nos)}."

    async def _acall(  # type: ignore[override]
        self, client: AsyncMemoriesClient, *, video_nos: list[str]
    ) -> str:
        await client.delete_videos(video_nos, unique_id=self.unique_id)
        return f"Deleted {len(video_nos)} video(s): {', '.join(video_nos)}."
