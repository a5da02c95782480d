"""A cache for answers that do not change, and an opt-in TTL cache for search.

Transcripts, summaries, keyframes and the metadata of a ready video never change: they are kept
(for ``ttl`` seconds, None: until evicted). Search results change when the library does: they
are kept only with ``search_ttl`` seconds set. Entries are tagged by namespace; an upload,
import or delete in a namespace (and a video becoming ready) drops its search results and, for
a deleted video, everything cached about it.

Answers are kept as JSON in a ``CacheStore``: in this process by default (``MemoryStore``), or
shared by every process and host on a Redis/Valkey server (``RedisStore``, the ``redis``
extra). A store that fails (server down) is a miss, never a failed API call.

>>> client.cache = ResponseCache(search_ttl=60)
>>> client.cache = ResponseCache(RedisStore.from_url("redis://cache:6379/0"), search_ttl=60)
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from memories_integrations._client.cache_codec import decode, encode
from memories_integrations._client.cache_store import CacheStore, MemoryStore
from memories_integrations._endpoints.base import Call

__all__ = ["MISS", "ResponseCache", "call_key"]

MISS: Any = object()
_log = logging.getLogger("memories_integrations.cache")


def call_key(call: Call[Any]) -> str:
    """What identifies a read: endpoint path plus a hash of its parameters and body."""
    payload = {"p": call.params, "j": call.json, "d": call.data}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
    return "answer:" + call.endpoint.path.strip("/") + ":" + digest.hexdigest()[:40]


def _search_tag(namespace: str) -> str:
    return "search:" + namespace


def _video_tag(namespace: str, video_no: str) -> str:
    return "video:" + namespace + ":" + video_no


class ResponseCache:
    """Parsed answers read through a ``CacheStore`` (see the module doc)."""

    def __init__(
        self,
        store: CacheStore | None = None,
        *,
        max_entries: int = 10_000,
        ttl: float | None = None,
        search_ttl: float | None = None,
    ) -> None:
        """``store``: where entries live (default: a ``MemoryStore(max_entries=...)``)."""
        for name, value in (("ttl", ttl), ("search_ttl", search_ttl)):
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be > 0 seconds (or None)")
        self.store: CacheStore = (
            store if store is not None else MemoryStore(max_entries=max_entries)
        )
        self.ttl = ttl
        self.search_ttl = search_ttl
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ResponseCache({self.store!r}, ttl={self.ttl}, search_ttl={self.search_ttl})"

    def get(self, key: str) -> Any:
        """The value kept under ``key``, else ``MISS``."""
        value = MISS
        try:
            raw = self.store.get(key)
            if raw is not None:
                value = decode(raw)
        except (ValidationError, ValueError, KeyError, TypeError) as exc:
            _log.warning("cache entry %s is unreadable (%s): read as a miss", key, exc)
        except Exception as exc:  # a store's own failure (e.g. Redis down) costs a request only
            _log.warning("cache store %r failed on get (%s): read as a miss", self.store, exc)
        with self._lock:
            if value is MISS:
                self.misses += 1
            else:
                self.hits += 1
        return value

    def put(self, key: str, value: Any, *, namespace: str, video_no: str | None) -> None:
        """Keep an immutable answer about ``video_no``."""
        tags = [_video_tag(namespace, video_no)] if video_no else [_search_tag(namespace)]
        self._set(key, value, self.ttl, tags)

    def put_search(self, key: str, value: Any, *, namespace: str) -> None:
        """Keep a search result for ``search_ttl`` seconds (not at all without one)."""
        if self.search_ttl is not None:
            self._set(key, value, self.search_ttl, [_search_tag(namespace)])

    def _set(self, key: str, value: Any, ttl: float | None, tags: list[str]) -> None:
        try:
            raw = encode(value)
        except TypeError as exc:  # not a model we can rebuild: simply not kept
            _log.debug("not caching %s (%s)", key, exc)
            return
        try:
            self.store.set(key, raw, ttl=ttl, tags=tags)
        except Exception as exc:
            _log.warning("cache store %r failed on set (%s): not kept", self.store, exc)

    def invalidate(self, namespace: str, video_nos: Iterable[str] = ()) -> None:
        """The namespace changed: drop its search results and what is cached about ``video_nos``.

        A store failing here is logged as an error, not raised: the change itself succeeded.
        """
        tags = [_search_tag(namespace)] + [_video_tag(namespace, v) for v in video_nos]
        try:
            self.store.drop_tagged(tags)
        except Exception as exc:
            _log.error("cache store %r failed to drop %s (%s): may be stale", self.store, tags, exc)

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0
