"""wait_for_ready and upload(wait=True) against the emulator, sync and async."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations.errors import (
    InvalidInputError,
    NotFoundError,
    ProcessingError,
    WaitTimeoutError,
)
from memories_integrations.models import TaskStatus, VideoMetadata
from memories_integrations.testing import EmulatorServer
from tests.conftest import TEST_RETRY

# About outcomes (ready, failed, timed out, resumed), not the 1 s default first check.
pytestmark = pytest.mark.usefixtures("quick_upload_wait")


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
    emu.set_encoding_delay(60)
    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as info:
        client.upload(sample, wait=True, wait_timeout=0.3)
    assert time.monotonic() - started < 1.0  # the deadline is honoured, not the encoding time
    err = info.value
    assert err.video_no is not None and err.task_id is None
    assert err.last_status == "UNPARSE"
    assert err.video_no in str(err)
    # Later (another process, even): resume with the number the error carried.
    emu.complete_all()  # encoding finishes meanwhile
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


def test_unknown_video_waits_like_an_unparsed_one(client: MemoriesClient) -> None:
    # The live API answers get_metadata of an unknown video 0000 / data null, like one not
    # parsed yet, and list_videos may lag: the wait runs to its timeout (memories-api.md s. 8).
    with pytest.raises(WaitTimeoutError) as caught:
        client.wait_for_ready("VI000000000000000000404", timeout=0.2)
    assert caught.value.video_no == "VI000000000000000000404"


def test_unknown_video_fails_fast_on_a_not_found_answer() -> None:
    # Servers that answer "video not found" (the lenient emulator, older API) end it at once.
    with EmulatorServer(lenient=True, rate_limits=False) as server:
        with MemoriesClient(api_key=server.api_key, base_url=server.base_url) as client:
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
    emu.set_encoding_delay(60)
    with pytest.raises(WaitTimeoutError) as info:
        await aclient.upload(sample, wait=True, wait_timeout=0.2)
    assert info.value.video_no
    emu.complete_all()  # encoding finishes meanwhile
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


# -- issue 11: task-status shapes, capture metadata, SUCCEEDED callbacks ---------------------
@pytest.mark.parametrize("shape", ["ids", "videos", "list"])
def test_wait_for_task_in_every_status_shape(shape: str) -> None:
    with (
        EmulatorServer(encoding_delay=0.2, task_status_shape=shape, rate_limits=False) as emu,
        MemoriesClient(api_key=emu.api_key, base_url=emu.base_url, retry=TEST_RETRY) as client,
    ):
        task = client.import_from_urls(["https://www.tiktok.com/@chef/video/1"])
        status = client.wait_for_ready(task_id=task.task_id, timeout=10, initial_interval=0.05)
        assert len(status.videos) == 1 and status.videos[0].status is VideoStatus.PARSE
        if shape != "ids":
            # Statuses came with the task answer: no per-video polls. (For "ids", the PARSE
            # above can only have come from get_metadata: the answer carries no status.)
            assert emu.requests("/serve/api/v1/get_metadata") == []


@pytest.mark.parametrize("shape", ["ids", "list"])
async def test_async_wait_for_task_shapes(shape: str) -> None:
    with EmulatorServer(encoding_delay=0.2, task_status_shape=shape, rate_limits=False) as emu:
        async with AsyncMemoriesClient(
            api_key=emu.api_key, base_url=emu.base_url, retry=TEST_RETRY
        ) as client:
            task = await client.import_from_hashtags(["cooking"], count=2)
            status = await client.wait_for_ready(
                task_id=task.task_id, timeout=10, initial_interval=0.05
            )
            assert len(status.videos) == 2
            assert all(v.status is VideoStatus.PARSE for v in status.videos)


def test_capture_metadata_round_trip(client: MemoriesClient, sample: Path) -> None:
    # The emulator answers datetime_taken as epoch ms; the wait and get_metadata parse it.
    result = client.upload(
        sample, datetime_taken="2024-05-01 10:00:00", camera_model="Pixel", wait=True
    )
    assert result.status is VideoStatus.PARSE
    meta = client.get_metadata(result.video_no)
    assert meta.datetime_taken == 1714557600.0 and meta.camera_model == "Pixel"
    waited = client.wait_for_ready(result.video_no, timeout=5)
    assert waited.datetime_taken == meta.datetime_taken
    # list_videos filters datetime_taken as epoch ms "at or after".
    assert client.list_videos(datetime_taken="1714557600000").total_count == 1
    assert client.list_videos(datetime_taken="1714557600001").total_count == 0


async def test_async_capture_metadata_upload_wait(
    aclient: AsyncMemoriesClient, sample: Path
) -> None:
    result = await aclient.upload(sample, datetime_taken="2024-05-01 10:00:00", wait=True)
    meta = await aclient.get_metadata(result.video_no)
    assert meta.datetime_taken == 1714557600.0


def test_get_metadata_before_parse_is_unparse(
    client: MemoriesClient, emu: EmulatorServer, sample: Path
) -> None:
    emu.set_encoding_delay(30)
    uploaded = client.upload(sample)
    meta = client.get_metadata(uploaded.video_no)  # the API answered data: null
    assert meta.video_no == uploaded.video_no and meta.status is VideoStatus.UNPARSE
    assert meta.duration is None


def test_task_succeeded_callback_is_not_ready() -> None:
    from memories_integrations.callbacks import CallbackReceiver

    receiver = CallbackReceiver(require_token=False)
    heard: list[VideoStatus] = []
    receiver.add_listener(lambda event: heard.append(event.status))
    receiver.handle(b'{"taskId": "T1", "message": "downloaded", "status": "SUCCEEDED"}')
    receiver.handle(b'{"videoId": "VI1", "taskId": "T1", "status": "INDEXING_SUCCEEDED"}')
    assert heard == [VideoStatus.UNPARSE, VideoStatus.PARSE]
