"""Issue 12, "Hangs", "Memory" and the http_client item, against hostile servers on loopback.

Every case runs through both clients and is bounded well under 10 s: a regression shows up as a
failed time or size assertion, not as a hung suite.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors
from memories_integrations._endpoints import library as library_api

from .hostile import (
    HostileServer,
    answer,
    drip,
    endless,
    envelope,
    gzip_bomb,
    keepalive_forever,
    sequence,
    silent,
    sse,
)

KEY = "sk-hostile-test-key"
RETRY = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05, jitter=False)
THINK = json.dumps({"type": "thinking", "title": "t", "content": "c", "sessionId": "1"})
TEXT = json.dumps({"type": "content", "role": "assistant", "content": "hi", "sessionId": "1"})
DONE = '{"code":"SUCCESS","data":"Done"}'


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(flavor: str, base_url: str, action: str, *args: Any, **client_kw: Any) -> Any:
    """Call ``action`` on a fresh client of ``flavor`` (lists a stream's events)."""
    client_kw.setdefault("retry", RETRY)
    client_kw.setdefault("rate_limiter", False)
    call_kw = client_kw.pop("call", {})
    if flavor == "sync":
        with MemoriesClient(api_key=KEY, base_url=base_url, **client_kw) as client:
            result = getattr(client, action)(*args, **call_kw)
            return list(result) if isinstance(result, Iterator) else result

    async def main() -> Any:
        async with AsyncMemoriesClient(api_key=KEY, base_url=base_url, **client_kw) as client:
            result = getattr(client, action)(*args, **call_kw)
            if hasattr(result, "__aiter__"):
                return [event async for event in result]
            return await result

    return asyncio.run(main())


def timed(fn: Callable[[], Any]) -> tuple[float, BaseException | None]:
    started = time.monotonic()
    try:
        fn()
    except BaseException as exc:  # the test inspects it
        return time.monotonic() - started, exc
    return time.monotonic() - started, None


# -- Hangs -------------------------------------------------------------------------------------
def test_dripping_body_cannot_outlast_the_timeout(flavor: str, hostile: Any) -> None:
    hostile("body dripped 1 byte per 0.1 s vs timeout=0.25")
    body = envelope([{"videoNo": "VI1", "startTime": "0", "endTime": "1", "score": 0.9}])
    # Each byte comes within the read timeout; only the total deadline can end the call.
    with HostileServer(drip(body, every=0.1)) as server:
        took, exc = timed(lambda: run(flavor, server.base_url, "search", "x", timeout=0.25))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert "0.25s" in str(exc)
    assert took < 2.0


def test_send_timeout_bounds_the_whole_call(flavor: str, hostile: Any) -> None:
    """``_send(call, timeout=...)`` (what wait_for_ready passes) bounds that call in total."""
    hostile("_send(timeout=0.25) against a dripping body")
    call = library_api.list_sessions(page=1, unique_id="default")
    with HostileServer(drip(envelope([]) + b" " * 100, every=0.05)) as server:
        if flavor == "sync":
            with MemoriesClient(api_key=KEY, base_url=server.base_url, retry=RETRY) as c:
                took, exc = timed(lambda: c._transport._send(call, timeout=0.25))
        else:

            async def main() -> None:
                async with AsyncMemoriesClient(
                    api_key=KEY, base_url=server.base_url, retry=RETRY
                ) as c:
                    await c._transport._send(call, timeout=0.25)

            took, exc = timed(lambda: asyncio.run(main()))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 2.0


def test_retry_after_past_the_deadline_fails_fast(flavor: str, hostile: Any) -> None:
    hostile("429 Retry-After: 10 inside a 2 s budget")
    limited = answer(b'{"code":"0429","msg":"Request has exceeded the limit."}', 429)
    limited_with_header = answer(
        b'{"code":"0429","msg":"Request has exceeded the limit."}',
        429,
        headers={"Retry-After": "10"},
    )
    with HostileServer(sequence(limited_with_header, limited)) as server:
        took, exc = timed(lambda: run(flavor, server.base_url, "search", "x", timeout=2))
        assert len(server.requests) == 1  # no retry: its wait would end past the deadline
    assert isinstance(exc, (errors.RateLimitError, errors.MemoriesTimeoutError)), exc
    assert took < 1.0


def test_silent_server_hits_the_total_deadline(flavor: str, hostile: Any) -> None:
    hostile("server accepts and never answers")
    with HostileServer(silent()) as server:
        took, exc = timed(
            lambda: run(flavor, server.base_url, "search", "x", timeout=httpx.Timeout(0.25))
        )
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 2.0


def test_keepalive_comments_do_not_reset_the_idle_limit(flavor: str, hostile: Any) -> None:
    hostile("chat stream of ': keepalive' forever")
    with HostileServer(keepalive_forever(every=0.05, first=[f"data: {THINK}"])) as server:
        took, exc = timed(
            lambda: run(
                flavor,
                server.base_url,
                "chat_stream",
                ["VI1"],
                "hi",
                call={"idle_timeout": 0.25},
            )
        )
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert "no event for 0.25s" in str(exc)
    assert took < 2.5


def test_client_stream_limits_bound_a_stream_that_never_ends(flavor: str, hostile: Any) -> None:
    hostile("chat stream sending events forever")
    events = [f"data: {TEXT}"] * 1000
    with HostileServer(sse(events, every=0.05)) as server:
        took, exc = timed(
            lambda: run(flavor, server.base_url, "chat", ["VI1"], "hi", stream_timeout=0.3)
        )
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert "0.3s" in str(exc)
    assert took < 2.1


def test_silent_stream_trips_the_client_idle_limit(flavor: str, hostile: Any) -> None:
    hostile("chat stream that goes silent after one event")
    with HostileServer(sse([f"data: {THINK}", b""], every=30)) as server:
        took, exc = timed(
            lambda: run(
                flavor, server.base_url, "chat_stream", ["VI1"], "hi", stream_idle_timeout=0.25
            )
        )
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 2.5


# -- Memory ------------------------------------------------------------------------------------
def test_endless_json_body_is_capped(flavor: str, hostile: Any) -> None:
    hostile("endless JSON body")
    with HostileServer(endless()) as server:
        took, exc = timed(
            lambda: run(flavor, server.base_url, "search", "x", max_response_bytes=1024 * 1024)
        )
    assert isinstance(exc, errors.ResponseTooLargeError), exc
    assert isinstance(exc, errors.ResponseParseError)
    assert exc.limit == 1024 * 1024 and "1.0 MiB (1048576 bytes)" in str(exc)
    assert took < 5


def test_declared_length_over_the_cap_is_refused_before_reading(flavor: str, hostile: Any) -> None:
    hostile("Content-Length of 200 MB")
    with HostileServer(endless(length=200 * 1024 * 1024, every=0.05)) as server:
        took, exc = timed(lambda: run(flavor, server.base_url, "search", "x"))
    assert isinstance(exc, errors.ResponseTooLargeError), exc
    assert exc.limit == 8 * 1024 * 1024  # the default cap
    assert took < 2


def test_gzip_bomb_is_capped_by_its_inflated_size(flavor: str, hostile: Any) -> None:
    hostile("gzip bomb (256 MB inflated)")
    with HostileServer(gzip_bomb()) as server:
        took, exc = timed(
            lambda: run(flavor, server.base_url, "search", "x", max_response_bytes=2 * 1024 * 1024)
        )
    assert isinstance(exc, errors.ResponseTooLargeError), exc
    assert "decompressed" in str(exc) and "2097152" in str(exc)
    assert took < 5


def test_sse_line_without_newline_is_capped(flavor: str, hostile: Any) -> None:
    hostile("SSE line without a newline")
    with HostileServer(
        endless(chunk=b"x" * 65536, prefix=b"data: ", content_type="text/event-stream")
    ) as server:
        took, exc = timed(
            lambda: run(
                flavor, server.base_url, "chat_stream", ["VI1"], "hi", max_line_bytes=256 * 1024
            )
        )
    assert isinstance(exc, errors.ResponseTooLargeError), exc
    assert "stream line" in str(exc) and str(256 * 1024) in str(exc)
    assert took < 5


def test_caps_are_validated(flavor: str) -> None:
    for bad in ({"max_response_bytes": 0}, {"max_line_bytes": -1}, {"stream_timeout": 0}):
        with pytest.raises(errors.InvalidInputError):
            run(flavor, "http://127.0.0.1:9", "search", "x", **bad)


# -- Content types -----------------------------------------------------------------------------
def test_sse_labelled_json_still_streams(flavor: str, hostile: Any) -> None:
    hostile("SSE labelled application/json")
    lines = [f"data: {THINK}", f"data: {TEXT}", f"data: {DONE}"]
    with HostileServer(sse(lines, content_type="application/json")) as server:
        events = run(flavor, server.base_url, "chat_stream", ["VI1"], "hi")
    assert [e.type for e in events] == ["thinking", "content"]


# -- Security: a caller's http_client is never changed ------------------------------------------
def test_shared_http_client_is_not_mutated(flavor: str, hostile: Any) -> None:
    hostile("shared http_client must not carry the key to other hosts")
    with (
        HostileServer(answer(envelope([]))) as api,
        HostileServer(answer(b"{}")) as other,
    ):
        if flavor == "sync":
            with httpx.Client() as shared:
                before = dict(shared.headers)
                client = MemoriesClient(api_key=KEY, base_url=api.base_url, http_client=shared)
                client.search("x")
                shared.get(other.base_url + "/elsewhere")
                assert dict(shared.headers) == before and shared.auth is None
        else:

            async def main() -> None:
                async with httpx.AsyncClient() as shared:
                    before = dict(shared.headers)
                    client = AsyncMemoriesClient(
                        api_key=KEY, base_url=api.base_url, http_client=shared
                    )
                    await client.search("x")
                    await shared.get(other.base_url + "/elsewhere")
                    assert dict(shared.headers) == before and shared.auth is None

            asyncio.run(main())
    assert api.requests[0].headers["authorization"] == KEY
    assert api.requests[0].headers["user-agent"].startswith("memories-integrations/")
    assert "authorization" not in other.requests[0].headers
    assert "memories-integrations" not in other.requests[0].headers.get("user-agent", "")
