"""``memories emulator``: described options, sample preload, the environment to export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from memories_integrations.testing import sample_videos

from .conftest import _env, run


@contextmanager
def emulator(*options: str) -> Iterator[dict[str, str]]:
    """``memories emulator --port 0 OPTIONS``; yields the variables its banner says to export."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "memories_integrations", "emulator", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
    )
    try:
        assert proc.stdout is not None
        exports: dict[str, str] = {}
        for line in proc.stdout:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                exports[name] = value
            if "MEMORIES_API_KEY" in exports:  # the last line of the banner
                break
        yield exports
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_help_describes_every_option(capsys: pytest.CaptureFixture[str], cli_env: None) -> None:
    shown = run(capsys, "emulator", "--help").stdout
    for option in ("--preload-samples", "--no-rate-limits", "--encoding-delay", "--port"):
        line = next(x for x in shown.splitlines() if x.strip().startswith(option))
        assert len(line.split()) > 1 or option in ("--preload-samples",), line
    assert "sample videos already uploaded and ready" in shown
    assert "print the environment to export" in shown


def test_preloaded_emulator_and_its_printed_environment_serve_the_cli(
    capsys: pytest.CaptureFixture[str], cli_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with emulator("--preload-samples", "--no-rate-limits") as exports:
        assert exports["MEMORIES_API_KEY"] == "emulator-key"
        assert exports["MEMORIES_RATE_LIMITER"] == "off"  # not paced by the client
        # The CLI in-process with exactly the exported MEMORIES_* environment.
        for name in [n for n in os.environ if n.startswith("MEMORIES_")]:
            monkeypatch.delenv(name)
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        listed = run(capsys, "list", "--json")
    assert listed.code == 0, listed.stderr
    videos = json.loads(listed.stdout)
    assert {v["video_name"] for v in videos} == {p.stem for p in sample_videos()}
    assert {v["status"] for v in videos} == {"PARSE"}


def test_with_rate_limits_the_client_keeps_pacing() -> None:
    with emulator() as exports:
        assert set(exports) == {"MEMORIES_BASE_URL", "MEMORIES_API_KEY"}
        assert exports["MEMORIES_BASE_URL"].startswith("http://127.0.0.1:")
