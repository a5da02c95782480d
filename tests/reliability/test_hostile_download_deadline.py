"""Downloads follow the rule of every call (issue 21 #7, issue 22 #2): the call's timeout bounds
the download itself, however slowly a server drips the body; the wait for a download rate-limit
slot comes before it and is bounded by ``rate_limit_wait``; ``max_bytes`` stops a download as
soon as it is larger (keyframes stop at their cap instead of downloading in full first)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations._tools.keyframes import (
    MAX_KEYFRAME_BYTES,
    KeyframeCache,
    KeyframePointer,
    fetch_keyframes,
)
from memories_integrations._transport.retry import Rate

from .hostile import HostileServer, Request, Writer, drip, endless, head

KEY = "sk-download-deadline-key"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_dripped_download_ends_at_the_call_deadline(tmp_path: Path) -> None:
    with (
        HostileServer(drip(VIDEO, every=0.05, content_type="video/mp4")) as server,
        MemoriesClient(api_key=KEY, base_url=server.base_url, timeout=0.4, max_retries=0) as client,
    ):
        started = time.monotonic()
        with pytest.raises(e.MemoriesTimeoutError, match=r"deadline of 0\.4s"):
            client.download_video("VI1", tmp_path / "v.mp4")
        assert time.monotonic() - started < 1.2  # not the 50 s the drip would take
    assert _leftovers(tmp_path) == []


async def test_async_dripped_download_ends_at_a_per_call_timeout(tmp_path: Path) -> None:
    with HostileServer(drip(VIDEO, every=0.05, content_type="video/mp4")) as server:
        async with AsyncMemoriesClient(api_key=KEY, base_url=server.base_url) as client:
            started = time.monotonic()
            with pytest.raises(e.MemoriesTimeoutError, match=r"deadline of 0\.3s"):
                await client.download("bucket", "blob.mp4", tmp_path / "v.mp4", timeout=0.3)
            assert time.monotonic() - started < 1.1
    assert _leftovers(tmp_path) == []


def test_a_longer_timeout_lets_a_slow_download_finish(tmp_path: Path) -> None:
    body = VIDEO[:12]  # 12 bytes at 0.05 s: about 0.6 s, longer than the client's timeout
    with (
        HostileServer(drip(body, every=0.05, content_type="video/mp4")) as server,
        MemoriesClient(api_key=KEY, base_url=server.base_url, timeout=0.25, max_retries=0) as c,
    ):
        with pytest.raises(e.MemoriesTimeoutError):
            c.download_video("VI1", tmp_path / "v.mp4")
        saved = c.download_video("VI1", tmp_path / "v.mp4", timeout=5)
    assert saved.read_bytes() == body


def test_max_bytes_stops_an_endless_download(tmp_path: Path) -> None:
    chunk = b"\x00" * 65536
    with (
        HostileServer(endless(chunk, prefix=VIDEO, content_type="video/mp4")) as server,
        MemoriesClient(api_key=KEY, base_url=server.base_url, timeout=10) as client,
    ):
        with pytest.raises(e.ResponseTooLargeError, match="cap of 300000 bytes") as big:
            client.download_video("VI1", tmp_path / "v.mp4", max_bytes=300_000)
    assert big.value.limit == 300_000
    assert _leftovers(tmp_path) == []


def test_a_declared_length_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "video/mp4", "content-length": "999999999"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(VIDEO))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with MemoriesClient(api_key=KEY, base_url="http://127.0.0.1:9", http_client=http) as client:
        with pytest.raises(e.ResponseTooLargeError):
            client.download("b", "v.mp4", tmp_path / "v.mp4", max_bytes=1000)
        with pytest.raises(e.InvalidInputError, match="max_bytes"):
            client.download("b", "v.mp4", tmp_path / "v.mp4", max_bytes=0)
    assert _leftovers(tmp_path) == []


class _Counted:
    """A keyframe far over the cap, sent in 64 KiB writes; counts what the client took."""

    def __init__(self, size: int) -> None:
        self.size, self.sent = size, 0

    async def __call__(self, _: Request, w: Writer) -> None:
        head(w, 200, "image/jpeg")  # no length: the client learns the size by reading
        w.write(JPEG)
        block = b"\x00" * 65536
        while self.sent < self.size:
            w.write(block)
            await w.drain()
            self.sent += len(block)


def test_keyframes_stop_downloading_at_their_cap(tmp_path: Path) -> None:
    behaviour = _Counted(64 * 1024 * 1024)
    cache = KeyframeCache(tmp_path / "cache")
    pointer = KeyframePointer("bucket", "frame.jpg", "VI1 @ 00:00:02")
    with (
        HostileServer(behaviour) as server,
        MemoriesClient(api_key=KEY, base_url=server.base_url, timeout=20) as client,
    ):
        [frame] = fetch_keyframes(client, [pointer], cache)
        time.sleep(0.2)  # let the server notice the client has gone
    assert not frame.ok and frame.note and "cap" in frame.note
    # The client stopped near the 4 MiB cap (socket buffers hold a few MiB more), never 64 MiB.
    assert behaviour.sent < MAX_KEYFRAME_BYTES + 24 * 1024 * 1024, behaviour.sent
    # Nothing kept: the cache folder is empty (or was never made; downloads go to a temp dir).
    assert cache.directory is not None
    assert not cache.directory.exists() or not any(cache.directory.iterdir())


def _file(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"content-type": "video/mp4"}, content=VIDEO)


def test_the_download_rate_limit_wait_follows_the_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    sent: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(time.monotonic())
        return _file(request)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with MemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=http,
        rate_limits={"download": Rate(1, 0.3)},
    ) as client:
        client.download("b", "a.mp4", tmp_path / "a.mp4")
        # Waits ~0.33 s for its slot, then has its whole 0.2 s to download.
        client.download("b", "b.mp4", tmp_path / "b.mp4", timeout=0.2)
        with pytest.raises(e.RateLimitWaitError, match="download rate limit") as refused:
            client.with_options(rate_limit_wait=0).download("b", "c.mp4", tmp_path / "c.mp4")
    assert refused.value.group == "download"
    assert len(sent) == 2 and sent[1] - sent[0] >= 0.3
    assert _leftovers(tmp_path) == ["a.mp4", "b.mp4"]


async def test_async_download_rate_limit_wait_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    http = httpx.AsyncClient(transport=httpx.MockTransport(_file))
    async with AsyncMemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=http,
        rate_limits={"download": Rate(1, 5)},
        rate_limit_wait=0.5,
    ) as client:
        await client.download("b", "a.mp4", tmp_path / "a.mp4")
        started = time.monotonic()
        with pytest.raises(e.RateLimitWaitError, match=r"rate_limit_wait=0\.5s"):
            await client.download("b", "b.mp4", tmp_path / "b.mp4")
        assert time.monotonic() - started < 0.2  # refused at once, not after waiting
    await asyncio.sleep(0)
    await http.aclose()
