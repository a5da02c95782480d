"""Loading many videos at once: concurrent, paced by the client's rate limiter, per-video
errors reported instead of fatal, with a progress hook.

Concurrency only has to keep the limiter's queue full: every request books the next free slot
of its endpoint group (``RateLimiter.reserve``), so N tasks never exceed the API's limits, and
loading runs at the limit's speed instead of one round trip at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from memories_integrations import errors

__all__ = ["DEFAULT_CONCURRENCY", "LoadFailure", "LoadProgress", "ProgressHook", "gather_bounded"]

log = logging.getLogger("memories_integrations.adapters")

T = TypeVar("T")
R = TypeVar("R")

#: Enough in-flight requests to hide 100+ ms of latency at the documented per-second limits.
DEFAULT_CONCURRENCY = 16


@dataclass(frozen=True)
class LoadFailure:
    """One video that could not be loaded, and why (the others still load)."""

    video_no: str
    error: errors.MemoriesError


@dataclass(frozen=True)
class LoadProgress:
    """Told after each video: how many are done out of how many, and this one's failure."""

    done: int
    total: int
    video_no: str
    failure: LoadFailure | None = None


ProgressHook = Callable[[LoadProgress], None]


@dataclass
class _Slot(Generic[R]):
    value: R | None = None
    failure: LoadFailure | None = None


async def gather_bounded(
    video_nos: Sequence[str],
    load: Callable[[str], Awaitable[R]],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: ProgressHook | None = None,
) -> tuple[list[tuple[str, R]], list[LoadFailure]]:
    """``load`` every video, at most ``concurrency`` at a time. Returns the results in the
    order of ``video_nos`` and the failures (``MemoriesError`` only; bugs still raise)."""
    if concurrency < 1:
        raise errors.InvalidInputError("concurrency must be at least 1", param="concurrency")
    gate = asyncio.Semaphore(concurrency)
    slots = [_Slot[R]() for _ in video_nos]
    done = 0

    async def one(index: int, video_no: str) -> None:
        nonlocal done
        async with gate:
            try:
                slots[index].value = await load(video_no)
            except errors.MemoriesError as exc:
                slots[index].failure = LoadFailure(video_no, exc)
                log.warning("could not load video %s: %s", video_no, exc.message)
        done += 1
        if on_progress is not None:
            on_progress(LoadProgress(done, len(video_nos), video_no, slots[index].failure))

    await asyncio.gather(*(one(i, v) for i, v in enumerate(video_nos)))
    results = [(v, s.value) for v, s in zip(video_nos, slots, strict=True) if s.failure is None]
    failures = [s.failure for s in slots if s.failure is not None]
    return [(v, r) for v, r in results if r is not None], failures
