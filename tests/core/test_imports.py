"""``import memories_integrations; memories_integrations.MemoriesClient`` loads only what the
client needs (issue 10): no CLI (rich), framework, emulator or MCP modules. Each check runs in a
fresh interpreter, where nothing else has imported them first.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

NOT_THE_CLIENTS = (
    "rich",  # with click and pygments: loaded by httpx's own CLI when installed, not by us
    "click",
    "pygments",
    "langchain",
    "langchain_core",
    "llama_index",
    "starlette",
    "uvicorn",
    "mcp",
)


@pytest.fixture(scope="module")
def baseline() -> set[str]:
    return _modules_after("import httpx, pydantic")


def _modules_after(program: str) -> set[str]:
    probe = program + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "program",
    [
        "import memories_integrations; memories_integrations.MemoriesClient",
        "from memories_integrations import AsyncMemoriesClient, errors, models",
        "import memories_integrations as m; m.MemoriesClient(api_key='k').with_options(timeout=1)",
    ],
)
def test_client_import_loads_no_cli_framework_or_emulator(program: str, baseline: set[str]) -> None:
    """Beyond what ``import httpx, pydantic`` loads (httpx's CLI pulls rich/click/pygments in
    when they are installed: httpx's choice, left alone since issue 20), the client adds none."""
    loaded = _modules_after(program)
    roots = {name.split(".")[0] for name in loaded}
    assert "httpx" in roots and "pydantic" in roots  # the client really was imported
    added = {name.split(".")[0] for name in loaded - baseline}
    assert not added & set(NOT_THE_CLIENTS)


def test_the_client_import_leaves_httpx_as_it_is() -> None:
    """No stand-in for ``httpx._main`` (issue 20): its spec is the real one."""
    program = (
        "import memories_integrations; memories_integrations.MemoriesClient\n"
        "import importlib.util, sys\n"
        "assert importlib.util.find_spec('httpx._main') is not None\n"
        "assert sys.modules['httpx._main'].__spec__ is not None\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=120)
