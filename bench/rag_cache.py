"""Row 9 (issue 23 §4): a RAG replay through the response cache under the search limit.

200 queries (``--quick``: 40) drawn with repeats from a Zipf distribution (s = 1.1, fixed seed)
over 60 distinct questions, replayed one after another (a chatbot backend answering users) by a
client whose limiter paces search at the account limit, against the emulator enforcing that
same limit (so a pacing bug shows as 429s). Two sides in one run, each on a fresh client:
uncached (every query is a search: the floor is ``n / limit`` seconds) and through
``ResponseCache(search_ttl=...)`` (only first sightings are searches).

The documented limit is 1 search/s; to keep the run short both the emulator's window and the
client's pacing are scaled by ``scale`` (5x: 5 searches/s; ``--quick``: 10x), kept low enough
that the limit, not a search's round trip, decides. The figures are ratios (hit rate, speed-up
vs the uncached floor ``n / limit``) and do not depend on the scale; queries/s are also given at
the documented 1/s (measured / scale).
"""

from __future__ import annotations

import random
import time

import httpx
from _common import Emulator, Row, seed_corpus

from memories_integrations import MemoriesClient, ResponseCache, errors

SEED = 23
ZIPF_S = 1.1
DISTINCT = 60
TARGET = 0.9  # of the ideal speed-up 1 / (1 - hit rate)
TOPICS = ["onion", "bike", "goal", "city", "kitchen", "crowd", "sunset", "dog", "car", "beach"]
ASKS = ["who is", "when does", "where is", "what happens with the", "show the", "find the"]


def replay_queries(n: int, seed: int = SEED) -> list[str]:
    """``n`` queries, repeats Zipf-distributed over ``DISTINCT`` questions (deterministic)."""
    questions = [f"{ASKS[i % len(ASKS)]} {TOPICS[i % len(TOPICS)]} #{i}" for i in range(DISTINCT)]
    weights = [1 / (rank**ZIPF_S) for rank in range(1, DISTINCT + 1)]
    return random.Random(seed).choices(questions, weights=weights, k=n)


def _limit(emu: Emulator, window: float | None) -> None:
    """The emulator's search limit: 1 per ``window`` seconds (None: limits off again)."""
    url = emu.base_url + "/_emulator/settings"
    if window is None:
        body = {"rate_limits": False, "rate_limit_table": {"search": [1, 1.0]}}
    else:
        body = {"rate_limits": True, "rate_limit_table": {"search": [1, window]}}
    httpx.post(url, json=body).raise_for_status()


def replay(emu: Emulator, queries: list[str], qps: float, cache: ResponseCache | None) -> float:
    """Wall seconds to answer every query (one at a time); raises on a rate-limit error."""
    with MemoriesClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        rate_limiter=True,
        rate_limits={"search": qps},
        cache=cache,
    ) as client:
        start = time.perf_counter()
        for query in queries:
            try:
                client.search(query, top_k=5)
            except errors.RateLimitError as exc:
                raise RuntimeError(f"the search limit was exceeded: {exc}") from exc
        return time.perf_counter() - start


def run(emu: Emulator, *, quick: bool) -> list[Row]:
    n, scale = (30, 10.0) if quick else (200, 5.0)
    qps = 1.0 * scale
    queries = replay_queries(n)
    seed_corpus(emu.base_url, emu.api_key)
    _limit(emu, 1 / qps)
    try:
        time.sleep(2 / qps)  # the seeding's searches leave the window
        uncached = replay(emu, queries, qps, None)
        time.sleep(2 / qps)
        cache = ResponseCache(search_ttl=3600)
        cached = replay(emu, queries, qps, cache)
    finally:
        _limit(emu, None)
    searches = cache.misses
    hit_rate = cache.hit_rate
    ideal = 1 / (1 - hit_rate)
    speedup = n / qps / cached  # vs the uncached floor
    floor = n / qps
    qps_uncached, qps_cached = n / uncached / scale, n / cached / scale
    scaled = f"limit scaled {scale:g}x to {qps:g}/s (emulator and client)"
    return [
        Row(
            "rag_cache_hit_rate",
            f"RAG replay of {n} Zipf-repeated queries (s={ZIPF_S}, seed {SEED}): cache hit rate",
            "report",
            hit_rate,
            "",
            None,
            f"{n - searches} of {n} answered from the cache, {searches} distinct searches",
            {"hits": float(cache.hits), "searches": float(searches)},
        ),
        Row(
            "rag_cache_speedup",
            f"RAG replay of {n} queries under the 1/s search limit: cached vs uncached floor",
            f">= {TARGET:.1f} x ideal 1/(1-hit rate) = {TARGET * ideal:.2f}x",
            speedup,
            "x",
            speedup >= TARGET * ideal,
            f"{qps_cached:.2f} queries/s cached vs the 1.00/s floor at 1/s (uncached measured "
            f"side by side: {qps_uncached:.2f}/s, {uncached * scale:.0f} s vs floor "
            f"{floor * scale:.0f} s); {scaled}; 0 rate-limit errors",
            {"cached_s": cached, "uncached_s": uncached, "floor_s": floor, "scale": scale},
        ),
    ]
