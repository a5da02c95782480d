"""Issue 20 §1: the package patches nothing that is not its own.

No module assigns into ``sys.modules`` under another package's name or reaches into private
attributes of httpx/httpcore; the pytest plugin, active in every pytest run of anyone who
installs the package, loads no client code and leaves ``httpx._main`` real.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import memories_integrations
from memories_integrations._transport.base import shared_ssl_context
from memories_integrations._transport.deadline_transport import (
    DeadlineTransport,
    environment_mounts,
)

PACKAGE = Path(memories_integrations.__file__).parent
SOURCES = sorted(PACKAGE.rglob("*.py"))

# sys.modules[...] = / setdefault / update: any write into the module table.
SYS_MODULES_WRITE = re.compile(
    r"sys\.modules\[(?P<key>[^\]]+)\]\s*=(?!=)|sys\.modules\.(setdefault|update)\("
)
# A private name read off an httpx/httpcore object: client._transport, pool._network_backend...
PRIVATE_HTTPX = re.compile(
    r"(?<!memories_integrations)(?<!self)"  # our own modules and attributes are ours
    r"\.(_transport|_mounts|_pool|_network_backend|_connections|_main|_utils|_config|_models)\b"
    r"|from httpx\._|from httpcore\._|import httpx\._|import httpcore\._"
)


def test_no_module_writes_into_sys_modules_for_another_package() -> None:
    offenders = []
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = SYS_MODULES_WRITE.search(line)
            if match and "memories_integrations" not in (match.group("key") or ""):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_no_module_touches_private_httpx_or_httpcore_attributes() -> None:
    offenders = []
    for path in SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if PRIVATE_HTTPX.search(code) and "httpx" in path.read_text(encoding="utf-8"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, offenders


def test_the_pytest_plugin_imports_no_client_code() -> None:
    probe = (
        "import json, sys\n"
        "import memories_integrations.testing.pytest_plugin\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    ours = {name for name in loaded if name.startswith("memories_integrations.")}
    assert ours <= {
        "memories_integrations._version",
        "memories_integrations.testing",
        "memories_integrations.testing.pytest_plugin",
    }, ours
    assert not {"httpx", "httpcore", "pydantic", "starlette", "uvicorn"} & loaded


def test_a_fresh_project_with_the_plugin_sees_the_real_httpx_main(tmp_path: Path) -> None:
    """An unrelated project's pytest run (the plugin loads through its pytest11 entry point)."""
    (tmp_path / "test_unrelated.py").write_text(
        textwrap.dedent(
            """
            import importlib.util

            def test_httpx_main_has_its_spec(pytestconfig):
                assert pytestconfig.pluginmanager.has_plugin("memories_emulator")
                spec = importlib.util.find_spec("httpx._main")
                assert spec is not None and spec.origin.endswith("_main.py")
            """
        ),
        encoding="utf-8",
    )
    # Every other installed plugin blocked: they are not what is checked, and each costs this
    # fresh process its imports (ours still loads through autoloading, as in anyone's run).
    others = [
        f"-pno:{ep.name}" for ep in entry_points(group="pytest11") if ep.name != "memories_emulator"
    ]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *others, str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout


def test_the_own_transport_keeps_environment_proxies(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1,.internal")
    mounts = environment_mounts(shared_ssl_context())
    assert isinstance(mounts["https://"], DeadlineTransport)
    assert mounts["all://127.0.0.1"] is None
    assert mounts["all://localhost"] is None
    assert mounts["all://*.internal"] is None
    monkeypatch.setenv("NO_PROXY", "*")
    assert environment_mounts(shared_ssl_context()) == {}
