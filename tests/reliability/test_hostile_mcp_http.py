"""Hostile HTTP clients of `memories mcp --http` (issue 21 items 4 and 14): foreign Host /
Origin on every bind address, invalid UTF-8 and absurdly deep JSON bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from memories_integrations.mcp._guard import Guard, host_rules

from ._helpers import case_name


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("mcp-http", request))


async def _inner(scope: Any, receive: Any, send: Any) -> None:
    """Stands in for the SDK: echoes the body it was handed."""
    message = await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": message.get("body", b"")})


async def post(
    bind: str, headers: dict[str, str], body: bytes = b"{}", **kw: Any
) -> httpx.Response:
    app = Guard(_inner, host_rules(bind, **kw))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        return await http.post(
            "http://x/mcp", content=body, headers={"content-type": "application/json", **headers}
        )


@pytest.mark.parametrize(
    ("bind", "host", "origin", "status"),
    [
        ("127.0.0.1", "127.0.0.1:8000", None, 200),
        ("127.0.0.1", "evil.example:8000", None, 421),
        ("127.0.0.1", "127.0.0.1:8000", "http://evil.example", 403),
        ("10.0.0.5", "10.0.0.5:8000", None, 200),
        ("10.0.0.5", "evil.example:8000", None, 421),
        ("10.0.0.5", "10.0.0.5:8000", "http://evil.example", 403),
        ("10.0.0.5", "10.0.0.5:8000", "http://10.0.0.5:8000", 200),
        ("0.0.0.0", "evil.example:8000", None, 421),
        ("0.0.0.0", "localhost:8000", None, 200),
    ],
)
async def test_host_and_origin_checked_on_every_bind(
    bind: str, host: str, origin: str | None, status: int
) -> None:
    headers = {"host": host} | ({"origin": origin} if origin else {})
    assert (await post(bind, headers)).status_code == status


async def test_allowed_host_and_origin_options() -> None:
    kw: dict[str, Any] = {
        "allowed_hosts": ["mcp.example.com"],
        "allowed_origins": ["https://app.example.com"],
    }
    ok = await post(
        "0.0.0.0", {"host": "mcp.example.com:8000", "origin": "https://app.example.com"}, **kw
    )
    assert ok.status_code == 200
    other = await post("0.0.0.0", {"host": "mcp.example.com", "origin": "https://x.example"}, **kw)
    assert other.status_code == 403


@pytest.mark.parametrize(
    "body",
    [b"[" * 30_000 + b"]" * 30_000, b'{"a": "\xff\xfe"}', b'{"x":' * 100 + b"1" + b"}" * 100],
    ids=["deep-30000", "invalid-utf8", "deep-100"],
)
async def test_malformed_bodies_get_400(body: bytes) -> None:
    response = await post("127.0.0.1", {"host": "127.0.0.1:8000"}, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


async def test_a_normal_body_reaches_the_sdk_unchanged() -> None:
    body = b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"s": "[[[{{{"}}'
    response = await post("127.0.0.1", {"host": "127.0.0.1:8000"}, body)
    assert response.status_code == 200 and response.content == body


# ---------------------------------------------------------------- the real `memories mcp --http`
def _serve(host: str) -> Any:
    import socket
    import subprocess
    import time

    from memories_integrations.testing import EmulatorServer
    from tests.mcp.conftest import free_port, server_command, server_env

    class Running:
        def __enter__(self) -> str:
            self.emu = EmulatorServer(rate_limits=False).__enter__()
            port = free_port()
            self.proc = subprocess.Popen(
                server_command("--http", "--host", host, "--port", str(port)),
                env=server_env(self.emu),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    with socket.create_connection((host, port), timeout=0.2):
                        return f"http://{host}:{port}/mcp"
                except OSError:
                    time.sleep(0.05)
            raise RuntimeError("memories mcp --http did not start")

        def __exit__(self, *exc: object) -> None:
            self.proc.terminate()
            self.proc.wait(timeout=5)
            self.emu.__exit__(None, None, None)

    return Running()


ACCEPT = {"accept": "application/json, text/event-stream", "content-type": "application/json"}


@pytest.mark.allow_hosts(["127.0.0.1", "127.0.0.2"])
def test_served_non_loopback_bind_checks_host_and_deep_json_gets_400() -> None:
    with _serve("127.0.0.2") as url:  # not a LOOPBACK name: checks used to be off here
        with httpx.Client(timeout=10) as http:
            foreign = http.post(url, content=b"{}", headers={**ACCEPT, "host": "evil.example"})
            assert foreign.status_code == 421
            origin = http.post(url, content=b"{}", headers={**ACCEPT, "origin": "http://evil.x"})
            assert origin.status_code == 403
            deep = http.post(url, content=b"[" * 30_000 + b"]" * 30_000, headers=ACCEPT)
            assert deep.status_code == 400
            bad = http.post(url, content=b'{"jsonrpc": "2.0", "\xff": 1}', headers=ACCEPT)
            assert bad.status_code == 400
