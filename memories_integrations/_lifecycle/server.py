"""The callback receiver as a plain ASGI app, and a loopback server for demos and tests.

The app needs no web framework (the core stays dependency-free); mount it in Starlette or
FastAPI with ``Mount("/callbacks/memories", app=callback_app(receiver))``. ``CallbackServer``
imports uvicorn (``emulator`` extra) only when it starts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from types import TracebackType
from typing import Any

from memories_integrations._lifecycle.receiver import CallbackReceiver
from memories_integrations.errors import ForgedCallbackError, InvalidCallbackError

log = logging.getLogger("memories_integrations")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_PATH = "/callbacks/memories"


async def _respond(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The request body, or None as soon as it exceeds ``limit`` bytes (never buffered whole)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class CallbackApp:
    """ASGI app feeding POSTed callbacks to a CallbackReceiver (see :func:`callback_app`).

    A class instance rather than a function so Starlette's ``Route(path, app)`` treats it as a
    raw ASGI app (``Mount`` would redirect the slash-less callback URL).
    """

    def __init__(self, receiver: CallbackReceiver, *, path: str | None = None) -> None:
        self.receiver = receiver
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = self.path
        if path is not None and scope.get("path", "").rstrip("/") != path.rstrip("/"):
            await _respond(send, 404, {"ok": False, "error": "not found"})
            return
        if scope.get("method") != "POST":
            await _respond(send, 405, {"ok": False, "error": "use POST"})
            return
        if _declared_length(scope) > self.receiver.max_body_bytes:
            await _respond(send, 413, {"ok": False, "error": "body too large"})
            return
        body = await _read_body(receive, self.receiver.max_body_bytes)
        if body is None:
            await _respond(send, 413, {"ok": False, "error": "body too large"})
            return
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        try:
            event = self.receiver.handle(body, query=query)
        except ForgedCallbackError:
            log.warning("rejected a callback with a missing or invalid token")
            await _respond(send, 403, {"ok": False, "error": "forbidden"})
            return
        except InvalidCallbackError as exc:
            await _respond(send, 400, {"ok": False, "error": exc.message})
            return
        except Exception:  # a listener failed: the event is not marked seen; make the sender retry
            log.exception("a callback listener raised; answering 500 so the sender retries")
            await _respond(send, 500, {"ok": False, "error": "listener failed"})
            return
        await _respond(send, 200, {"ok": True, "duplicate": event is None})


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length" and value.isdigit():
            return int(value)
    return 0


def callback_app(receiver: CallbackReceiver, *, path: str | None = None) -> CallbackApp:
    """ASGI app for ``receiver``: mount with ``Route("/callbacks/memories", callback_app(r))``.

    200 ``{"ok": true, "duplicate": bool}`` when accepted (a repeat is acknowledged so the
    sender stops retrying), 403 for a missing/invalid/expired token or one issued for another
    upload, 400 for an invalid payload or a status change after a final status, 413 for a body
    over ``receiver.max_body_bytes``, 500 when a listener raised (the sender retries), 405 for
    other methods. ``path``: answer 404 elsewhere (for serving the app at the root).
    """
    return CallbackApp(receiver, path=path)


class CallbackServer:
    """Serve a receiver on ``http://127.0.0.1:<port>/callbacks/memories`` in a thread.

    >>> with CallbackServer() as server:
    ...     client.upload("a.mp4", wait=True, via=server.receiver)
    """

    def __init__(
        self,
        receiver: CallbackReceiver | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = DEFAULT_PATH,
    ) -> None:
        self.receiver = receiver or CallbackReceiver()
        self.host, self.port, self.path = host, port, path
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.path}"

    def start(self) -> CallbackServer:
        if self._thread is not None:
            return self
        try:
            import uvicorn

            from memories_integrations._loopback import QuickStopServer
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise RuntimeError(
                "CallbackServer needs uvicorn: pip install 'memories-integrations[emulator]'"
            ) from exc
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        app = callback_app(self.receiver, path=self.path)
        config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
        server = QuickStopServer(config)
        self._server = server

        def run() -> None:
            loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(server.serve(sockets=[sock]))
            finally:
                loop.close()
                sock.close()

        self._thread = threading.Thread(target=run, name="memories-callbacks", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("callback server failed to start")
            time.sleep(0.005)
        if self.receiver.url is None:
            self.receiver.url = self.url
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.stop_soon()
        self._thread.join(timeout=10)
        self._server = self._thread = None

    def __enter__(self) -> CallbackServer:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
