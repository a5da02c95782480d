"""Cache stores: in memory and on a real Valkey server (issue 23 §4)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator

import pytest

from memories_integrations import MemoriesClient
from memories_integrations._client.cache import ResponseCache
from memories_integrations._client.cache_redis import RedisStore
from memories_integrations._client.cache_store import CacheStore, MemoryStore
from memories_integrations.testing import EmulatorServer

COOKING = "VI700000000000000001"


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> CacheStore:
    if request.param == "memory":
        return MemoryStore()
    url = request.getfixturevalue("redis_url")
    return RedisStore.from_url(url, prefix=request.getfixturevalue("redis_prefix"))


def test_bytes_round_trip_and_tags_drop_only_their_entries(store: CacheStore) -> None:
    store.set("a", b"\x00one", tags=["t1"])
    store.set("b", b"two", tags=["t1", "t2"])
    store.set("c", b"three", tags=["t3"])
    assert isinstance(store, CacheStore) and store.get("a") == b"\x00one"
    store.drop_tagged(["t2"])
    assert (store.get("a"), store.get("b"), store.get("c")) == (b"\x00one", None, b"three")
    store.drop_tagged(["t1", "t3"])
    assert (store.get("a"), store.get("c")) == (None, None)


def test_ttl_is_honoured(store: CacheStore) -> None:
    store.set("short", b"x", ttl=0.15, tags=["t"])
    store.set("long", b"y", ttl=30, tags=["t"])
    assert store.get("short") == b"x"
    time.sleep(0.3)
    assert store.get("short") is None and store.get("long") == b"y"


def test_memory_store_evicts_least_recently_used() -> None:
    store = MemoryStore(max_entries=2)
    store.set("a", b"1")
    store.set("b", b"2")
    store.get("a")
    store.set("c", b"3")
    assert store.get("b") is None and store.get("a") == b"1" and len(store) == 2


def test_redis_keys_are_prefixed_and_tag_sets_outlive_no_member(
    redis_url: str, redis_prefix: str
) -> None:
    store = RedisStore.from_url(redis_url, prefix=redis_prefix)
    other = RedisStore.from_url(redis_url, prefix=redis_prefix + "other:")
    store.set("k", b"mine", ttl=30, tags=["t"])
    other.set("k", b"theirs")
    assert store.get("k") == b"mine" and other.get("k") == b"theirs"
    names: list[bytes] = store.redis.keys("*")  # type: ignore[assignment]
    keys = {k.decode() for k in names if k.decode().startswith(redis_prefix)}
    assert keys == {redis_prefix + "v:k", redis_prefix + "t:t", redis_prefix + "other:v:k"}
    assert 0 < store.redis.pttl(redis_prefix + "t:t") <= 30_000  # the tag set expires with it
    store.set("forever", b"z", tags=["t"])
    assert store.redis.pttl(redis_prefix + "t:t") == -1  # ...unless a member never does
    store.drop_tagged(["t"])
    assert other.get("k") == b"theirs"  # another prefix is never touched


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as server:
        yield server


def _client(emu: EmulatorServer, cache: ResponseCache) -> MemoriesClient:
    return MemoriesClient(api_key=emu.api_key, base_url=emu.base_url, cache=cache)


def test_two_clients_share_answers_through_redis_as_json(
    emu: EmulatorServer, redis_url: str, redis_prefix: str
) -> None:
    def cache() -> ResponseCache:
        return ResponseCache(RedisStore.from_url(redis_url, prefix=redis_prefix), search_ttl=60)

    first, second = _client(emu, cache()), _client(emu, cache())  # two workers
    transcript = first.get_audio_transcription(COOKING)
    meta = first.get_metadata(COOKING)
    hits = first.search("onion", top_k=3)
    before = len(emu.requests())
    assert second.get_audio_transcription(COOKING) == transcript
    assert second.get_metadata(COOKING) == meta
    again = second.search("onion", top_k=3)
    assert list(again) == list(hits) and again.skipped == hits.skipped
    assert len(emu.requests()) == before  # all three from the server's cache
    assert second.cache is not None and second.cache.hits == 3
    store = second.cache.store
    assert isinstance(store, RedisStore)
    for key in store.redis.keys(redis_prefix + "v:*"):
        raw: bytes = store.redis.get(key)  # type: ignore[assignment]
        json.loads(raw)  # JSON, never pickle
    first.upload_url("https://example.com/new.mp4")  # worker 1 changes the namespace
    second.search("onion", top_k=3)
    assert len(emu.requests()) == before + 2  # worker 2 asks again
    first.close()
    second.close()


def test_a_tampered_entry_is_a_miss_not_code(emu: EmulatorServer) -> None:
    store = MemoryStore()
    with _client(emu, ResponseCache(store)) as client:
        client.get_audio_transcription(COOKING)
        [key] = list(store._entries)
        evil = {"model": "os.system", "data": {"x": 1}}
        store.set(key, json.dumps(evil).encode())
        before = len(emu.requests())
        client.get_audio_transcription(COOKING)
        assert len(emu.requests()) == before + 1


def test_a_store_that_is_down_costs_a_request_not_the_call(emu: EmulatorServer) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = RedisStore.from_url(f"redis://127.0.0.1:{port}/0", socket_timeout=0.2)
    with _client(emu, ResponseCache(dead, search_ttl=60)) as client:
        assert client.get_audio_transcription(COOKING)
        assert client.search("onion") is not None
        client.upload_url("https://example.com/x.mp4")  # invalidation fails: logged only


def test_immutable_answers_keep_the_cache_ttl(emu: EmulatorServer) -> None:
    store = MemoryStore()
    now = [0.0]
    store.clock = lambda: now[0]
    with _client(emu, ResponseCache(store, ttl=10)) as client:
        client.get_audio_transcription(COOKING)
        now[0] = 9.0
        before = len(emu.requests())
        client.get_audio_transcription(COOKING)
        assert len(emu.requests()) == before
        now[0] = 10.5
        client.get_audio_transcription(COOKING)
        assert len(emu.requests()) == before + 1


def test_public_names() -> None:
    import memories_integrations
    from memories_integrations.cache import RedisStore as Public

    assert memories_integrations.ResponseCache is ResponseCache and Public is RedisStore


def test_without_redis_the_store_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)  # import redis now fails
    with pytest.raises(ImportError, match=r"RedisStore needs the 'redis' extra.*\[redis\]"):
        RedisStore.from_url("redis://127.0.0.1:1/0")
