"""A tiny hostile HTTP server on 127.0.0.1 for reliability tests (no emulator, no cassette).

    with HostileServer(drip(envelope({"videos": []}), every=0.5)) as server:
        MemoriesClient(api_key="k", base_url=server.base_url, timeout=2).search("x")

A behaviour is an ``async (request, writer)`` callable; the factories below cover the usual
attacks: dripping bytes (body or headers), endless bodies, gzip bombs, SSE lines without a
newline, keepalive comments forever, wrong content types, statuses with headers.
``routes({...})`` picks one by path. Every request is recorded in ``server.requests``. Writes
stop quietly once the client has gone, so an endless behaviour ends when the client gives up.
"""

from __future__ import annotations

import asyncio
import json
import threading
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Writer = asyncio.StreamWriter


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Behaviour = Callable[[Request, Writer], Awaitable[None]]


def envelope(data: Any, code: str = "0000") -> bytes:
    return json.dumps({"code": code, "msg": "success", "data": data}).encode()


def head(
    writer: Writer,
    status: int = 200,
    content_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
    length: int | None = None,
) -> None:
    """Write a status line and headers; without ``length`` the body ends when we close."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


def answer(
    body: bytes,
    status: int = 200,
    content_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> Behaviour:
    """A normal response."""

    async def run(_: Request, w: Writer) -> None:
        head(w, status, content_type, headers, length=len(body))
        w.write(body)
        await w.drain()

    return run


def sse(
    lines: Sequence[str | bytes], content_type: str = "text/event-stream", every: float = 0.0
) -> Behaviour:
    """Each item is written as one SSE line (a str gets ``\\n\\n``; bytes are sent as is)."""

    async def run(_: Request, w: Writer) -> None:
        head(w, 200, content_type)
        for line in lines:
            w.write(line if isinstance(line, bytes) else (line + "\n\n").encode())
            await w.drain()
            if every:
                await asyncio.sleep(every)

    return run


def drip(body: bytes, every: float = 0.5, content_type: str = "application/json") -> Behaviour:
    """Headers at once, then the body one byte every ``every`` seconds."""

    async def run(_: Request, w: Writer) -> None:
        head(w, 200, content_type, length=len(body))
        await w.drain()
        for i in range(len(body)):
            w.write(body[i : i + 1])
            await w.drain()
            await asyncio.sleep(every)

    return run


def drip_headers(body: bytes, every: float = 0.5, step: int = 1, padding: int = 0) -> Behaviour:
    """The status line and headers ``step`` bytes every ``every`` seconds (``padding`` bytes
    of an extra header make them longer), then ``body``: every read is fast, the headers end
    late (about ``every * (120 + padding) / step`` seconds)."""

    async def run(_: Request, w: Writer) -> None:
        lines = [
            "HTTP/1.1 200 OK",
            "Content-Type: application/json",
            "Connection: close",
            f"Content-Length: {len(body)}",
            f"X-Padding: {'p' * padding}",
        ]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        for i in range(0, len(raw), step):
            w.write(raw[i : i + step])
            await w.drain()
            await asyncio.sleep(every)
        w.write(body)
        await w.drain()

    return run


def endless(
    chunk: bytes = b" " * 65536,
    prefix: bytes = b'{"code":"0000","data":"',
    content_type: str = "application/json",
    length: int | None = None,
    every: float = 0.0,
) -> Behaviour:
    """``prefix`` then ``chunk`` forever (``length`` may announce any Content-Length)."""

    async def run(_: Request, w: Writer) -> None:
        head(w, 200, content_type, length=length)
        w.write(prefix)
        while True:
            w.write(chunk)
            await w.drain()
            await asyncio.sleep(every)

    return run


def gzip_bomb(
    inflated: int = 256 * 1024 * 1024, content_type: str = "application/json"
) -> Behaviour:
    """A gzip body of a JSON envelope padded with ``inflated`` spaces (a few hundred KB sent)."""

    async def run(_: Request, w: Writer) -> None:
        head(w, 200, content_type, {"Content-Encoding": "gzip"})
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        w.write(z.compress(b'{"code":"0000","data":"'))
        block = b" " * (1024 * 1024)
        for _block in range(inflated // len(block)):
            w.write(z.compress(block))
            await w.drain()
        w.write(z.compress(b'"}') + z.flush())
        await w.drain()

    return run


def keepalive_forever(every: float = 0.2, first: Sequence[str] = ()) -> Behaviour:
    """``first`` SSE lines, then ``: keepalive`` comments until the client leaves."""

    async def run(_: Request, w: Writer) -> None:
        head(w, 200, "text/event-stream")
        for line in first:
            w.write((line + "\n\n").encode())
        while True:
            w.write(b": keepalive\n\n")
            await w.drain()
            await asyncio.sleep(every)

    return run


def silent() -> Behaviour:
    """Accept the request, never answer."""

    async def run(_: Request, w: Writer) -> None:
        await asyncio.sleep(3600)

    return run


def routes(table: Mapping[str, Behaviour], default: Behaviour | None = None) -> Behaviour:
    """Choose a behaviour by path (the last path segment or the whole path)."""

    async def run(req: Request, w: Writer) -> None:
        chosen = table.get(req.path) or table.get(req.path.rsplit("/", 1)[-1]) or default
        if chosen is None:
            await answer(b'{"code":"0001","msg":"no route"}', 404)(req, w)
        else:
            await chosen(req, w)

    return run


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour (the last one repeats)."""
    count = [0]

    async def run(req: Request, w: Writer) -> None:
        index = min(count[0], len(behaviours) - 1)
        count[0] += 1
        await behaviours[index](req, w)

    return run


@dataclass
class HostileServer:
    behaviour: Behaviour
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HostileServer:
        ready = threading.Event()
        loop = asyncio.new_event_loop()
        self._loop = loop

        async def serve() -> asyncio.base_events.Server:
            server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            return server

        def run() -> None:
            asyncio.set_event_loop(loop)
            server = loop.run_until_complete(serve())
            ready.set()
            loop.run_forever()
            server.close()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()

        self._thread = threading.Thread(target=run, name="hostile-server", daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    async def _handle(self, reader: asyncio.StreamReader, writer: Writer) -> None:
        try:
            request = await _read_request(reader)
            if request is None:
                return
            self.requests.append(request)
            await self.behaviour(request, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client gave up: that is what the tests want
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    raw = await reader.readuntil(b"\r\n\r\n")
    first, *header_lines = raw.decode("latin-1").split("\r\n")
    if not first:
        return None
    method, target, _ = first.split(" ", 2)
    headers: dict[str, str] = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = b""
    if (length := int(headers.get("content-length", "0") or 0)) > 0:
        body = await reader.readexactly(length)
    return Request(method, target.split("?", 1)[0], headers, body)
