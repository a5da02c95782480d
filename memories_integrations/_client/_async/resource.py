"""The base of every API area of the asynchronous client (``chat.py``, ``search.py``, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from memories_integrations._transport._async.transport import AsyncTransport

if TYPE_CHECKING:
    import httpx

    from memories_integrations._client.cache import ResponseCache


class AsyncResource:
    """One API area: its methods send through the client's transport.

    The transport's helpers are at hand under their own names, so an area method reads
    ``await self._send(call)``; the settings are read from the transport at each call.
    """

    cache: ResponseCache | None = None
    """What this area reads through (set for every area by ``client.cache = ...``)."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport
        self._send = transport._send
        self._events = transport._events
        self._stream = transport._stream
        self._ns = transport._ns
        self._metadata = transport._metadata

    def _changed(self, unique_id: str | None, video_nos: Iterable[str] = ()) -> None:
        """The namespace's library changed (an upload, an import, a video ready or deleted):
        drop its cached search results and what is cached about ``video_nos``."""
        if self.cache is not None:
            self.cache.invalidate(self._ns(unique_id), video_nos)

    @property
    def english_only(self) -> bool:
        return self._transport.english_only

    @property
    def timeout(self) -> httpx.Timeout:
        return self._transport.timeout
