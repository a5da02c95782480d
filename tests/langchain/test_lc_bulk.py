"""MemoriesTranscriptLoader.alazy_load loads many videos at once, at the API's limit."""

from __future__ import annotations

import itertools
import time

import pytest

from memories_integrations import MemoriesClient, errors
from memories_integrations._tools.bulk import LoadProgress
from memories_integrations.langchain import MemoriesTranscriptLoader
from memories_integrations.testing import EmulatorServer
from tests.adapters_core.helpers import (
    FAST_LIMITS,
    MISSING,
    SAMPLES,
    WITH_ONE_BAD,
    assert_one_bad_video_reported,
    counting_client,
)


async def test_loads_concurrently_and_reports_failures(live_emulator: EmulatorServer) -> None:
    client, transport = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    live_emulator.set_extra_latency(0.1)  # requests overlap only if they are sent at once
    progress: list[LoadProgress] = []
    loader = MemoriesTranscriptLoader(
        [SAMPLES[0], MISSING, *SAMPLES[1:]],
        source="audio",
        async_client=client,
        concurrency=3,
        on_progress=progress.append,
    )
    try:
        docs = [d async for d in loader.alazy_load()]
    finally:
        live_emulator.set_extra_latency(0.0)
    # Every good video loaded, in the order asked, although one failed in the middle.
    assert [d.metadata["video_no"] for d in docs] == SAMPLES
    assert transport.peak == 3  # bounded by concurrency, and really concurrent
    [failure] = loader.failures
    assert failure.video_no == MISSING and isinstance(failure.error, errors.NotFoundError)
    assert sorted(p.done for p in progress) == [1, 2, 3, 4, 5]
    assert {p.total for p in progress} == {5}
    assert [p.video_no for p in progress if p.failure] == [MISSING]
    assert {p.video_no for p in progress} == {MISSING, *SAMPLES}


async def test_sequential_with_concurrency_one(live_emulator: EmulatorServer) -> None:
    client, transport = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    loader = MemoriesTranscriptLoader(SAMPLES[:3], async_client=client, concurrency=1)
    docs = await loader.aload()
    assert len(docs) == 3 and transport.peak == 1


async def test_paced_at_the_documented_transcript_limit(
    live_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default limiter (the suite turns it off) leaves the 1/s transcript groups alone:
    # the bulk load paces them itself.
    monkeypatch.setenv("MEMORIES_RATE_LIMITER", "per-minute")
    client, transport = counting_client(live_emulator)
    # Two videos: one gap is enough to show they are paced (each gap costs ~1 s).
    loader = MemoriesTranscriptLoader(SAMPLES[:2], async_client=client, concurrency=8)
    started = time.monotonic()
    assert len(await loader.aload()) == 2
    sends = [t for t, path in transport.sent if path.endswith("get_audio_transcription")]
    gaps = [b - a for a, b in itertools.pairwise(sends)]
    assert len(sends) == 2 and min(gaps) >= 0.95, gaps  # 1/s (+ headroom), never a burst
    assert time.monotonic() - started < 3


def test_bad_concurrency_is_refused_before_any_request() -> None:
    with pytest.raises(errors.InvalidInputError, match="concurrency"):
        MemoriesTranscriptLoader(["VI1"], api_key="sk-x", concurrency=0)


def test_sync_load_reports_a_bad_video_and_loads_the_others(
    live_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    progress: list[LoadProgress] = []
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as client:
        loader = MemoriesTranscriptLoader(WITH_ONE_BAD, client=client, on_progress=progress.append)
        docs = loader.load()
    loaded = [d.metadata["video_no"] for d in docs]
    assert_one_bad_video_reported(loaded, loader.failures, progress, caplog)


async def test_async_load_reports_a_bad_video_and_loads_the_others(
    live_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    progress: list[LoadProgress] = []
    loader = MemoriesTranscriptLoader(
        WITH_ONE_BAD, async_client=client, on_progress=progress.append
    )
    docs = await loader.aload()
    loaded = [d.metadata["video_no"] for d in docs]
    assert_one_bad_video_reported(loaded, loader.failures, progress, caplog)


def test_a_new_sync_load_starts_with_no_failures(live_emulator: EmulatorServer) -> None:
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as client:
        loader = MemoriesTranscriptLoader(WITH_ONE_BAD, client=client)
        loader.load()
        assert [f.video_no for f in loader.failures] == [MISSING]
        loader.video_nos = SAMPLES[:1]
        assert loader.load() and loader.failures == []
