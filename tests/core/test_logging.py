"""``MEMORIES_LOG=debug|info`` (issue 10) and the package's log lines: they never hold the key.

No cassettes: a MockTransport answers; one test runs a fresh interpreter to see the real handler.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors
from memories_integrations._transport import log as _logging

KEY = "sk-logging-test-key-0123456789abcdef"
FAST = RetryPolicy(max_retries=3, initial_delay=0.001, max_delay=0.002, jitter=False)
PAGE = {"code": "0000", "msg": "ok", "data": {"videos": [], "total_count": 0}}


@pytest.fixture(autouse=True)
def _no_handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(_logging.ENV_VAR, raising=False)
    _logging.reset_logging()
    yield
    _logging.reset_logging()


def _json(status: int, payload: Any) -> httpx.Response:
    return httpx.Response(
        status,
        headers={"content-type": "application/json"},
        stream=httpx.ByteStream(json.dumps(payload).encode()),
    )


def _flaky(failures: int) -> Any:
    count = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        if count <= failures:
            return _json(503, {"code": "0503", "msg": f"unavailable for {KEY}"})
        return _json(200, PAGE)

    return handler


def _sync(handler: Any) -> MemoriesClient:
    transport = httpx.MockTransport(handler)
    return MemoriesClient(api_key=KEY, retry=FAST, http_client=httpx.Client(transport=transport))


def _async(handler: Any) -> AsyncMemoriesClient:
    transport = httpx.MockTransport(handler)
    return AsyncMemoriesClient(
        api_key=KEY, retry=FAST, http_client=httpx.AsyncClient(transport=transport)
    )


def _ours(handler: logging.Handler) -> bool:
    return handler in logging.getLogger("memories_integrations").handlers


@pytest.mark.parametrize(
    ("value", "level"), [("debug", logging.DEBUG), ("INFO", logging.INFO), (" Debug ", 10)]
)
def test_memories_log_adds_one_handler_at_the_first_client(
    monkeypatch: pytest.MonkeyPatch, value: str, level: int
) -> None:
    monkeypatch.setenv("MEMORIES_LOG", value)
    logger = logging.getLogger("memories_integrations")
    before = list(logger.handlers)
    MemoriesClient(api_key=KEY)
    AsyncMemoriesClient(api_key=KEY)  # a second client adds no second handler
    added = [h for h in logger.handlers if h not in before]
    assert len(added) == 1 and logger.level == level
    assert _logging.setup_logging() is added[0]


@pytest.mark.parametrize("value", [None, "", "warning", "verbose"])
def test_without_memories_log_no_handler_is_added(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv("MEMORIES_LOG", value)
    logger = logging.getLogger("memories_integrations")
    before = list(logger.handlers)
    MemoriesClient(api_key=KEY)
    assert logger.handlers == before and logger.level == logging.NOTSET


async def test_request_and_retry_lines_never_hold_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="memories_integrations")
    caplog.set_level(logging.DEBUG, logger="httpx")  # httpx's own lines, too
    caplog.set_level(logging.DEBUG, logger="httpcore")
    _sync(_flaky(1)).list_videos()
    await _async(_flaky(1)).list_videos()
    with pytest.raises(errors.ServerError):
        _sync(_flaky(10)).list_videos()

    ours = [r for r in caplog.records if r.name.startswith("memories_integrations")]
    messages = [r.getMessage() for r in ours]
    requests = [m for m in messages if m.startswith("POST /serve/api/v1/list_videos -> ")]
    assert any(m.startswith("POST /serve/api/v1/list_videos -> 200 in ") for m in requests)
    assert any("-> 503 in " in m and m.endswith(" ms") for m in requests)
    retries = [m for m in messages if m.startswith("retrying /serve/api/v1/list_videos in ")]
    assert len(retries) == 1 + 1 + 3 and all("ServerError" in m for m in retries)
    for record in caplog.records:
        assert KEY not in record.getMessage()
        assert KEY not in repr(record.args) and KEY not in str(record.exc_info)


def test_memories_log_prints_request_lines_without_the_key() -> None:
    """The real thing, in a fresh interpreter: MEMORIES_LOG=debug on stderr."""
    program = f"""
import httpx, json
from memories_integrations import MemoriesClient, RetryPolicy
page = {json.dumps(PAGE)!r}
calls = []
def handler(request):
    calls.append(1)
    status = 503 if len(calls) == 1 else 200
    return httpx.Response(status, stream=httpx.ByteStream(page.encode()))
client = MemoriesClient(
    api_key={KEY!r},
    retry=RetryPolicy(initial_delay=0.001, jitter=False),
    http_client=httpx.Client(transport=httpx.MockTransport(handler)),
)
client.list_videos()
"""
    env = {**os.environ, "MEMORIES_LOG": "debug"}
    env.pop("MEMORIES_API_KEY", None)
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert "DEBUG] POST /serve/api/v1/list_videos -> 503 in " in out.stderr
    assert "INFO] retrying /serve/api/v1/list_videos in " in out.stderr
    assert "DEBUG] POST /serve/api/v1/list_videos -> 200 in " in out.stderr
    assert "memories_integrations" in out.stderr  # the logger's name is in each line
    assert KEY not in out.stderr + out.stdout


# -- issue 22: chat requests and rate-limit waits
PROMPT = "What does my private diary video say about the surprise party?"
CHAT_EVENTS = [
    {"type": "thinking", "title": "Looking", "content": "searching"},
    {"type": "content", "content": "A goal."},
]
SSE = b"".join(f"data: {json.dumps(ev)}\n\n".encode() for ev in CHAT_EVENTS) + b"data: [DONE]\n\n"


def _chat_and_pages(request: httpx.Request) -> httpx.Response:
    if "chat" in request.url.path:
        return httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=httpx.ByteStream(SSE)
        )
    return _json(200, PAGE)


def _ours_messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("memories_integrations")]


async def test_chat_requests_are_logged_without_the_prompt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="memories_integrations")
    list(_sync(_chat_and_pages).chat_stream(["VI1", "VI2"], PROMPT, session_id=42))
    await _async(_chat_and_pages).chat_personal(PROMPT)

    chats = [m for m in _ours_messages(caplog) if m.startswith("chat ")]
    assert chats == [
        f"chat POST /serve/api/v1/chat_stream: session 42, 2 video(s), "
        f"a prompt of {len(PROMPT)} characters",
        f"chat POST /serve/api/v1/chat_personal: session new, the whole library, "
        f"a prompt of {len(PROMPT)} characters",
    ]
    for record in caplog.records:
        assert "surprise party" not in record.getMessage() and KEY not in record.getMessage()


def test_other_requests_log_no_chat_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="memories_integrations")
    _sync(_chat_and_pages).list_videos()
    assert not [m for m in _ours_messages(caplog) if m.startswith("chat ")]


def test_rate_limit_waits_are_logged_with_group_and_seconds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="memories_integrations")
    client = MemoriesClient(
        api_key=KEY,
        retry=FAST,
        rate_limiter=True,
        rate_limits={"list_videos": 20.0},  # 20/s: the second call waits ~0.05 s
        http_client=httpx.Client(transport=httpx.MockTransport(_chat_and_pages)),
    )
    client.list_videos()
    client.list_videos()
    waits = [m for m in _ours_messages(caplog) if m.startswith("waiting ")]
    assert len(waits) == 1, _ours_messages(caplog)
    assert waits[0].endswith("s for the list_videos rate limit before /serve/api/v1/list_videos")
    assert 0.0 < float(waits[0].split()[1].rstrip("s")) <= 0.1
