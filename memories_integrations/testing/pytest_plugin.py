"""pytest fixtures for the memories.ai emulator (registered as a ``pytest11`` entry point).

Imports nothing heavy at import time: starlette/uvicorn load when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from memories_integrations.testing.server import EmulatorServer

#: encoding delay used by the fixtures: short, but long enough to observe UNPARSE.
FIXTURE_ENCODING_DELAY = 0.05


def _server(**overrides: object) -> EmulatorServer:
    from memories_integrations.testing.server import EmulatorServer

    # Rate limits off unless asked for: the emulator enforces them by default, like the API.
    settings: dict[str, object] = {
        "encoding_delay": FIXTURE_ENCODING_DELAY,
        "rate_limits": False,
        **overrides,
    }
    return EmulatorServer(**settings)  # type: ignore[arg-type]


@pytest.fixture
def memories_emulator() -> Iterator[EmulatorServer]:
    """A fresh emulator per test (rate limits off, encoding delay 0.05 s)."""
    with _server() as server:
        yield server


@pytest.fixture(scope="session")
def memories_emulator_session() -> Iterator[EmulatorServer]:
    """One emulator for the whole session; call ``.reset()`` if a test needs a clean slate."""
    with _server() as server:
        yield server
