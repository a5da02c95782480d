"""Many concurrent async searches and uploads through one client: one connection pool, one
rate limiter, no exceptions, no lost or crossed results, documented QPS held."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import cast

import httpx

from memories_integrations import AsyncMemoriesClient
from memories_integrations._transport.retry import Rate, RateLimiter
from memories_integrations.models import UploadResult
from memories_integrations.testing import EmulatorServer

from ._helpers import FAST_RETRY, SEARCH, SSL, UPLOAD, logged

SEARCHES = 20
UPLOADS = 3
POOL = 4
# The live page's search 1/s and upload 1/min would make this test take minutes: the emulator
# enforces this faster table and the client's limiter the same one. Windows stay 1 s: the
# limiter's 10% headroom is then 0.1 s of arrival jitter, as at the documented rates.
TEST_RATES = {"search": Rate(15, 1.0), "upload": Rate(2, 1.0)}
QUERIES = ["a goal is scored", "someone chops onions", "a bike in the city", "a product launch"]


def copies(video_file: Path, folder: Path) -> list[Path]:
    """Distinct file names, so every upload result can be matched to its own file."""
    out = []
    for i in range(UPLOADS):
        target = folder / f"clip_{i}.mp4"
        target.write_bytes(video_file.read_bytes())
        out.append(target)
    return out


def max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


async def test_concurrent_searches_and_uploads(
    fresh: EmulatorServer, tmp_path: Path, video_file: Path
) -> None:
    fresh.set_rate_limits(True)  # the emulator enforces the limits (code 0429)
    fresh.emulator.limiter.limits.update(
        {g: (int(r.count), r.per_seconds) for g, r in TEST_RATES.items()}
    )
    fresh.set_extra_latency(0.02)
    videos = copies(video_file, tmp_path)
    limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
    async with (
        httpx.AsyncClient(limits=limits, verify=SSL) as http,
        AsyncMemoriesClient(
            api_key=fresh.api_key,
            base_url=fresh.base_url,
            http_client=http,
            retry=FAST_RETRY,
            rate_limiter=RateLimiter(qps=TEST_RATES),
            timeout=10,
        ) as client,
    ):
        searches = [client.search(QUERIES[i % len(QUERIES)], top_k=5) for i in range(SEARCHES)]
        uploads = [client.upload(v) for v in videos]
        results = await asyncio.gather(*searches, *uploads, return_exceptions=True)
        pool = http._transport._pool.connections  # type: ignore[attr-defined]
        assert 1 <= len(pool) <= POOL  # every request went through the one shared pool

    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    hits = results[:SEARCHES]
    # gather() of mixed awaitables is typed list[object]; the tail is the uploads, in order.
    uploaded = cast("list[UploadResult]", results[SEARCHES:])
    assert all(isinstance(h, list) for h in hits)
    assert [u.video_name for u in uploaded] == [v.stem for v in videos]  # each its own answer
    assert len({u.video_no for u in uploaded}) == UPLOADS

    search_log = logged(fresh, SEARCH, at_least=SEARCHES)
    upload_log = logged(fresh, UPLOAD, at_least=UPLOADS)
    # Nothing lost, nothing sent twice: the emulator answered every request once, with success
    # (a 0429 from the emulator would have been retried and shown up here as an extra request).
    assert len(search_log) == SEARCHES and all(e.code == "0000" for e in search_log)
    assert len(upload_log) == UPLOADS and all(e.code == "0000" for e in upload_log)
    # The limiter holds the rate: never more than its count in any window of its period (it
    # keeps 10% headroom for arrival jitter), and it is not needlessly slow.
    for entries, group in ((search_log, "search"), (upload_log, "upload")):
        rate = TEST_RATES[group]
        times = [e.time for e in entries]
        assert max_in_window(times, rate.per_seconds) <= rate.count
        expected = (len(times) - 1) / rate.qps
        assert expected * 0.8 <= max(times) - min(times) <= expected + 1.5


async def test_pool_shared_without_limiter(fresh: EmulatorServer) -> None:
    """24 concurrent searches through a 4-connection pool: all answered, none lost."""
    fresh.set_extra_latency(0.02)
    limits = httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL)
    async with (
        httpx.AsyncClient(limits=limits, verify=SSL) as http,
        AsyncMemoriesClient(
            api_key=fresh.api_key, base_url=fresh.base_url, http_client=http, retry=FAST_RETRY
        ) as client,
    ):
        results = await asyncio.gather(
            *(client.search(QUERIES[i % len(QUERIES)], top_k=3) for i in range(24))
        )
        assert len(http._transport._pool.connections) <= POOL  # type: ignore[attr-defined]
    assert len(results) == 24
    by_query: dict[str, list[object]] = {}
    for i, hits in enumerate(results):
        by_query.setdefault(QUERIES[i % len(QUERIES)], []).append([h.video_no for h in hits])
    for answers in by_query.values():  # same query, same answer: no response crossed to a task
        assert all(a == answers[0] for a in answers)
    assert len(logged(fresh, SEARCH, at_least=24)) == 24
