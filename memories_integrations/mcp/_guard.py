"""Checks in front of the MCP SDK's HTTP transport: Host/Origin (DNS rebinding) on every
host, and 400 for a body the SDK would answer 500 to (invalid UTF-8, absurdly deep JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LOOPBACK", "MAX_JSON_DEPTH", "Guard", "HostRules", "host_rules"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_WILDCARD = ("0.0.0.0", "::", "")
#: Nesting deeper than this is refused (JSON-RPC messages are a few levels deep).
MAX_JSON_DEPTH = 64
_LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")
_LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


@dataclass(frozen=True)
class HostRules:
    """``Host`` values and ``Origin`` values a request may carry (``name:*``: any port)."""

    hosts: tuple[str, ...]
    origins: tuple[str, ...]

    def allows_host(self, value: str | None) -> bool:
        return bool(value) and _matches(value or "", self.hosts)

    def allows_origin(self, value: str | None) -> bool:
        return not value or _matches(value, self.origins)  # no Origin: not from a browser


def _matches(value: str, allowed: Iterable[str]) -> bool:
    return any(value == a or (a.endswith(":*") and value.startswith(a[:-1])) for a in allowed)


def _with_port(host: str) -> str:
    return f"[{host}]:*" if ":" in host and not host.startswith("[") else f"{host}:*"


def host_rules(
    bind: str, allowed_hosts: Sequence[str] = (), allowed_origins: Sequence[str] = ()
) -> HostRules:
    """What a server bound to ``bind`` accepts. Loopback: loopback names only (as before).
    Another address: that address, plus ``--allowed-host`` / ``--allowed-origin`` values; a
    wildcard bind (``0.0.0.0``) accepts loopback plus only what is listed. Safe default: a
    browser Origin is refused unless it is the bound address or listed."""
    extra_hosts = tuple(allowed_hosts)
    extra_hosts += tuple(_with_port(h) for h in allowed_hosts if ":" not in h)
    origins = tuple(allowed_origins)
    if bind in LOOPBACK or bind in _WILDCARD:
        return HostRules(_LOOPBACK_HOSTS + extra_hosts, _LOOPBACK_ORIGINS + origins)
    name = _with_port(bind)
    own_origins = (f"http://{name}", f"https://{name}")
    return HostRules((bind, name, *extra_hosts), own_origins + origins)


def _depth_over(text: str, limit: int) -> bool:
    """Whether JSON ``text`` nests deeper than ``limit`` (one pass, strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class Guard:
    """ASGI app: refuse bad Host (421) / Origin (403) and bad bodies (400), else ``app``."""

    def __init__(self, app: Any, rules: HostRules) -> None:
        self.app = app
        self.rules = rules

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not self.rules.allows_host(headers.get("host")):
            await _refuse(send, 421, "Invalid Host header")
            return
        if not self.rules.allows_origin(headers.get("origin")):
            await _refuse(send, 403, "Invalid Origin header")
            return
        if scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            await _refuse(send, 400, "Parse error: the body is not UTF-8", rpc=True)
            return
        if _depth_over(text, MAX_JSON_DEPTH):
            await _refuse(send, 400, f"Parse error: JSON nested over {MAX_JSON_DEPTH}", rpc=True)
            return
        replayed = False

        async def replay() -> Any:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Any, status: int, message: str, *, rpc: bool = False) -> None:
    if rpc:
        error = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": message}}
        body, kind = json.dumps(error).encode(), b"application/json"
    else:
        body, kind = message.encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
