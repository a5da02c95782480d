"""Row 8: one quota for every worker (issue 23 §3).

4 processes x 4 threads (2 searching, 2 chatting) through one account against the emulator
enforcing the documented limits (search 1/s, chat 2 per minute), for ``DURATION`` seconds:

- ``shared``: every process's limiter books its slots on one Valkey server (``RedisSlots``):
  target 0 rate-limit errors and throughput >= 0.9 of what the account's limits allow;
- ``per-process``: each process has its own limiter (today's default store): the 0429s.

Both run at the same time, each on its own account (its own emulator), so the two figures come
from one run under the same load. Clients do not retry (``max_retries=0``): every 0429 is
counted (by the emulator's request log; the clients' count is in ``extra``). A call's deadline
is the end of the run plus ``GRACE``: a slot past it is refused before it is booked, and that
worker stops. "Allowed" is the most the server's sliding window admits between a group's first
and last arrival: ``count * (floor(span / window) + 1)``. The run is
32 s so that chat's second slot (31 s after the first: 30 s plus the limiter's 1 s headroom)
falls inside it. ``--quick``: 2 + 2 processes for 3 s, to prove the row works.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from _common import SAMPLES, Emulator, Row

from memories_integrations import (
    CURRENT_RATE_LIMITS,
    MemoriesClient,
    RateLimiter,
    RedisSlots,
    VideoStatus,
)
from memories_integrations import errors as e

PROCESSES, THREADS = 4, 4
DURATION, QUICK_DURATION = 32.0, 3.0
GRACE = 1.0
PATHS = {"search": "/serve/api/v1/search", "chat": "/serve/api/v1/chat_personal"}
PREFIX = "memories:ratelimit:bench:"
THROUGHPUT_TARGET = 0.9


def _thread(client: MemoriesClient, group: str, start: float, end: float) -> Counter[str]:
    """One thread calling ``group`` until the run ends: its outcomes, and when it finished."""
    out: Counter[str] = Counter()
    time.sleep(max(0.0, start - time.time()))
    while (left := end - time.time()) > 0:
        try:
            if group == "search":
                client.search("bike ride", top_k=3, timeout=left + GRACE)
            else:
                client.chat_personal("What happens in the video?", timeout=left + GRACE)
            out[f"{group}_ok"] += 1
        except e.RateLimitError:
            out[f"{group}_429"] += 1
        except e.MemoriesTimeoutError as exc:
            # Refused: no slot before the deadline (nothing booked). Late: a slot at the very
            # end of the deadline, which passed while its request went out. Either way the
            # next slot is further still: this thread is done.
            out[f"{group}_refused" if "rate limit allows" in str(exc) else f"{group}_late"] += 1
            break
        out["done_ms"] = max(out["done_ms"], round((time.time() - start) * 1000))
    return out


def worker(
    base_url: str, api_key: str, redis_url: str | None, duration: float, barrier: Any, out: Any
) -> None:
    """One process: a client whose limiter covers every documented group, ``THREADS`` threads
    (half searching, half chatting) started once every process is ready; puts their outcomes,
    added up, on ``out``."""
    # RateLimiter(): every documented group, with the default headroom.
    limiter = (
        RateLimiter(slots=RedisSlots.from_url(redis_url, prefix=PREFIX))
        if redis_url
        else RateLimiter()
    )
    with (
        MemoriesClient(
            api_key=api_key, base_url=base_url, rate_limiter=limiter, max_retries=0
        ) as client,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        barrier.wait()
        start = time.time()
        groups = ["search", "chat"] * (THREADS // 2)
        tallies = list(pool.map(lambda g: _thread(client, g, start, start + duration), groups))
    total: Counter[str] = sum(tallies, Counter())
    total["done_ms"] = max(t["done_ms"] for t in tallies)
    out.put((redis_url is not None, dict(total)))


def _seed(server: Any) -> None:
    """One parsed video in the account's namespace (personal chat needs one)."""
    with MemoriesClient(api_key=server.api_key, base_url=server.base_url, rate_limiter=False) as c:
        c.upload(sorted(SAMPLES.glob("*.mp4"))[0])
        deadline = time.monotonic() + 30
        while not any(v.status is VideoStatus.PARSE for v in c.iter_videos()):
            if time.monotonic() > deadline:
                raise RuntimeError("emulator never finished encoding the sample")
            time.sleep(0.05)


