"""What a caller sees of the HTTP answer itself: ``Stream.response`` and ``with_raw_response``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Generic, TypeVar

import httpx

from memories_integrations._transport.response import REQUEST_ID_HEADERS

T = TypeVar("T")


class ResponseHead:
    """Status, headers and request id of one HTTP answer (``http_response`` is httpx's)."""

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The server's id of the request (``x-request-id`` / ``request-id``), if it sent one."""
        return next((self.headers[h] for h in REQUEST_ID_HEADERS if self.headers.get(h)), None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] request_id={self.request_id!r}>"


class RawResponse(ResponseHead, Generic[T]):
    """The HTTP answer of a call; ``parse()`` is the typed result the method returns.

    >>> raw = client.with_raw_response.search("a goal")
    >>> raw.status_code, raw.request_id, raw.parse()[0].video_no
    """

    def __init__(self, http_response: httpx.Response, parse: Callable[[], T]) -> None:
        super().__init__(http_response)
        self._parse = parse

    def parse(self) -> T:
        return self._parse()


# The HTTP answers of the calls running under ``with_raw_response`` (None: nobody asks).
_RECORDED: ContextVar[list[httpx.Response] | None] = ContextVar("raw_responses", default=None)


def record(response: httpx.Response) -> None:
    """Note an answer for a ``with_raw_response`` call in progress, if there is one."""
    if (recorded := _RECORDED.get()) is not None:
        recorded.append(response)


@contextlib.contextmanager
def recording() -> Iterator[list[httpx.Response]]:
    """The answers the calls inside the block receive, in order."""
    recorded: list[httpx.Response] = []
    token = _RECORDED.set(recorded)
    try:
        yield recorded
    finally:
        _RECORDED.reset(token)


def raw_response(recorded: list[httpx.Response], result: T, endpoint: str) -> RawResponse[T]:
    if not recorded:  # every raw method sends; a new one that does not must say so
        raise RuntimeError(f"{endpoint} sent no request")
    return RawResponse(recorded[-1], lambda: result)
