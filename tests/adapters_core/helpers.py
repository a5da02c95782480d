"""Shared by the tests of both adapters: a live emulator with the samples, a transport that
counts the requests in flight and when each was sent, and a runner of two event loops."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient
from memories_integrations.testing import EmulatorServer

#: The preloaded samples of the emulator (deterministic numbers), and one that does not exist.
SAMPLES = [f"VI70000000000000000{i}" for i in range(1, 5)]
MISSING = "VI000000000000000404"


class CountingTransport(httpx.AsyncBaseTransport):
    """Real HTTP, remembering the most requests ever in flight at once and each send time."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.in_flight = self.peak = 0
        self.sent: list[tuple[float, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((time.monotonic(), request.url.path))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            return await self._inner.handle_async_request(request)
        finally:
            self.in_flight -= 1

    async def aclose(self) -> None:
        await self._inner.aclose()


T = TypeVar("T")


@pytest.fixture(scope="module")
def live_emulator() -> Iterator[EmulatorServer]:
    """An emulator with the sample videos encoded, one per test module (rate limits off)."""
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def counting_client(
    emulator: EmulatorServer, **kwargs: Any
) -> tuple[AsyncMemoriesClient, CountingTransport]:
    transport = CountingTransport()
    client = AsyncMemoriesClient(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        http_client=httpx.AsyncClient(base_url=emulator.base_url, transport=transport),
        **kwargs,
    )
    return client, transport


#: A limit high enough that concurrency, not pacing, decides how many requests overlap.
FAST_LIMITS = {"audio_transcription": 100, "video_transcription": 100}


def twice(make: Callable[[], Awaitable[T]]) -> list[T]:
    """Run ``make()`` under two fresh event loops, one after the other (each ``asyncio.run``
    closes its loop: a client bound to the first one fails in the second)."""
    loops: list[asyncio.AbstractEventLoop] = []

    async def run() -> T:
        loops.append(asyncio.get_running_loop())
        return await make()

    results = [asyncio.run(run()), asyncio.run(run())]
    assert loops[0] is not loops[1] and loops[0].is_closed()
    return results


#: The videos of a load with one bad video among good ones, and the good ones it must yield.
WITH_ONE_BAD = [SAMPLES[0], MISSING, SAMPLES[1]]


def assert_one_bad_video_reported(
    loaded: list[str], failures: list[Any], progress: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    """The failure semantics every loader shares, sync and async: the bad video is logged,
    recorded in ``failures`` and told to ``on_progress``; the good ones load, in order."""
    from memories_integrations import errors

    assert loaded == [SAMPLES[0], SAMPLES[1]]
    [failure] = failures
    assert failure.video_no == MISSING and isinstance(failure.error, errors.NotFoundError)
    warned = [r for r in caplog.records if r.levelname == "WARNING" and MISSING in r.getMessage()]
    assert [r.getMessage().split(":")[0] for r in warned] == [f"could not load video {MISSING}"]
    assert sorted(p.done for p in progress) == [1, 2, 3] and {p.total for p in progress} == {3}
    assert [(p.video_no, p.failure) for p in progress if p.failure] == [(MISSING, failure)]
