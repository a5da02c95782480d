"""Chat against a mock server that answers as the current docs do (issue 11, item 1).

Current Video-Chat page: ``/chat`` answers one JSON envelope, ``/chat_stream`` streams with the
SSE Accept header and ends with ``{"code":"SUCCESS","data":"Done"}`` (or ``data:"Done"`` /
``data: [DONE]``); Personal-media chat streams ``{"token": ...}`` lines ending ``data: [DONE]``.
Each case runs through the sync and the async client; no cassette (a mock on loopback).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from tests.reliability.hostile import HostileServer, answer, envelope, routes, sse

KEY = "sk-chat-docs-test"
SSE_ACCEPT = "text/event-stream"
# The current Video-Chat page's non-streaming answer.
DOC_ANSWER = {
    "role": "ASSISTANT",
    "content": "The video shows a goal in the 10th second.",
    "thinkings": [{"title": "Locate", "content": "Looking at the clips"}],
    "session_id": "606120397379907584",
}
REFS = [
    {
        "video": {"video_no": "VI1", "video_name": "match", "duration": "12"},
        "refItems": [{"videoNo": "VI1", "startTime": 10, "endTime": 11, "type": "visual_ts"}],
    }
]
EVENTS: list[dict[str, Any]] = [
    {"type": "thinking", "title": "Locate", "content": "Looking", "sessionId": "42"},
    {"type": "ref", "ref": REFS, "sessionId": "42"},
    {"type": "content", "role": "assistant", "content": "A goal ", "sessionId": "42"},
    {"type": "content", "role": "assistant", "content": "at 0:10.", "sessionId": "42"},
]


def data_lines(events: list[dict[str, Any]], end: str | None) -> list[str]:
    lines = [f"data: {json.dumps(e)}" for e in events]
    return lines + ([end] if end is not None else [])


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(flavor: str, server: HostileServer, method: str, *args: Any, **kwargs: Any) -> Any:
    opts: dict[str, Any] = {"api_key": KEY, "base_url": server.base_url, "rate_limiter": False}
    if flavor == "sync":
        with MemoriesClient(**opts) as client:
            result = getattr(client, method)(*args, **kwargs)
            return list(result) if isinstance(result, Iterator) else result

    async def main() -> Any:
        async with AsyncMemoriesClient(**opts) as client:
            result = getattr(client, method)(*args, **kwargs)
            if hasattr(result, "__aiter__"):
                return [event async for event in result]
            return await result

    return asyncio.run(main())


def test_chat_reads_the_json_envelope(flavor: str) -> None:
    with HostileServer(answer(envelope(DOC_ANSWER))) as server:
        result = call(flavor, server, "chat", ["VI1"], "What happens?")
    assert result.role == "ASSISTANT" and result.content == DOC_ANSWER["content"]
    assert result.session_id == "606120397379907584"
    assert [(t.title, t.content) for t in result.thinkings] == [("Locate", "Looking at the clips")]
    sent = server.requests[0]
    assert sent.path == "/serve/api/v1/chat"
    assert SSE_ACCEPT not in sent.headers.get("accept", "")


def test_chat_reads_references_when_present(flavor: str) -> None:
    with HostileServer(answer(envelope({**DOC_ANSWER, "refs": REFS}))) as server:
        result = call(flavor, server, "chat", ["VI1"], "What happens?")
    assert [m.start_time for m in result.moments] == [10.0]


@pytest.mark.parametrize(
    "end", ['data: {"code":"SUCCESS","data":"Done"}', 'data:"Done"', "data: [DONE]"]
)
def test_chat_stream_uses_chat_stream_and_every_end_marker(flavor: str, end: str) -> None:
    with HostileServer(routes({"chat_stream": sse(data_lines(EVENTS, end))})) as server:
        events = call(flavor, server, "chat_stream", ["VI1"], "goal?")
    assert [e.type for e in events] == ["thinking", "ref", "content", "content"]
    sent = server.requests[0]
    assert sent.path == "/serve/api/v1/chat_stream" and sent.headers["accept"] == SSE_ACCEPT


def test_stream_labelled_json_is_still_a_stream(flavor: str) -> None:
    lines = data_lines(EVENTS, "data: [DONE]")
    with HostileServer(sse(lines, content_type="application/json")) as server:
        result = call(flavor, server, "chat", ["VI1"], "goal?")
    assert result.content == "A goal at 0:10." and result.session_id == "42"
    assert result.references[0].video.video_no == "VI1"


def test_older_deployment_streaming_on_chat_still_works(flavor: str) -> None:
    done = 'data: {"code":"SUCCESS","data":"Done"}'
    with HostileServer(routes({"chat": sse(data_lines(EVENTS, done))})) as server:
        result = call(flavor, server, "chat", ["VI1"], "goal?")
    assert result.content == "A goal at 0:10." and result.thinkings[0].title == "Locate"


def test_chat_stream_answered_with_json_yields_events(flavor: str) -> None:
    with HostileServer(answer(envelope(DOC_ANSWER), content_type=SSE_ACCEPT)) as server:
        events = call(flavor, server, "chat_stream", ["VI1"], "goal?")
    assert [e.type for e in events] == ["thinking", "content"]
    assert events[-1].content == DOC_ANSWER["content"]


def test_stream_without_end_marker_is_incomplete(flavor: str) -> None:
    with HostileServer(sse(data_lines(EVENTS, None))) as server:
        with pytest.raises(errors.IncompleteStreamError):
            call(flavor, server, "chat_stream", ["VI1"], "goal?")


def test_error_envelope_on_chat_is_typed(flavor: str) -> None:
    body = b'{"code":"0429","msg":"Request has exceeded the limit."}'
    with HostileServer(answer(body)) as server:
        with pytest.raises(errors.RateLimitError):
            call(flavor, server, "chat", ["VI1"], "goal?", timeout=0.5)


@pytest.mark.parametrize(
    ("given", "sent"),
    [("606120397379907584", 606120397379907584), (7, 7), ("session-123", "session-123")],
)
def test_session_id_digits_go_out_as_a_number(flavor: str, given: Any, sent: Any) -> None:
    with HostileServer(answer(envelope(DOC_ANSWER))) as server:
        call(flavor, server, "chat", ["VI1"], "again?", session_id=given)
    assert server.requests[0].json()["session_id"] == sent


def test_empty_session_id_starts_a_new_session(flavor: str) -> None:
    with HostileServer(answer(envelope(DOC_ANSWER))) as server:
        call(flavor, server, "chat_personal", "beach?", session_id="")
    assert "session_id" not in server.requests[0].json()


def test_bad_session_id_is_rejected_before_sending(flavor: str) -> None:
    with HostileServer(answer(envelope(DOC_ANSWER))) as server:
        for bad in (True, 1.5, -3):
            with pytest.raises(errors.InvalidInputError):
                call(flavor, server, "chat", ["VI1"], "hi", session_id=bad)
    assert server.requests == []


def test_personal_chat_json_and_token_stream(flavor: str) -> None:
    tokens = [f"data: {json.dumps({'token': t})}" for t in ("This year ", "you went twice.")]
    table = {
        "chat_personal": answer(envelope({**DOC_ANSWER, "content": "Twice."})),
        "chat_personal_stream": sse([*tokens, "data: [DONE]"]),
    }
    with HostileServer(routes(table)) as server:
        whole = call(flavor, server, "chat_personal", "When did I go to the beach?")
        events = call(flavor, server, "chat_personal_stream", "When did I go to the beach?")
    assert whole.content == "Twice." and whole.role == "ASSISTANT"
    assert "".join(e.content for e in events) == "This year you went twice."
    first, second = server.requests
    assert first.path.endswith("/chat_personal") and "video_nos" not in first.json()
    assert second.path.endswith("/chat_personal_stream") and second.headers["accept"] == SSE_ACCEPT
    assert first.json()["unique_id"] == "default"


def test_marketer_chat_json_and_stream(flavor: str) -> None:
    table = {
        "marketer_chat": answer(envelope(DOC_ANSWER)),
        "marketer_chat_stream": sse([*data_lines(EVENTS[2:], None), 'data:"Done"']),
    }
    with HostileServer(routes(table)) as server:
        whole = call(flavor, server, "marketer_chat", "What does nike post?")
        events = call(flavor, server, "marketer_chat_stream", "What does nike post?")
    assert whole.content == DOC_ANSWER["content"]
    assert "".join(e.content for e in events) == "A goal at 0:10."
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests] == [
        "marketer_chat",
        "marketer_chat_stream",
    ]
