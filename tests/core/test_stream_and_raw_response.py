"""Chat streams are ``Stream`` / ``AsyncStream`` objects and ``with_raw_response`` gives the HTTP
answer with ``.parse()`` (issue 20 §2), on both clients; the client is composed of resources
(issue 18): a ``with_options`` copy's methods send through the copy's settings.

No cassettes: a MockTransport answers as the docs do and records what was sent and closed.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors
from memories_integrations._client._async.raw import AsyncRawResponses
from memories_integrations._client._sync.raw import RawResponses
from memories_integrations._client.compose import forward
from memories_integrations._transport._async.stream import AsyncStream
from memories_integrations._transport._sync.stream import Stream

KEY = "sk-stream-raw-test-key-0123456789"
NO_RETRY = RetryPolicy(max_retries=0)
REQUEST_ID = "req-7f3a"
PAGE = {"code": "0000", "msg": "ok", "data": {"videos": [], "total_count": 0}}
EVENTS = [
    {"type": "thinking", "title": "Locate", "content": "Looking", "sessionId": "42"},
    {"type": "content", "role": "assistant", "content": "A goal ", "sessionId": "42"},
    {"type": "content", "role": "assistant", "content": "at 0:10.", "sessionId": "42"},
]
SSE_BODY = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in EVENTS) + b"data: [DONE]\n\n"


class Endless(httpx.SyncByteStream, httpx.AsyncByteStream):
    """An SSE body that never ends by itself; remembers whether the client closed it."""

    def __init__(self) -> None:
        self.closed = False
        self.chunk = f"data: {json.dumps(EVENTS[1])}\n\n".encode()

    def __iter__(self) -> Iterator[bytes]:
        while not self.closed:
            yield self.chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self.closed:
            yield self.chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


class Server:
    """Answers chat with SSE (or ``body``), everything else with an empty video page."""

    def __init__(self, body: httpx.SyncByteStream | None = None, status: int = 200) -> None:
        self.body, self.status = body, status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        headers = {"x-request-id": REQUEST_ID}
        if self.status != 200:
            payload = json.dumps({"code": "0500", "msg": "boom"}).encode()
            return httpx.Response(self.status, headers=headers, stream=httpx.ByteStream(payload))
        if "chat" in request.url.path:
            body = self.body or httpx.ByteStream(SSE_BODY)
            return httpx.Response(
                200, headers={**headers, "content-type": "text/event-stream"}, stream=body
            )
        payload = json.dumps(PAGE).encode()
        return httpx.Response(
            200,
            headers={**headers, "content-type": "application/json"},
            stream=httpx.ByteStream(payload),
        )


def sync_client(server: Server, **kwargs: Any) -> MemoriesClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return MemoriesClient(api_key=KEY, retry=NO_RETRY, http_client=http, **kwargs)


def async_client(server: Server, **kwargs: Any) -> AsyncMemoriesClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server))
    return AsyncMemoriesClient(api_key=KEY, retry=NO_RETRY, http_client=http, **kwargs)


STREAMING = [
    ("chat_stream", (["VI1"], "What happens?")),
    ("chat_personal_stream", ("What happens?",)),
    ("marketer_chat_stream", ("What is trending?",)),
]


# -- Stream objects
@pytest.mark.parametrize(("method", "args"), STREAMING)
def test_sync_chat_streams_are_stream_objects_with_their_response(method: str, args: Any) -> None:
    stream = getattr(sync_client(Server()), method)(*args)
    assert isinstance(stream, Stream) and stream.response is None  # nothing sent yet
    first = next(stream)
    assert first.type == "thinking"
    assert stream.response is not None
    assert stream.response.status_code == 200 and stream.response.request_id == REQUEST_ID
    assert stream.response.headers["content-type"] == "text/event-stream"
    assert [e.content for e in stream] == ["A goal ", "at 0:10."]  # iterating keeps working


@pytest.mark.parametrize(("method", "args"), STREAMING)
def test_async_chat_streams_are_stream_objects_with_their_response(method: str, args: Any) -> None:
    async def main() -> None:
        stream = getattr(async_client(Server()), method)(*args)
        assert isinstance(stream, AsyncStream) and stream.response is None
        assert (await stream.__anext__()).type == "thinking"
        assert stream.response is not None
        assert stream.response.status_code == 200 and stream.response.request_id == REQUEST_ID
        assert [e.content async for e in stream] == ["A goal ", "at 0:10."]

    asyncio.run(main())


def test_sync_close_and_with_release_the_connection() -> None:
    body = Endless()
    stream = sync_client(Server(body)).chat_stream(["VI1"], "go")
    assert next(stream).type == "content"
    stream.close()
    assert body.closed
    with pytest.raises(StopIteration):
        next(stream)

    body = Endless()
    with sync_client(Server(body)).chat_stream(["VI1"], "go") as stream:
        assert next(stream).type == "content"
    assert body.closed


def test_async_close_and_async_with_release_the_connection() -> None:
    async def main() -> None:
        body = Endless()
        stream = async_client(Server(body)).chat_stream(["VI1"], "go")
        assert (await stream.__anext__()).type == "content"
        await stream.close()
        assert body.closed
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()

        body = Endless()
        async with async_client(Server(body)).chat_stream(["VI1"], "go") as stream:
            assert (await stream.__anext__()).type == "content"
        assert body.closed

    asyncio.run(main())


def test_closing_an_unstarted_stream_sends_nothing() -> None:
    server = Server()
    sync_client(server).chat_stream(["VI1"], "go").close()
    assert server.requests == []


# -- with_raw_response
def test_sync_raw_response_has_status_headers_request_id_and_parse() -> None:
    client = sync_client(Server())
    raw = client.with_raw_response.list_videos(page=2)
    assert raw.status_code == 200 and raw.request_id == REQUEST_ID
    assert raw.headers["content-type"] == "application/json"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.parse() == client.list_videos(page=2)
    answer = client.with_raw_response.chat(["VI1"], "What happens?")
    assert answer.request_id == REQUEST_ID and answer.parse().content == "A goal at 0:10."


def test_async_raw_response_has_status_headers_request_id_and_parse() -> None:
    async def main() -> None:
        client = async_client(Server())
        raw = await client.with_raw_response.list_videos(page=2)
        assert raw.status_code == 200 and raw.request_id == REQUEST_ID
        assert raw.parse() == await client.list_videos(page=2)
        answer = await client.with_raw_response.chat(["VI1"], "What happens?")
        assert answer.request_id == REQUEST_ID and answer.parse().content == "A goal at 0:10."

    asyncio.run(main())


def test_raw_response_of_an_error_raises_the_status_error_with_its_request_id() -> None:
    with pytest.raises(errors.APIStatusError) as info:
        sync_client(Server(status=500)).with_raw_response.list_videos()
    assert info.value.request_id == REQUEST_ID


def test_a_raw_call_leaves_later_calls_unrecorded() -> None:
    client = sync_client(Server())
    client.with_raw_response.list_videos()
    from memories_integrations._transport.raw import _RECORDED

    assert _RECORDED.get() is None


@pytest.mark.parametrize(
    ("client_cls", "raw_cls"),
    [(AsyncMemoriesClient, AsyncRawResponses), (MemoriesClient, RawResponses)],
)
def test_every_one_shot_method_has_a_raw_twin(client_cls: type, raw_cls: type) -> None:
    one_shot = {
        name
        for name, attr in vars(client_cls).items()
        if isinstance(attr, forward)
        and (
            inspect.iscoroutinefunction(getattr(attr.area, name))
            or not _returns_iterator(attr.area, name)
        )
    }
    raw = {name for name, attr in vars(raw_cls).items() if isinstance(attr, forward)}
    # wait_for_ready polls many answers: the last one says little, so it has no raw twin.
    assert raw == one_shot - {"wait_for_ready"}


def _returns_iterator(area: type, name: str) -> bool:
    returns = str(inspect.signature(getattr(area, name)).return_annotation)
    return "Iterator" in returns or "Stream" in returns


# -- composition
def test_a_with_options_copy_sends_through_its_own_settings() -> None:
    server = Server()
    client = sync_client(server)
    copy = client.with_options(unique_id="elsewhere", english_only=False)
    copy.list_videos()
    client.list_videos()
    first, second = (json.loads(r.content) for r in server.requests)
    assert first["unique_id"] == "elsewhere" and second["unique_id"] == "default"
    assert copy.unique_id == "elsewhere" and client.unique_id == "default"
    assert copy._transport is not client._transport
    assert copy._transport._http is client._transport._http  # one pool


def test_client_methods_are_the_area_methods_with_their_signature_and_docs() -> None:
    from memories_integrations._client._sync.search import SearchMethods

    client = sync_client(Server())
    assert inspect.signature(client.search) == inspect.signature(
        SearchMethods(client._transport).search
    )
    assert client.search.__doc__ == SearchMethods.search.__doc__
    assert MemoriesClient.search.__doc__ == SearchMethods.search.__doc__
