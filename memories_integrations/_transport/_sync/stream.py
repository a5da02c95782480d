# Generated from _transport/_async/stream.py by scripts/unasync.py: edit that file, not this one.
"""A streamed answer (Synchronous): iterate it, close it, read its HTTP response."""

from __future__ import annotations

from collections.abc import Iterator, Callable
from types import TracebackType
from typing import Generic, TypeVar

import httpx

from memories_integrations._transport.raw import ResponseHead

T = TypeVar("T")


class Stream(Generic[T]):
    """The events of a chat, as they arrive.

    ``for event in stream`` reads them; ``with`` or ``close()`` releases the
    connection early; ``response`` (status, headers, request id) is there once the server
    answered, i.e. from the first event on.
    """

    def __init__(
        self, open_events: Callable[[Callable[[httpx.Response], None]], Iterator[T]]
    ) -> None:
        self.response: ResponseHead | None = None
        self._events = open_events(self._opened)

    def _opened(self, response: httpx.Response) -> None:
        self.response = ResponseHead(response)

    def __iter__(self) -> Stream[T]:
        return self

    def __next__(self) -> T:
        return self._events.__next__()

    def close(self) -> None:
        """Stop reading and release the connection (a no-op once the stream has ended)."""
        close = getattr(self._events, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
