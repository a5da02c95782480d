"""Shared fixtures of the reliability suite, and the fault tally printed at the end of a run.

A fault test injects its fault with ``inject(...)``: the rule goes to the emulator and the
fault's name is noted on the test item. A fault counts as *tried* when its test ran, and as
*survived* when that test passed (the client produced the asserted outcome).

Hostile cases (a server, a callback sender, an input or an interrupt written to break the
client, issue 12) are counted apart with the ``hostile`` fixture: ``hostile("name")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from memories_integrations import MemoriesClient
from memories_integrations.testing import EmulatorServer, FaultRule, sample_videos

from ._helpers import emulator_client

_TALLY: dict[str, list[tuple[str, bool]]] = {}
_HOSTILE: dict[str, list[tuple[str, bool]]] = {}


def _record(report: pytest.TestReport) -> None:
    counted = [(k, v) for k, v in report.user_properties if k in ("fault", "hostile")]
    if not counted and "/test_hostile" in report.nodeid:  # a hostile file's test counts itself
        counted = [("hostile", report.nodeid.split("[")[0])]
    for key, value in counted:
        table = _TALLY if key == "fault" else _HOSTILE
        table.setdefault(str(value), []).append((report.nodeid, report.passed))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.failed):
        _record(report)


def tally(
    table: dict[str, list[tuple[str, bool]]] | None = None,
) -> tuple[int, int, list[str]]:
    """(faults tried, faults survived, names of faults not survived)."""
    table = _TALLY if table is None else table
    tried = len(table)
    lost = sorted(name for name, runs in table.items() if not all(ok for _, ok in runs))
    return tried, tried - len(lost), lost


def pytest_terminal_summary(terminalreporter: Any) -> None:
    rows = [("faults", _TALLY), ("hostile cases", _HOSTILE)]
    if not any(table for _, table in rows):
        return
    terminalreporter.write_sep("=", "fault tally")
    for label, table in rows:
        tried, survived, lost = tally(table)
        if tried:
            terminalreporter.write_line(f"{label} tried: {tried}, survived: {survived}")
        for name in lost:
            terminalreporter.write_line(f"NOT survived: {name}")


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """One emulator per module (rate limits off); ``fresh`` resets it for each test."""
    with EmulatorServer(encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


@pytest.fixture
def fresh(server: EmulatorServer) -> EmulatorServer:
    server.reset()
    server.set_extra_latency(0.0)
    server.set_rate_limits(False)
    return server


@pytest.fixture
def note_fault(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Count a fault that a test injects by other means than the emulator (a mock transport)."""
    return lambda name: request.node.user_properties.append(("fault", name))


@pytest.fixture
def hostile(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Count a hostile case (issue 12): ``hostile("callback body 30,000 levels deep")``."""
    return lambda name: request.node.user_properties.append(("hostile", name))


@pytest.fixture
def inject(fresh: EmulatorServer, request: pytest.FixtureRequest) -> Callable[..., FaultRule]:
    """``inject("name of the fault", path=..., <FaultRule fields>)``: add a rule, count it."""

    def add(name: str, **rule: Any) -> FaultRule:
        request.node.user_properties.append(("fault", name))
        return fresh.add_fault(**rule)

    return add


@pytest.fixture
def client(fresh: EmulatorServer) -> Iterator[MemoriesClient]:
    with emulator_client(fresh) as c:
        yield c


@pytest.fixture(scope="session")
def video_file() -> Path:
    return next(p for p in sample_videos() if p.suffix == ".mp4")
