"""The asynchronous client: the twin of ``_client.py``, same methods, awaited."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from . import errors as e
from ._api import auth as auth_api
from ._api import chat as chat_api
from ._api import imports as imports_api
from ._api import library as library_api
from ._api import search as search_api
from ._api import videos as videos_api
from ._api._core import Call
from ._base_client import (
    BaseClient,
    CoalescedStream,
    ProgressCallback,
    open_files,
    shared_ssl_context,
)
from ._callback_receiver import CallbackReceiver
from ._lifecycle import (
    DEFAULT_INITIAL_INTERVAL,
    DEFAULT_MAX_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    Deadline,
    ProgressHook,
    WaitPlan,
)
from ._response import unwrap
from ._streaming import ChatAggregator, StreamEnd, incomplete, parse_line
from .models import (
    ChatEvent,
    ChatResponse,
    ClipMatch,
    ImageUploadResult,
    SearchHit,
    SessionDetail,
    SessionPage,
    Summary,
    TaskCreated,
    TaskStatus,
    Transcript,
    TranscriptSearchPage,
    UploadResult,
    Video,
    VideoMetadata,
    VideoPage,
)
from .models.auth import AccessToken

if TYPE_CHECKING:
    from ._client import MemoriesClient

T = TypeVar("T")
PathLike = str | os.PathLike[str]


class AsyncMemoriesClient(BaseClient):
    """Asynchronous memories.ai client (native asyncio, no threads).

    >>> async with AsyncMemoriesClient() as client:
    ...     hits = await client.search("a goal is scored", top_k=5)
    """

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            auth=self._auth,
            headers=self._headers,
            timeout=self.timeout,
            verify=shared_ssl_context(),
        )
        if http_client is not None:
            self._http.auth = self._auth
            self._http.headers.update(self._headers)

    def to_sync(self) -> MemoriesClient:
        """A sync client with the same credentials, settings and rate limiter."""
        from ._client import MemoriesClient

        return MemoriesClient(**self._twin_settings())

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncMemoriesClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ sending
    async def _send(
        self,
        call: Call[T],
        *,
        timeout: float | httpx.Timeout | None = None,
        progress: ProgressCallback | None = None,
    ) -> T:
        attempt = 0
        while True:
            if (wait := self._limiter_delay(call)) > 0:  # sleep(0) still yields the CPU
                await asyncio.sleep(wait)
            started = self._now()
            try:
                with open_files(call.files, progress) as files:
                    request = self._http.build_request(
                        call.endpoint.method,
                        self._url(call),
                        **self._request_kwargs(call, files, timeout),
                    )
                    if files:
                        request.stream = CoalescedStream(request.stream)
                    response = await self._http.send(request, auth=self._auth_for(call))
                    try:
                        body = await response.aread()
                    finally:
                        await response.aclose()
                return self._finish(call, response, body)
            except httpx.TransportError as exc:
                delay = self._retry_delay(call, exc, attempt)
                if delay is None:
                    raise self._transport_error(call, exc, started) from exc
            except e.MemoriesError as exc:
                delay = self._retry_delay(call, exc, attempt)
                if delay is None:
                    raise
            await asyncio.sleep(delay)
            attempt += 1

    async def _open_stream(self, call: Call[Any]) -> httpx.Response:
        """Send a streaming request; retries happen only before any event was read."""
        attempt = 0
        while True:
            if (wait := self._limiter_delay(call)) > 0:  # sleep(0) still yields the CPU
                await asyncio.sleep(wait)
            started = self._now()
            try:
                request = self._http.build_request(
                    call.endpoint.method, self._url(call), **self._request_kwargs(call, [], None)
                )
                response = await self._http.send(request, stream=True, auth=self._auth_for(call))
                content_type = response.headers.get("content-type", "")
                if response.status_code == 200 and "json" not in content_type:
                    return response
                try:
                    body = await response.aread()
                finally:
                    await response.aclose()
                unwrap(response, body, endpoint=call.endpoint.path)
                raise e.ResponseParseError("expected a stream", endpoint=call.endpoint.path)
            except httpx.TransportError as exc:
                delay = self._retry_delay(call, exc, attempt)
                if delay is None:
                    raise self._transport_error(call, exc, started) from exc
            except e.MemoriesError as exc:
                delay = self._retry_delay(call, exc, attempt)
                if delay is None:
                    raise
            await asyncio.sleep(delay)
            attempt += 1

    # ------------------------------------------------------------------ upload
    async def upload(
        self,
        file: PathLike,
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

        ``wait=True`` returns once the video is PARSE: ``wait_timeout`` covers the upload and
        the polling (see ``wait_for_ready``). ``via``: a CallbackReceiver; a callback URL with a
        fresh token is added when ``callback`` is not given, and waiting completes on it.
        """
        deadline = Deadline(wait_timeout) if wait else None
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
        wait: bool = False,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        via: CallbackReceiver | None = None,
        wait_progress: ProgressHook | None = None,
    ) -> UploadResult:
        """Index a video from a direct-download URL (m3u8 allowed). ``wait``/``via``: as
        for ``upload``."""
        deadline = Deadline(wait_timeout) if wait else None
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
            url, unique_id=self._ns(unique_id), callback=callback, metadata=meta
        )
        result = await self._send(call)
        return await self._after_upload(result, deadline, via, wait_progress, unique_id)

    async def upload_images(
        self,
        files: Sequence[PathLike],
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
        return await self._send(
            videos_api.upload_images(files, unique_id=self._ns(unique_id), metadata=meta)
        )

    async def import_from_urls(
        self,
        urls: Sequence[str],
        *,
        unique_id: str | None = None,
        callback_url: str | None = None,
        quality: str | None = None,
        public: bool = False,
    ) -> TaskCreated:
        """Import up to 50 TikTok / YouTube / Instagram post URLs (one platform per call)."""
        call = imports_api.import_urls(
            urls,
            unique_id=self._ns(unique_id),
            callback_url=callback_url,
            quality=quality,
            public=public,
        )
        return await self._send(call)

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
        return await self._send(call)

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
        return await self._send(call)

    async def get_task_status(self, task_id: str, *, unique_id: str | None = None) -> TaskStatus:
        """Videos produced by a platform import task (``video_ids`` empty = still downloading)."""
        return await self._send(imports_api.task_status(task_id, unique_id=self._ns(unique_id)))

    # ------------------------------------------------------------------ waiting
    @overload
    async def wait_for_ready(
        self,
        video_no: str,
        *,
        task_id: None = None,
        timeout: float | None = ...,
        initial_interval: float = ...,
        max_interval: float = ...,
        on_progress: ProgressHook | None = ...,
        via: CallbackReceiver | None = ...,
        unique_id: str | None = ...,
    ) -> VideoMetadata: ...

    @overload
    async def wait_for_ready(
        self,
        video_no: None = None,
        *,
        task_id: str,
        timeout: float | None = ...,
        initial_interval: float = ...,
        max_interval: float = ...,
        on_progress: ProgressHook | None = ...,
        via: CallbackReceiver | None = ...,
        unique_id: str | None = ...,
    ) -> TaskStatus: ...

    async def wait_for_ready(
        self,
        video_no: str | None = None,
        *,
        task_id: str | None = None,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        initial_interval: float = DEFAULT_INITIAL_INTERVAL,
        max_interval: float = DEFAULT_MAX_INTERVAL,
        on_progress: ProgressHook | None = None,
        via: CallbackReceiver | None = None,
        unique_id: str | None = None,
    ) -> VideoMetadata | TaskStatus:
        """Wait until a video (``video_no``) or every video of a platform task (``task_id``)
        is PARSE; returns its metadata (or the task status).

        Polls ``get_metadata`` with back-off from ``initial_interval`` to ``max_interval``
        seconds. ``via``: a CallbackReceiver whose callbacks end each pause early (polling
        remains the fallback). Raises ProcessingError on a failed encoding and, after
        ``timeout`` seconds, WaitTimeoutError carrying the id to resume with.
        """
        plan = WaitPlan.create(
            video_no,
            task_id,
            timeout=timeout,
            initial_interval=initial_interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )
        return await self._wait(plan, via, unique_id)

    async def _after_upload(
        self,
        result: UploadResult,
        deadline: Deadline | None,
        via: CallbackReceiver | None,
        on_progress: ProgressHook | None,
        unique_id: str | None,
    ) -> UploadResult:
        if deadline is None:
            return result
        # The upload already spent part of the deadline; the wait gets what is left.
        plan = WaitPlan.create(
            result.video_no,
            None,
            timeout=None,
            initial_interval=DEFAULT_INITIAL_INTERVAL,
            max_interval=DEFAULT_MAX_INTERVAL,
            on_progress=on_progress,
            deadline=deadline,
        )
        plan.uploaded(result.status)
        meta = await self._wait(plan, via, unique_id)
        if not isinstance(meta, VideoMetadata):  # pragma: no cover - video plans return metadata
            raise TypeError("expected video metadata")
        return result.model_copy(update={"status": meta.status})

    async def _wait(
        self, plan: WaitPlan, via: CallbackReceiver | None, unique_id: str | None
    ) -> VideoMetadata | TaskStatus:
        sub = via.subscribe(video_no=plan.video_no, task_id=plan.task_id) if via else None
        try:
            while True:
                result = await self._check(plan, unique_id)
                if result is not None:
                    return result
                delay = plan.next_delay()
                if sub is None:
                    await asyncio.sleep(delay)
                    continue
                # A callback only ends the pause early: the next poll confirms it, so a
                # forged or stale callback can never complete a wait on its own.
                for event in await sub.wait_async(delay):
                    plan.callback_received(event.status)
        finally:
            if sub is not None:
                sub.close()

    async def _check(
        self, plan: WaitPlan, unique_id: str | None
    ) -> VideoMetadata | TaskStatus | None:
        timeout = plan.request_timeout(self.timeout)
        ns = self._ns(unique_id)
        try:
            if plan.video_no is not None:
                call = videos_api.get_metadata(plan.video_no, unique_id=ns)
                meta = await self._send(call, timeout=timeout)
                return meta if plan.observe_video(meta) else None
            task_call = imports_api.task_status(plan.task_id or "", unique_id=ns)
            task = await self._send(task_call, timeout=timeout)
        except e.MemoriesError as exc:
            plan.poll_failed(exc)
            return None
        return task if plan.observe_task(task) else None

    # ------------------------------------------------------------------ search
    async def search(
        self,
        query: str,
        *,
        search_type: str = "BY_CLIP",
        top_k: int | None = None,
        filtering_level: str | None = None,
        video_nos: Sequence[str] | None = None,
        tag: str | None = None,
        camera_tag: str | None = None,
        datetime_taken: str | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        unique_id: str | None = None,
    ) -> list[SearchHit]:
        """Semantic search of the private library: ranked, timestamped moments."""
        call = search_api.search(
            query,
            unique_id=self._ns(unique_id),
            search_type=search_type,
            top_k=top_k,
            filtering_level=filtering_level,
            video_nos=video_nos,
            tag=tag,
            camera_tag=camera_tag,
            datetime_taken=datetime_taken,
            latitude=latitude,
            longitude=longitude,
            english_only=self.english_only,
        )
        return await self._send(call)

    async def search_public(
        self,
        query: str,
        *,
        platform: str = "TIKTOK",
        search_type: str = "BY_VIDEO",
        top_k: int | None = None,
        filtering_level: str | None = None,
    ) -> list[SearchHit]:
        """Search the public social-media library."""
        call = search_api.search_public(
            query,
            platform=platform,
            search_type=search_type,
            top_k=top_k,
            filtering_level=filtering_level,
            english_only=self.english_only,
        )
        return await self._send(call)

    async def search_transcripts(
        self,
        query: str,
        *,
        page: int = 1,
        page_size: int = 100,
        unique_id: str | None = None,
        public: bool = False,
    ) -> TranscriptSearchPage:
        """Exact-phrase search of spoken words (LIKE matching, not semantic)."""
        call = search_api.search_transcripts(
            query, unique_id=self._ns(unique_id), page=page, page_size=page_size, public=public
        )
        return await self._send(call)

    async def search_by_image(
        self,
        image: PathLike,
        *,
        similarity: float | None = None,
        platform: str | None = None,
        unique_id: str | None = None,
    ) -> list[SearchHit]:
        """Frames similar to ``image`` in the private library (or a public ``platform``)."""
        call = search_api.search_by_image(
            image, unique_id=self._ns(unique_id), similarity=similarity, platform=platform
        )
        return await self._send(call)

    async def search_video_by_image(
        self,
        image: PathLike,
        video_no: str,
        *,
        prompt: str | None = None,
        unique_id: str | None = None,
    ) -> list[ClipMatch]:
        """Clips of one video similar to ``image``, refined by an optional prompt."""
        call = search_api.search_video_by_image(
            image, video_no=video_no, prompt=prompt, unique_id=self._ns(unique_id)
        )
        return await self._send(call)

    # ------------------------------------------------------------------ chat
    def chat_stream(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
    ) -> AsyncIterator[ChatEvent]:
        """Stream thinking, reference and content events of a chat about ``video_nos``."""
        call = chat_api.chat(
            video_nos,
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
        )
        return self._events(call)

    async def _events(self, call: Call[Any]) -> AsyncIterator[ChatEvent]:
        path = call.endpoint.path
        response = await self._open_stream(call)
        try:
            async for line in response.aiter_lines():
                event = parse_line(line, endpoint=path)
                if event is not None:
                    yield event
        except StreamEnd:
            return
        except httpx.TransportError as exc:
            raise self._stream_error(exc, path) from exc
        finally:
            await response.aclose()
        raise incomplete(path)

    async def chat(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
    ) -> ChatResponse:
        """Chat about videos and return the whole answer with its references."""
        acc = ChatAggregator()
        async for event in self.chat_stream(
            video_nos, prompt, session_id=session_id, unique_id=unique_id
        ):
            acc.add(event)
        return acc.result()

    async def list_sessions(self, *, page: int = 1, unique_id: str | None = None) -> SessionPage:
        return await self._send(library_api.list_sessions(page=page, unique_id=self._ns(unique_id)))

    async def get_session_detail(
        self, session_id: str | int, *, unique_id: str | None = None
    ) -> SessionDetail:
        return await self._send(
            library_api.get_session_detail(session_id, unique_id=self._ns(unique_id))
        )

    # ------------------------------------------------------------------ library
    async def list_videos(
        self,
        *,
        page: int = 1,
        size: int = 20,
        video_name: str | None = None,
        video_no: str | None = None,
        status: str | None = None,
        unique_id: str | None = None,
        **filters: Any,
    ) -> VideoPage:
        """One page of the library; ``filters`` are the current docs' extra body filters
        (video_nos, tag, camera_model, datetime_taken, latitude, longitude)."""
        call = videos_api.list_videos(
            unique_id=self._ns(unique_id),
            page=page,
            size=size,
            video_name=video_name,
            video_no=video_no,
            status=status,
            filters=filters,
        )
        return await self._send(call)

    async def iter_videos(self, *, size: int = 100, **kwargs: Any) -> AsyncIterator[Video]:
        """Every video of the namespace, page by page."""
        page = 1
        while True:
            result = await self.list_videos(page=page, size=size, **kwargs)
            for video in result.videos:
                yield video
            if not result.videos or not result.has_more:
                return
            page += 1

    async def get_metadata(self, video_no: str, *, unique_id: str | None = None) -> VideoMetadata:
        """Status and capture metadata of one video (the current way to poll encoding)."""
        return await self._send(videos_api.get_metadata(video_no, unique_id=self._ns(unique_id)))

    async def get_video_transcription(
        self, video_no: str, *, unique_id: str | None = None
    ) -> Transcript:
        """Visual transcription (scene descriptions) of a video."""
        call = library_api.transcript(
            library_api.GET_VIDEO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return await self._send(call)

    async def get_video_caption(self, video_no: str, *, unique_id: str | None = None) -> Transcript:
        """Visual caption track (current docs' name for the visual transcription)."""
        call = library_api.transcript(
            library_api.GET_VIDEO_CAPTION, video_no, unique_id=self._ns(unique_id)
        )
        return await self._send(call)

    async def get_audio_transcription(
        self, video_no: str, *, unique_id: str | None = None
    ) -> Transcript:
        """Speech-to-text of the audio track; empty when the video has no audio."""
        call = library_api.transcript(
            library_api.GET_AUDIO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return await self._send(call)

    async def generate_summary(
        self, video_no: str, *, summary_type: str = "CHAPTER", unique_id: str | None = None
    ) -> Summary:
        """Chapter (scene) or topic summary of a video."""
        call = library_api.generate_summary(
            video_no, summary_type=summary_type, unique_id=self._ns(unique_id)
        )
        return await self._send(call)

    async def delete_videos(
        self, video_nos: Sequence[str], *, unique_id: str | None = None
    ) -> None:
        """Delete videos. Deleting one twice raises ConflictError (code 0409)."""
        await self._send(videos_api.delete_videos(video_nos, unique_id=self._ns(unique_id)))

    async def download(self, bucket: str, blob: str, dest: PathLike) -> Path:
        """Stream a stored video or keyframe (``*_bucket``/``*_blob`` of a hit) to ``dest``."""
        call = videos_api.download(bucket, blob)
        target = Path(dest)
        response = await self._open_stream(call)
        try:
            with open(target, "wb") as fh:  # noqa: ASYNC230 - chunked local writes
                async for chunk in response.aiter_bytes():
                    fh.write(chunk)
        finally:
            await response.aclose()
        return target

    # ------------------------------------------------------------------ OAuth2
    async def get_access_token(self, code: str, client_id: str) -> AccessToken:
        """Exchange an authorization code for tokens (v1.0 getAccessToken)."""
        return await self._send(auth_api.get_access_token(code, client_id))

    async def refresh_access_token(self, refresh_token: str) -> AccessToken:
        """New access token from a refresh token (v1.0 refreshAccessToken)."""
        return await self._send(auth_api.refresh_access_token(refresh_token))
