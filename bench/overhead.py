"""Row 1: per-call overhead of ``client.search`` over the same request in raw httpx.

Both sides use the client's own pooled ``httpx`` client (same connection); the client applies
its key per request (it never installs auth on an httpx client), so the raw side sends the same
Authorization header itself, posts the same JSON body and decodes the JSON, as any caller must.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Sized
from typing import Any

from _common import QUERY, Emulator, Row, emulator, interleaved, median, median_ratio, seed_corpus

from memories_integrations import AsyncMemoriesClient, MemoriesClient

SEARCH_PATH = "/serve/api/v1/search"
TARGET = 1.10


def _body() -> dict[str, Any]:
    return {"search_param": QUERY, "search_type": "BY_CLIP", "unique_id": "default", "top_k": 5}


def bench_sync(base_url: str, api_key: str, *, rounds: int, n: int) -> tuple[float, float, float]:
    with MemoriesClient(api_key=api_key, base_url=base_url) as client:
        http, url, body = client._transport._http, base_url + SEARCH_PATH, _body()
        auth = {"Authorization": api_key}

        def via_client() -> Sized:
            return client.search(QUERY, top_k=5)

        def via_httpx() -> Any:  # the raw decoded JSON
            return http.post(url, json=body, headers=auth).json()["data"]

        assert len(via_client()) == len(via_httpx()) > 0  # same work on both sides
        a, b = interleaved(via_client, via_httpx, rounds=rounds, n=n)
    return median_ratio(a, b), median(a), median(b)


async def _abatch(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        await fn()
    return (time.perf_counter() - start) / n


async def _bench_async(
    base_url: str, api_key: str, *, rounds: int, n: int
) -> tuple[float, float, float]:
    async with AsyncMemoriesClient(api_key=api_key, base_url=base_url) as client:
        http, url, body = client._transport._http, base_url + SEARCH_PATH, _body()
        auth = {"Authorization": api_key}

        async def via_client() -> Sized:
            return await client.search(QUERY, top_k=5)

        async def via_httpx() -> Any:  # the raw decoded JSON
            return (await http.post(url, json=body, headers=auth)).json()["data"]

        assert len(await via_client()) == len(await via_httpx()) > 0
        a: list[float] = []
        b: list[float] = []
        for i in range(rounds):  # ABAB..., as in interleaved()
            pair = (via_client, via_httpx) if i % 2 == 0 else (via_httpx, via_client)
            first, second = await _abatch(pair[0], n), await _abatch(pair[1], n)
            (a if i % 2 == 0 else b).append(first)
            (b if i % 2 == 0 else a).append(second)
    return median_ratio(a, b), median(a), median(b)


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    rounds, n = (4, 15) if quick else (11, 80)
    seed_corpus(emu.base_url, emu.api_key)
    sync = bench_sync(emu.base_url, emu.api_key, rounds=rounds, n=n)
    asyn = asyncio.run(_bench_async(emu.base_url, emu.api_key, rounds=rounds, n=n))
    rows = []
    for key, name, (ratio, t_client, t_raw) in (
        ("overhead_sync", "client.search vs raw httpx (sync)", sync),
        ("overhead_async", "client.search vs raw httpx (async)", asyn),
    ):
        rows.append(
            Row(
                key,
                name,
                f"<= {TARGET:.2f}x",
                ratio,
                "x",
                ratio <= TARGET,
                f"{t_client * 1e3:.2f} ms vs {t_raw * 1e3:.2f} ms per call",
                {"client_ms": t_client * 1e3, "raw_ms": t_raw * 1e3},
            )
        )
    return rows


if __name__ == "__main__":
    with emulator() as server:
        for row in run(server, quick="--quick" in sys.argv):
            print(row)
