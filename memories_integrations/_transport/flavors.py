"""What the sync and async clients do differently and text substitution cannot express.

``scripts/unasync.py`` generates the sync client from the async one by renaming (``AsyncX``
becomes ``X``). Each difference that renaming cannot make is a hand-written pair here whose names
differ only by that prefix, so each generated side calls its own half.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from memories_integrations._transport.limits import CALL_DEADLINE, Deadline
from memories_integrations._transport.slots import InProcessSlots

if TYPE_CHECKING:
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
        return await asyncio.to_thread(client._limiter_delay, call, deadline, first=first)


class SlotWait:
    """Seconds a call waits for its rate-limit slot (``BaseClient._limiter_delay``)."""

    @staticmethod
    def of(
        client: BaseClient, call: Call[Any], deadline: Deadline | None, *, first: bool = True
    ) -> float:
        return client._limiter_delay(call, deadline, first=first)
