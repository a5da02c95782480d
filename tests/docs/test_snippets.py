"""Every code block of the README and of the docs site runs (or, marked, compiles)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from memories_integrations.testing import EmulatorServer
from tests.docs.snippets import PAGES, ROOT, Snippet, compile_snippet, run_snippet, snippets

SAMPLES = ROOT / "memories_integrations" / "testing" / "samples"
# File names the docs use, as a reader's own files would be; each is a bundled sample video.
READER_FILES = {
    "kitchen.mp4": "cooking_demo.mp4",
    "match.mp4": "soccer_match.mp4",
    "keynote.mp4": "product_keynote.mp4",
    "ride.mp4": "city_bike_ride.mp4",
    "talk.mp4": "product_keynote.mp4",
}

PYTHON = [s for page in PAGES for s in snippets(page) if s.language == "python"]


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A fresh emulator per page, with the sample videos ready (VI700000000000000001 to 4)."""
    with EmulatorServer(encoding_delay=0.05, rate_limits=False, preload_samples=True) as server:
        yield server


@pytest.fixture
def reader_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> Path:
    for name, sample in READER_FILES.items():
        shutil.copy(SAMPLES / sample, tmp_path / name)
    (tmp_path / "videos").mkdir()
    shutil.copy(SAMPLES / "cooking_demo.mp4", tmp_path / "videos" / "kitchen.mp4")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEMORIES_API_KEY", emulator.config.api_key)
    monkeypatch.setenv("MEMORIES_BASE_URL", emulator.base_url)
    return tmp_path


def test_every_page_has_its_blocks_found() -> None:
    assert any(s.page.name == "README.md" for s in PYTHON)
    assert len({s.page for s in PYTHON}) >= 6


@pytest.mark.parametrize("snippet", PYTHON, ids=lambda s: s.name)
def test_python_block_compiles(snippet: Snippet) -> None:
    compile_snippet(snippet)


@pytest.mark.parametrize("page", sorted({s.page for s in PYTHON}), ids=lambda p: p.name)
@pytest.mark.usefixtures("quick_upload_wait")  # the pages' upload(wait=True): checked sooner
def test_page_runs_against_the_emulator(page: Path, reader_folder: Path) -> None:
    namespace: dict[str, object] = {"__name__": "__snippet__"}
    for snippet in (s for s in PYTHON if s.page == page and s.marker is None):
        try:
            run_snippet(snippet, namespace)
        except Exception as exc:  # name the block that failed, not only the line
            raise AssertionError(f"{snippet.name} failed: {exc!r}") from exc


def test_docs_site_builds_strict(tmp_path: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "clients" / "index.html").exists()
