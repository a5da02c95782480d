"""Global options (--json, --base-url, --api-key) before or after the sub-command name."""

from __future__ import annotations

import json
import subprocess
import sys

from memories_integrations.testing import EmulatorServer

from .conftest import _env


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "memories_integrations", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env or _env(),
    )


def test_options_before_the_sub_command(emu: EmulatorServer, library: dict[str, str]) -> None:
    # MEMORIES_BASE_URL points elsewhere: the option given before the command wins.
    env = _env() | {"MEMORIES_BASE_URL": "http://127.0.0.1:9"}
    before = _run("--json", "--base-url", emu.base_url, "--api-key", emu.api_key, "list", env=env)
    assert before.returncode == 0, before.stderr
    assert before.stdout.lstrip().startswith("[")  # JSON, not a table
    assert {v["video_no"] for v in json.loads(before.stdout)} >= set(library.values())


def test_options_after_the_sub_command_override_the_ones_before(emu: EmulatorServer) -> None:
    both = _run(
        "--base-url",
        "http://127.0.0.1:9",
        "--api-key",
        "wrong",
        "list",
        "--json",
        "--base-url",
        emu.base_url,
        "--api-key",
        emu.api_key,
    )
    assert both.returncode == 0, both.stderr
    assert both.stdout.lstrip().startswith("[")
