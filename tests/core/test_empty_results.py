"""Every list-returning endpoint reads ``data: {}``, ``data: null`` and ``data: []`` as empty.

The current Search page documents ``data: {}`` for a search without hits; other pages show
``null`` or ``[]``. A small MockTransport answers each form (no cassettes: the exact body
matters), through the sync and the async client.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations.errors import ResponseParseError

EMPTY_FORMS: list[Any] = [{}, None, []]
FORM_IDS = ["empty-object", "null", "empty-list"]


def _answer(data: Any) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": data})

    return handler


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def call(
    flavour: str,
) -> AsyncIterator[Callable[..., Any]]:
    """``await call(data, "method", *args)``: one request answered with ``data``."""
    opened: list[MemoriesClient | AsyncMemoriesClient] = []

    async def run(data: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        transport = httpx.MockTransport(_answer(data))
        client: MemoriesClient | AsyncMemoriesClient
        if flavour == "sync":
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

    yield run
    for client in opened:
        if isinstance(client, AsyncMemoriesClient):
            await client.aclose()
        else:
            client.close()


@pytest.fixture
def image(tmp_path: Path) -> Path:
    path = tmp_path / "frame.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    return path


LIST_CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("search", "search", ("someone cooking",), {}),
    ("search_by_caption", "search", ("someone cooking",), {"search_type": "BY_CAPTION"}),
    ("search_public", "search_public", ("street food",), {}),
]


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [c[1:] for c in LIST_CALLS],
    ids=[c[0] for c in LIST_CALLS],
)
async def test_searches_read_empty_forms_as_no_hits(
    call: Callable[..., Any], data: Any, method: str, args: tuple[Any, ...], kwargs: Any
) -> None:
    assert await call(data, method, *args, **kwargs) == []


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("platform", [None, "TIKTOK"], ids=["private", "public"])
async def test_search_by_image_reads_empty_forms(
    call: Callable[..., Any], data: Any, platform: str | None, image: Path
) -> None:
    assert await call(data, "search_by_image", image, platform=platform) == []


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
async def test_search_video_by_image_reads_empty_forms(
    call: Callable[..., Any], data: Any, image: Path
) -> None:
    assert await call(data, "search_video_by_image", image, "VI1", prompt="people") == []


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
async def test_transcript_search_reads_empty_forms(
    call: Callable[..., Any], data: Any, public: bool
) -> None:
    page = await call(data, "search_transcripts", "hello", public=public)
    assert page.videos == [] and page.total_count == 0


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
async def test_list_videos_reads_empty_forms(call: Callable[..., Any], data: Any) -> None:
    page = await call(data, "list_videos")
    assert page.videos == [] and page.total_count == 0 and not page.has_more


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
async def test_list_sessions_reads_empty_forms(call: Callable[..., Any], data: Any) -> None:
    page = await call(data, "list_sessions")
    assert page.sessions == [] and page.total_count == 0


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
@pytest.mark.parametrize(
    "method", ["get_audio_transcription", "get_video_transcription", "get_video_caption"]
)
async def test_transcripts_read_empty_forms(
    call: Callable[..., Any], data: Any, method: str
) -> None:
    transcript = await call(data, method, "VI1")
    assert transcript.segments == [] and transcript.text == ""


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
async def test_task_status_reads_empty_forms(call: Callable[..., Any], data: Any) -> None:
    status = await call(data, "get_task_status", "task-1")
    assert status.task_id == "task-1"
    assert status.videos == [] and status.video_ids == []


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=FORM_IDS)
async def test_get_metadata_before_parse_is_unparse(call: Callable[..., Any], data: Any) -> None:
    # Current Get-metadata page: no data until parsing finished. Not an error: "not ready".
    meta = await call(data, "get_metadata", "VI1")
    assert meta.video_no == "VI1" and meta.status is VideoStatus.UNPARSE
    assert meta.duration is None and meta.datetime_taken is None


@pytest.mark.parametrize(
    "data", [{"videos": None}, {"videos": []}, {"items": []}], ids=["null-key", "list", "items"]
)
async def test_search_wrapped_empty_list(call: Callable[..., Any], data: Any) -> None:
    assert await call(data, "search", "someone cooking") == []


async def test_search_with_an_unexpected_object_still_fails(call: Callable[..., Any]) -> None:
    # Empty means empty: an object that is not a known wrapper stays a parse error.
    with pytest.raises(ResponseParseError):
        await call({"unexpected": 1}, "search", "someone cooking")


async def test_list_videos_bare_list_is_one_page(call: Callable[..., Any]) -> None:
    page = await call([{"video_no": "VI1", "status": "PARSE"}], "list_videos")
    assert [v.video_no for v in page.videos] == ["VI1"]
