"""``memories mcp`` started by hand in a terminal: it says what it is, and one Ctrl-C ends it."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import time

from memories_integrations.cli._errors import EXIT_INTERRUPTED
from memories_integrations.testing import EmulatorServer

from .conftest import _env


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
        time.sleep(2.0)  # the SDK imported and the stdio loop reading the terminal
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
