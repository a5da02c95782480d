# Generated from _async/search.py by scripts/unasync.py: edit that file, not this one.
"""Every search mode."""

from __future__ import annotations

from collections.abc import Sequence

from .._api import search as search_api
from .._base_client import PathLike
from ..models import (
    ClipMatch,
    SearchHit,
    TranscriptSearchPage,
)
from .transport import Transport


class SearchMethods(Transport):
    """Every search mode."""

    def search(
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
        return self._send(call)

    def search_public(
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
        return self._send(call)

    def search_transcripts(
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
        return self._send(call)

    def search_by_image(
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
        return self._send(call)

    def search_video_by_image(
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
        return self._send(call)
