"""CLI tests: an emulator with a small library, and a runner for the real entry points."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from memories_integrations import MemoriesClient
from memories_integrations.cli import main
from memories_integrations.testing import EmulatorServer, sample_videos


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    """The CLI in-process: same parser, handlers and exit codes, without an interpreter start
    (use it with the ``cli_env`` fixture: the environment ``run_module`` gives a process)."""
    return Run(*call(capsys, *argv))


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key or server from the environment; plain, wide output (as ``_env`` for a process)."""
    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY", "MEMORIES_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMORIES_")}
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "160"
    return env


def run_module(*args: str, stdin: str = "", timeout: float = 60) -> Run:
    """``python -m memories_integrations ARGS`` in a fresh process."""
    proc = subprocess.run(
        [sys.executable, "-m", "memories_integrations", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_env(),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_script(*args: str, timeout: float = 90) -> Run:
    """The installed ``memories`` console script (``pip install -e . --no-deps``)."""
    script = shutil.which("memories")
    if script is None:
        pytest.skip("the memories console script is not installed (pip install -e . --no-deps)")
    proc = subprocess.run(
        [script, *args], capture_output=True, text=True, timeout=timeout, env=_env()
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=0.1, rate_limits=False) as server:
        yield server


@pytest.fixture(scope="module")
def library(emu: EmulatorServer) -> dict[str, str]:
    """The bundled samples, uploaded and PARSE: {file stem: video_no}."""
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as client:
        nos = {p.stem: client.upload(p).video_no for p in sample_videos()}
        emu.complete_all()
    return nos


@pytest.fixture(scope="module")
def conn(emu: EmulatorServer) -> list[str]:
    """Connection options for the emulator."""
    return ["--base-url", emu.base_url, "--api-key", emu.api_key]
