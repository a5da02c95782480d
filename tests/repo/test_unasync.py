"""``scripts/unasync.py``: the sync client is generated from the async one and CI checks it."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYNC = Path("memories_integrations/_client/_sync")
LAYERS_WITH_TWINS = ("_transport", "_client", "_tools")


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "scripts" / "unasync.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the script and of the client sources it reads and writes."""
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts")
    package = tmp_path / "memories_integrations"
    for layer in LAYERS_WITH_TWINS:
        for name in ("_async", "_sync"):
            shutil.copytree(ROOT / "memories_integrations" / layer / name, package / layer / name)
    return tmp_path


def test_generated_files_are_current_on_main() -> None:
    result = run(ROOT, "--check")
    assert result.returncode == 0, result.stderr


def test_every_sync_module_is_generated() -> None:
    """No hand-maintained file in any ``_sync/``: each names its async source."""
    paths = sorted((ROOT / "memories_integrations").rglob("_sync/*.py"))
    assert {p.parent.parent.name for p in paths} >= set(LAYERS_WITH_TWINS)
    for path in paths:
        layer = path.parent.parent.name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(f"# Generated from {layer}/_async/{path.name} by scripts/unasync")


def test_check_fails_after_a_hand_edit_and_regeneration_repairs_it(tree: Path) -> None:
    assert run(tree, "--check").returncode == 0
    edited = tree / SYNC / "search.py"
    edited.write_text(edited.read_text("utf-8").replace("def search(", "def search2("), "utf-8")
    stale = run(tree, "--check")
    assert stale.returncode == 1
    assert "_sync/search.py: stale" in stale.stderr
    assert run(tree).returncode == 0
    assert run(tree, "--check").returncode == 0
    assert "def search(" in edited.read_text("utf-8")


def test_check_fails_on_an_async_edit_not_regenerated(tree: Path) -> None:
    source = tree / "memories_integrations/_client/_async/chat.py"
    source.write_text(source.read_text("utf-8") + "\n# a change\n", "utf-8")
    assert "_sync/chat.py: stale" in run(tree, "--check").stderr


def test_a_stray_sync_module_fails_the_check_and_is_removed(tree: Path) -> None:
    stray = tree / SYNC / "handwritten.py"
    stray.write_text('"""Not generated."""\n', "utf-8")
    result = run(tree, "--check")
    assert result.returncode == 1 and "handwritten.py: stray" in result.stderr
    run(tree)
    assert not stray.exists()


def test_substitutions_turn_async_code_into_sync_code() -> None:
    spec = importlib.util.spec_from_file_location("unasync", ROOT / "scripts" / "unasync.py")
    assert spec is not None and spec.loader is not None
    unasync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(unasync)
    source = (
        "import asyncio\n"
        "from collections.abc import AsyncIterator\n"
        "class AsyncThing(AsyncTransport):\n"
        "    async def go(self) -> AsyncIterator[int]:\n"
        "        async with self._http.stream() as r:\n"
        "            async for line in r.aiter_lines():\n"
        "                await asyncio.sleep(0)\n"
        "        await r.aclose(); await sub.wait_async(1)\n"
        "    async def __aenter__(self) -> AsyncThing: ...\n"
    )
    expected = (
        "import time\n"
        "from collections.abc import Iterator\n"
        "class Thing(Transport):\n"
        "    def go(self) -> Iterator[int]:\n"
        "        with self._http.stream() as r:\n"
        "            for line in r.iter_lines():\n"
        "                time.sleep(0)\n"
        "        r.close(); sub.wait(1)\n"
        "    def __enter__(self) -> Thing: ...\n"
    )
    assert unasync.unasync_text(source)[0] == expected
