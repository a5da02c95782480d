"""Fixtures for the emulator tests: a running emulator, a plain httpx client, a callback sink."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from memories_integrations.testing import EmulatorServer, sample_videos

V1 = "/serve/api/v1"


@pytest.fixture(scope="module")
def _shared_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=0.05, rate_limits=False) as server:
        yield server


@pytest.fixture
def emu(_shared_emulator: EmulatorServer) -> EmulatorServer:
    """A running emulator, reset to a clean state (sharing one server keeps tests fast)."""
    _shared_emulator.reset()
    return _shared_emulator


def make_client(base_url: str, api_key: str | None = None, **kwargs: Any) -> httpx.Client:
    """A plain httpx client; verify=False skips loading CA certificates (slow, and unused:
    everything here is plain HTTP on loopback)."""
    headers = {"Authorization": api_key} if api_key else {}
    return httpx.Client(
        base_url=base_url, headers=headers, timeout=5, trust_env=False, verify=False, **kwargs
    )


@pytest.fixture(scope="module")
def _shared_client(_shared_emulator: EmulatorServer) -> Iterator[httpx.Client]:
    with make_client(_shared_emulator.base_url, _shared_emulator.api_key) as c:
        yield c


@pytest.fixture
def client(emu: EmulatorServer, _shared_client: httpx.Client) -> httpx.Client:
    return _shared_client


@pytest.fixture
def raw(emu: EmulatorServer) -> Iterator[httpx.Client]:
    """A client without an Authorization header."""
    with make_client(emu.base_url) as c:
        yield c


def sample(name: str) -> Path:
    return next(p for p in sample_videos() if p.name.startswith(name))


def upload(client: httpx.Client, path: Path, unique_id: str = "default", **data: Any) -> str:
    r = client.post(
        f"{V1}/upload",
        files={"file": (path.name, path.read_bytes(), "video/mp4")},
        data={"unique_id": unique_id, **data},
    )
    body = r.json()
    assert body["code"] == "0000", body
    return str(body["data"]["videoNo"])


def wait_status(
    client: httpx.Client, video_no: str, status: str, unique_id: str = "default"
) -> dict[str, Any]:
    deadline = time.monotonic() + 5
    while True:
        meta = client.get(
            f"{V1}/get_metadata", params={"video_no": video_no, "unique_id": unique_id}
        ).json()
        # Strict emulator: ``data: null`` until parsing finished (current Get-metadata page).
        current = meta["data"]["status"] if meta["data"] is not None else "UNPARSE"
        if current == status:
            return dict(meta["data"] or {})
        assert time.monotonic() < deadline, meta
        time.sleep(0.02)


@pytest.fixture
def library(client: httpx.Client, emu: EmulatorServer) -> dict[str, str]:
    """All bundled samples uploaded to unique_id "lib" and parsed: {file stem: videoNo}."""
    nos = {p.stem: upload(client, p, "lib") for p in sample_videos()}
    emu.complete_all()
    return nos


class Sink:
    """A tiny HTTP server recording callbacks; can fail the first N requests with 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_first = 0
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                with sink._lock:
                    failing = sink.fail_first > 0
                    if failing:
                        sink.fail_first -= 1
                    else:
                        sink.received.append(
                            {
                                "method": self.command,
                                "path": parts.path,
                                "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                                "json": json.loads(raw) if raw else None,
                            }
                        )
                self.send_response(500 if failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)
        self.thread.start()

    def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = 5
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                snapshot = list(self.received)
            if predicate(snapshot):
                return snapshot
            assert time.monotonic() < deadline, snapshot
            time.sleep(0.02)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def sink() -> Iterator[Sink]:
    s = Sink()
    yield s
    s.close()
