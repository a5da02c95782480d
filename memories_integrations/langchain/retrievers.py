"""Retrievers over a memories.ai private video library: queries -> timestamped moments."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    CallbackManagerForRetrieverRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field, field_validator

from memories_integrations._endpoints import validation as v
from memories_integrations._tools.keyframes import (
    KeyframeCache,
    afetch_keyframes,
    default_cache,
    fetch_keyframes,
)
from memories_integrations._tools.media import keyframe_metadata, keyframe_pointers
from memories_integrations._tools.operations import rank_hits
from memories_integrations.langchain._clients import MemoriesClientMixin
from memories_integrations.langchain._documents import rank_documents
from memories_integrations.langchain._merge import CHANNELS, merge_channels
from memories_integrations.models import SearchHit

__all__ = ["MemoriesHybridRetriever", "MemoriesRetriever", "SearchType"]

SearchType = Literal["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE"]
FilteringLevel = Literal["low", "medium", "high"]

# Search parameters forwarded to the API as-is (per-call overridable like ``k``).
_API_FILTERS = (
    "video_nos",
    "tag",
    "filtering_level",
    "camera_tag",
    "datetime_taken",
    "latitude",
    "longitude",
)
_MAX_TOP_K = 1000
# Keyword arguments LangChain itself may leave in ``invoke(**kwargs)``.
_IGNORED_KWARGS = frozenset({"verbose"})


class _MemoriesSearchRetriever(MemoriesClientMixin, BaseRetriever):
    """Fields and plumbing shared by both retrievers."""

    k: int = Field(default=4, ge=1)
    """Maximum number of documents returned (per call: ``invoke(query, k=3)``)."""
    video_nos: list[str] | None = None
    """Search only these videos."""
    tag: str | None = None
    """Search only videos with this tag."""
    filtering_level: FilteringLevel | None = None
    """Server-side relevance cut-off: low keeps most, high keeps only strong matches."""
    score_threshold: float | None = None
    """Drop moments scoring below this (0..1), applied after the search."""
    camera_tag: str | None = None
    """Search only videos shot with this camera model."""
    datetime_taken: str | None = None
    """Search only videos taken at this time (prefix match, ``YYYY-MM-DD HH:MM:SS``)."""
    latitude: float | None = None
    """With ``longitude``: search only videos shot near this place."""
    longitude: float | None = None

    @field_validator("score_threshold")
    @classmethod
    def _check_threshold(cls, value: float | None) -> float | None:
        return v.score_threshold(value)

    def _options(self, overrides: dict[str, Any]) -> dict[str, Any]:
        """Constructor settings with per-call overrides applied and checked."""
        allowed = {"k", "score_threshold", *_API_FILTERS}
        allowed |= {"search_type", "include_keyframes"} & set(type(self).model_fields)
        unknown = set(overrides) - allowed - _IGNORED_KWARGS
        if unknown:
            raise TypeError(f"unexpected search argument(s): {', '.join(sorted(unknown))}")
        options = {name: getattr(self, name, None) for name in allowed}
        options.update({k: v for k, v in overrides.items() if k in allowed})
        k = options["k"]
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer; got {k!r}")
        options["score_threshold"] = v.score_threshold(options["score_threshold"])
        return options

    @staticmethod
    def _api_filters(options: dict[str, Any]) -> dict[str, Any]:
        return {name: options[name] for name in _API_FILTERS}

    def _to_documents(
        self, hits: Sequence[SearchHit], search_type: str, options: dict[str, Any]
    ) -> list[Document]:
        return rank_documents(
            hits,
            search_type=search_type,
            unique_id=self._clients().unique_id,
            score_threshold=options["score_threshold"],
        )


class MemoriesRetriever(_MemoriesSearchRetriever):
    """Semantic search of a memories.ai private video library.

    Each Document is one timestamped moment: ``page_content`` is its caption and/or transcript;
    metadata carries ``video_no``, ``video_name``, ``start_time``/``end_time`` (float seconds),
    ``start_timestamp`` (HH:MM:SS), ``score``, ``search_type``, ``unique_id`` and ``source``
    (``memories://<unique_id>/<video_no>?t=<start>-<end>``). Document ids are deterministic.

    Example:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesRetriever

            retriever = MemoriesRetriever(k=5)  # key from MEMORIES_API_KEY
            docs = retriever.invoke("someone chops onions", k=3)
    """

    search_type: SearchType = "BY_CLIP"
    """BY_CLIP (visual moments), BY_VIDEO (whole videos), BY_AUDIO (speech),
    BY_CAPTION (caption text) or BY_IMAGE (the private image library)."""
    include_keyframes: int = Field(default=0, ge=0, le=10)
    """Download the keyframe of the best N Documents (per call too); their metadata gets
    ``keyframe_path`` / ``keyframe_mime_type`` (or a ``keyframe_note`` saying why not)."""
    keyframe_cache: KeyframeCache | None = None
    """Where keyframes are kept (None: the per-user default cache)."""

    def _hits_options(self, kwargs: dict[str, Any]) -> tuple[dict[str, Any], str]:
        options = self._options(kwargs)
        search_type = str(options["search_type"]).upper()
        n = options["include_keyframes"]
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10:
            raise v.InvalidInputError(
                f"include_keyframes must be an integer from 0 to 10; got {n!r}",
                param="include_keyframes",
            )
        return options, search_type

    def _ranked(
        self, hits: Sequence[SearchHit], search_type: str, options: dict[str, Any]
    ) -> tuple[list[SearchHit], list[Document]]:
        ranked = rank_hits(hits, options["score_threshold"])[: options["k"]]
        return ranked, self._to_documents(ranked, search_type, options)

    @staticmethod
    def _note_keyframes(docs: list[Document], frames: Sequence[Any]) -> list[Document]:
        for doc, frame in zip(docs, frames, strict=False):
            doc.metadata.update(keyframe_metadata(frame))
        return docs

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        options, search_type = self._hits_options(kwargs)
        hits = (
            self._clients()
            .sync()
            .search(
                query,
                search_type=search_type,
                top_k=options["k"],
                unique_id=self.unique_id,
                **self._api_filters(options),
            )
        )
        ranked, docs = self._ranked(hits, search_type, options)
        n = options["include_keyframes"]
        if n:
            pointers = keyframe_pointers(ranked, [d.metadata for d in docs], n)
            cache = self.keyframe_cache or default_cache()
            frames = fetch_keyframes(self._clients().sync(), pointers, cache)
            return self._note_keyframes(docs, frames)
        return docs

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        options, search_type = self._hits_options(kwargs)
        hits = (
            await self._clients()
            .async_()
            .search(
                query,
                search_type=search_type,
                top_k=options["k"],
                unique_id=self.unique_id,
                **self._api_filters(options),
            )
        )
        ranked, docs = self._ranked(hits, search_type, options)
        n = options["include_keyframes"]
        if n:
            pointers = keyframe_pointers(ranked, [d.metadata for d in docs], n)
            cache = self.keyframe_cache or default_cache()
            frames = await afetch_keyframes(self._clients().async_(), pointers, cache)
            return self._note_keyframes(docs, frames)
        return docs


class MemoriesHybridRetriever(_MemoriesSearchRetriever):
    """Visual (BY_CLIP) and audio (BY_AUDIO) search run concurrently and fused.

    Overlapping moments of the same video (gaps up to ``padding`` seconds count as overlap)
    become one Document whose metadata lists ``channels`` (e.g. ``["visual", "audio"]``),
    ``channel_scores`` and the best ``score``; ``page_content`` holds each channel's text,
    labelled when both matched.
    """

    padding: float = Field(default=0.0, ge=0)
    """Seconds of slack when deciding whether two moments overlap (0: only true overlaps
    merge; 2: moments up to 2 s apart merge too)."""
    fetch_k: int | None = Field(default=None, ge=1)
    """Hits requested per channel (default ``2 * k``: merging can fuse hits into fewer)."""

    def _fetch(self, options: dict[str, Any]) -> int:
        k = int(options["k"])
        if k > _MAX_TOP_K:  # name the caller's k, not the derived per-channel top_k
            raise v.InvalidInputError(
                f"k must be an integer from 1 to {_MAX_TOP_K}; got {k}", param="k"
            )
        # 2 * k, capped at the API's top_k limit for BY_CLIP / BY_AUDIO (API_Search page).
        return self.fetch_k or min(2 * k, _MAX_TOP_K)

    def _search_kwargs(self, options: dict[str, Any]) -> dict[str, Any]:
        return {"top_k": self._fetch(options), "unique_id": self.unique_id}

    def _fuse(
        self, per_channel: Sequence[Sequence[SearchHit]], options: dict[str, Any]
    ) -> list[Document]:
        results = [
            (channel, self._to_documents(hits, search_type, options))
            for (channel, search_type), hits in zip(CHANNELS.items(), per_channel, strict=True)
        ]
        merged = merge_channels(results, padding=self.padding, unique_id=self._clients().unique_id)
        return merged[: options["k"]]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        options = self._options(kwargs)
        client = self._clients().sync()
        filters = {**self._api_filters(options), **self._search_kwargs(options)}
        limiter = client.rate_limiter

        def search(search_type: str, wait: float) -> list[SearchHit]:
            time.sleep(wait)  # the search rate limit (1/s): see RateLimiter.reserve_fanout
            return client.search(query, search_type=search_type, **filters)

        # Two blocking HTTP calls at once: threads only overlap the network waits.
        with ThreadPoolExecutor(max_workers=len(CHANNELS)) as pool:
            futures = [
                pool.submit(search, st, limiter.reserve_fanout("search") if limiter else 0.0)
                for st in CHANNELS.values()
            ]
            per_channel = [f.result() for f in futures]
        return self._fuse(per_channel, options)

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        options = self._options(kwargs)
        client = self._clients().async_()
        filters = {**self._api_filters(options), **self._search_kwargs(options)}
        limiter = client.rate_limiter

        async def search(search_type: str, wait: float) -> list[SearchHit]:
            await asyncio.sleep(wait)  # the search rate limit (1/s): see reserve_fanout
            return await client.search(query, search_type=search_type, **filters)

        waits = [await limiter.areserve_fanout("search") if limiter else 0.0 for _ in CHANNELS]
        per_channel = await asyncio.gather(
            *(search(st, wait) for st, wait in zip(CHANNELS.values(), waits, strict=True))
        )
        return self._fuse(per_channel, options)
