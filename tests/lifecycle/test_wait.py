"""wait_for_ready and upload(wait=True) against the emulator, sync and async."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._lifecycle import WaitProgress
from memories_integrations.errors import (
    InvalidInputError,
    NotFoundError,
    ProcessingError,
    WaitTimeoutError,
)
from memories_integrations.models import TaskStatus, VideoMetadata
from memories_integrations.testing import EmulatorServer


def test_wait_until_parse_reports_progress(client: MemoriesClient, sample: Path) -> None:
    uploaded = client.upload(sample)
    assert uploaded.status is VideoStatus.UNPARSE
    seen: list[WaitProgress] = []
    meta = client.wait_for_ready(
        uploaded.video_no,
        timeout=10,
        initial_interval=0.05,
        max_interval=0.1,
        on_progress=seen.append,
    )
    assert isinstance(meta, VideoMetadata)
    assert meta.video_no == uploaded.video_no and meta.status is VideoStatus.PARSE
    assert seen[0].status is VideoStatus.UNPARSE and seen[0].next_check_in is not None
    assert seen[-1].status is VideoStatus.PARSE and seen[-1].next_check_in is None
    assert [p.polls for p in seen] == list(range(1, len(seen) + 1))


def test_upload_wait_returns_parsed_result(client: MemoriesClient, sample: Path) -> None:
    result = client.upload(sample, wait=True, wait_timeout=10)
    assert result.status is VideoStatus.PARSE
    assert client.get_metadata(result.video_no).status is VideoStatus.PARSE


def test_timeout_then_resume(client: MemoriesClient, emu: EmulatorServer, sample: Path) -> None:
    emu.set_encoding_delay(1.0)
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        client.upload(sample, wait=True, wait_timeout=0.3)
    assert time.monotonic() - started < 1.0  # the deadline is honoured, not the encoding time
    err = info.value
    assert err.video_no is not None and err.task_id is None
    assert err.last_status == "UNPARSE"
    assert err.video_no in str(err)
    # Later (another process, even): resume with the number the error carried.
    meta = client.wait_for_ready(err.video_no, timeout=5, initial_interval=0.05)
    assert meta.status is VideoStatus.PARSE


def test_backoff_grows_to_max_interval(
    client: MemoriesClient, emu: EmulatorServer, sample: Path
) -> None:
    emu.set_encoding_delay(60)
    video_no = client.upload(sample).video_no
    seen: list[WaitProgress] = []
    with pytest.raises(WaitTimeoutError):
        client.wait_for_ready(
            video_no, timeout=0.6, initial_interval=0.05, max_interval=0.2, on_progress=seen.append
        )
    gaps = [p.next_check_in for p in seen if p.next_check_in]
    assert gaps[0] == pytest.approx(0.05)
    assert max(gaps) <= 0.2 + 1e-9 and gaps[1] > gaps[0]
    assert len(seen) < 10  # backed off: far fewer polls than 0.6 s / 0.05 s


def test_failed_encoding_raises_processing_error(
    client: MemoriesClient, corrupt_video: Path
) -> None:
    with pytest.raises(ProcessingError) as info:
        client.upload(corrupt_video, wait=True, wait_timeout=10)
    assert info.value.video_no is not None
    assert client.get_metadata(info.value.video_no).status is VideoStatus.PARSE_ERROR


def test_unknown_video_fails_fast(client: MemoriesClient) -> None:
    started = time.monotonic()
    with pytest.raises(NotFoundError):
        client.wait_for_ready("VI000000000000000000404", timeout=10)
    assert time.monotonic() - started < 2


def test_bad_arguments_rejected_before_any_request(
    client: MemoriesClient, emu: EmulatorServer
) -> None:
    with pytest.raises(InvalidInputError):
        client.wait_for_ready(None)  # type: ignore[call-overload]
    with pytest.raises(InvalidInputError):
        client.wait_for_ready("VI1", initial_interval=2, max_interval=1)
    with pytest.raises(InvalidInputError):
        client.wait_for_ready("VI1", timeout=-1)
    assert emu.requests() == []


def test_transient_poll_errors_are_retried_until_ready(
    client: MemoriesClient, emu: EmulatorServer, sample: Path
) -> None:
    video_no = client.upload(sample).video_no
    # Two rounds of 503s, each outlasting the client's own retries (TEST_RETRY: 3).
    emu.add_fault(path="get_metadata", status=503, times=8)
    meta = client.wait_for_ready(video_no, timeout=10, initial_interval=0.05)
    assert meta.status is VideoStatus.PARSE


def test_wait_for_platform_task(client: MemoriesClient) -> None:
    task = client.import_from_urls(["https://www.tiktok.com/@chef/video/1"])
    status = client.wait_for_ready(task_id=task.task_id, timeout=10, initial_interval=0.05)
    assert isinstance(status, TaskStatus)
    assert status.videos and all(v.status is VideoStatus.PARSE for v in status.videos)


async def test_async_wait_timeout_then_resume(
    aclient: AsyncMemoriesClient, emu: EmulatorServer, sample: Path
) -> None:
    emu.set_encoding_delay(1.0)
    with pytest.raises(WaitTimeoutError) as info:
        await aclient.upload(sample, wait=True, wait_timeout=0.2)
    assert info.value.video_no
    meta = await aclient.wait_for_ready(info.value.video_no, timeout=5, initial_interval=0.05)
    assert meta.status is VideoStatus.PARSE


async def test_async_failed_encoding(aclient: AsyncMemoriesClient, corrupt_video: Path) -> None:
    uploaded = await aclient.upload(corrupt_video)
    with pytest.raises(ProcessingError) as info:
        await aclient.wait_for_ready(uploaded.video_no, timeout=10, initial_interval=0.05)
    assert info.value.video_no == uploaded.video_no


async def test_async_upload_url_wait(aclient: AsyncMemoriesClient) -> None:
    result = await aclient.upload_url(
        "https://cdn.example.com/videos/cooking_demo.mp4", wait=True, wait_timeout=10
    )
    assert result.status is VideoStatus.PARSE
