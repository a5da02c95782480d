"""Retry policy and the optional client-side rate limiter.

Both compute delays only; the sync client sleeps with ``time.sleep`` and the async client with
``asyncio.sleep``, so the policy is written once.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from . import errors as e

# rate-limits page (v1.2), queries per second per endpoint group.
DOCUMENTED_QPS: Mapping[str, float] = {
    "upload": 1,
    "search": 10,
    "chat": 1,
    "video_transcription": 5,
    "audio_transcription": 5,
    "summary": 5,
    "list_videos": 5,
    "list_sessions": 5,
    "delete": 5,
}


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, honouring Retry-After.

    ``retryable_codes``: envelope codes retried like a 429. One example client treats ``0001``
    as transient; it is not in the default set because it usually means bad input.
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    jitter: bool = True
    retryable_codes: frozenset[str] = frozenset({"0429"})
    retryable_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})
    # Statuses after which even a non-idempotent request (upload) is known not to be processed.
    rejected_statuses: frozenset[int] = frozenset({429, 503})

    def backoff(self, attempt: int) -> float:
        delay = min(self.max_delay, self.initial_delay * (2**attempt))
        return random.uniform(delay / 2, delay) if self.jitter else delay

    def delay_for(self, error: BaseException, attempt: int, *, idempotent: bool) -> float | None:
        """Seconds to wait before retrying, or None when ``error`` must not be retried."""
        if attempt >= self.max_retries:
            return None
        if isinstance(error, e.MemoriesError) and error.code in self.retryable_codes:
            wait = getattr(error, "retry_after", None)
            return min(wait, self.max_retry_after) if wait is not None else self.backoff(attempt)
        if isinstance(error, e.RateLimitError) or (
            isinstance(error, e.MemoriesError)
            and error.code is None
            and error.status_code in self.retryable_statuses
        ):
            status = error.status_code or 429
            if not idempotent and status not in self.rejected_statuses:
                return None
            wait = getattr(error, "retry_after", None)
            return min(wait, self.max_retry_after) if wait is not None else self.backoff(attempt)
        if isinstance(error, e.ServerError) and (error.status_code or 0) >= 500:
            status = error.status_code or 500
            if not idempotent and status not in self.rejected_statuses:
                return None
            return self.backoff(attempt)
        if isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
            return self.backoff(attempt)  # never reached the server: safe for every endpoint
        if idempotent and isinstance(error, httpx.TransportError):
            return self.backoff(attempt)
        return None


NO_RETRIES = RetryPolicy(max_retries=0)


@dataclass
class RateLimiter:
    """Spaces requests of each endpoint group at most ``qps[group]`` per second.

    ``reserve`` books the next free slot and returns how long to wait for it, so concurrent
    callers (threads or tasks) queue fairly without holding a lock while they sleep.

    ``headroom`` stretches every interval by that fraction. Spacing requests at exactly the
    documented rate is not enough: the server counts them in a sliding window as they
    *arrive*, and a few milliseconds of network or scheduling jitter then puts ``qps + 1``
    requests in one window (a 0429 and a retry). 10% keeps clear of that edge.
    """

    qps: Mapping[str, float] = field(default_factory=lambda: dict(DOCUMENTED_QPS))
    headroom: float = 0.1
    _next: dict[str, float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def reserve(self, group: str | None) -> float:
        rate = self.qps.get(group or "", 0)
        if rate <= 0:
            return 0.0
        interval = (1.0 + max(self.headroom, 0.0)) / rate
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(group or "", now))
            self._next[group or ""] = slot + interval
            return slot - now
