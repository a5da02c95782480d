"""The README's install lines work from a checkout, and ``[all]`` holds what examples/ imports."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # hatchling, a test dependency, installs tomli on Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS: dict[str, list[str]] = PROJECT["optional-dependencies"]

# Import name -> distribution, for what examples/ imports besides the package and stdlib.
DISTRIBUTION = {
    "langchain_core": "langchain-core",
    "langchain": "langchain",
    "langgraph": "langgraph",
    "langchain_mcp_adapters": "langchain-mcp-adapters",
    "llama_index": "llama-index-core",
    "starlette": "starlette",
    "uvicorn": "uvicorn",
    "httpx": "httpx",
    "pydantic": "pydantic",
    "mcp": "mcp",
    "rich": "rich",
}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def _all_requirements() -> set[str]:
    names = _names(PROJECT["dependencies"])
    for extra in re.search(r"\[(.*)\]", EXTRAS["all"][0]).group(1).split(","):  # type: ignore[union-attr]
        names |= _names(EXTRAS[extra])
    return names


def test_every_install_line_runs_from_the_checkout() -> None:
    lines = [line for line in README.splitlines() if "pip install" in line]
    assert lines
    for line in lines:
        # Not published yet: the package itself only ever as an editable install of ".".
        assert "pip install memories-integrations" not in line, line
        assert not re.search(r"""pip install ["']memories-integrations\[[a-z-]+\]["'] """, line), (
            line
        )
    used = set(re.findall(r'pip install -e "\.\[([a-z-]+)\]"', README))
    assert used and used <= set(EXTRAS), used - set(EXTRAS)


def test_the_all_extra_holds_what_the_examples_import() -> None:
    needed: dict[str, str] = {}
    for path in sorted((ROOT / "examples").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                else []
            )
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "memories_integrations":
                    continue
                needed[DISTRIBUTION[top]] = path.name  # KeyError: a new import to map
    missing = {dist: example for dist, example in needed.items() if dist not in _all_requirements()}
    assert not missing, f"[all] lacks what these examples import: {missing}"


def test_the_mcp_config_snippet_works_against_the_emulator_as_written() -> None:
    mcp_page = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
    after = mcp_page.split("claude_desktop_config.json", 1)[1]
    block = after.split("```json", 1)[1].split("```")[0]
    server = json.loads(block)["mcpServers"]["memories"]
    assert server["env"]["MEMORIES_BASE_URL"] == "http://127.0.0.1:8765"  # the recipe's
    assert server["env"]["MEMORIES_API_KEY"] == "emulator-key"
    folder = server["args"][server["args"].index("--allowed-dir") + 1]
    assert Path(folder).is_dir() or "REPLACE" in folder  # exists, or says to replace it
