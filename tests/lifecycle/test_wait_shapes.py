"""Waits against a mock that answers exactly as the current docs do, sync and async.

Task status comes in three documented shapes (ids only, videos with status, a bare list);
get_metadata answers ``data: null`` before PARSE; ``datetime_taken`` is epoch ms. No cassettes:
a scripted MockTransport plays each answer in turn.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations.errors import NotFoundError, ProcessingError
from memories_integrations.models import TaskStatus, VideoMetadata

FAST = {"timeout": 10, "initial_interval": 0.01, "max_interval": 0.02}


def envelope(data: Any, code: str = "0000", msg: str = "success") -> dict[str, Any]:
    return {"code": code, "msg": msg, "data": data}


def meta(video_no: str, status: str, **extra: Any) -> dict[str, Any]:
    return envelope({"video_no": video_no, "status": status, **extra})


class Script:
    """Answers per endpoint (and per video for get_metadata), one after another; the last
    answer repeats. Every request is kept."""

    def __init__(
        self,
        task: list[dict[str, Any]] | None = None,
        metadata: dict[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        self.task = list(task or [])
        self.metadata = {k: list(v) for k, v in (metadata or {}).items()}
        self.requests: list[httpx.Request] = []

    @staticmethod
    def _next(answers: list[dict[str, Any]]) -> dict[str, Any]:
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        query = parse_qs(request.url.query.decode())
        if request.url.path.endswith("/get_video_ids_by_task_id"):
            return httpx.Response(200, json=self._next(self.task))
        if request.url.path.endswith("/get_metadata"):
            video_no = query["video_no"][0]
            return httpx.Response(200, json=self._next(self.metadata[video_no]))
        if request.url.path.endswith("/upload"):
            return httpx.Response(200, json=envelope({"videoNo": "VI1", "videoStatus": "UNPARSE"}))
        return httpx.Response(404, json=envelope(None, "0001", "no route"))

    def paths(self) -> list[str]:
        return [r.url.path.rsplit("/", 1)[-1] for r in self.requests]


@pytest.fixture(params=["sync", "async"])
async def run(request: pytest.FixtureRequest) -> AsyncIterator[Callable[..., Any]]:
    """``await run(script, "method", *args, **kwargs)`` through the sync or async client."""
    opened: list[MemoriesClient | AsyncMemoriesClient] = []

    async def go(script: Script, method: str, *args: Any, **kwargs: Any) -> Any:
        transport = httpx.MockTransport(script)
        client: MemoriesClient | AsyncMemoriesClient
        if request.param == "sync":
            client = MemoriesClient(
                api_key="sk-test", http_client=httpx.Client(transport=transport)
            )
        else:
            client = AsyncMemoriesClient(
                api_key="sk-test", http_client=httpx.AsyncClient(transport=transport)
            )
        opened.append(client)
        result = getattr(client, method)(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    yield go
    for client in opened:
        if isinstance(client, AsyncMemoriesClient):
            await client.aclose()
        else:
            client.close()


# -- task status shapes ----------------------------------------------------------------------
async def test_ids_only_shape_polls_each_video(run: Callable[..., Any]) -> None:
    # Get-task-status page: {taskId, video_ids} without statuses. Before: UNKNOWN forever.
    script = Script(
        task=[
            envelope({"taskId": "T1", "video_ids": []}),  # still downloading
            envelope({"taskId": "T1", "video_ids": ["VI1", "VI2"]}),
        ],
        metadata={
            "VI1": [envelope(None), meta("VI1", "PARSE")],
            "VI2": [envelope(None), envelope(None), meta("VI2", "PARSE")],
        },
    )
    seen: list[WaitProgress] = []
    status = await run(script, "wait_for_ready", task_id="T1", on_progress=seen.append, **FAST)
    assert isinstance(status, TaskStatus)
    assert status.video_ids == ["VI1", "VI2"]
    assert [v.status for v in status.videos] == [VideoStatus.PARSE, VideoStatus.PARSE]
    # A video found ready is not asked about again.
    assert script.paths().count("get_metadata") == 5
    assert seen[-1].videos_total == 2 and seen[-1].videos_ready == 2
    assert any(p.videos_ready == 1 for p in seen)


async def test_videos_with_status_shape(run: Callable[..., Any]) -> None:
    row = {"video_no": "VI1", "video_url": "https://www.tiktok.com/@a/video/1"}
    script = Script(
        task=[
            envelope({"taskId": "T1", "videos": [{**row, "status": "UNPARSE"}]}),
            envelope({"taskId": "T1", "videos": [{**row, "status": "PARSE"}]}),
        ]
    )
    status = await run(script, "wait_for_ready", task_id="T1", **FAST)
    assert status.videos[0].status is VideoStatus.PARSE
    assert status.videos[0].video_url == row["video_url"]
    assert "get_metadata" not in script.paths()  # statuses were given: no per-video polls


async def test_bare_list_shape(run: Callable[..., Any]) -> None:
    # Before: a list-shaped data failed outright with ResponseParseError.
    script = Script(
        task=[
            envelope([{"video_no": "VI1", "status": "UNPARSE"}]),
            envelope([{"video_no": "VI1", "status": "INDEXING_SUCCEEDED"}]),
        ]
    )
    status = await run(script, "wait_for_ready", task_id="T1", **FAST)
    assert [(v.video_no, v.status) for v in status.videos] == [("VI1", VideoStatus.PARSE)]


async def test_bare_list_of_ids(run: Callable[..., Any]) -> None:
    script = Script(task=[envelope(["VI1"])], metadata={"VI1": [meta("VI1", "PARSE")]})
    status = await run(script, "wait_for_ready", task_id="T1", **FAST)
    assert status.videos[0].status is VideoStatus.PARSE


async def test_task_succeeded_is_downloaded_not_ready(run: Callable[..., Any]) -> None:
    # SUCCEEDED on the task and its videos means "downloaded": wait for the index.
    script = Script(
        task=[
            envelope({"taskId": "T1", "status": "SUCCEEDED", "videos": [{"video_no": "VI1"}]}),
        ],
        metadata={"VI1": [envelope(None), meta("VI1", "UNPARSE"), meta("VI1", "PARSE")]},
    )
    status = await run(script, "wait_for_ready", task_id="T1", **FAST)
    assert status.videos[0].status is VideoStatus.PARSE
    assert script.paths().count("get_metadata") == 3


async def test_failed_video_of_ids_only_task(run: Callable[..., Any]) -> None:
    script = Script(
        task=[envelope({"taskId": "T1", "video_ids": ["VI1"]})],
        metadata={"VI1": [meta("VI1", "PARSE_ERROR", cause="bad codec")]},
    )
    with pytest.raises(ProcessingError) as info:
        await run(script, "wait_for_ready", task_id="T1", **FAST)
    assert info.value.video_no == "VI1" and "bad codec" in str(info.value)


# -- get_metadata before PARSE ------------------------------------------------------------
async def test_metadata_null_counts_as_encoding(run: Callable[..., Any]) -> None:
    # Before: the first ``data: null`` raised ResponseParseError.
    script = Script(
        metadata={"VI1": [envelope(None), envelope({}), meta("VI1", "PARSE", duration="12")]}
    )
    seen: list[WaitProgress] = []
    result = await run(script, "wait_for_ready", "VI1", on_progress=seen.append, **FAST)
    assert isinstance(result, VideoMetadata) and result.duration == 12.0
    assert [p.status for p in seen] == [VideoStatus.UNPARSE] * 2 + [VideoStatus.PARSE]


async def test_not_ready_error_code_counts_as_encoding(run: Callable[..., Any]) -> None:
    not_ready = envelope(None, "0001", "video is not parsed yet")
    script = Script(metadata={"VI1": [not_ready, meta("VI1", "PARSE")]})
    result = await run(script, "wait_for_ready", "VI1", **FAST)
    assert result.status is VideoStatus.PARSE


async def test_not_found_still_fails_fast(run: Callable[..., Any]) -> None:
    script = Script(metadata={"VI1": [envelope(None, "0001", "video not found: VI1")]})
    with pytest.raises(NotFoundError):
        await run(script, "wait_for_ready", "VI1", **FAST)
    assert script.paths() == ["get_metadata"]


@pytest.mark.usefixtures("quick_upload_wait")  # the data: null poll pauses 0.05 s, not 1 s
async def test_upload_wait_with_capture_metadata(run: Callable[..., Any], tmp_path: Any) -> None:
    # datetime_taken comes back as epoch ms (number or digit string) or the older string;
    # before, anything but a plain number made the wait raise.
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    for n, taken in enumerate((1714557600000, "1714557600000", "2024-05-01 10:00:00")):
        parsed = meta("VI1", "PARSE", datetime_taken=taken)
        # The first round also polls through ``data: null`` (each null costs a 1 s pause).
        script = Script(metadata={"VI1": [envelope(None), parsed] if n == 0 else [parsed]})
        result = await run(
            script,
            "upload",
            video,
            datetime_taken="2024-05-01 10:00:00",
            wait=True,
            wait_timeout=10,
        )
        assert result.status is VideoStatus.PARSE
        fetched = await run(script, "get_metadata", "VI1")
        assert fetched.datetime_taken == 1714557600.0
