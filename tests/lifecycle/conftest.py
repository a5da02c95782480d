"""Fixtures for lifecycle tests: a fast emulator on loopback, clients, a callback server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.callbacks import CallbackServer
from memories_integrations.testing import EmulatorServer, sample_videos
from tests.conftest import TEST_RETRY

ENCODING_DELAY = 0.1


@pytest.fixture
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=ENCODING_DELAY, rate_limits=False) as server:
        yield server


@pytest.fixture
def client(emu: EmulatorServer) -> Iterator[MemoriesClient]:
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url, retry=TEST_RETRY) as c:
        yield c


@pytest.fixture
async def aclient(emu: EmulatorServer) -> AsyncIterator[AsyncMemoriesClient]:
    async with AsyncMemoriesClient(
        api_key=emu.api_key, base_url=emu.base_url, retry=TEST_RETRY
    ) as c:
        yield c


@pytest.fixture
def callback_server() -> Iterator[CallbackServer]:
    with CallbackServer() as server:
        yield server


@pytest.fixture
def sample() -> Path:
    return sample_videos()[0]


@pytest.fixture
def corrupt_video(tmp_path: Path) -> Path:
    """A file the emulator's broken-file rule turns into PARSE_ERROR (not a video container)."""
    path = tmp_path / "holiday.mp4"
    path.write_bytes(b"this is not a video container" * 10)
    return path


def metadata_polls(emu: EmulatorServer) -> int:
    return len(emu.requests("/serve/api/v1/get_metadata"))
