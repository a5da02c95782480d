"""MemoriesVideoReader.aload_data: concurrency=, on_progress= and .failures."""

from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError

from memories_integrations import MemoriesClient, errors
from memories_integrations._tools.bulk import LoadProgress
from memories_integrations.llama_index import MemoriesVideoReader
from memories_integrations.testing import EmulatorServer
from tests.adapters_core.helpers import (
    FAST_LIMITS,
    MISSING,
    SAMPLES,
    WITH_ONE_BAD,
    assert_one_bad_video_reported,
    counting_client,
)


@pytest.mark.parametrize("concurrency", [1, 2, 4])
async def test_concurrency_bounds_requests_in_flight(
    live_emulator: EmulatorServer, concurrency: int
) -> None:
    client, transport = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    live_emulator.set_extra_latency(0.1)  # requests overlap only if they are sent at once
    reader = MemoriesVideoReader(
        video_nos=SAMPLES, content="audio", concurrency=concurrency, async_client=client
    )
    try:
        documents = await reader.aload_data()
    finally:
        live_emulator.set_extra_latency(0.0)
    assert [d.metadata["video_no"] for d in documents] == SAMPLES  # the order asked
    # Each video is one metadata call, then its transcript: never more than ``concurrency``.
    assert transport.peak == concurrency


async def test_failing_video_is_reported_and_the_others_load(
    live_emulator: EmulatorServer,
) -> None:
    client, _ = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    progress: list[LoadProgress] = []
    reader = MemoriesVideoReader(
        video_nos=[SAMPLES[0], MISSING, SAMPLES[1]],
        content="merged",
        granularity="window",
        window_seconds=5,
        async_client=client,
        on_progress=progress.append,
    )
    documents = await reader.aload_data()
    assert {d.metadata["video_no"] for d in documents} == {SAMPLES[0], SAMPLES[1]}
    [failure] = reader.failures
    assert failure.video_no == MISSING and isinstance(failure.error, errors.NotFoundError)
    assert [p.done for p in progress] == [1, 2, 3] and {p.total for p in progress} == {3}
    failed = [p for p in progress if p.failure is not None]
    assert [p.video_no for p in failed] == [MISSING] and failed[0].failure == failure
    # A later load starts afresh: failures are those of the last load only.
    reader.video_nos = SAMPLES[:1]
    assert await reader.aload_data() and reader.failures == []


async def test_listing_loads_every_ready_video(live_emulator: EmulatorServer) -> None:
    client, _ = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    done: list[LoadProgress] = []
    reader = MemoriesVideoReader(content="audio", async_client=client, on_progress=done.append)
    documents = await reader.aload_data()
    assert sorted(d.metadata["video_no"] for d in documents) == SAMPLES
    assert sorted(p.video_no for p in done) == SAMPLES


def test_bad_concurrency_is_refused() -> None:
    with pytest.raises(ValidationError):
        MemoriesVideoReader(api_key="sk-x", concurrency=0)


async def test_paced_at_the_documented_limits(
    live_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default limiter (the suite turns it off) leaves the per-second groups alone: the bulk
    # load paces get_metadata (5/s) and the transcripts (1/s) itself.
    monkeypatch.setenv("MEMORIES_RATE_LIMITER", "per-minute")
    client, transport = counting_client(live_emulator)
    # Two videos: one gap per endpoint is enough to show they are paced (each costs ~1 s).
    reader = MemoriesVideoReader(video_nos=SAMPLES[:2], content="audio", async_client=client)
    assert len(await reader.aload_data()) == 2

    def gaps(suffix: str) -> list[float]:
        sent = [t for t, path in transport.sent if path.endswith(suffix)]
        assert len(sent) == 2
        return [b - a for a, b in itertools.pairwise(sent)]

    assert min(gaps("get_metadata")) >= 0.19  # 5/s (+ headroom)
    assert min(gaps("get_audio_transcription")) >= 0.95  # 1/s (+ headroom)


def test_sync_load_reports_a_bad_video_and_loads_the_others(
    live_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    progress: list[LoadProgress] = []
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as client:
        reader = MemoriesVideoReader(
            video_nos=WITH_ONE_BAD, content="audio", client=client, on_progress=progress.append
        )
        documents = reader.load_data()
        loaded = [d.metadata["video_no"] for d in documents]
        assert_one_bad_video_reported(loaded, reader.failures, progress, caplog)
        # A later load starts afresh, and a listed load reports progress too.
        progress.clear()
        reader.video_nos = None
        assert len(reader.load_data()) == len(SAMPLES) and reader.failures == []
        assert sorted(p.video_no for p in progress) == SAMPLES


async def test_async_load_reports_a_bad_video_and_loads_the_others(
    live_emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = counting_client(live_emulator, rate_limits=FAST_LIMITS)
    progress: list[LoadProgress] = []
    reader = MemoriesVideoReader(
        video_nos=WITH_ONE_BAD, content="audio", async_client=client, on_progress=progress.append
    )
    documents = await reader.aload_data()
    loaded = [d.metadata["video_no"] for d in documents]
    assert_one_bad_video_reported(loaded, reader.failures, progress, caplog)
