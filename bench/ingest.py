"""Row 3: async ingest, 50 uploads at concurrency 16 vs one after another.

The emulator adds 50 ms to every request and its rate limits are off, as is the client's
limiter (MEMORIES_RATE_LIMITER=off in _common): both model the live service's QPS, which
would otherwise bound this.
Ideal speed-up: 50 uploads in ceil(50 / 16) = 4 waves of 50 ms vs 50 x 50 ms, i.e. 12.5x.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import Emulator, Row, emulator, median

from memories_integrations import AsyncMemoriesClient

UPLOADS = 50
CONCURRENCY = 16
LATENCY = 0.05
TARGET = 12.0
UPLOAD_PATH = "/serve/api/v1/upload"


async def _sequential(client: AsyncMemoriesClient, files: list[Path]) -> float:
    start = time.perf_counter()
    for path in files:
        await client.upload(path)
    return time.perf_counter() - start


async def _concurrent(client: AsyncMemoriesClient, files: list[Path]) -> float:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(path: Path) -> None:
        async with gate:
            await client.upload(path)

    start = time.perf_counter()
    await asyncio.gather(*(one(path) for path in files))
    return time.perf_counter() - start


async def _concurrent_raw(http: httpx.AsyncClient, url: str, files: list[Path]) -> float:
    """The same uploads with raw httpx at the same concurrency: the ceiling on this machine."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(path: Path) -> None:
        async with gate:
            with open(path, "rb") as fh:  # noqa: ASYNC230 - as the client does (4 KiB)
                part = {"file": (path.name, fh, "video/mp4")}
                response = await http.post(url, data={"unique_id": "default"}, files=part)
            response.raise_for_status()

    start = time.perf_counter()
    await asyncio.gather(*(one(path) for path in files))
    return time.perf_counter() - start


async def _measure(base_url: str, api_key: str, files: list[Path], rounds: int) -> Row:
    seq: list[float] = []
    conc: list[float] = []
    raw: list[float] = []
    headers = {"Authorization": api_key}
    async with (
        AsyncMemoriesClient(api_key=api_key, base_url=base_url) as client,
        httpx.AsyncClient(headers=headers, timeout=60) as http,
    ):
        await client.upload(files[0])  # warm: connection, model validators
        url = base_url + UPLOAD_PATH
        for i in range(rounds):  # sequential and concurrent alternate: ABAB...
            if i % 2 == 0:
                seq.append(await _sequential(client, files))
                conc.append(await _concurrent(client, files))
            else:
                conc.append(await _concurrent(client, files))
                seq.append(await _sequential(client, files))
            raw.append(await _concurrent_raw(http, url, files))
    ratios = [s / c for s, c in zip(seq, conc, strict=True)]
    speedup, t_conc = median(ratios), median(conc)
    return Row(
        "ingest_async",
        f"async ingest: {UPLOADS} uploads, concurrency {CONCURRENCY}, +50 ms each, vs sequential",
        f">= {TARGET:.0f}x",
        speedup,
        "x",
        speedup >= TARGET,
        f"{UPLOADS / t_conc:.0f} req/s concurrent vs {UPLOADS / median(seq):.1f} req/s "
        f"sequential; raw httpx at concurrency {CONCURRENCY}: {UPLOADS / median(raw):.0f} req/s "
        f"(ideal 12.5x: 4 waves of 50 ms)",
        {
            "concurrent_rps": UPLOADS / t_conc,
            "sequential_rps": UPLOADS / median(seq),
            "raw_concurrent_rps": UPLOADS / median(raw),
        },
    )


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    rounds = 1 if quick else 5
    emu.set_latency(LATENCY)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for i in range(UPLOADS):
                path = Path(tmp, f"clip_{i:02d}.mp4")
                path.write_bytes(i.to_bytes(2, "big") * 2048)  # 4 KiB, distinct content
                files.append(path)
            return [asyncio.run(_measure(emu.base_url, emu.api_key, files, rounds))]
    finally:
        emu.set_latency(0.0)


if __name__ == "__main__":
    with emulator() as server:
        for row in run(server, quick="--quick" in sys.argv):
            print(row)
