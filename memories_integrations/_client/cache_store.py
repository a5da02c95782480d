"""Where cached bytes live: the ``CacheStore`` interface and its in-memory implementation.

A store keeps opaque bytes under string keys, each with an optional time to live and any number
of tags; ``drop_tagged`` removes every entry carrying one of the tags (how an upload or delete
invalidates a namespace). ``ResponseCache`` (answers, as JSON) and keyframe images both keep
their bytes in one. Implementations: ``MemoryStore`` (this module, the default),
``RedisStore`` (``cache_redis.py``, shared by processes) and the keyframes' disk folder.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Protocol, runtime_checkable

__all__ = ["CacheStore", "MemoryStore"]


@runtime_checkable
class CacheStore(Protocol):
    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or None (missing or expired)."""
        ...

    def set(
        self, key: str, value: bytes, *, ttl: float | None = None, tags: Iterable[str] = ()
    ) -> None:
        """Keep ``value`` for ``ttl`` seconds (None: until evicted or dropped)."""
        ...

    def drop_tagged(self, tags: Iterable[str]) -> None:
        """Remove every entry carrying any of ``tags``."""
        ...


class MemoryStore:
    """Thread-safe, in this process: at most ``max_entries``, least recently used out first."""

    def __init__(self, *, max_entries: int = 10_000) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError("max_entries must be a positive integer")
        self.max_entries = max_entries
        self.clock: Callable[[], float] = time.monotonic
        # key -> (expiry or None, tags, value)
        self._entries: OrderedDict[str, tuple[float | None, frozenset[str], bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryStore(max_entries={self.max_entries})"

    def get(self, key: str) -> bytes | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] is not None and entry[0] <= self.clock():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[2]

    def set(
        self, key: str, value: bytes, *, ttl: float | None = None, tags: Iterable[str] = ()
    ) -> None:
        expiry = None if ttl is None else self.clock() + ttl
        with self._lock:
            self._entries[key] = (expiry, frozenset(tags), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def drop_tagged(self, tags: Iterable[str]) -> None:
        wanted = set(tags)
        with self._lock:
            for key in [k for k, (_, t, _) in self._entries.items() if t & wanted]:
                del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
