# Generated from _client/_async/resource.py by scripts/unasync.py: edit that file, not this one.
"""The base of every API area of the asynchronous client (``chat.py``, ``search.py``, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memories_integrations._transport._sync.transport import Transport

if TYPE_CHECKING:
    import httpx


class Resource:
    """One API area: its methods send through the client's transport.

    The transport's helpers are at hand under their own names, so an area method reads
    ``self._send(call)``; the settings are read from the transport at each call.
    """

    def __init__(self, transport: Transport) -> None:
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
