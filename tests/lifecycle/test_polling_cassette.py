"""The polling path replayed from cassettes (recorded against the emulator or the live API).

Record: ``pytest tests/lifecycle -k cassette --record-mode=rewrite``. Replay (default) blocks
the network; playback repeats are off, so each recorded status answer is seen in turn.
"""

from __future__ import annotations

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations.testing import sample_videos


@pytest.mark.vcr
def test_cassette_upload_then_poll_until_parse(memories_client: MemoriesClient) -> None:
    uploaded = memories_client.upload(sample_videos()[0], unique_id="lifecycle-cassette")
    seen: list[WaitProgress] = []
    meta = memories_client.wait_for_ready(
        uploaded.video_no,
        timeout=60,
        initial_interval=0.01,
        max_interval=0.02,
        on_progress=seen.append,
        unique_id="lifecycle-cassette",
    )
    assert meta.video_no == uploaded.video_no and meta.status is VideoStatus.PARSE
    # The recording polled through at least one UNPARSE answer before PARSE.
    statuses = [p.status for p in seen]
    assert statuses[-1] is VideoStatus.PARSE
    assert VideoStatus.UNPARSE in statuses[:-1]


@pytest.mark.vcr
@pytest.mark.usefixtures("quick_upload_wait")  # replayed answers: no need for the 1 s first check
async def test_cassette_async_upload_wait(async_memories_client: AsyncMemoriesClient) -> None:
    seen: list[WaitProgress] = []
    result = await async_memories_client.upload(
        sample_videos()[1],
        unique_id="lifecycle-cassette",
        wait=True,
        wait_timeout=60,
        wait_progress=seen.append,
    )
    assert result.status is VideoStatus.PARSE
    assert seen[0].source == "upload" and seen[-1].status is VideoStatus.PARSE
