"""Without an optional extra: an ImportError that names the extra; the CLI says which one."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from memories_integrations.testing import EmulatorServer

from .conftest import _env


def _python(code: str, *, hidden: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter in which ``hidden`` cannot be imported."""
    prelude = f"import sys; sys.modules[{hidden!r}] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )


@pytest.mark.parametrize(
    ("statement", "hidden", "extra"),
    [
        ("from memories_integrations.langchain import MemoriesToolkit", "langchain_core", "langchain"),
        ("from memories_integrations.llama_index import MemoriesToolSpec", "llama_index", "llama-index"),
        ("from memories_integrations.mcp import build_server", "mcp", "mcp"),
        ("from memories_integrations.testing import EmulatorServer", "starlette", "emulator"),
    ],
)  # fmt: skip
# ruff: noqa: E501 (the table reads better unwrapped)
def test_a_missing_extra_is_named(statement: str, hidden: str, extra: str) -> None:
    code = f"""
try:
    {statement}
except ImportError as exc:
    print(type(exc).__name__, exc)
"""
    shown = _python(code, hidden=hidden)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("ImportError "), shown.stdout  # not ModuleNotFoundError
    assert f"the {extra!r} extra" in shown.stdout
    assert f'pip install -e ".[{extra}]"' in shown.stdout


def test_the_cli_without_rich(emu: EmulatorServer) -> None:
    def memories(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [*args, "--base-url", emu.base_url, "--api-key", emu.api_key]
        code = f"from memories_integrations.cli import main; sys.exit(main({argv!r}))"
        return _python(code, hidden="rich")

    table, as_json = memories("list"), memories("list", "--json")
    # Human output says which extra it needs, in one line (no traceback) ...
    assert table.returncode == 2
    assert "Traceback" not in table.stderr
    assert "'cli' extra" in table.stderr and 'pip install -e ".[cli]"' in table.stderr
    assert "--json" in table.stderr
    # ... and --json works without it.
    assert as_json.returncode == 0, as_json.stderr
    assert isinstance(json.loads(as_json.stdout), list)
