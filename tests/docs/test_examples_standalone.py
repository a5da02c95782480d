"""Every example runs when copied out of examples/ on its own (issue 22 #9): it imports no
sibling file, and the quick ones run copied into an empty folder against one shared emulator
(through MEMORIES_API_KEY / MEMORIES_BASE_URL, as against the live API). One runs in a fresh
interpreter; the others run in-process as __main__ (runpy, cwd the empty folder, examples/ not
on sys.path), which spares a Python start-up and the framework imports for each."""

from __future__ import annotations

import ast
import os
import py_compile
import runpy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from memories_integrations.testing import EmulatorServer, live_or_emulator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALL = sorted(p.name for p in EXAMPLES.glob("*.py"))
# Quick offline (a couple of seconds each); the llama_index and evaluation ones take longer
# (their imports) and are checked by compile and imports only.
RUN = [
    "langchain_agent.py",
    "langchain_approval.py",
    "langchain_loader.py",
    "langchain_rag.py",
    "langchain_retriever.py",
    "multimodal_rag.py",
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMORIES_")}
    return {**env, **extra}


def _run_alone(name: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    shutil.copy(EXAMPLES / name, tmp_path / name)
    return subprocess.run(
        [sys.executable, name], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def shared() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def test_the_examples_are_listed() -> None:
    assert set(RUN) <= set(ALL) and "_memories_env.py" not in ALL


@pytest.mark.parametrize("name", ALL)
def test_an_example_imports_no_sibling(name: str, tmp_path: Path) -> None:
    source = (EXAMPLES / name).read_text(encoding="utf-8")
    py_compile.compile(str(EXAMPLES / name), cfile=str(tmp_path / "x.pyc"), doraise=True)
    siblings = {p.stem for p in EXAMPLES.glob("*.py")}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            tops = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{name}: relative import"
            tops = [(node.module or "").split(".")[0]]
        else:
            continue
        assert not set(tops) & siblings, f"{name} imports a sibling example: {tops}"


@pytest.mark.parametrize("name", RUN)
def test_an_example_runs_alone_in_an_empty_folder(
    name: str,
    tmp_path: Path,
    shared: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for key in [k for k in os.environ if k.startswith("MEMORIES_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("MEMORIES_API_KEY", shared.api_key)
    monkeypatch.setenv("MEMORIES_BASE_URL", shared.base_url)
    monkeypatch.setenv("MEMORIES_RATE_LIMITER", "off")
    shutil.copy(EXAMPLES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [name])
    monkeypatch.setattr(sys, "path", [p for p in sys.path if Path(p or ".").resolve() != EXAMPLES])
    # (langchain_approval.py without --yes: the reviewer rejects; nothing is deleted.)
    try:
        runpy.run_path(name, run_name="__main__")
    except SystemExit as stop:
        assert stop.code in (0, None), capsys.readouterr().err[-2000:]
    out = capsys.readouterr()
    assert out.out.strip()
    assert "Traceback" not in out.err


def test_an_example_alone_without_a_key_runs_offline(tmp_path: Path) -> None:
    out = _run_alone("langchain_retriever.py", tmp_path, _env())
    assert out.returncode == 0, out.stderr[-2000:]
    assert "(offline: local emulator at http://127.0.0.1:" in out.stdout


def test_live_or_emulator_with_a_key_yields_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMORIES_API_KEY", "sk-live-key")
    with live_or_emulator() as connection:
        assert connection == {}


def test_live_or_emulator_without_a_key_serves_the_samples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from memories_integrations import MemoriesClient, VideoStatus

    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MEMORIES_RATE_LIMITER", "all")
    with live_or_emulator(quiet=True) as connection:
        assert os.environ["MEMORIES_RATE_LIMITER"] == "off"
        assert connection["base_url"].startswith("http://127.0.0.1:")
        with MemoriesClient(**connection) as client:
            videos = client.list_videos().videos
        assert len(videos) >= 4 and all(v.status == VideoStatus.PARSE for v in videos)
    assert os.environ["MEMORIES_RATE_LIMITER"] == "all"  # restored after the block
    assert capsys.readouterr().out == ""
