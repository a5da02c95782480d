# Generated from _async/library.py by scripts/unasync.py: edit that file, not this one.
"""The library: listing, metadata, transcripts, summaries, deletion, download."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .._api import auth as auth_api
from .._api import library as library_api
from .._api import videos as videos_api
from .._base_client import PathLike
from ..models import (
    Summary,
    Transcript,
    Video,
    VideoMetadata,
    VideoPage,
)
from ..models.auth import AccessToken
from .transport import Transport


class LibraryMethods(Transport):
    """The library: listing, metadata, transcripts, summaries, deletion, download, OAuth2 tokens."""

    def list_videos(
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
        return self._send(call)

    def iter_videos(self, *, size: int = 100, **kwargs: Any) -> Iterator[Video]:
        """Every video of the namespace, page by page."""
        page = 1
        while True:
            result = self.list_videos(page=page, size=size, **kwargs)
            for video in result.videos:
                yield video
            if not result.videos or not result.has_more:
                return
            page += 1

    def get_metadata(self, video_no: str, *, unique_id: str | None = None) -> VideoMetadata:
        """Status and capture metadata of one video (the current way to poll encoding)."""
        return self._send(videos_api.get_metadata(video_no, unique_id=self._ns(unique_id)))

    def get_video_transcription(
        self, video_no: str, *, unique_id: str | None = None
    ) -> Transcript:
        """Visual transcription (scene descriptions) of a video."""
        call = library_api.transcript(
            library_api.GET_VIDEO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._send(call)

    def get_video_caption(self, video_no: str, *, unique_id: str | None = None) -> Transcript:
        """Visual caption track (current docs' name for the visual transcription)."""
        call = library_api.transcript(
            library_api.GET_VIDEO_CAPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._send(call)

    def get_audio_transcription(
        self, video_no: str, *, unique_id: str | None = None
    ) -> Transcript:
        """Speech-to-text of the audio track; empty when the video has no audio."""
        call = library_api.transcript(
            library_api.GET_AUDIO_TRANSCRIPTION, video_no, unique_id=self._ns(unique_id)
        )
        return self._send(call)

    def generate_summary(
        self, video_no: str, *, summary_type: str = "CHAPTER", unique_id: str | None = None
    ) -> Summary:
        """Chapter (scene) or topic summary of a video."""
        call = library_api.generate_summary(
            video_no, summary_type=summary_type, unique_id=self._ns(unique_id)
        )
        return self._send(call)

    def delete_videos(
        self, video_nos: Sequence[str], *, unique_id: str | None = None
    ) -> None:
        """Delete videos. Deleting one twice raises ConflictError (code 0409)."""
        self._send(videos_api.delete_videos(video_nos, unique_id=self._ns(unique_id)))

    def download(self, bucket: str, blob: str, dest: PathLike) -> Path:
        """Stream a stored video or keyframe (``*_bucket``/``*_blob`` of a hit) to ``dest``."""
        call = videos_api.download(bucket, blob)
        target = Path(dest)
        response = self._open_stream(call)
        try:
            with open(target, "wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
        finally:
            response.close()
        return target

    def get_access_token(self, code: str, client_id: str) -> AccessToken:
        """Exchange an authorization code for tokens (v1.0 getAccessToken)."""
        return self._send(auth_api.get_access_token(code, client_id))

    def refresh_access_token(self, refresh_token: str) -> AccessToken:
        """New access token from a refresh token (v1.0 refreshAccessToken)."""
        return self._send(auth_api.refresh_access_token(refresh_token))
