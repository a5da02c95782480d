"""The base of every API area of the asynchronous client (``chat.py``, ``search.py``, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memories_integrations._transport._async.transport import AsyncTransport

if TYPE_CHECKING:
    import httpx


class AsyncResource:
    """One API area: its methods send through the client's transport.

    The transport's helpers are at hand under their own names, so an area method reads
    ``await self._send(call)``; the settings are read from the transport at each call.
    """

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport
        self._send = transport._send
        self._events = transport._events
        self._stream = transport._stream
        self._ns = transport._ns
        self._metadata = transport._metadata

    @property
    def english_only(self) -> bool:
        return self._transport.english_only

    @property
    def timeout(self) -> httpx.Timeout:
        return self._transport.timeout
