"""What the sync and async clients do differently and text substitution cannot express.

``scripts/unasync.py`` generates the sync client from the async one by renaming (``AsyncX``
becomes ``X``). Each difference that renaming cannot make is a hand-written pair here whose names
differ only by that prefix, so each generated side calls its own half.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncGenerator, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from memories_integrations._transport.limits import CALL_DEADLINE, Deadline
from memories_integrations._transport.slots import InProcessSlots
from memories_integrations.errors import EventLoopError

if TYPE_CHECKING:  # asyncio loads with the async client only (import time, issue 10)
    import asyncio

    from memories_integrations._endpoints.base import Call
    from memories_integrations._transport.base import BaseClient


class AsyncHeaderDeadline:
    """Bounds sending a request and waiting for its response headers by the call's deadline.

    httpx's timeouts bound each read, so headers dripped a byte at a time never end; a cancel
    scope bounds the whole wait, on any httpx.AsyncClient (a caller's too). A timeout is the
    deadline's MemoriesTimeoutError, except for an ``upload``: its body may have arrived, so it
    stays an httpx timeout, which the transport reports as UploadOutcomeUnknownError.
    """

    def __init__(self, deadline: Deadline, endpoint: str, *, upload: bool = False) -> None:
        self.deadline, self.endpoint, self.upload = deadline, endpoint, upload

    @staticmethod
    def client(**kwargs: Any) -> httpx.AsyncClient:
        """The httpx client a client creates for itself (the scope bounds any client)."""
        return httpx.AsyncClient(**kwargs)

    async def __aenter__(self) -> None:
        # anyio: what httpx's own async backend runs on; unlike asyncio.timeout it has 3.10.
        import anyio

        self._scope = anyio.fail_after(self.deadline.remaining())
        self._scope.__enter__()

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._scope.__exit__(t, v, tb)
        except TimeoutError as exc:
            if self.upload:
                raise httpx.ReadTimeout(str(self.deadline.error(self.endpoint))) from exc
            raise self.deadline.error(self.endpoint) from exc
        if isinstance(v, httpx.TimeoutException) and self.deadline.expired() and not self.upload:
            raise self.deadline.error(self.endpoint) from v


class HeaderDeadline:
    """Bounds sending a request and waiting for its response headers by the call's deadline.

    A blocking read cannot be cancelled, so the deadline is handed to the network backend of
    the client's own httpx transport (``deadline_transport``), which shortens every socket wait to
    it. A caller's ``http_client=`` is never changed: there only httpx's per-read limits apply.
    Timeouts are typed as in ``AsyncHeaderDeadline``.
    """

    def __init__(self, deadline: Deadline, endpoint: str, *, upload: bool = False) -> None:
        self.deadline, self.endpoint, self.upload = deadline, endpoint, upload

    @staticmethod
    def client(**kwargs: Any) -> httpx.Client:
        """The httpx client a client creates for itself: its transport bounds every socket wait."""
        from memories_integrations._transport.deadline_transport import deadline_client

        return deadline_client(ssl_context=kwargs.pop("verify"), **kwargs)

    def __enter__(self) -> None:
        self._token = CALL_DEADLINE.set(self.deadline)

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        CALL_DEADLINE.reset(self._token)
        if isinstance(v, httpx.TimeoutException) and self.deadline.expired() and not self.upload:
            raise self.deadline.error(self.endpoint) from v


class AsyncSlotWait:
    """Seconds a call waits for its rate-limit slot (``BaseClient._limiter_delay``), booked
    without holding up the event loop."""

    @staticmethod
    async def of(
        client: BaseClient, call: Call[Any], deadline: Deadline | None, *, first: bool = True
    ) -> float:
        limiter = client.rate_limiter
        if limiter is None or isinstance(limiter.slots, InProcessSlots):
            return client._limiter_delay(call, deadline, first=first)  # a lock and a dict
        # Another store (RedisSlots) is a network round trip: it runs in a worker thread so the
        # loop's other tasks go on. One sync store then serves both clients (no redis.asyncio
        # twin to keep in step); to_thread copies the context, so RATE_WAIT_HOOK still hears.
        import asyncio

        return await asyncio.to_thread(client._limiter_delay, call, deadline, first=first)


class SlotWait:
    """Seconds a call waits for its rate-limit slot (``BaseClient._limiter_delay``)."""

    @staticmethod
    def of(
        client: BaseClient, call: Call[Any], deadline: Deadline | None, *, first: bool = True
    ) -> float:
        return client._limiter_delay(call, deadline, first=first)


class AsyncHttpPool:
    """The ``httpx.AsyncClient`` of each event loop a client runs in.

    httpx pools hold loop-bound connections, so one httpx client serves only the loop it first
    ran in. A client that builds its own gets one per running loop, made on first use there and
    closed when that loop ends (``asyncio.run`` closes async generators before it closes the
    loop: a generator parked in the loop closes that httpx client then). So one
    ``AsyncMemoriesClient`` works across ``asyncio.run`` calls and leaves no socket of an ended
    loop open. A loop closed without that shutdown is forgotten at the next use (its sockets
    close when its httpx client is collected).

    A caller's ``http_client=`` is used as is, from every loop; using it from a loop it cannot
    serve is an ``EventLoopError`` that says why (``translate``).
    """

    def __init__(
        self, given: httpx.AsyncClient | None, make: Callable[[], httpx.AsyncClient]
    ) -> None:
        self.given, self._make = given, make
        self._lock = threading.RLock()  # a watcher ended here takes it again
        self._by_loop: dict[asyncio.AbstractEventLoop, httpx.AsyncClient] = {}
        self._watchers: dict[asyncio.AbstractEventLoop, AsyncGenerator[None, None]] = {}
        # Built now (no I/O), as before: the first loop to use it adopts it.
        self._latest = given or make()
        self._fresh = given is None
        self._closed = False

    def current(self) -> httpx.AsyncClient:
        """The running loop's httpx client if it has one, else the latest made."""
        with self._lock:
            return self._by_loop.get(_running_loop(), self._latest)  # type: ignore[arg-type]

    async def acquire(self) -> httpx.AsyncClient:
        """The running loop's httpx client, made (and watched) on its first use there."""
        if self.given is not None:
            return self.given
        loop = _running_loop()
        if loop is None:  # not asyncio (trio via anyio): one httpx client, closed by aclose()
            return self._latest
        with self._lock:
            http = self._by_loop.get(loop)
            if http is not None or self._closed:
                return http or self._latest  # closed: httpx says so on send
            self._forget_ended_loops()
            if self._fresh:
                http, self._fresh = self._latest, False
            else:
                http = self._latest = self._make()
            self._by_loop[loop] = http
        watcher = self._close_at_loop_end(loop, http)
        await watcher.__anext__()  # parks it in the loop until the loop shuts down
        with self._lock:
            self._watchers[loop] = watcher
        return http

    async def _close_at_loop_end(
        self, loop: asyncio.AbstractEventLoop, http: httpx.AsyncClient
    ) -> AsyncGenerator[None, None]:
        try:
            yield
        finally:
            with self._lock:
                if self._by_loop.get(loop) is http:
                    del self._by_loop[loop]
                self._watchers.pop(loop, None)
            if not loop.is_closed():
                await http.aclose()

    def _forget_ended_loops(self) -> None:
        """Drop the httpx clients of loops closed without closing their async generators."""
        for loop in [lp for lp in self._by_loop if lp.is_closed()]:
            del self._by_loop[loop]
            watcher = self._watchers.pop(loop, None)
            if watcher is not None:  # end it now: its loop can no longer run its finaliser
                with contextlib.suppress(StopIteration, RuntimeError):
                    watcher.aclose().send(None)

    async def aclose(self) -> None:
        """Close the httpx client of the running loop and one no loop has used yet (never a
        caller's); those of other loops still running close when their loop ends."""
        if self.given is not None:
            return
        with self._lock:
            self._closed = True
            mine = {self._by_loop.get(_running_loop())}  # type: ignore[arg-type]
            if self._fresh or not self._by_loop:
                mine.add(self._latest)
        for http in mine:
            if http is not None:
                await http.aclose()

    def translate(self, exc: RuntimeError) -> EventLoopError | None:
        """A caller's httpx client used from a loop it cannot serve: say so, typed."""
        if self.given is None or "loop" not in str(exc).lower():
            return None
        return EventLoopError(
            "the http_client= given to this AsyncMemoriesClient cannot be used from this "
            f"event loop ({exc}): an httpx.AsyncClient belongs to the loop its connections "
            "were opened in, so one from an ended asyncio.run cannot serve the next. Create "
            "the httpx client inside each asyncio.run, or let the client build its own (no "
            "http_client=): that one works in every loop"
        )


class HttpPool:
    """The ``httpx.Client`` of a client: one for every thread (blocking I/O has no loop)."""

    def __init__(self, given: httpx.Client | None, make: Callable[[], httpx.Client]) -> None:
        self.given = given
        self._http = given or make()

    def current(self) -> httpx.Client:
        return self._http

    def acquire(self) -> httpx.Client:
        return self._http

    def close(self) -> None:
        if self.given is None:
            self._http.close()

    def translate(self, exc: RuntimeError) -> EventLoopError | None:
        return None  # a blocking client has no event loop to be bound to


def _running_loop() -> asyncio.AbstractEventLoop | None:
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
