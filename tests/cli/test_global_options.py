"""Global options (--json, --base-url, --api-key) before or after the sub-command name."""

from __future__ import annotations

import json

import pytest

from memories_integrations.testing import EmulatorServer

from .conftest import run

# In-process: the parser and handlers of ``memories``, without an interpreter start.
pytestmark = pytest.mark.usefixtures("cli_env")
Capsys = pytest.CaptureFixture[str]


def test_options_before_the_sub_command(
    capsys: Capsys,
    monkeypatch: pytest.MonkeyPatch,
    emu: EmulatorServer,
    library: dict[str, str],
) -> None:
    # MEMORIES_BASE_URL points elsewhere: the option given before the command wins.
    monkeypatch.setenv("MEMORIES_BASE_URL", "http://127.0.0.1:9")
    before = run(capsys, "--json", "--base-url", emu.base_url, "--api-key", emu.api_key, "list")
    assert before.code == 0, before.stderr
    assert before.stdout.lstrip().startswith("[")  # JSON, not a table
    assert {v["video_no"] for v in json.loads(before.stdout)} >= set(library.values())


def test_options_after_the_sub_command_override_the_ones_before(
    capsys: Capsys, emu: EmulatorServer
) -> None:
    both = run(
        capsys,
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
    assert both.code == 0, both.stderr
    assert both.stdout.lstrip().startswith("[")
