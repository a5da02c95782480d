"""Worker functions for the multi-process tests (importable by spawned children)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from memories_integrations._transport.redis_slots import RedisSlots


def book_many(url: str, prefix: str, interval: float, threads: int, per_thread: int) -> list[float]:
    """Waits of ``threads * per_thread`` bookings of group ``search`` from this process."""
    store = RedisSlots.from_url(url, prefix=prefix)

    def run(_: int) -> list[float]:
        return [store.book("search", interval, float("inf")) for _ in range(per_thread)]

    with ThreadPoolExecutor(threads) as pool:
        return [wait for waits in pool.map(run, range(threads)) for wait in waits]
