"""Keyframes kept in a cache store (memory, a real Valkey server), not a folder (issue 23 §4)."""

from __future__ import annotations

import base64
from pathlib import Path

from memories_integrations import MemoriesClient
from memories_integrations.cache import MemoryStore, RedisStore, ResponseCache
from memories_integrations.keyframes import KeyframeCache, KeyframePointer, fetch_keyframes
from memories_integrations.langchain import MemoriesSearchTool
from memories_integrations.testing import EmulatorServer

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
POINTER = KeyframePointer("bucket", "blob.jpg", "VI1 @ 00:00:02")
DOWNLOAD = "/serve/api/v1/download"


class FakeClient:
    """``download`` writes ``body`` to the target, as the real client does."""

    def __init__(self, body: bytes) -> None:
        self.body, self.calls = body, 0

    def download(self, bucket: str, blob: str, dest: Path, max_bytes: int | None = None) -> Path:
        self.calls += 1
        dest.write_bytes(self.body)
        return dest


def test_keyframes_in_a_memory_store_carry_their_bytes() -> None:
    store = MemoryStore()
    cache = KeyframeCache(store=store)
    client = FakeClient(JPEG)
    [frame] = fetch_keyframes(client, [POINTER], cache)  # type: ignore[arg-type]
    assert frame.ok and frame.path is None and frame.mime_type == "image/jpeg"
    assert frame.read_bytes() == JPEG and cache.directory is None
    [again] = fetch_keyframes(client, [POINTER], cache)  # type: ignore[arg-type]
    assert client.calls == 1 and again.read_bytes() == JPEG
    store.set(cache.key("bucket", "blob.jpg"), b"<html>swapped</html>")
    [fixed] = fetch_keyframes(client, [POINTER], cache)  # type: ignore[arg-type]
    assert client.calls == 2 and fixed.read_bytes() == JPEG  # not an image: downloaded again


def test_a_non_image_download_is_not_kept_in_a_store() -> None:
    store = MemoryStore()
    [frame] = fetch_keyframes(FakeClient(b"<html>"), [POINTER], KeyframeCache(store=store))  # type: ignore[arg-type]
    assert not frame.ok and frame.note and "not an image" in frame.note and len(store) == 0


def test_workers_share_keyframes_through_redis(redis_url: str, redis_prefix: str) -> None:
    first = KeyframeCache(store=RedisStore.from_url(redis_url, prefix=redis_prefix))
    second = KeyframeCache(store=RedisStore.from_url(redis_url, prefix=redis_prefix))
    one, two = FakeClient(JPEG), FakeClient(JPEG)
    fetch_keyframes(one, [POINTER], first)  # type: ignore[arg-type]
    [frame] = fetch_keyframes(two, [POINTER], second)  # type: ignore[arg-type]
    assert (one.calls, two.calls) == (1, 0) and frame.read_bytes() == JPEG


def test_search_tool_keyframes_through_the_clients_cache_store(
    tmp_path: Path,
) -> None:
    with (
        EmulatorServer(preload_samples=True, rate_limits=False) as emu,
        MemoriesClient(api_key=emu.api_key, base_url=emu.base_url, cache=ResponseCache()) as c,
    ):
        assert c.cache is not None
        tool = MemoriesSearchTool(client=c, keyframe_cache=KeyframeCache(store=c.cache.store))
        args = {"query": "someone chops onions", "top_k": 3, "include_keyframes": 2}
        message = tool.invoke({"type": "tool_call", "id": "1", "name": tool.name, "args": args})
        images = [b for b in message.content if isinstance(b, dict) and b["type"] == "image"]
        assert len(images) == 2 and len(emu.requests(DOWNLOAD)) == 2
        assert base64.b64decode(images[0]["base64"]).startswith(b"\xff\xd8\xff")
        meta = message.artifact[0].metadata
        assert meta["keyframe_mime_type"] == "image/jpeg" and "keyframe_path" not in meta
        tool.invoke({"type": "tool_call", "id": "2", "name": tool.name, "args": args})
        assert len(emu.requests(DOWNLOAD)) == 2  # both from the store
