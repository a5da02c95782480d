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
    "rich",
    "click",  # httpx's CLI would import these two with rich: deferred by _import_hygiene
    "pygments",
    "langchain",
    "langchain_core",
    "llama_index",
    "starlette",
    "uvicorn",
    "mcp",
)


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
def test_client_import_loads_no_cli_framework_or_emulator(program: str) -> None:
    roots = {name.split(".")[0] for name in _modules_after(program)}
    assert "httpx" in roots and "pydantic" in roots  # the client really was imported
    assert not roots & set(NOT_THE_CLIENTS)


def test_httpx_cli_still_works_after_the_client_import() -> None:
    """The deferred ``httpx._main`` loads on first use: ``httpx.main`` keeps working."""
    program = (
        "import memories_integrations; memories_integrations.MemoriesClient\n"
        "import sys, httpx\n"
        "assert 'rich' not in sys.modules\n"
        "try:\n"
        "    httpx.main(['--help'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0\n"
        "real = sys.modules['httpx._main']\n"
        "print('deferred' if getattr(real, '_memories_deferred', False) else 'real module')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    if "click" in out.stderr or "could not run" in out.stdout:  # httpx installed without [cli]
        pytest.skip("httpx's CLI dependencies are not installed")
    assert out.returncode == 0, out.stderr
    assert "HTTPX" in out.stdout and "real module" in out.stdout


def test_httpx_imported_first_keeps_its_real_cli() -> None:
    """Imported after httpx, the package changes nothing (too late to save anything)."""
    program = (
        "import sys, httpx\n"
        "before = sys.modules.get('httpx._main'), httpx.main\n"
        "import memories_integrations; memories_integrations.MemoriesClient\n"
        "assert (sys.modules.get('httpx._main'), httpx.main) == before\n"
        "assert not getattr(before[0], '_memories_deferred', False)\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=120)
