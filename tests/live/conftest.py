"""``pytest --live``: the `memories doctor` contract checks against the real API.

Skipped unless ``--live`` is given AND ``MEMORIES_API_KEY`` is set, so the default (offline)
run only reports them as skipped. With ``--live`` these tests get their sockets back (the
suite's addopts block every non-loopback host) and the run stays in one process.
"""

from __future__ import annotations

import os

import pytest

from memories_integrations._client.contract import CheckResult, run_contract
from memories_integrations.auth import KEY_ENV_VARS

HERE = os.path.dirname(__file__)


def _live_key() -> str | None:
    return next((os.environ[n] for n in KEY_ENV_VARS if os.environ.get(n, "").strip()), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = config.getoption("--live")
    reason = (
        "live contract checks: pass --live"
        if not live
        else f"live contract checks: set {KEY_ENV_VARS[0]}"
    )
    for item in items:
        if not str(item.fspath).startswith(HERE):
            continue
        if live and _live_key():
            item.add_marker(pytest.mark.enable_socket)  # pytest-socket: real network allowed
        else:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def contract_results() -> dict[str, CheckResult]:
    """One contract run for the whole session (one upload, paced by the documented limits)."""
    unique_id, results = run_contract(
        api_key=_live_key(),
        base_url=os.environ.get("MEMORIES_BASE_URL") or None,
        pace=True,
    )
    print(f"\nlive contract run in namespace {unique_id}")
    return {r.step: r for r in results}
