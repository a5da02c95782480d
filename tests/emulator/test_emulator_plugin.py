"""The pytest11 plugin's fixtures and the CLI entry point."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx

from memories_integrations.testing import EmulatorServer

from .conftest import V1, make_client, sample, upload


def test_function_fixture(memories_emulator: EmulatorServer) -> None:
    with make_client(memories_emulator.base_url, memories_emulator.api_key) as c:
        no = upload(c, sample("cooking"))
        deadline = time.monotonic() + 2
        # ``data`` stays null until the video is parsed (strict emulator).
        while not c.get(f"{V1}/get_metadata", params={"video_no": no}).json()["data"]:
            assert time.monotonic() < deadline
            time.sleep(0.01)


def test_session_fixture(memories_emulator_session: EmulatorServer) -> None:
    memories_emulator_session.reset()
    with make_client(memories_emulator_session.base_url, memories_emulator_session.api_key) as c:
        assert c.post(f"{V1}/list_videos", json={}).json()["code"] == "0000"


def test_plugin_import_is_light() -> None:
    code = (
        "import sys; import memories_integrations.testing.pytest_plugin; "
        "print(any(m.startswith(('starlette', 'uvicorn')) for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert out.stdout.strip() == "False"


def test_cli_serves(tmp_path: object) -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "memories_integrations.testing",
            "--port",
            "0",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "base URL http://127.0.0.1:" in line and "emulator-key" in line
        base = line.split("base URL ", 1)[1].split()[0]
        with make_client(base, "emulator-key") as c:
            deadline = time.monotonic() + 10
            while True:
                try:
                    r = c.get("/_emulator/settings")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
            assert r.json()["rate_limits"] is True  # ON by default in the CLI
    finally:
        proc.terminate()
        proc.wait(timeout=10)
