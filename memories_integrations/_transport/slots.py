"""Where a rate limiter keeps its slots: the protocol, and the in-process store (the default).
A shared store (``redis_slots.RedisSlots``) keeps them on a server for many workers."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class SlotTooFar(Exception):
    """The next free slot is further away than the caller may wait; nothing was booked."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"next slot in {wait:.1f}s")
        self.wait = wait


class SlotStore(Protocol):
    """Where a limiter keeps the next free slot of each group: in this process (the default)
    or on a shared server, so that every worker of an account queues on one schedule."""

    def book(self, key: str, interval: float, max_wait: float) -> float:
        """Book the next free slot of ``key`` and return the seconds until it; if that is more
        than ``max_wait``, book nothing and raise ``SlotTooFar``. Atomic across callers."""
        ...


class InProcessSlots:
    """Slots in this process's memory, shared by its threads and tasks."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def book(self, key: str, interval: float, max_wait: float) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(key, now))
            if slot - now > max_wait:
                raise SlotTooFar(slot - now)
            self._next[key] = slot + interval
        return slot - now
