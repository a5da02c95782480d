"""Responses a transport returns already read (issue 12): what a user's ``httpx.MockTransport``
handler builds with ``httpx.Response(200, json=...)``, and what replayed cassettes are.

The body reader reads such a body from memory, and the caps still apply to it; a download of one
is saved (httpx counts no bytes "downloaded" for it) and still checked against its length.
"""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors

KEY = "sk-preread-test-key"
NO_RETRY = RetryPolicy(max_retries=0)
HIT = {"videoNo": "VI1", "startTime": "0", "endTime": "1", "score": 0.9}
ANSWER = {"role": "ASSISTANT", "content": "hi", "refs": []}
TEXT = json.dumps({"type": "content", "role": "assistant", "content": "hi", "sessionId": "1"})
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 16
Handler = Callable[[httpx.Request], httpx.Response]


def envelope(data: Any) -> dict[str, Any]:
    return {"code": "0000", "msg": "success", "data": data}


def sse(*lines: str) -> httpx.Response:
    text = "".join(f"data: {line}\n\n" for line in lines)
    return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(flavor: str, handler: Handler, action: str, *args: Any, **client_kw: Any) -> Any:
    """``action`` on a client of ``flavor`` whose http_client answers through ``handler``."""
    transport = httpx.MockTransport(handler)
    if flavor == "sync":
        with (
            httpx.Client(transport=transport) as http,
            MemoriesClient(
                api_key=KEY,
                base_url="http://api.test",
                http_client=http,
                retry=NO_RETRY,
                **client_kw,
            ) as client,
        ):
            result = getattr(client, action)(*args)
            return list(result) if isinstance(result, Iterator) else result

    async def main() -> Any:
        async with (
            httpx.AsyncClient(transport=transport) as http,
            AsyncMemoriesClient(
                api_key=KEY,
                base_url="http://api.test",
                http_client=http,
                retry=NO_RETRY,
                **client_kw,
            ) as client,
        ):
            result = getattr(client, action)(*args)
            if hasattr(result, "__aiter__"):
                return [event async for event in result]
            return await result

    return asyncio.run(main())


def test_preread_responses_work_for_every_kind_of_body(flavor: str, tmp_path: Path) -> None:
    answered = httpx.Response(200, json=envelope([HIT]))
    assert answered.is_stream_consumed  # what a handler returns: read already

    hits = run(flavor, lambda _: httpx.Response(200, json=envelope([HIT])), "search", "x")
    assert [h.video_no for h in hits] == ["VI1"]

    answer = run(
        flavor, lambda _: httpx.Response(200, json=envelope(ANSWER)), "chat", ["VI1"], "hi"
    )
    assert answer.content == "hi"

    done = '{"code":"SUCCESS","data":"Done"}'
    events = run(flavor, lambda _: sse(TEXT, done), "chat_stream", ["VI1"], "hi")
    assert [(e.type, e.content) for e in events] == [("content", "hi")]

    def video(_: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=VIDEO, headers={"content-type": "video/mp4"})

    dest = tmp_path / "clip.mp4"
    assert run(flavor, video, "download", "bucket", "VI1.mp4", dest) == dest
    assert dest.read_bytes() == VIDEO
    assert run(flavor, video, "download_video", "VI1", dest) == dest
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]  # no part file left


def test_preread_download_is_still_checked_against_its_length(flavor: str, tmp_path: Path) -> None:
    def short(_: httpx.Request) -> httpx.Response:
        sent = {"content-type": "video/mp4", "content-length": str(len(VIDEO) + 10)}
        return httpx.Response(200, content=VIDEO, headers=sent)

    dest = tmp_path / "clip.mp4"
    with pytest.raises(
        errors.APIConnectionError,
        match=rf"\({len(VIDEO)} bytes\) of 4\.0 KiB \({len(VIDEO) + 10} bytes\)",
    ):
        run(flavor, short, "download_video", "VI1", dest)
    assert list(tmp_path.iterdir()) == []


def test_caps_apply_to_a_preread_body(flavor: str) -> None:
    big = envelope([HIT] * 200)  # ~12 KB of JSON
    with pytest.raises(errors.ResponseTooLargeError, match=r"4\.0 KiB \(4096 bytes\)"):
        run(
            flavor,
            lambda _: httpx.Response(200, json=big),
            "search",
            "x",
            max_response_bytes=4096,
        )

    def bomb(_: httpx.Request) -> httpx.Response:
        body = gzip.compress(json.dumps(envelope(" " * 1_000_000)).encode())
        return httpx.Response(200, content=body, headers={"content-encoding": "gzip"})

    with pytest.raises(errors.ResponseTooLargeError, match="decompressed"):
        run(flavor, bomb, "search", "x", max_response_bytes=64 * 1024)

    def unread_bomb(_: httpx.Request) -> httpx.Response:
        # An in-memory stream not read yet is inflated by the client, step by step.
        body = gzip.compress(json.dumps(envelope(" " * 1_000_000)).encode())
        gz = {"content-encoding": "gzip"}
        return httpx.Response(200, stream=httpx.ByteStream(body), headers=gz)

    with pytest.raises(errors.ResponseTooLargeError, match="decompressed"):
        run(flavor, unread_bomb, "search", "x", max_response_bytes=64 * 1024)

    long_line = json.dumps({"type": "content", "content": "x" * 100_000, "sessionId": "1"})
    with pytest.raises(errors.ResponseTooLargeError, match="stream line"):
        run(flavor, lambda _: sse(long_line), "chat_stream", ["VI1"], "hi", max_line_bytes=8192)
