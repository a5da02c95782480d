"""A failed video behind ``data: null``: the wait falls back to list_videos, sync and async.

The current Get-metadata page returns data only after parsing finished, so a video that fails
encoding may answer ``data: null`` forever. Every third null answer in a row (and near the
deadline) the waiter reads the video's list_videos row (v1.2's way to read one video's status).
"""

from __future__ import annotations

import inspect
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._lifecycle.plan import LIST_FALLBACK_EVERY
from memories_integrations.errors import ProcessingError, WaitTimeoutError
from memories_integrations.models import TaskStatus, VideoMetadata

FAST = {"initial_interval": 0.01, "max_interval": 0.02}
NULL = {"code": "0000", "msg": "success", "data": None}


def envelope(data: Any) -> dict[str, Any]:
    return {"code": "0000", "msg": "success", "data": data}


def row(video_no: str, status: str, **extra: Any) -> dict[str, Any]:
    return {"video_no": video_no, "video_name": f"{video_no}.mp4", "status": status, **extra}


class Api:
    """get_metadata answers ``metadata`` in turn (the last repeats); list_videos answers
    ``rows`` filtered by the request's video_no unless ``ignore_filter``."""

    def __init__(
        self,
        metadata: list[dict[str, Any]],
        rows: list[dict[str, Any]] | None = None,
        *,
        ignore_filter: bool = False,
        task: dict[str, Any] | None = None,
    ) -> None:
        self.metadata = list(metadata)
        self.rows = rows or []
        self.ignore_filter = ignore_filter
        self.task = task
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if path.endswith("/get_metadata"):
            answer = self.metadata.pop(0) if len(self.metadata) > 1 else self.metadata[0]
            return httpx.Response(200, json=answer)
        if path.endswith("/list_videos"):
            wanted = json.loads(request.content).get("video_no")
            rows = [r for r in self.rows if self.ignore_filter or r["video_no"] == wanted]
            page = {"current_page": 1, "page_size": 20, "total_count": len(rows), "videos": rows}
            return httpx.Response(200, json=envelope(page if rows else {}))
        if path.endswith("/get_video_ids_by_task_id") and self.task is not None:
            return httpx.Response(200, json=envelope(self.task))
        return httpx.Response(404, json={"code": "0001", "msg": "no route", "data": None})

    def paths(self) -> list[str]:
        return [r.url.path.rsplit("/", 1)[-1] for r in self.requests]

    def listings(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/list_videos")]


@pytest.fixture(params=["sync", "async"])
async def wait(request: pytest.FixtureRequest) -> AsyncIterator[Callable[..., Any]]:
    """``await wait(api, video_no=..., **kwargs)``: wait_for_ready through either client."""
    opened: list[MemoriesClient | AsyncMemoriesClient] = []

    async def go(api: Api, *args: Any, **kwargs: Any) -> Any:
        transport = httpx.MockTransport(api)
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
        result = client.wait_for_ready(*args, **kwargs)
        return await result if inspect.isawaitable(result) else result

    yield go
    for client in opened:
        if isinstance(client, AsyncMemoriesClient):
            await client.aclose()
        else:
            client.close()


async def test_null_forever_and_listed_fail_raises_processing_error(
    wait: Callable[..., Any],
) -> None:
    api = Api([NULL], [row("VI1", "FAIL", cause="corrupt moov atom")])
    started = time.monotonic()
    with pytest.raises(ProcessingError) as caught:
        await wait(api, "VI1", timeout=30, **FAST)
    assert time.monotonic() - started < 5  # not the 30 s timeout
    assert caught.value.video_no == "VI1"
    assert "corrupt moov atom" in str(caught.value)
    # The listing comes after the third null answer, filtered by the video's number.
    assert api.paths() == ["get_metadata"] * LIST_FALLBACK_EVERY + ["list_videos"]
    listing = api.listings()[0]
    assert json.loads(listing.content)["video_no"] == "VI1"
    assert parse_qs(listing.url.query.decode())["video_no"] == ["VI1"]


@pytest.mark.parametrize("spelling", ["PARSE_ERROR", "FAILED", "ERROR"])
async def test_every_failure_spelling_of_the_listing(
    wait: Callable[..., Any], spelling: str
) -> None:
    api = Api([NULL], [row("VI1", spelling)])
    with pytest.raises(ProcessingError):
        await wait(api, "VI1", timeout=30, **FAST)


async def test_null_then_metadata_is_ready_without_the_fallback(
    wait: Callable[..., Any],
) -> None:
    parsed = envelope(row("VI1", "PARSE", duration=12, bucket="mavi-resource"))
    api = Api([NULL, NULL, parsed], [row("VI1", "FAIL")])
    meta = await wait(api, "VI1", timeout=30, **FAST)
    assert isinstance(meta, VideoMetadata)
    assert (meta.status, meta.duration, meta.bucket) == (VideoStatus.PARSE, 12.0, "mavi-resource")
    assert api.listings() == []  # two nulls only: list_videos never asked


async def test_listed_parse_is_ready(wait: Callable[..., Any]) -> None:
    # A server that ignores the filter: the row is picked by its number, not its position.
    rows = [row("VI9", "FAIL"), row("VI1", "PARSE", duration="61", create_time="1754036910783")]
    api = Api([NULL], rows, ignore_filter=True)
    meta = await wait(api, "VI1", timeout=30, **FAST)
    assert isinstance(meta, VideoMetadata)
    assert (meta.video_no, meta.status, meta.video_name) == ("VI1", VideoStatus.PARSE, "VI1.mp4")
    assert meta.duration == 61.0
    assert meta.create_time == pytest.approx(1754036910.783)


async def test_unlisted_video_keeps_waiting_until_the_timeout(wait: Callable[..., Any]) -> None:
    api = Api([NULL], [])  # list_videos answers data: {} (no such row yet)
    with pytest.raises(WaitTimeoutError) as caught:
        await wait(api, "VI1", timeout=0.4, initial_interval=0.02, max_interval=0.05)
    assert caught.value.video_no == "VI1"
    assert "VI1" in str(caught.value)
    metadata_polls = api.paths().count("get_metadata")
    assert metadata_polls > LIST_FALLBACK_EVERY
    assert len(api.listings()) >= metadata_polls // LIST_FALLBACK_EVERY


async def test_short_wait_lists_at_least_once_before_the_deadline(
    wait: Callable[..., Any],
) -> None:
    # One poll fits before the deadline (the first pause is 5 s): that poll lists too.
    api = Api([NULL], [row("VI1", "FAIL")])
    with pytest.raises(ProcessingError):
        await wait(api, "VI1", timeout=0.3, initial_interval=5, max_interval=5)
    assert api.paths() == ["get_metadata", "list_videos"]


class _NoListing(Api):
    """list_videos fails (a 404): only get_metadata answers."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/list_videos"):
            self.requests.append(request)
            return httpx.Response(404, json={"code": "0001", "msg": "no route", "data": None})
        return super().__call__(request)


async def test_listing_failure_does_not_end_the_wait(wait: Callable[..., Any]) -> None:
    # The listing is only a second opinion: its failure leaves the wait to get_metadata.
    api = _NoListing([NULL, NULL, NULL, NULL, envelope(row("VI1", "PARSE"))])
    meta = await wait(api, "VI1", timeout=30, **FAST)
    assert meta.status is VideoStatus.PARSE
    assert api.paths().count("list_videos") == 1


async def test_task_video_behind_null_fails_through_the_listing(
    wait: Callable[..., Any],
) -> None:
    # Ids-only task status (Get-task-status page); the produced video never leaves data: null.
    task = {"taskId": "T1", "video_ids": ["PI-1"]}
    api = Api([NULL], [row("PI-1", "FAIL")], task=task)
    with pytest.raises(ProcessingError) as caught:
        await wait(api, task_id="T1", timeout=30, **FAST)
    assert caught.value.video_no == "PI-1"
    assert api.paths().count("list_videos") == 1


async def test_task_status_type_is_unchanged(wait: Callable[..., Any]) -> None:
    task = {"taskId": "T1", "video_ids": ["PI-1"]}
    api = Api([NULL, NULL, NULL], [row("PI-1", "PARSE")], task=task)
    status = await wait(api, task_id="T1", timeout=30, **FAST)
    assert isinstance(status, TaskStatus)
    assert [v.status for v in status.videos] == [VideoStatus.PARSE]
