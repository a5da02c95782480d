"""Retry policy and the optional client-side rate limiter.

Both compute delays only; the sync client sleeps with ``time.sleep`` and the async client with
``asyncio.sleep``, so the policy is written once.
"""

from __future__ import annotations

import math
import os
import random
import threading
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx

from memories_integrations import errors as e
from memories_integrations._transport.redis_slots import slots_from_env
from memories_integrations._transport.slots import InProcessSlots, SlotStore
from memories_integrations._transport.slots import SlotTooFar as SlotTooFar  # its first home


@dataclass(frozen=True)
class Rate:
    """``count`` requests per ``per_seconds``: the page mixes per-second and per-minute limits."""

    count: float
    per_seconds: float = 1.0

    def __post_init__(self) -> None:
        if not (self.count > 0 and self.per_seconds > 0):  # also rejects NaN
            raise e.InvalidInputError(
                f"a rate needs a positive count and period, got {self.count}/{self.per_seconds}s",
                param="rate_limits",
            )

    @property
    def qps(self) -> float:
        return self.count / self.per_seconds

    @property
    def interval(self) -> float:
        return self.per_seconds / self.count

    @classmethod
    def per_minute(cls, count: float) -> Rate:
        return cls(count, 60.0)

    @classmethod
    def coerce(cls, value: Rate | float) -> Rate:
        """A Rate as given, or a bare number read as requests per second."""
        if isinstance(value, Rate):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise e.InvalidInputError(
                f"a rate is a Rate(count, per_seconds) or requests per second, got {value!r}",
                param="rate_limits",
            )
        return cls(float(value))


RateSpec = Rate | float | None
"""A rate-limit override: a Rate, requests per second, or None for "do not limit"."""

# Current "Rate limits" page (api-tools.memories.ai/platform/rate-limits, checked late 2026).
# All keys of one account share these quotas; excess is answered code 0429.
CURRENT_RATE_LIMITS: Mapping[str, Rate] = {
    "upload": Rate.per_minute(1),  # "Upload (local/URL)"
    "search": Rate(1),
    "chat": Rate.per_minute(2),
    "marketer_chat": Rate.per_minute(2),  # "Video Marketer"
    "video_transcription": Rate(1),
    "audio_transcription": Rate(1),
    "summary": Rate(1),
    "task_status": Rate(1),
    "download": Rate.per_minute(12),
    "list_videos": Rate(5),
    "list_sessions": Rate(5),
    "delete": Rate(5),
}
# Limited by default: at these rates a batch would otherwise spend all its retries on 0429s.
PER_MINUTE_GROUPS: frozenset[str] = frozenset(
    group for group, rate in CURRENT_RATE_LIMITS.items() if rate.per_seconds >= 60
)
# Kept for compatibility: the same table in queries per second (upload is 1/60).
DOCUMENTED_QPS: Mapping[str, float] = {g: r.qps for g, r in CURRENT_RATE_LIMITS.items()}

