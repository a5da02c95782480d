"""Uploads (file, URL, images) and platform imports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import httpx

from memories_integrations._client._async.waiting import AsyncWaitMethods
from memories_integrations._endpoints import imports as imports_api
from memories_integrations._endpoints import videos as videos_api
from memories_integrations._endpoints.validation import UploadSource
from memories_integrations._lifecycle.plan import DEFAULT_WAIT_TIMEOUT, ProgressHook, wait_deadline
from memories_integrations._transport.base import ProgressCallback

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations._lifecycle.receiver import CallbackReceiver
    from memories_integrations.models import (
        ImageUploadResult,
        TaskCreated,
        TaskStatus,
        UploadResult,
    )


class AsyncUploadMethods(AsyncWaitMethods):
    """Uploads (file, URL, images) and platform imports."""

    async def upload(
        self,
        file: UploadSource,
        *,
        unique_id: str | None = None,
        callback: str | None = None,
        tags: Sequence[str] | None = None,
        datetime_taken: str | None = None,
        camera_model: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        retain_original_video: bool | None = None,
        video_transcription_prompt: str | None = None,
        progress: ProgressCallback | None = None,
        timeout: float | httpx.Timeout | None = None,
        wait: bool = False,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        via: CallbackReceiver | None = None,
        wait_progress: ProgressHook | None = None,
    ) -> UploadResult:
        """Upload a local video (streamed, never read whole). Encoding starts at once.

        ``file``: a path, or a binary file already open (``open(path, "rb")``): it is read from
        its start and left open; its ``name`` names the upload.

        ``wait=True`` returns once the video is PARSE: ``wait_timeout`` covers the upload and
        the polling (see ``wait_for_ready``). ``via``: a CallbackReceiver; a callback URL with a
        fresh token is added when ``callback`` is not given, and waiting completes on it.
        """
        deadline = wait_deadline(wait_timeout) if wait else None
        if via is not None and callback is None:
            callback = via.callback_url()
        meta = self._metadata(
            videos_api.UPLOAD.path,
            tags=tags,
            datetime_taken=datetime_taken,
            camera_model=camera_model,
            latitude=latitude,
            longitude=longitude,
        )
        call = videos_api.upload(
            file,
            unique_id=self._ns(unique_id),
            callback=callback,
            metadata=meta,
            retain_original_video=retain_original_video,
            video_transcription_prompt=video_transcription_prompt,
        )
        result = await self._send(call, timeout=timeout, progress=progress)
        self._changed(unique_id)
        if via is not None and callback is not None:  # its token now accepts only this video
            via.bind_issued(callback, video_no=result.video_no)
        return await self._after_upload(result, deadline, via, wait_progress, unique_id)

    async def upload_url(
        self,
        url: str,
        *,
        unique_id: str | None = None,
        callback: str | None = None,
        tags: Sequence[str] | None = None,
        datetime_taken: str | None = None,
        camera_model: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        retain_original_video: bool | None = None,
        video_transcription_prompt: str | None = None,
        wait: bool = False,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        via: CallbackReceiver | None = None,
        wait_progress: ProgressHook | None = None,
    ) -> UploadResult:
        """Index a video from a direct-download URL (m3u8 allowed). ``wait``/``via`` and the
        options (``retain_original_video``, ``video_transcription_prompt``): as for ``upload``."""
        deadline = wait_deadline(wait_timeout) if wait else None
        if via is not None and callback is None:
            callback = via.callback_url()
        meta = self._metadata(
            videos_api.UPLOAD_URL.path,
            tags=tags,
            datetime_taken=datetime_taken,
            camera_model=camera_model,
            latitude=latitude,
            longitude=longitude,
        )
        call = videos_api.upload_url(
            url,
            unique_id=self._ns(unique_id),
            callback=callback,
            metadata=meta,
            retain_original_video=retain_original_video,
            video_transcription_prompt=video_transcription_prompt,
        )
        result = await self._send(call)
        self._changed(unique_id)
        if via is not None and callback is not None:  # its token now accepts only this video
            via.bind_issued(callback, video_no=result.video_no)
        return await self._after_upload(result, deadline, via, wait_progress, unique_id)

    async def upload_images(
        self,
        files: Sequence[UploadSource],
        *,
        unique_id: str | None = None,
        tags: Sequence[str] | None = None,
        datetime_taken: str | None = None,
        camera_model: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
    ) -> list[ImageUploadResult]:
        """Upload images to the private image library (searchable with ``search_type=BY_IMAGE``)."""
        meta = self._metadata(
            videos_api.UPLOAD_IMG.path,
            tags=tags,
            datetime_taken=datetime_taken,
            camera_model=camera_model,
            latitude=latitude,
            longitude=longitude,
        )
        images: list[ImageUploadResult] = await self._send(
            videos_api.upload_images(files, unique_id=self._ns(unique_id), metadata=meta)
        )
        self._changed(unique_id)  # image searches of the namespace
        return images

    async def import_from_urls(
        self,
        urls: Sequence[str],
        *,
        unique_id: str | None = None,
        callback_url: str | None = None,
        quality: str | None = None,
        public: bool = False,
        tiktok_post_urls: Sequence[str] | None = None,
    ) -> TaskCreated:
        """Import up to 50 TikTok / YouTube / Instagram post URLs (one platform per call).

        ``tiktok_post_urls``: more TikTok posts, merged with ``urls`` by the server (the 50 cap
        counts both); ``urls`` may then be empty."""
        call = imports_api.import_urls(
            urls,
            unique_id=self._ns(unique_id),
            callback_url=callback_url,
            quality=quality,
            public=public,
            tiktok_post_urls=tiktok_post_urls,
        )
        task: TaskCreated = await self._send(call)
        self._changed(unique_id)
        return task

    async def import_from_creator(
        self,
        profile_url: str,
        *,
        count: int = 10,
        unique_id: str | None = None,
        callback_url: str | None = None,
        public: bool = False,
    ) -> TaskCreated:
        """Import the latest ``count`` videos of a creator profile."""
        call = imports_api.import_creator(
            profile_url,
            count=count,
            unique_id=self._ns(unique_id),
            callback_url=callback_url,
            public=public,
        )
        task: TaskCreated = await self._send(call)
        self._changed(unique_id)
        return task

    async def import_from_hashtags(
        self,
        hash_tags: Sequence[str],
        *,
        count: int = 10,
        unique_id: str | None = None,
        callback_url: str | None = None,
        public: bool = False,
    ) -> TaskCreated:
        """Import recent posts for hashtags (TikTok)."""
        call = imports_api.import_hashtags(
            hash_tags,
            count=count,
            unique_id=self._ns(unique_id),
            callback_url=callback_url,
            public=public,
        )
        task: TaskCreated = await self._send(call)
        self._changed(unique_id)
        return task

    async def get_task_status(self, task_id: str, *, unique_id: str | None = None) -> TaskStatus:
        """Videos produced by a platform import task (``video_ids`` empty = still downloading)."""
        return await self._send(imports_api.task_status(task_id, unique_id=self._ns(unique_id)))
