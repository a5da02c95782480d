"""Fault injection against the emulator on loopback: each fault and its asserted outcome.

Every test bounds its requests (``times`` on the rule, 3 retries at most) and its time (2 s
client timeout, delays under a second). Each test also checks, in the emulator's request log,
that the fault really fired and how many requests the client made for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient, RetryPolicy
from memories_integrations import errors as e
from memories_integrations.testing import EmulatorServer

from ._helpers import (
    CHAT,
    CHAT_STREAM,
    FAST_RETRY,
    NO_RETRY,
    SEARCH,
    UPLOAD,
    async_emulator_client,
    emulator_client,
    fired,
    logged,
)

Inject = Callable[..., Any]


@pytest.fixture
def video_no(client: MemoriesClient, fresh: EmulatorServer, video_file: Path) -> str:
    """One parsed video to chat about (uploaded before any fault is injected)."""
    result = client.upload(video_file)
    fresh.complete_all()
    fresh.emulator.request_log.clear()
    return result.video_no


# ------------------------------------------------------------------ search (idempotent)

RETRIED_AND_SUCCEEDED = [
    ("HTTP 429 without Retry-After", {"status": 429, "times": 2}, 3),
    (
        "HTTP 429 with Retry-After (HTTP-date)",
        {"status": 429, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"},
        2,
    ),
    ("HTTP 429 with unparseable Retry-After", {"status": 429, "retry_after": "soon"}, 2),
    ("envelope code 0429", {"code": "0429", "times": 2}, 3),
    ("HTTP 500", {"status": 500, "times": 2}, 3),
    ("HTTP 502", {"status": 502, "times": 2}, 3),
    ("HTTP 503", {"status": 503, "times": 2}, 3),
    ("HTTP 504", {"status": 504, "times": 2}, 3),
    ("HTTP 502 with an HTML body", {"status": 502, "body": "<html>Bad Gateway</html>"}, 2),
    ("connection reset mid-request (search)", {"drop": True}, 2),
]


@pytest.mark.parametrize(
    ("name", "rule", "requests"), RETRIED_AND_SUCCEEDED, ids=[r[0] for r in RETRIED_AND_SUCCEEDED]
)
def test_search_retried_and_succeeded(
    name: str,
    rule: dict[str, Any],
    requests: int,
    inject: Inject,
    fresh: EmulatorServer,
    client: MemoriesClient,
) -> None:
    inject(name, path="search", **rule)
    hits = client.search("a goal is scored", top_k=3)
    assert isinstance(hits, list)
    log = logged(fresh, SEARCH, at_least=requests)
    assert len(log) == requests
    assert len(fired(fresh, SEARCH)) == requests - 1
    assert log[-1].http_status == 200 and log[-1].fault is None


def test_retry_after_seconds_is_honoured(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("HTTP 429 with Retry-After (seconds)", path="search", status=429, retry_after=0.4)
    started = time.monotonic()
    client.search("a goal is scored")
    assert time.monotonic() - started >= 0.4  # backoff alone would be 0.01 s
    assert len(logged(fresh, SEARCH, at_least=2)) == 2


def test_retry_after_is_capped(inject: Inject, fresh: EmulatorServer) -> None:
    inject("HTTP 429 with Retry-After over the cap", path="search", status=429, retry_after=30)
    policy = RetryPolicy(max_retries=2, initial_delay=0.01, jitter=False, max_retry_after=0.2)
    started = time.monotonic()
    with emulator_client(fresh, retry=policy) as client:
        client.search("a goal is scored")
    assert 0.2 <= time.monotonic() - started < 5


def test_persistent_429_raises_rate_limit_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("HTTP 429 on every attempt", path="search", status=429, retry_after=0.01, times=None)
    with pytest.raises(e.RateLimitError) as info:
        client.search("a goal is scored")
    assert info.value.retry_after == pytest.approx(0.01)
    assert info.value.status_code == 429
    assert len(logged(fresh, SEARCH, at_least=4)) == 4  # 1 + max_retries, then it gives up


def test_persistent_500_raises_server_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("HTTP 500 on every attempt", path="search", status=500, times=None)
    with pytest.raises(e.ServerError) as info:
        client.search("a goal is scored")
    assert info.value.status_code == 500
    assert len(logged(fresh, SEARCH, at_least=4)) == 4


def test_persistent_reset_raises_connection_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("connection reset on every attempt", path="search", drop=True, times=None)
    with pytest.raises(e.APIConnectionError) as info:
        client.search("a goal is scored")
    assert not isinstance(info.value, e.MemoriesTimeoutError)
    assert isinstance(info.value.__cause__, httpx.TransportError)
    assert len(logged(fresh, SEARCH, at_least=4)) == 4


def test_slow_response_is_retried(inject: Inject, fresh: EmulatorServer) -> None:
    inject("response slower than the timeout (search, retried)", path="search", delay=0.8)
    # Reads time out after 0.25 s; the call's total deadline (its largest phase, 3 s) leaves
    # room for the retry.
    with emulator_client(fresh, timeout=httpx.Timeout(0.25, pool=3.0)) as client:
        assert isinstance(client.search("a goal is scored"), list)
    log = sorted(logged(fresh, SEARCH, at_least=2), key=lambda entry: entry.time)
    assert [entry.fault for entry in log] == ["delay", None]  # slow one abandoned, then resent


def test_slow_response_raises_timeout(inject: Inject, fresh: EmulatorServer) -> None:
    inject("response slower than the timeout (search, no retries)", path="search", delay=0.6)
    started = time.monotonic()
    with emulator_client(fresh, timeout=0.2, retry=NO_RETRY) as client:
        with pytest.raises(e.MemoriesTimeoutError) as info:
            client.search("a goal is scored")
    assert time.monotonic() - started < 0.6
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    assert [entry.fault for entry in logged(fresh, SEARCH, at_least=1)] == ["delay"]


def test_malformed_json_raises_parse_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("malformed JSON (search)", path="search", malformed_json=True)
    with pytest.raises(e.ResponseParseError):
        client.search("a goal is scored")
    assert fired(logged_server(fresh, SEARCH, 1), SEARCH) == ["malformed_json"]


def test_unknown_code_raises_server_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient
) -> None:
    inject("envelope with an unknown code", path="search", code="7777", msg="brand new failure")
    with pytest.raises(e.ServerError) as info:
        client.search("a goal is scored")
    assert info.value.code == "7777"
    assert "unknown response code" in str(info.value) and "brand new failure" in str(info.value)
    assert len(logged(fresh, SEARCH, at_least=1)) == 1  # never retried, never read as success


def logged_server(server: EmulatorServer, path: str, at_least: int) -> EmulatorServer:
    logged(server, path, at_least=at_least)
    return server


# ------------------------------------------------------------------ chat (stream, non-idempotent)


def test_stream_without_done_raises_incomplete(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient, video_no: str
) -> None:
    inject("chat stream ends without Done", path="chat_stream", truncate_stream=True)
    events = []
    with pytest.raises(e.IncompleteStreamError):
        for event in client.chat_stream([video_no], "what happens in the video?"):
            events.append(event)
    assert events, "the events sent before the cut must reach the caller"
    assert fired(logged_server(fresh, CHAT_STREAM, 1), CHAT_STREAM) == ["truncate_stream"]


def test_stream_cut_early_raises_incomplete(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient, video_no: str
) -> None:
    inject(
        "chat stream ends after one event",
        path="chat_stream",
        truncate_stream=True,
        after_events=1,
    )
    with pytest.raises(e.IncompleteStreamError):
        list(client.chat_stream([video_no], "what happens in the video?"))
    assert len(logged(fresh, CHAT_STREAM, at_least=1)) == 1  # a half-answered chat: no resend


def test_reset_mid_stream_raises_connection_error(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient, video_no: str
) -> None:
    inject("connection reset mid-stream", path="chat_stream", drop_mid_stream=True, after_events=1)
    events = []
    with pytest.raises(e.APIConnectionError) as info:
        for event in client.chat_stream([video_no], "what happens in the video?"):
            events.append(event)
    assert not isinstance(info.value, e.IncompleteStreamError)
    assert len(events) == 1
    assert len(logged(fresh, CHAT_STREAM, at_least=1)) == 1


def test_reset_mid_request_chat_not_resent(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient, video_no: str
) -> None:
    inject("connection reset mid-request (chat)", path="chat", drop=True)
    with pytest.raises(e.APIConnectionError):
        client.chat([video_no], "what happens in the video?")
    assert len(logged(fresh, CHAT, at_least=1)) == 1  # the server may have answered: no resend


@pytest.mark.parametrize(("status", "name"), [(429, "HTTP 429 (chat)"), (503, "HTTP 503 (chat)")])
def test_chat_rejected_is_retried(
    status: int,
    name: str,
    inject: Inject,
    fresh: EmulatorServer,
    client: MemoriesClient,
    video_no: str,
) -> None:
    inject(name, path="chat", status=status)
    answer = client.chat([video_no], "what happens in the video?")
    assert answer.content
    assert len(logged(fresh, CHAT, at_least=2)) == 2


def test_chat_500_is_not_retried(
    inject: Inject, fresh: EmulatorServer, client: MemoriesClient, video_no: str
) -> None:
    inject("HTTP 500 (chat)", path="chat", status=500)
    with pytest.raises(e.ServerError):
        client.chat([video_no], "what happens in the video?")
    assert len(logged(fresh, CHAT, at_least=1)) == 1


def test_chat_slower_than_timeout(inject: Inject, fresh: EmulatorServer, video_no: str) -> None:
    inject("response slower than the timeout (chat)", path="chat", delay=0.4)
    with emulator_client(fresh, timeout=0.15) as client, pytest.raises(e.MemoriesTimeoutError):
        client.chat([video_no], "what happens in the video?")
    assert len(logged(fresh, CHAT, at_least=1)) == 1


def test_final_message_other_than_done(note_fault: Callable[[str], None]) -> None:
    note_fault("chat stream ends with a final message other than Done")
    body = (
        b'data: {"type": "content", "role": "assistant", "content": "Half an"}\n\n'
        b'data: {"code": "SUCCESS", "data": "Error: model overloaded"}\n\n'
    )
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with MemoriesClient(api_key="k", http_client=http, retry=FAST_RETRY) as client:
        with pytest.raises(e.ChatStreamError) as info:
            client.chat(["VI1"], "what happens?")
    assert not isinstance(info.value, e.IncompleteStreamError)
    assert "model overloaded" in str(info.value)
    assert len(sent) == 1
    http.close()


# ------------------------------------------------------------------ uploads: never twice

# (fault name, rule, expected error or None for success, upload requests, videos stored)
UPLOAD_FAULTS: list[tuple[str, dict[str, Any], type[Exception] | None, int, int]] = [
    ("upload: HTTP 429 without Retry-After", {"status": 429}, None, 2, 1),
    ("upload: HTTP 429 with Retry-After", {"status": 429, "retry_after": 0.05}, None, 2, 1),
    ("upload: envelope code 0429", {"code": "0429"}, None, 2, 1),
    ("upload: HTTP 503", {"status": 503}, None, 2, 1),
    ("upload: HTTP 500", {"status": 500}, e.ServerError, 1, 0),
    ("upload: HTTP 502", {"status": 502}, e.ServerError, 1, 0),
    ("upload: HTTP 504", {"status": 504}, e.ServerError, 1, 0),
    ("upload: connection reset mid-request", {"drop": True}, e.UploadOutcomeUnknownError, 1, 0),
    (
        "upload: reset after the upload was stored",
        {"reset_after_upload": True},
        e.UploadOutcomeUnknownError,
        1,
        1,
    ),
    ("upload: response slower than the timeout", {"delay": 0.4}, e.UploadOutcomeUnknownError, 1, 0),
    ("upload: malformed JSON", {"malformed_json": True}, e.ResponseParseError, 1, 0),
    ("upload: envelope with an unknown code", {"code": "7777"}, e.ServerError, 1, 0),
]


@pytest.mark.parametrize(
    ("name", "rule", "error", "requests", "stored"),
    UPLOAD_FAULTS,
    ids=[u[0] for u in UPLOAD_FAULTS],
)
def test_upload_fault_never_duplicates(
    name: str,
    rule: dict[str, Any],
    error: type[Exception] | None,
    requests: int,
    stored: int,
    inject: Inject,
    fresh: EmulatorServer,
    video_file: Path,
) -> None:
    inject(name, path="upload", **rule)
    started = time.time()
    with emulator_client(fresh, timeout=0.15 if "delay" in rule else 2.0) as client:
        if error is None:
            result = client.upload(video_file)
            assert result.video_no
        else:
            with pytest.raises(error) as info:
                client.upload(video_file)
            if error is e.UploadOutcomeUnknownError:
                assert info.value.file_name == video_file.name  # type: ignore[attr-defined]
                assert info.value.started_at >= started - 1  # type: ignore[attr-defined]
    log = logged(fresh, UPLOAD, at_least=requests)
    assert len(log) == requests
    assert fired(fresh, UPLOAD)[:1] == [next(iter(k for k in rule if k not in ("retry_after",)))]
    with emulator_client(fresh) as client:
        videos = [v for v in client.iter_videos() if v.video_name == video_file.stem]
    assert len(videos) == stored <= 1


# ------------------------------------------------------------------ the async client's send loop


async def test_async_search_429_retried(inject: Inject, fresh: EmulatorServer) -> None:
    inject("async: HTTP 429 (search)", path="search", status=429, retry_after=0.05)
    async with async_emulator_client(fresh) as client:
        assert isinstance(await client.search("a goal is scored"), list)
    assert len(logged(fresh, SEARCH, at_least=2)) == 2


async def test_async_search_timeout(inject: Inject, fresh: EmulatorServer) -> None:
    inject("async: response slower than the timeout (search)", path="search", delay=0.5)
    async with async_emulator_client(fresh, timeout=0.15, retry=NO_RETRY) as client:
        with pytest.raises(e.MemoriesTimeoutError):
            await client.search("a goal is scored")


@pytest.mark.parametrize(
    ("name", "rule", "stored"),
    [
        ("async: upload connection reset mid-request", {"drop": True}, 0),
        ("async: upload reset after it was stored", {"reset_after_upload": True}, 1),
    ],
)
async def test_async_upload_outcome_unknown(
    name: str,
    rule: dict[str, Any],
    stored: int,
    inject: Inject,
    fresh: EmulatorServer,
    video_file: Path,
) -> None:
    inject(name, path="upload", **rule)
    async with async_emulator_client(fresh) as client:
        with pytest.raises(e.UploadOutcomeUnknownError):
            await client.upload(video_file)
        assert len(logged(fresh, UPLOAD, at_least=1)) == 1
        page = await client.list_videos(size=100)
    assert len([v for v in page.videos if v.video_name == video_file.stem]) == stored


@pytest.mark.parametrize(
    ("name", "rule", "error"),
    [
        (
            "async: chat stream ends without Done",
            {"truncate_stream": True},
            e.IncompleteStreamError,
        ),
        ("async: connection reset mid-stream", {"drop_mid_stream": True}, e.APIConnectionError),
    ],
)
async def test_async_chat_stream_faults(
    name: str,
    rule: dict[str, Any],
    error: type[Exception],
    inject: Inject,
    fresh: EmulatorServer,
    video_no: str,
) -> None:
    inject(name, path="chat_stream", **rule)
    async with async_emulator_client(fresh) as client:
        with pytest.raises(error):
            [event async for event in client.chat_stream([video_no], "what happens?")]
    assert len(logged(fresh, CHAT_STREAM, at_least=1)) == 1


# ------------------------------------------------------------------ callbacks


def _wait(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for callback deliveries"
        time.sleep(0.01)


@pytest.fixture
def receiver_server() -> Any:
    from memories_integrations.callbacks import CallbackServer

    with CallbackServer() as server:
        yield server


def test_callback_delivered_twice_is_reported_once(
    fresh: EmulatorServer,
    client: MemoriesClient,
    video_file: Path,
    receiver_server: Any,
    request: pytest.FixtureRequest,
) -> None:
    request.node.user_properties.append(("fault", "callback delivered twice"))
    fresh.emulator.settings.duplicate_callbacks = True
    receiver = receiver_server.receiver
    uploaded = client.upload(video_file, callback=receiver.callback_url())
    with receiver.subscribe(video_no=uploaded.video_no) as subscription:
        fresh.complete_all()
        _wait(lambda: len([c for c in fresh.callbacks if c["http_status"] == 200]) >= 2)
        time.sleep(0.05)
        events = subscription.wait(1.0) + subscription.wait(0)
    assert [c["http_status"] for c in fresh.callbacks] == [200, 200]  # sent twice, both acked
    assert [ev.video_no for ev in receiver.events()] == [uploaded.video_no]
    assert [ev.video_no for ev in events] == [uploaded.video_no]  # a waiter is woken once
    assert receiver.duplicates == 1


@pytest.mark.parametrize(
    ("name", "token"),
    [("callback with a bad token", "forged.c2lnbmF0dXJl"), ("callback without a token", None)],
)
def test_callback_with_bad_token_is_rejected(
    name: str,
    token: str | None,
    fresh: EmulatorServer,
    client: MemoriesClient,
    video_file: Path,
    receiver_server: Any,
    request: pytest.FixtureRequest,
) -> None:
    request.node.user_properties.append(("fault", name))
    receiver = receiver_server.receiver
    url = receiver_server.url + (f"?token={token}" if token else "")
    client.upload(video_file, callback=url)
    fresh.complete_all()
    _wait(lambda: len(fresh.callbacks) >= 4)  # the emulator retries a refused callback 3 times
    assert {c["http_status"] for c in fresh.callbacks} == {403}
    assert receiver.events() == []
    assert receiver.rejected == len(fresh.callbacks)


def test_chat_stream_stalling_mid_stream_is_a_timeout(note_fault: Callable[[str], None]) -> None:
    note_fault("chat stream stalls after its first event (read timeout mid-stream)")

    class Stalling(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield b'data: {"type": "content", "role": "assistant", "content": "Half"}\n\n'
            raise httpx.ReadTimeout("no bytes within the read timeout")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Stalling(), headers={"content-type": "text/event-stream"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    with MemoriesClient(api_key="k", http_client=http, retry=FAST_RETRY) as client:
        events = client.chat_stream(["VI1"], "what happens?")
        assert next(events).type == "content"
        with pytest.raises(e.MemoriesTimeoutError) as info:
            next(events)
    assert info.value.endpoint == CHAT_STREAM
