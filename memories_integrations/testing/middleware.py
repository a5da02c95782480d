"""Outermost ASGI layer: request log, extra latency and fault injection on the wire.

Dropping a connection needs the server transport, which ASGI does not expose. Under uvicorn
the ``receive`` callable is a bound method of its per-request cycle object, which holds the
transport: closing that transport makes the client see a transport error (e.g.
``httpx.RemoteProtocolError``) instead of an HTTP response. Without a transport (in-process
``httpx.ASGITransport``) a ``ConnectionResetError`` is raised instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from memories_integrations.testing.envelope import RATE_LIMIT_MSG, envelope
from memories_integrations.testing.faults import FaultRule, RequestLogEntry, now

if TYPE_CHECKING:
    from memories_integrations.testing.emulator import Emulator

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

ADMIN_PREFIX = "/_emulator"
_MAX_LOGGED_BODY = 256 * 1024


class Dropper:
    """Closes the client connection without (the rest of) a response."""

    def __init__(self, receive: Receive) -> None:
        self._cycle = getattr(receive, "__self__", None)
        self.done = False

    async def drop(self) -> None:
        self.done = True
        transport = getattr(self._cycle, "transport", None)
        if transport is None or not hasattr(transport, "close"):
            raise ConnectionResetError("memories emulator dropped the connection")
        # Mark the cycle disconnected first so uvicorn does not answer with its own 500.
        self._cycle.disconnected = True  # type: ignore[union-attr]
        transport.close()
        await asyncio.sleep(0)


class EmulatorMiddleware:
    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self.app = app
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        emu = self.emulator
        headers = {k.decode("latin-1").lower(): v for k, v in scope.get("headers", [])}
        entry = RequestLogEntry(
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            body_sha256="",
            body_size=0,
            time=now(),
            authorization="authorization" in headers,
        )
        emu.request_log.begin()
        hasher = hashlib.sha256()
        body_done = False

        async def logged_receive() -> Message:
            nonlocal body_done
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                hasher.update(chunk)
                entry.body_size += len(chunk)
                body_done = not message.get("more_body", False)
            elif message["type"] == "http.disconnect":
                body_done = True
            return message

        async def drain() -> None:
            while not body_done:
                await logged_receive()

        captured = bytearray()
        logged = False

        def log_entry() -> None:
            nonlocal logged
            if not logged:
                logged = True
                entry.body_sha256 = hasher.hexdigest()
                entry.code = _envelope_code(bytes(captured))
                emu.request_log.add(entry)

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.http_status = message["status"]
            elif message["type"] == "http.response.body":
                if len(captured) < _MAX_LOGGED_BODY:
                    captured.extend(message.get("body", b"")[: _MAX_LOGGED_BODY - len(captured)])
                if not message.get("more_body", False):
                    # Logged before the last byte leaves: a client that has its answer can
                    # always find its request in the log.
                    log_entry()
            await send(message)

        dropper = Dropper(receive)
        scope.setdefault("extensions", {})
        try:
            if emu.settings.extra_latency > 0:
                await asyncio.sleep(emu.settings.extra_latency)
            rule = emu.faults.match(scope["method"], scope["path"])
            if rule is not None:
                entry.fault = rule.kind
                await self._apply(rule, scope, logged_receive, logged_send, drain, dropper)
            else:
                await self.app(scope, logged_receive, logged_send)
        finally:
            log_entry()  # a dropped or failed response is logged too

    async def _apply(
        self,
        rule: FaultRule,
        scope: Scope,
        receive: Receive,
        send: Send,
        drain: Callable[[], Awaitable[None]],
        dropper: Dropper,
    ) -> None:
        if rule.delay:
            await asyncio.sleep(rule.delay)
        kind = rule.kind
        if kind == "delay":
            await self.app(scope, receive, send)
        elif kind == "status":
            await drain()
            await _send_status(send, rule)
        elif kind == "code":
            await drain()
            code = rule.code or "0429"
            msg = rule.msg or (RATE_LIMIT_MSG if code == "0429" else "Injected error")
            await _send_bytes(send, 200, json.dumps(envelope(None, code, msg)).encode())
        elif kind == "malformed_json":
            await drain()
            await _send_bytes(send, 200, b'{"code": "0000", "msg": "success", "data": {"vide')
        elif kind == "drop":
            await drain()
            await dropper.drop()
        elif kind == "reset_after_upload":
            # The request is fully processed (state changes stick) but the answer is lost.
            async def swallow(message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await dropper.drop()
        else:
            await self.app(scope, receive, _StreamCutter(rule, send, dropper).send)


class _StreamCutter:
    """Forwards a streamed response event by event and cuts it as the rule says."""

    def __init__(self, rule: FaultRule, send: Send, dropper: Dropper) -> None:
        self.rule = rule
        self.downstream = send
        self.dropper = dropper
        self.events = 0
        self.cut = False

    async def send(self, message: Message) -> None:
        if message["type"] != "http.response.body":
            await self.downstream(message)
            return
        if self.dropper.done:
            return
        body: bytes = message.get("body", b"")
        more = message.get("more_body", False)
        if self.cut:
            if not more:
                await self.downstream({"type": "http.response.body", "body": b""})
            return
        is_event = body.lstrip().startswith(b"data:")
        final = body.lstrip().startswith(b'data: {"code"')  # the closing SUCCESS message
        limit = self.rule.after_events
        if self.rule.drop_mid_stream:
            if is_event and self.events >= (2 if limit is None else limit):
                await self.dropper.drop()
                return
        elif is_event and (final or (limit is not None and self.events >= limit)):
            self.cut = True  # truncate: end the body cleanly, without the Done message
            if not more:
                await self.downstream({"type": "http.response.body", "body": b""})
            return
        if is_event:
            self.events += 1
        await self.downstream(message)


async def _send_bytes(
    send: Send,
    status: int,
    body: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
    content_type: bytes = b"application/json",
) -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_status(send: Send, rule: FaultRule) -> None:
    status = rule.status or 500
    if rule.body is None:
        body = json.dumps({"error": "injected fault", "status": status}).encode()
    elif isinstance(rule.body, str):
        body = rule.body.encode()
    else:
        body = json.dumps(rule.body).encode()
    ctype = b"text/plain; charset=utf-8" if isinstance(rule.body, str) else b"application/json"
    extra = []
    if rule.retry_after is not None:
        value = rule.retry_after
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        extra.append((b"retry-after", text.encode()))
    await _send_bytes(send, status, body, extra, ctype)


def _envelope_code(body: bytes) -> str | None:
    if not body.startswith(b"{"):
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    code = parsed.get("code") if isinstance(parsed, dict) else None
    return code if isinstance(code, str) else None
