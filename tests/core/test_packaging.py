"""Packaging a user can trust (issue 10): a wheel built from a clean copy of the repository has the
license, classifiers, URLs and one version; dev tools are not in ``[test]``; LlamaHub metadata
names real classes.

The wheel is built with hatchling (a ``test`` dependency) without build isolation: no network.
"""

from __future__ import annotations

import email.parser
import importlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from memories_integrations import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # hatchling, a test dependency, installs tomli on Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _clone_files() -> list[str]:
    """The files a fresh clone has (tracked or new, never ignored ones such as __pycache__;
    listed but deleted in the working tree: not in a clone either)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in filter(None, listed.split("\0")) if (ROOT / name).is_file()]


def _clean_copy(dest: Path, *, whole: bool = False) -> None:
    """A fresh clone's files; the wheel needs only the package and the top-level files."""
    for name in _clone_files():
        if whole or name.startswith("memories_integrations/") or "/" not in name:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)


def _build(target: str, pattern: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to make a clean copy")
    src, dist = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("dist")
    _clean_copy(src, whole=target == "sdist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", target, "--directory", str(dist)],
        cwd=src,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (built,) = dist.glob(pattern)
    return built


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build("wheel", "*.whl", tmp_path_factory)


@pytest.fixture(scope="module")
def sdist_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The sdist's files, relative to its top directory."""
    built = _build("sdist", "*.tar.gz", tmp_path_factory)
    top = f"memories_integrations-{__version__}/"
    with tarfile.open(built) as tar:
        names = [m.name for m in tar.getmembers() if m.isfile()]
    assert all(n.startswith(top) for n in names)
    return {n.removeprefix(top) for n in names}


#: What a packager needs: the package, the suite and what it reads, README and LICENSE. Files
#: the build writes or always adds: pyproject.toml, PKG-INFO and hatchling's .gitignore.
SDIST_TREES = ("memories_integrations", "examples", "tests", "docs", "scripts", "bench")
SDIST_FILES = {"mkdocs.yml", "README.md", "LICENSE", "pyproject.toml", "PKG-INFO", ".gitignore"}


@pytest.fixture(scope="module")
def metadata(wheel: Path) -> Message:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.Parser().parsestr(zf.read(name).decode())


@pytest.mark.timeout(60)
def test_wheel_has_license_file_and_typed_marker(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        license_path = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        text = zf.read(license_path).decode()
    assert text.startswith("MIT License")
    assert "memories-integrations contributors" in text
    assert "memories_integrations/py.typed" in names
    assert "memories_integrations/evaluation/data/demo.jsonl" in names  # memories eval --demo
    assert wheel.name == f"memories_integrations-{__version__}-py3-none-any.whl"


@pytest.mark.timeout(60)
def test_wheel_metadata_license_classifiers_urls_version(metadata: Message) -> None:
    assert metadata["Version"] == __version__  # read from _version.py by the build
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    for minor in (10, 11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Framework :: Pydantic :: 2" in classifiers
    assert "eval" in (metadata.get_all("Provides-Extra") or [])  # matplotlib for the PNG
    assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Issues"} <= set(urls)
    assert all(u.startswith("https://") for u in urls.values())
    assert "langchain" in (metadata["Keywords"] or "")
    # Development tools are not what [test] users install.
    requires = " ".join(metadata.get_all("Requires-Dist") or [])
    for tool in ("ruff", "mypy", "types-pyyaml"):
        assert not re.search(rf"\b{tool}\b", requires, re.IGNORECASE)


def test_classifiers_are_known_trove_classifiers() -> None:
    from trove_classifiers import classifiers as known  # installed with hatchling

    unknown = set(PYPROJECT["project"]["classifiers"]) - known
    assert not unknown


def test_version_is_written_in_one_place() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "memories_integrations/_version.py"


def test_dev_tools_are_a_dependency_group_and_the_suite_needs_none_of_them() -> None:
    test_extra = " ".join(PYPROJECT["project"]["optional-dependencies"]["test"])
    dev = " ".join(PYPROJECT["dependency-groups"]["dev"])
    for tool in ("ruff", "mypy", "types-PyYAML"):
        assert tool in dev and tool not in test_extra
    # What the suite's own configuration uses stays in [test] (the README's test command).
    ini = PYPROJECT["tool"]["pytest"]["ini_options"]
    needs = {
        "pytest-xdist": "-n " in ini["addopts"],
        "pytest-socket": "--disable-socket" in ini["addopts"],
        "pytest-recording": "--record-mode" in ini["addopts"],
        "pytest-timeout": "timeout" in ini,
        "pytest-asyncio": "asyncio_mode" in ini,
        "hatchling": True,  # test_packaging builds the wheel
    }
    for plugin, needed in needs.items():
        assert needed and plugin in test_extra, plugin
    # No test runs a dev tool: if one did, it would have to move back into [test].
    command = re.compile(r"""["'](ruff|mypy)["']""")
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name != Path(__file__).name:
            assert not command.search(path.read_text(encoding="utf-8")), path


def test_llamahub_metadata_names_the_exported_classes() -> None:
    hub = PYPROJECT["tool"]["llamahub"]
    module = importlib.import_module(hub["import_path"])
    for cls in hub["class_authors"]:
        assert cls in module.__all__ and isinstance(getattr(module, cls), type)
    assert set(hub["class_authors"]) == set(module.__all__)


@pytest.mark.timeout(60)
def test_sdist_holds_exactly_what_a_packager_needs(sdist_files: set[str]) -> None:
    wanted = {n for n in _clone_files() if n.split("/", 1)[0] in SDIST_TREES}
    wanted |= SDIST_FILES
    assert sdist_files == wanted  # every file of those trees, and nothing else
    assert not [n for n in sdist_files if "__pycache__" in n or n.endswith(".pyc")]
    # No stray file from a loose pattern: every README is the top one or inside a shipped tree.
    readmes = [n for n in sdist_files if n.endswith("README.md")]
    assert all(n == "README.md" or n.split("/", 1)[0] in SDIST_TREES for n in readmes)


@pytest.mark.timeout(60)
def test_sdist_ships_the_examples_llamahub_declares(sdist_files: set[str]) -> None:
    assert PYPROJECT["tool"]["llamahub"]["contains_example"] is True
    examples = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").glob("*.py")}
    assert examples and examples <= sdist_files
    assert "examples/llama_index_reader_index.py" in sdist_files


def test_sdist_list_is_exact_in_pyproject() -> None:
    sdist = PYPROJECT["tool"]["hatch"]["build"]["targets"]["sdist"]
    assert "include" not in sdist  # gitignore-style patterns match at any depth
    assert set(sdist["only-include"]) == set(SDIST_TREES) | (
        SDIST_FILES - {"pyproject.toml", "PKG-INFO", ".gitignore"}
    )
