# Generated from _client/_async/search.py by scripts/unasync.py: edit that file, not this one.
"""Every search mode."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import httpx

from memories_integrations._client._sync.resource import Resource
from memories_integrations._endpoints import search as search_api
from memories_integrations._endpoints.base import Call
from memories_integrations._transport.base import PathLike
from memories_integrations._transport.pagination import more_pages

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations.models import (
        ClipMatch,
        SearchHit,
        TranscriptSearchHit,
        TranscriptSearchPage,
    )


class SearchMethods(Resource):
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
        timeout: float | httpx.Timeout | None = None,
    ) -> list[SearchHit]:
        """Semantic search of the private library: ranked, timestamped moments.

        ``timeout`` bounds this call in total (default: the client's), as on every read method.
        """
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
        return self._send(call, timeout=timeout)

    def search_public(
        self,
        query: str,
        *,
        platform: str = "TIKTOK",
        search_type: str = "BY_VIDEO",
        top_k: int | None = None,
        filtering_level: str | None = None,
        timeout: float | httpx.Timeout | None = None,
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
        return self._send(call, timeout=timeout)

    def search_transcripts(
        self,
        query: str,
        *,
        page: int = 1,
        page_size: int = 100,
        unique_id: str | None = None,
        public: bool = False,
        timeout: float | httpx.Timeout | None = None,
    ) -> TranscriptSearchPage:
        """Exact-phrase search of spoken words (LIKE matching, not semantic)."""
        call = search_api.search_transcripts(
            query, unique_id=self._ns(unique_id), page=page, page_size=page_size, public=public
        )
        return self._send(call, timeout=timeout)

    def search_by_image(
        self,
        image: PathLike,
        *,
        similarity: float | None = None,
        platform: str | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> list[SearchHit]:
        """Frames similar to ``image`` in the private library (or a public ``platform``)."""
        call = search_api.search_by_image(
            image, unique_id=self._ns(unique_id), similarity=similarity, platform=platform
        )
        return self._send(call, timeout=timeout)

    def search_video_by_image(
        self,
        image: PathLike,
        video_no: str,
        *,
        prompt: str | None = None,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> list[ClipMatch]:
        """Clips of one video similar to ``image``, refined by an optional prompt."""
        call = search_api.search_video_by_image(
            image, video_no=video_no, prompt=prompt, unique_id=self._ns(unique_id)
        )
        return self._send(call, timeout=timeout)

    # -- auto-pagination (issue 10)
    def iter_transcript_search(
        self,
        query: str,
        *,
        page_size: int = 100,
        unique_id: str | None = None,
        public: bool = False,
    ) -> Iterator[TranscriptSearchHit]:
        """Every transcript segment matching ``query``, page by page (``search_transcripts``).

        Bad input raises here, before the first request, not at the first iteration.
        """
        ns = self._ns(unique_id)
        first = search_api.search_transcripts(
            query, unique_id=ns, page=1, page_size=page_size, public=public
        )
        return self._transcript_pages(first, query, page_size, ns, public)

    def _transcript_pages(
        self,
        call: Call[TranscriptSearchPage],
        query: str,
        page_size: int,
        unique_id: str,
        public: bool,
    ) -> Iterator[TranscriptSearchHit]:
        page, seen = 1, 0
        while True:
            result = self._send(call)
            seen += len(result.videos)
            for hit in result.videos:
                yield hit
            if not more_pages(
                page=page,
                got=len(result.videos),
                seen=seen,
                page_size=page_size,
                total_count=result.total_count,
                total_pages=None,
            ):
                return
            page += 1
            call = search_api.search_transcripts(
                query, unique_id=unique_id, page=page, page_size=page_size, public=public
            )
