"""``memories mcp`` started by hand in a terminal: it says what it is, and one Ctrl-C ends it."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import time

from memories_integrations.cli._errors import EXIT_INTERRUPTED
from memories_integrations.testing import EmulatorServer

from .conftest import _env

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "terminal", "version": "0"},
    },
}


def _read_until(fd: int, needle: bytes, *, timeout: float) -> str:
    """What the terminal shows until ``needle`` appears (or the timeout passes)."""
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and (left := deadline - time.monotonic()) > 0:
        if select.select([fd], [], [], left)[0]:
            seen += os.read(fd, 65536)
    return seen.decode(errors="replace")


def test_mcp_in_a_terminal_explains_itself_and_exits_on_the_first_ctrl_c(
    emu: EmulatorServer,
) -> None:
    leader, follower = pty.openpty()  # stdin and stdout are a terminal, as when typed by hand
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "memories_integrations", "mcp"],
            stdin=follower,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            env=_env() | {"MEMORIES_API_KEY": emu.api_key, "MEMORIES_BASE_URL": emu.base_url},
        )
        assert proc.stderr is not None
        first = proc.stderr.readline()  # written before the server starts reading stdin
        assert "speaks MCP" in first and "stdin/stdout" in first and "Ctrl-C" in first
        # An answer to "initialize" typed into the terminal shows the stdio loop is reading it.
        os.write(leader, json.dumps(INITIALIZE).encode() + b"\n")
        assert '"serverInfo"' in _read_until(leader, b'"serverInfo"', timeout=15)
        proc.send_signal(signal.SIGINT)  # once
        try:
            code = proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert code == EXIT_INTERRUPTED
    finally:
        os.close(leader)
        os.close(follower)
