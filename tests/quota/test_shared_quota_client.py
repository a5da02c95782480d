"""Clients in several workers share one quota through RedisSlots (the emulator enforcing it)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RateLimiter
from memories_integrations import errors as e
from memories_integrations._transport.redis_slots import RedisSlots
from memories_integrations._transport.retry import NO_RETRIES
from memories_integrations._transport.slots import InProcessSlots, SlotStore
from memories_integrations.testing.server import EmulatorServer

SEARCH_RATE = 5  # per second, on the emulator and in every worker's limiter


@pytest.fixture
def limited_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(rate_limits=True, rate_limit_table={"search": (SEARCH_RATE, 1.0)}) as emu:
        yield emu


def _workers(
    emu: EmulatorServer, slots: list[SlotStore], per_worker: int
) -> list[e.RateLimitError]:
    """Each store is one worker's (2 sync threads + 2 async tasks): their searches' errors."""
    errors: list[e.RateLimitError] = []

    def limiter(store: SlotStore) -> RateLimiter:
        return RateLimiter({"search": float(SEARCH_RATE)}, slots=store)

    def sync_worker(store: SlotStore) -> None:
        with MemoriesClient(
            api_key=emu.api_key,
            base_url=emu.base_url,
            rate_limiter=limiter(store),
            retry=NO_RETRIES,
        ) as client:
            for _ in range(per_worker):
                try:
                    client.search("bike")
                except e.RateLimitError as exc:
                    errors.append(exc)

    async def async_worker(store: SlotStore) -> None:
        async with AsyncMemoriesClient(
            api_key=emu.api_key,
            base_url=emu.base_url,
            rate_limiter=limiter(store),
            retry=NO_RETRIES,
        ) as client:
            results = await asyncio.gather(
                *(client.search("bike") for _ in range(2 * per_worker)), return_exceptions=True
            )
        errors.extend(r for r in results if isinstance(r, e.RateLimitError))

    threads = [threading.Thread(target=sync_worker, args=(s,)) for s in slots for _ in range(2)]
    threads += [threading.Thread(target=asyncio.run, args=(async_worker(s),)) for s in slots]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_workers_sharing_a_server_stay_within_the_quota(
    limited_emulator: EmulatorServer, redis_url: str, prefix: str
) -> None:
    stores: list[SlotStore] = [RedisSlots.from_url(redis_url, prefix=prefix) for _ in range(2)]
    started = time.monotonic()
    # 8 searches (past the first second of the 5/s window), no 0429:
    assert _workers(limited_emulator, stores, per_worker=1) == []
    assert time.monotonic() - started > 7 / SEARCH_RATE  # paced by the account's rate
    assert len(limited_emulator.requests("/serve/api/v1/search")) == 8


def test_workers_with_their_own_limiters_overrun_it(limited_emulator: EmulatorServer) -> None:
    """The same load with a schedule per worker: together they go twice as fast and get 0429s."""
    errors = _workers(limited_emulator, [InProcessSlots(), InProcessSlots()], per_worker=1)
    assert errors and all(err.code == "0429" for err in errors)


class SlowStore(InProcessSlots):
    """A store that takes 0.3 s per booking (a far-away server)."""

    def book(self, key: str, interval: float, max_wait: float) -> float:
        time.sleep(0.3)
        return super().book(key, interval, max_wait)


async def test_the_async_client_books_a_remote_slot_off_the_event_loop(
    limited_emulator: EmulatorServer,
) -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    limiter = RateLimiter({"search": 100.0}, slots=_NotInProcess(SlowStore()))
    async with AsyncMemoriesClient(
        api_key=limited_emulator.api_key, base_url=limited_emulator.base_url, rate_limiter=limiter
    ) as client:
        await client.search("bike")
    ticker.cancel()
    assert ticks >= 10  # the loop ran on while the booking took 0.3 s


async def test_fanout_pacing_books_a_remote_slot_off_the_event_loop() -> None:
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    limiter = RateLimiter({}, slots=_NotInProcess(SlowStore()))  # search left alone: fanout paces
    assert await limiter.areserve_fanout("search") == 0.0
    ticker.cancel()
    assert ticks >= 10


class _NotInProcess:
    """Forwards to another store without being an InProcessSlots: the client cannot know it
    does no I/O, so it treats it as remote."""

    def __init__(self, inner: SlotStore) -> None:
        self.inner = inner

    def book(self, key: str, interval: float, max_wait: float) -> float:
        return self.inner.book(key, interval, max_wait)
