"""Sending: retries, rate limiting, deadlines, bounded reads, streaming."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from memories_integrations import errors as e
from memories_integrations._endpoints.base import Call
from memories_integrations._transport._async.body import AsyncBody
from memories_integrations._transport._async.stream import AsyncStream
from memories_integrations._transport.base import (
    BaseClient,
    CoalescedStream,
    ProgressCallback,
    open_files,
    shared_ssl_context,
)
from memories_integrations._transport.flavors import (
    AsyncHeaderDeadline,
    AsyncHttpPool,
    AsyncSlotWait,
)
from memories_integrations._transport.limits import Deadline, LineSplitter
from memories_integrations._transport.raw import record
from memories_integrations._transport.response import unwrap
from memories_integrations._transport.streaming import (
    StreamEnd,
    WholeAnswer,
    answer_events,
    incomplete,
    parse_line,
)

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations.models import ChatEvent

T = TypeVar("T")
R = TypeVar("R")
SSE = "text/event-stream"


class IdleClock:
    """Time since the last chat event; keepalive comments and blank lines do not reset it."""

    def __init__(self, seconds: float | None, endpoint: str) -> None:
        self.seconds, self.endpoint = seconds, endpoint
        self.reset()

    def reset(self) -> None:
        self._since = Deadline(self.seconds)

    def check(self) -> None:
        if self._since.expired():
            raise e.MemoriesTimeoutError(
                f"chat stream sent no event for {self.seconds:g}s", endpoint=self.endpoint
            )


class AsyncTransport(BaseClient):
    """Sending: retries, rate limiting, deadlines, bounded reads, streaming."""

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **settings: Any) -> None:
        super().__init__(**settings)
        self._owns_http = http_client is None
        # Auth and headers go on each request, never onto the httpx client: a caller's shared
        # client must not carry the memories.ai key to other hosts. Our own httpx client also
        # bounds slow response headers by each call's deadline.
        self._http_pool = AsyncHttpPool(
            http_client,
            lambda: AsyncHeaderDeadline.client(timeout=self.timeout, verify=shared_ssl_context()),
        )

    @property
    def _http(self) -> httpx.AsyncClient:
        """The httpx client requests from here go through (see ``AsyncHttpPool``)."""
        return self._http_pool.current()

    async def aclose(self) -> None:
        """Close the connection pool, unless the caller gave it (``http_client=``)."""
        if self._owns_http:
            await self._http_pool.aclose()

    async def _send(
        self,
        call: Call[T],
        *,
        timeout: float | httpx.Timeout | None = None,
        progress: ProgressCallback | None = None,
    ) -> T:
        """One call, bounded in total by ``timeout`` (default: the client's) and in size."""
        deadline = self._deadline(call, timeout)
        path = call.endpoint.path

        async def once() -> T:
            with open_files(call.files, progress) as files:
                response = await self._start(call, files, timeout, deadline)
                try:
                    body = await AsyncBody(response, endpoint=path, deadline=deadline).read(
                        self.limits.max_response_bytes
                    )
                finally:
                    await response.aclose()
            return self._finish(call, response, body)

        return await self._attempts(call, deadline, once)

    async def _attempts(
        self,
        call: Call[Any],
        deadline: Deadline,
        once: Callable[[], Awaitable[R]],
        what: str = "request",
    ) -> R:
        """``once()`` under the rules of every call: the wait for a rate-limit slot, then the
        deadline (restarted after the first wait), retried as the policy says."""
        attempt = 0
        while True:
            if (wait := await AsyncSlotWait.of(self, call, deadline, first=attempt == 0)) > 0:
                await asyncio.sleep(wait)  # sleep(0) yields the CPU
            if attempt == 0:
                deadline.restart()  # the timeout bounds the request, not its slot wait
            started = self._now()
            try:
                deadline.check(call.endpoint.path, what)
                return await once()
            except (httpx.TransportError, e.MemoriesError) as exc:
                delay = self._retry_or_raise(call, exc, attempt, started, deadline)
            await asyncio.sleep(delay)
            attempt += 1

    async def _start(
        self,
        call: Call[Any],
        files: list[Any],
        timeout: float | httpx.Timeout | None,
        deadline: Deadline,
    ) -> httpx.Response:
        """Send the request and return once the headers are in; the body is read by the caller."""
        self._log_chat(call)
        http = await self._http_pool.acquire()
        request = http.build_request(
            call.endpoint.method,
            self._url(call),
            **self._request_kwargs(call, files, self._phase_timeout(timeout, deadline)),
        )
        if files:
            request.stream = CoalescedStream(request.stream)
        # httpx bounds each read, not the headers as a whole: the deadline bounds them too.
        try:
            async with AsyncHeaderDeadline(deadline, call.endpoint.path, upload=bool(files)):
                return await http.send(request, stream=True, auth=self._auth_for(call))
        except RuntimeError as exc:  # a caller's httpx client used from another event loop
            if (typed := self._http_pool.translate(exc)) is not None:
                raise typed from exc
            raise

    async def _open_stream(
        self,
        call: Call[Any],
        *,
        accept_json: bool = False,
        timeout: float | httpx.Timeout | None = None,
        deadline: Deadline | None = None,
    ) -> httpx.Response:
        """Send a streaming request; retries happen only before any body byte was read.

        A 200 labelled JSON is an error envelope unless ``accept_json`` (chat, whose endpoints
        may answer one JSON envelope): then the caller tells stream from JSON by its bytes.
        """
        opened = deadline or Deadline(None)
        path = call.endpoint.path

        async def once() -> httpx.Response:
            response = await self._start(call, [], timeout, opened)
            content_type = response.headers.get("content-type", "")
            if response.status_code == 200 and (accept_json or "json" not in content_type):
                return response
            try:
                body = await AsyncBody(response, endpoint=path, deadline=opened).read(
                    self.limits.max_response_bytes
                )
            finally:
                await response.aclose()
            unwrap(response, body, endpoint=path)
            raise e.ResponseParseError("expected a stream", endpoint=path)

        return await self._attempts(call, opened, once)

    async def _events(
        self,
        call: Call[Any],
        *,
        timeout: float | None = None,
        idle_timeout: float | None = None,
        on_response: Callable[[httpx.Response], None] | None = None,
    ) -> AsyncIterator[ChatEvent]:
        """Chat events, whether the server streams them or answers one JSON envelope.

        ``timeout`` bounds the whole stream and ``idle_timeout`` the wait between two events
        (defaults: the client's ``stream_timeout`` / ``stream_idle_timeout``); ``on_response``
        sees the response once its headers are in.
        """
        path = call.endpoint.path
        total = Deadline(self.stream_timeout if timeout is None else timeout)
        idle = IdleClock(self.stream_idle_timeout if idle_timeout is None else idle_timeout, path)
        # Each read waits at most the idle limit: a silent server trips httpx's read timeout.
        base = self.timeout
        phases = base
        if idle.seconds is not None:
            read = idle.seconds if base.read is None else min(base.read, idle.seconds)
            phases = httpx.Timeout(
                connect=base.connect, read=read, write=base.write, pool=base.pool
            )
        response = await self._open_stream(call, accept_json=True, timeout=phases, deadline=total)
        idle.reset()  # a rate-limit wait before sending is not server idleness
        record(response)  # for with_raw_response
        if on_response is not None:
            on_response(response)
        body = AsyncBody(response, endpoint=path, deadline=total)
        try:
            content_type = response.headers.get("content-type", "").lower()
            if not await body.is_event_stream() and SSE not in content_type:
                # One JSON envelope (the current /chat), or bare JSON lines labelled JSON.
                raw = await body.read(self.limits.max_response_bytes)
                for event in self._json_answer(response, raw, path):
                    yield event
                return
            lines = LineSplitter(self.limits.max_line_bytes, path)
            async for chunk in body.chunks():
                for line in lines.feed(chunk):
                    if (parsed := parse_line(line, endpoint=path)) is not None:
                        yield parsed
                        idle.reset()  # time the consumer spends is not server idleness
                idle.check()
            if (last := lines.rest()) is not None and (
                parsed := parse_line(last, endpoint=path)
            ) is not None:
                yield parsed
        except WholeAnswer as answer:
            for event in answer_events(answer.data, endpoint=path):
                yield event
            return
        except StreamEnd:
            return
        except httpx.TransportError as exc:
            raise self._stream_error(exc, path) from exc
        finally:
            await response.aclose()
        raise incomplete(path)

    def _stream(
        self, call: Call[Any], *, timeout: float | None, idle_timeout: float | None
    ) -> AsyncStream[ChatEvent]:
        """``_events`` as a stream object (iterable, closable, with its ``response``)."""
        return AsyncStream(
            lambda opened: self._events(
                call, timeout=timeout, idle_timeout=idle_timeout, on_response=opened
            )
        )

    @staticmethod
    def _json_answer(response: httpx.Response, raw: bytes, path: str) -> list[ChatEvent]:
        """Events of a chat answered as JSON: one envelope, else JSON lines."""
        try:
            data = unwrap(response, raw, endpoint=path)
        except e.ResponseParseError:
            events: list[ChatEvent] = []
            try:
                for line in raw.decode("utf-8", errors="replace").splitlines():
                    event = parse_line(line, endpoint=path)
                    if event is not None:
                        events.append(event)
            except WholeAnswer as answer:
                return events + answer_events(answer.data, endpoint=path)
            except StreamEnd:
                return events
            raise incomplete(path) from None
        return answer_events(data, endpoint=path)
