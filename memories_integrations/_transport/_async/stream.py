"""A streamed answer (Asynchronous): iterate it, close it, read its HTTP response."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from memories_integrations._transport.raw import ResponseHead

T = TypeVar("T")


class AsyncStream(Generic[T]):
    """The events of a chat, as they arrive.

    ``async for event in stream`` reads them; ``async with`` or ``close()`` releases the
    connection early; ``response`` (status, headers, request id) is there once the server
    answered, i.e. from the first event on.
    """

    def __init__(
        self, open_events: Callable[[Callable[[httpx.Response], None]], AsyncIterator[T]]
    ) -> None:
        self.response: ResponseHead | None = None
        self._events = open_events(self._opened)

    def _opened(self, response: httpx.Response) -> None:
        self.response = ResponseHead(response)

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        return await self._events.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection (a no-op once the stream has ended)."""
        aclose = getattr(self._events, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
