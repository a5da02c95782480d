"""Reading a response body chunk by chunk under a deadline and size caps."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from memories_integrations._transport.limits import Deadline, Inflater, too_large

# A body whose first bytes are an SSE field is a stream, whatever its content type says:
# some servers label their event stream application/json (issue 11).
SSE_PREFIXES = (b"data:", b":", b"event:", b"id:", b"retry:")
_SLICE = 64 * 1024


class AsyncBody:
    """One response body, decoded incrementally; ``peek`` looks at its first bytes."""

    def __init__(self, response: httpx.Response, *, endpoint: str, deadline: Deadline) -> None:
        self.response, self.endpoint, self.deadline = response, endpoint, deadline
        self._pending: list[bytes] = []
        self._source: AsyncIterator[bytes] | None = None

    async def _decoded(self) -> AsyncIterator[bytes]:
        if self.response.is_stream_consumed:
            # A response built in memory (MockTransport, a replayed cassette) was read already.
            content = self.response.content
            for start in range(0, len(content), _SLICE):
                yield content[start : start + _SLICE]
            return
        encoding = self.response.headers.get("content-encoding", "")
        if not Inflater.handles(encoding):  # e.g. zstd: httpx decodes, we still count
            async for chunk in self.response.aiter_bytes():
                self.deadline.check(self.endpoint)
                yield chunk
            return
        inflater = Inflater(encoding)
        async for raw in self.response.aiter_raw():
            self.deadline.check(self.endpoint)
            for chunk in inflater.feed(raw):
                yield chunk
        if tail := inflater.flush():
            yield tail

    async def chunks(self) -> AsyncIterator[bytes]:
        """Decoded chunks; the deadline is checked after every network read."""
        while self._pending:
            yield self._pending.pop(0)
        if self._source is None:
            self._source = self._decoded()
        async for chunk in self._source:
            yield chunk

    async def peek(self) -> bytes:
        """The first non-blank bytes of the body (b"" for an empty body), left unconsumed."""
        if self._source is None:
            self._source = self._decoded()
        seen = b"".join(self._pending)
        if len(seen.lstrip()) < 8:
            async for chunk in self._source:  # breaking out leaves the generator open
                self._pending.append(chunk)
                seen += chunk
                if len(seen.lstrip()) >= 8:
                    break
        return seen.lstrip()[:8]

    async def is_event_stream(self) -> bool:
        return (await self.peek()).startswith(SSE_PREFIXES)

    async def read(self, limit: int | None) -> bytes:
        """The whole body, refusing more than ``limit`` bytes (checked before and while reading)."""
        declared = self.response.headers.get("content-length", "")
        plain = self.response.headers.get("content-encoding", "identity") in ("", "identity")
        if limit is not None and plain and declared.isdigit() and int(declared) > limit:
            raise too_large("response body", limit, self.endpoint)
        body = bytearray()
        async for chunk in self.chunks():
            body += chunk
            if limit is not None and len(body) > limit:
                raise too_large("response body (decompressed)", limit, self.endpoint)
        return bytes(body)
