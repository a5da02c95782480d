"""``memories doctor`` end to end against the emulator, and without a key."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

from memories_integrations._client import contract
from memories_integrations.cli import EXIT_AUTH, EXIT_OK, EXIT_SERVER, main
from memories_integrations.testing import EmulatorServer

from .conftest import run


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY", "MEMORIES_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    # Fast encoding and no server-side limits: the run is paced by nothing (--no-pace).
    with EmulatorServer(encoding_delay=0.05, rate_limits=False) as server:
        yield server


def doctor(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["doctor", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_doctor_runs_end_to_end_against_the_emulator(
    emulator: EmulatorServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEMORIES_API_KEY", emulator.api_key)
    monkeypatch.setenv("MEMORIES_BASE_URL", emulator.base_url)
    code, out, err = doctor(capsys, "--no-pace", "--poll-interval", "0.05")
    assert code == EXIT_OK, out + err
    for step in contract.STEPS:
        assert step in out
    assert "/serve/api/v1/upload" in out and "/serve/api/v1/delete_videos" in out
    assert "OK: video_no=" in out
    assert "MISMATCH" not in out and "ERROR" not in out and "SKIPPED" not in out
    assert emulator.api_key not in out + err
    # It deleted exactly the video it uploaded, in its own throw-away namespace.
    uploads = emulator.requests("/serve/api/v1/upload")
    deletes = emulator.requests("/serve/api/v1/delete_videos")
    assert len(uploads) == 1 and len(deletes) == 1


def test_doctor_json_report(
    emulator: EmulatorServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEMORIES_API_KEY", emulator.api_key)
    code, out, _ = doctor(
        capsys, "--json", "--no-pace", "--poll-interval", "0.05", "--base-url", emulator.base_url
    )
    report = json.loads(out)
    assert code == EXIT_OK
    assert report["ok"] is True
    assert report["unique_id"].startswith("doctor-")
    assert [c["step"] for c in report["checks"]] == list(contract.STEPS)
    by_step = {c["step"]: c for c in report["checks"]}
    assert by_step["upload"]["endpoint"] == "POST /serve/api/v1/upload"
    assert "videoNo: str" in by_step["upload"]["shape"]
    assert by_step["chat_stream"]["shape"].startswith("HTTP 200 text/event-stream")
    assert all(c["outcome"] == "OK" for c in report["checks"])
    assert emulator.api_key not in out


def test_doctor_reports_the_exact_mismatch(
    emulator: EmulatorServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server answers list_videos in a shape the client cannot read: the table says so,
    # the upload is still deleted, and the exit code is non-zero.
    # skip=1: the first list_videos is doctor's reachability and key check.
    emulator.add_fault(
        path="/serve/api/v1/list_videos", status=200, body={"code": "0000", "data": 42}, skip=1
    )
    monkeypatch.setenv("MEMORIES_API_KEY", emulator.api_key)
    code, out, _ = doctor(
        capsys, "--json", "--no-pace", "--poll-interval", "0.05", "--base-url", emulator.base_url
    )
    assert code == EXIT_SERVER
    by_step = {c["step"]: c for c in json.loads(out)["checks"]}
    assert by_step["list_videos"]["outcome"] == "MISMATCH"
    assert "ResponseParseError" in by_step["list_videos"]["detail"]
    assert by_step["list_videos"]["shape"] == "HTTP 200 code='0000' data=int"
    assert by_step["delete"]["outcome"] == "OK"


def test_doctor_without_a_key_explains_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = doctor(capsys)
    assert code == EXIT_AUTH
    assert "no API key" in err and "MEMORIES_API_KEY" in err
    assert "doctor-<random>" in err and "delete_videos" in err
    assert out == ""


def test_doctor_without_a_key_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = doctor(capsys, "--json")
    report = json.loads(out)
    assert code == EXIT_AUTH
    assert report["ok"] is False and "MEMORIES_API_KEY" in report["error"]
    assert [p["step"] for p in report["plan"]] == list(contract.STEPS)


def test_doctor_refuses_a_namespace(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = doctor(capsys, "--unique-id", "prod", "--api-key", "k")
    assert code == 2
    assert "throw-away namespace" in err


def _as_a_fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MEMORIES_* setting at all, as ``run_module`` gives a process: the default (per-minute)
    limiter, not the suite's ``MEMORIES_RATE_LIMITER=off``."""
    for name in [n for n in os.environ if n.startswith("MEMORIES_")]:
        monkeypatch.delenv(name)


def test_doctor_with_no_server_fails_in_seconds_naming_the_url(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_a_fresh_process(monkeypatch)
    started = time.monotonic()
    shown = run(capsys, "doctor", "--api-key", "bogus", "--base-url", "http://127.0.0.1:9")
    assert shown.code == EXIT_SERVER
    assert time.monotonic() - started < 30  # no rate-limit countdowns first
    assert "cannot reach http://127.0.0.1:9" in shown.stderr.replace("\n", "")
    assert "waiting" not in shown.stderr


def test_doctor_with_a_bad_key_says_check_your_key(
    emulator: EmulatorServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_a_fresh_process(monkeypatch)
    shown = run(capsys, "doctor", "--api-key", "bogus", "--base-url", emulator.base_url)
    text = " ".join(shown.stderr.split())
    assert shown.code == EXIT_AUTH
    assert "check your key" in text and emulator.base_url in text
    assert "issue" not in text