def _server_view(server: Any) -> dict[str, tuple[int, int, int]]:
    """Per group, from the emulator's request log: (admitted, 0429s, allowed), where allowed is
    the most its sliding window admits between the first and the last arrival."""
    view = {}
    for group, path in PATHS.items():
        entries = server.requests(path)
        rejected = sum(1 for entry in entries if entry.code == "0429")
        rate = CURRENT_RATE_LIMITS[group]
        span = max(x.time for x in entries) - min(x.time for x in entries) if entries else 0.0
        allowed = int(rate.count * (math.floor(span / rate.per_seconds) + 1))
        view[group] = (len(entries) - rejected, rejected, allowed)
    return view


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    """``emu`` (the shared, unlimited emulator) is not used: this row needs the limits on."""
    from memories_integrations.testing.server import EmulatorServer
    from memories_integrations.testing.valkey import ValkeyServer, ValkeyUnavailable

    keys = ["shared_quota", "shared_quota_per_process"]
    duration = QUICK_DURATION if quick else DURATION
    procs = 2 if quick else PROCESSES
    try:
        valkey = ValkeyServer()
        redis_url = valkey.__enter__()
    except ValkeyUnavailable as exc:
        return [Row(k, "shared quota", "", math.nan, "", None, f"skipped: {exc}") for k in keys]
    # One account per side (an emulator each, so each request log is one side's).
    servers = [EmulatorServer(rate_limits=False, encoding_delay=0.05).start() for _ in keys]
    try:
        for server in servers:
            _seed(server)
            server.emulator.request_log.clear()
            server.set_rate_limits(True)  # the documented table, from here on
        ctx = multiprocessing.get_context("spawn")
        barrier, queue = ctx.Barrier(2 * procs), ctx.Queue()
        jobs = [(servers[0], redis_url)] * procs + [(servers[1], None)] * procs
        workers = [
            ctx.Process(
                target=worker, args=(srv.base_url, srv.api_key, url, duration, barrier, queue)
            )
            for srv, url in jobs
        ]
        for proc in workers:
            proc.start()
        outcomes = [queue.get(timeout=duration + 120) for _ in workers]
        for proc in workers:
            proc.join()
        views = [_server_view(server) for server in servers]
    finally:
        for server in servers:
            server.stop()
        valkey.__exit__(None, None, None)
    rows = []
    for side, (key, view) in enumerate(zip(keys, views, strict=True)):
        tally = sum((Counter(t) for shared, t in outcomes if shared == (side == 0)), Counter())
        ratios = {g: ok / allowed for g, (ok, _, allowed) in view.items()}
        errors = sum(rejected for _, rejected, _ in view.values())
        detail = f"{procs} processes x {THREADS} threads, {duration:g} s: " + ", ".join(
            f"{g} {ok} admitted of {allowed} allowed ({ratios[g]:.2f}), {rejected} 0429s"
            for g, (ok, rejected, allowed) in view.items()
        )
        extra = {
            "rate_limit_errors": float(errors),
            "client_seen_429s": float(tally["search_429"] + tally["chat_429"]),
            **{f"{g}_ratio": r for g, r in ratios.items()},
        }
        if key == "shared_quota":
            worst = min(ratios.values())
            met = errors == 0 and worst >= THROUGHPUT_TARGET
            target = f">= {THROUGHPUT_TARGET}x, 0 rate-limit errors"
            figure = "shared quota (RedisSlots): throughput vs account limit"
            rows.append(Row(key, figure, target, worst, "x", met, detail, extra))
        else:
            figure = "per-process limiters, same load: rate-limit errors"
            rows.append(Row(key, figure, "", float(errors), "errors", None, detail, extra))
    return rows
