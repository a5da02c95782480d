# Generated from _client/_async/library.py by scripts/unasync.py: edit that file, not this one.
"""The library: listing, metadata, transcripts, summaries, deletion, download."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from memories_integrations import errors as e
from memories_integrations._client._sync.resource import Resource
from memories_integrations._client.cache import MISS, call_key
from memories_integrations._endpoints import auth as auth_api
from memories_integrations._endpoints import library as library_api
from memories_integrations._endpoints import memories as memories_api
from memories_integrations._endpoints import public as public_api
from memories_integrations._endpoints import videos as videos_api
from memories_integrations._endpoints.base import Call
from memories_integrations._lifecycle import download as dl
from memories_integrations._transport._sync.body import Body
from memories_integrations._transport.base import PathLike
from memories_integrations._transport.flavors import HeaderDeadline
from memories_integrations._transport.limits import Deadline, size_cap
from memories_integrations._transport.raw import record

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations.models import (
        PublicVideoDetail,
        Summary,
        TextMemoryPage,
        Transcript,
        Video,
        VideoMetadata,
        VideoPage,
    )
    from memories_integrations.models.auth import AccessToken

T = TypeVar("T")


class LibraryMethods(Resource):
    """The library: listing, metadata, transcripts, summaries, deletion, download, OAuth2 tokens."""

    def list_videos(
        self,
        /,  # **filters may hold any name
        *,
        page: int = 1,
        size: int = 20,
        video_name: str | None = None,
        video_no: str | None = None,
        status: str | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
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
        return self._send(call, timeout=timeout)

    def iter_videos(self, /, *, size: int = 100, **kwargs: Any) -> Iterator[Video]:
        """Every video of the namespace, page by page."""
        page = 1
        while True:
            result = self.list_videos(page=page, size=size, **kwargs)
            for video in result.videos:
                yield video
            if not result.videos or not result.has_more:
                return
            page += 1

    def get_metadata(
        self,
        video_no: str,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> VideoMetadata:
        """Status and capture metadata of one video (the current way to poll encoding)."""
        call = videos_api.get_metadata(video_no, unique_id=self._ns(unique_id))
        ready = lambda meta: meta.status.is_ready  # noqa: E731 - only a ready video is final
        return self._kept(call, video_no, unique_id, timeout, keep=ready)

    def get_video_transcription(
        self,
        video_no: str,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Transcript:
        """Visual transcription (scene descriptions) of a video."""
        call = library_api.transcript(
            library_api.GET_VIDEO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._kept(call, video_no, unique_id, timeout)

    def get_video_caption(
        self,
        video_no: str,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Transcript:
        """Visual caption track (current docs' name for the visual transcription)."""
        call = library_api.transcript(
            library_api.GET_VIDEO_CAPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._kept(call, video_no, unique_id, timeout)

    def get_audio_transcription(
        self,
        video_no: str,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Transcript:
        """Speech-to-text of the audio track; empty when the video has no audio."""
        call = library_api.transcript(
            library_api.GET_AUDIO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._kept(call, video_no, unique_id, timeout)

    def get_public_video_detail(
        self, video_no: str, *, timeout: float | httpx.Timeout | None = None
    ) -> PublicVideoDetail:
        """Duration, status, name, URL and creator of a public-library video (``PI-...``)."""
        return self._send(public_api.public_video_detail(video_no), timeout=timeout)

    def get_public_video_transcription(
        self, video_no: str, *, timeout: float | httpx.Timeout | None = None
    ) -> Transcript:
        """Visual transcription of a public-library video."""
        call = public_api.public_transcript(public_api.GET_PUBLIC_VIDEO_TRANSCRIPTION, video_no)
        return self._send(call, timeout=timeout)

    def get_public_audio_transcription(
        self, video_no: str, *, timeout: float | httpx.Timeout | None = None
    ) -> Transcript:
        """Speech-to-text of a public-library video's audio track."""
        call = public_api.public_transcript(public_api.GET_PUBLIC_AUDIO_TRANSCRIPTION, video_no)
        return self._send(call, timeout=timeout)

    def add_memory(
        self,
        memories: Sequence[Mapping[str, str]],
        *,
        tags: Sequence[str] | None = None,
        latitude: float | None = None,
        longitude: float | None = None,
        memories_at: datetime.datetime | str | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> None:
        """Store text memories (``[{"role": "user", "content": ...}]``) in the namespace."""
        call = memories_api.add_memory(
            memories,
            unique_id=self._ns(unique_id),
            tags=tags,
            latitude=latitude,
            longitude=longitude,
            memories_at=memories_at,
        )
        self._send(call, timeout=timeout)

    def list_memories(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        filters: Mapping[str, Any] | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> TextMemoryPage:
        """One page of the namespace's text memories (no docs page: see TextMemoryPage)."""
        call = memories_api.list_memories(
            unique_id=self._ns(unique_id), page=page, page_size=page_size, filters=filters
        )
        return self._send(call, timeout=timeout)

    def search_memories(
        self,
        query: str,
        *,
        page: int = 1,
        page_size: int = 20,
        filters: Mapping[str, Any] | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> TextMemoryPage:
        """Text memories matching ``query``, best first, one page (no docs page)."""
        call = memories_api.search_memories(
            query, unique_id=self._ns(unique_id), page=page, page_size=page_size, filters=filters
        )
        return self._send(call, timeout=timeout)

    def generate_summary(
        self,
        video_no: str,
        *,
        summary_type: str = "CHAPTER",
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> Summary:
        """Chapter (scene) or topic summary of a video."""
        call = library_api.generate_summary(
            video_no, summary_type=summary_type, unique_id=self._ns(unique_id)
        )
        return self._kept(call, video_no, unique_id, timeout)

    def delete_videos(
        self, video_nos: Sequence[str], *, unique_id: str | None = None
    ) -> None:
        """Delete videos. Idempotent: numbers already deleted, unknown or in another namespace
        answer success too (the live API; older servers answered ConflictError, code 0409)."""
        self._send(videos_api.delete_videos(video_nos, unique_id=self._ns(unique_id)))
        self._changed(unique_id, video_nos)

    def _kept(
        self,
        call: Call[T],
        video_no: str,
        unique_id: str | None,
        timeout: float | httpx.Timeout | None,
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """Read through ``self.cache``: an answer ``keep`` accepts (default all) never changes."""
        key = call_key(call)
        if self.cache is not None and (hit := self.cache.get(key)) is not MISS:
            return hit  # type: ignore[no-any-return]
        result: T = self._send(call, timeout=timeout)
        if self.cache is not None and (keep is None or keep(result)):
            self.cache.put(key, result, namespace=self._ns(unique_id), video_no=video_no)
        return result

    def download(
        self,
        bucket: str,
        blob: str,
        dest: PathLike,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_bytes: int | None = None,
    ) -> Path:
        """Stream a stored video or keyframe (``*_bucket``/``*_blob`` of a hit, metadata or
        transcript) to ``dest``. See ``download_video`` for how ``dest`` is written and for
        ``timeout`` / ``max_bytes``."""
        call = videos_api.download(bucket, blob)
        target = dl.download_target(dest, endpoint=call.endpoint.path)
        return self._save(call, target, timeout, size_cap(max_bytes, "max_bytes"))

    def download_video(
        self,
        video_no: str,
        dest: PathLike,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_bytes: int | None = None,
    ) -> Path:
        """Stream the original file of ``video_no`` to ``dest`` (a file path; its folder must
        exist) and return it.

        The bytes go to a temporary file beside ``dest`` that replaces ``dest`` only when the
        download is complete (Content-Length checked when sent): on any failure an existing
        ``dest`` is untouched. A JSON error answer raises its typed error; an HTML page or a
        broken stream raises a MemoriesError too, never saving anything.

        ``timeout`` bounds the whole download like any call's (default: the client's, 60 s):
        pass a longer one for a large video. The wait for a download rate-limit slot comes
        before it (bounded by the client's ``rate_limit_wait``). ``max_bytes``: stop and raise
        ``ResponseTooLargeError`` as soon as the file is larger (default: no cap).
        """
        call = videos_api.download_video(video_no, unique_id=self._ns(unique_id))
        target = dl.download_target(dest, endpoint=call.endpoint.path)
        return self._save(call, target, timeout, size_cap(max_bytes, "max_bytes"))

    def list_unique_ids(self, *, timeout: float | httpx.Timeout | None = None) -> list[str]:
        """Every namespace (``unique_id``) of the account, ``default`` included once used."""
        return self._send(videos_api.list_unique_ids(), timeout=timeout)

    def _save(
        self,
        call: Call[Any],
        target: Path,
        timeout: float | httpx.Timeout | None,
        max_bytes: int | None,
    ) -> Path:
        """Send a download under the rules of every call (rate-limit wait, then the deadline);
        retried like other calls until the file starts to arrive."""
        deadline = self._transport._deadline(call, timeout)
        # Errors of a started body are typed already and not retryable (_save_once).
        return self._transport._attempts(
            call,
            deadline,
            lambda: self._save_once(call, target, timeout, deadline, max_bytes),
            "download",
        )

    def _save_once(
        self,
        call: Call[Any],
        target: Path,
        timeout: float | httpx.Timeout | None,
        deadline: Deadline,
        max_bytes: int | None,
    ) -> Path:
        path = call.endpoint.path
        transport = self._transport
        http = transport._http_pool.acquire()
        request = http.build_request(
            call.endpoint.method,
            transport._url(call),
            **transport._request_kwargs(call, [], transport._phase_timeout(timeout, deadline)),
        )
        with HeaderDeadline(deadline, path):  # dripped headers end at the deadline
            response = http.send(request, stream=True, auth=transport._auth_for(call))
        record(response)  # for with_raw_response
        in_memory = response.is_stream_consumed  # already read: the transport built it whole
        part: dl.PartFile | None = None
        try:
            # Checked after every network read: a dripped body ends at the deadline.
            chunks = Body(response, endpoint=path, deadline=deadline).chunks()
            first = b""
            for chunk in chunks:
                first = chunk
                if chunk:
                    break
            kind = dl.error_answer(response, first)
            if kind is not None:
                body = bytearray(first)
                for chunk in chunks:
                    body += chunk
                    if len(body) > dl.MAX_ERROR_BODY:
                        break
                dl.raise_for_answer(response, bytes(body), kind, endpoint=path)
            dl.check_declared_size(response, max_bytes, endpoint=path)
            part = dl.PartFile(target, max_bytes, endpoint=path)
            part.write(first)
            try:
                for chunk in chunks:
                    part.write(chunk)
            except httpx.TransportError as exc:
                raise dl.broken(exc, endpoint=path) from exc
            dl.check_complete(response, part.written, endpoint=path, in_memory=in_memory)
            return part.commit()
        except OSError as exc:
            raise e.MemoriesError(f"could not write the download: {exc}", endpoint=path) from exc
        finally:
            if part is not None:
                part.discard()
            response.close()

    def get_access_token(self, code: str, client_id: str) -> AccessToken:
        """Exchange an authorization code for tokens (v1.0 getAccessToken)."""
        return self._send(auth_api.get_access_token(code, client_id))

    def refresh_access_token(self, refresh_token: str) -> AccessToken:
        """New access token from a refresh token (v1.0 refreshAccessToken)."""
        return self._send(auth_api.refresh_access_token(refresh_token))
