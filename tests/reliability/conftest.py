"""Shared fixtures of the reliability suite, and the fault tally printed at the end of a run.

A fault test injects its fault with ``inject(...)``: the rule goes to the emulator and the
fault's name is noted on the test item. A fault counts as *tried* when its test ran, and as
*survived* when that test passed (the client produced the asserted outcome).
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


def _record(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == "fault":
            _TALLY.setdefault(str(value), []).append((report.nodeid, report.passed))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" or (report.when == "setup" and report.failed):
        _record(report)


def tally() -> tuple[int, int, list[str]]:
    """(faults tried, faults survived, names of faults not survived)."""
    tried = len(_TALLY)
    lost = sorted(name for name, runs in _TALLY.items() if not all(ok for _, ok in runs))
    return tried, tried - len(lost), lost


def pytest_terminal_summary(terminalreporter: Any) -> None:
    tried, survived, lost = tally()
    if not tried:
        return
    terminalreporter.write_sep("=", "fault tally")
    terminalreporter.write_line(f"faults tried: {tried}, survived: {survived}")
    for name in lost:
        terminalreporter.write_line(f"NOT survived: {name}")


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """One emulator per module (rate limits off); ``fresh`` resets it for each test."""
    with EmulatorServer(encoding_delay=0.05) as emu:
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
