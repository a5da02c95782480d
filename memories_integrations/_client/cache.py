"""A cache for answers that do not change, and an opt-in TTL cache for search.

Transcripts, summaries, keyframes and the metadata of a ready video never change: they are kept
(in memory, at most ``max_entries``, least recently used out first). Search results change when
the library does: they are kept only with ``search_ttl`` seconds set. Entries are grouped by
namespace; an upload or delete in a namespace drops its search results and, for a deleted
video, everything cached about it.

>>> client.cache = ResponseCache(search_ttl=60)
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from memories_integrations._endpoints.base import Call

__all__ = ["MISS", "ResponseCache", "call_key"]

MISS: Any = object()


def call_key(call: Call[Any]) -> str:
    """What identifies a read: endpoint path plus its parameters and body."""
    payload = {"p": call.params, "j": call.json, "d": call.data}
    return call.endpoint.path + " " + json.dumps(payload, sort_keys=True, default=str)


class ResponseCache:
    """Thread-safe in-memory cache of parsed answers (see the module doc)."""

    def __init__(self, *, max_entries: int = 10_000, search_ttl: float | None = None) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self.max_entries = max_entries
        self.search_ttl = search_ttl
        self.clock: Callable[[], float] = time.monotonic
        self.hits = 0
        self.misses = 0
        # key -> (namespace, video_no or None for search, expiry or None, value)
        self._entries: OrderedDict[str, tuple[str, str | None, float | None, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or (entry[2] is not None and entry[2] <= self.clock()):
                self._entries.pop(key, None)
                self.misses += 1
                return MISS
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[3]

    def put(self, key: str, value: Any, *, namespace: str, video_no: str | None) -> None:
        """Keep an immutable answer about ``video_no``."""
        self._store(key, (namespace, video_no, None, value))

    def put_search(self, key: str, value: Any, *, namespace: str) -> None:
        """Keep a search result for ``search_ttl`` seconds (not at all without one)."""
        if self.search_ttl is not None and self.search_ttl > 0:
            self._store(key, (namespace, None, self.clock() + self.search_ttl, value))

    def _store(self, key: str, entry: tuple[str, str | None, float | None, Any]) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def invalidate(self, namespace: str, video_nos: Iterable[str] = ()) -> None:
        """The namespace changed: drop its search results and what is cached about ``video_nos``."""
        gone = set(video_nos)
        with self._lock:
            for key in [
                k
                for k, (ns, video, _, _) in self._entries.items()
                if ns == namespace and (video is None or video in gone)
            ]:
                del self._entries[key]

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0

    def __len__(self) -> int:
        return len(self._entries)