# Told about each wait the limiter imposes (group, seconds) in the current context: batch ingest
# sets it per item so its progress says "waiting for the upload limit" instead of looking stuck.
RATE_WAIT_HOOK: ContextVar[Callable[[str, float], None] | None] = ContextVar(
    "memories_rate_wait_hook", default=None
)


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
    """Spaces requests of each endpoint group at most ``qps[group]`` (a Rate, or requests per
    second; groups not in the table are not limited).

    ``reserve`` books the next free slot and returns how long to wait for it, so concurrent
    callers (threads or tasks) queue fairly without holding a lock while they sleep. The slots
    live in ``slots`` (this process by default; a shared store for many workers).

    ``headroom`` stretches every interval by that fraction, at most ``max_headroom`` seconds.
    Spacing requests at exactly the documented rate is not enough: the server counts them in a
    sliding window as they *arrive*, and a few milliseconds of network or scheduling jitter then
    puts one request too many in a window (a 0429 and a retry). 10% keeps clear of that edge at
    1/s; for 1 per minute a second is plenty (10% would be 6 s).
    """

    qps: Mapping[str, Rate | float] = field(default_factory=lambda: dict(CURRENT_RATE_LIMITS))
    headroom: float = 0.1
    max_headroom: float = 1.0
    #: Groups whose documented limit the caller lifted (``rate_limits={group: None}``): not
    #: paced by ``reserve_fanout`` either.
    lifted: frozenset[str] = frozenset()
    slots: SlotStore = field(default_factory=InProcessSlots, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _fanout: dict[str, RateLimiter] = field(default_factory=dict, repr=False)

    def interval(self, group: str | None) -> float:
        """Seconds between two requests of ``group`` (0: not limited)."""
        spec = self.qps.get(group or "")
        if spec is None or (not isinstance(spec, Rate) and spec <= 0):
            return 0.0
        base = Rate.coerce(spec).interval
        return base + min(base * max(self.headroom, 0.0), max(self.max_headroom, 0.0))

    def limits(self, group: str | None) -> bool:
        return self.interval(group) > 0

    def reserve(self, group: str | None, *, max_wait: float = math.inf) -> float:
        """Book the next slot of ``group``; seconds to wait for it. A slot further away than
        ``max_wait`` is not booked: ``SlotTooFar`` is raised, so a refused call costs no slot."""
        interval = self.interval(group)
        if interval <= 0:
            return 0.0
        wait = self.slots.book(group or "", interval, max_wait)
        if wait > 0 and (hook := RATE_WAIT_HOOK.get()) is not None:
            hook(group or "", wait)
        return wait

    def reserve_fanout(self, group: str) -> float:
        """Seconds to wait before one of several calls a caller sends at once (the hybrid
        retriever's two searches).

        Two concurrent searches at the documented 1/s always earn one 0429, so they are spaced
        at the documented rate even when this limiter leaves ``group`` alone by default; when it
        does limit ``group`` the client's own send waits its turn and this returns 0.
        """
        if self.limits(group) or group in self.lifted or group not in CURRENT_RATE_LIMITS:
            return 0.0
        fanout = RateLimiter(
            {group: CURRENT_RATE_LIMITS[group]}, self.headroom, self.max_headroom, slots=self.slots
        )
        with self._lock:
            pacer = self._fanout.setdefault(group, fanout)
        return pacer.reserve(group)

    async def areserve_fanout(self, group: str) -> float:
        """``reserve_fanout`` for async callers: a shared store's round trip (RedisSlots) runs
        in a worker thread, so it never holds up the event loop."""
        if isinstance(self.slots, InProcessSlots):
            return self.reserve_fanout(group)
        import asyncio  # here: the sync client never imports asyncio

        return await asyncio.to_thread(self.reserve_fanout, group)


LIMITER_ENV = "MEMORIES_RATE_LIMITER"
_ENV_CHOICES = {"off": False, "0": False, "false": False, "no": False, "none": False,
                "all": True, "on": True, "1": True, "true": True, "yes": True,
                "per-minute": None, "default": None, "": None}  # fmt: skip


def build_limiter(
    rate_limiter: RateLimiter | bool | None, rate_limits: Mapping[str, RateSpec] | None
) -> RateLimiter | None:
    """The client's limiter.

    ``None`` (the default): the per-minute groups plus every group named in ``rate_limits``
    (the ``MEMORIES_RATE_LIMITER`` environment variable may say ``off`` or ``all`` instead);
    ``True``: every documented group; ``False``: none; a RateLimiter: that one (shared).
    ``rate_limits`` overrides the documented rates; ``None`` as a rate lifts that group's limit.
    With ``MEMORIES_RATE_LIMIT_REDIS_URL`` set, the slots of a limiter built here live on that
    server (``RedisSlots``), shared by every process using it.
    """
    if isinstance(rate_limiter, RateLimiter):
        if rate_limits:
            raise e.InvalidInputError(
                "pass rate_limits= or your own rate_limiter=RateLimiter(...), not both",
                param="rate_limits",
            )
        return rate_limiter
    if rate_limiter is None:
        setting = os.environ.get(LIMITER_ENV, "").strip().lower()
        if setting not in _ENV_CHOICES:
            raise e.InvalidInputError(
                f"{LIMITER_ENV} must be off, all or per-minute, got {setting!r}",
                param=LIMITER_ENV,
            )
        rate_limiter = _ENV_CHOICES[setting]
    if rate_limiter is False:
        return None
    overrides = {g: None if r is None else Rate.coerce(r) for g, r in (rate_limits or {}).items()}
    table: dict[str, Rate | None] = {**CURRENT_RATE_LIMITS, **overrides}
    chosen = set(table) if rate_limiter is True else PER_MINUTE_GROUPS | set(overrides)
    shared = slots_from_env()
    return RateLimiter(
        qps={g: r for g, r in table.items() if g in chosen and r is not None},
        lifted=frozenset(g for g, r in overrides.items() if r is None),
        slots=InProcessSlots() if shared is None else shared,
    )
