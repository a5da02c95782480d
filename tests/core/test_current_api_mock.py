"""Issue 19 §2 against a mock answering as the docs / live prints do: download by bucket/blob,
clips-by-image prompt, upload_img and image-hit shapes, public library, add_memory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient
from memories_integrations._transport.retry import NO_RETRIES
from memories_integrations.errors import (
    InsufficientCreditsError,
    InvalidInputError,
    InvalidRequestError,
    NotFoundError,
)

Handler = Callable[[httpx.Request], httpx.Response]


def client_on(handler: Handler) -> MemoriesClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return MemoriesClient(
        api_key="mock-key", http_client=http, retry=NO_RETRIES, rate_limiter=False
    )


def recording(sent: list[httpx.Request], data: Any) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return envelope(data)

    return handler


def envelope(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"code": "0000", "msg": "success", "data": data})


def test_download_sends_the_blob_slash_unencoded_on_the_v1_path(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"\xff\xd8jpeg", headers={"content-type": "image/jpeg"})

    with client_on(handler) as client:
        path = client.download("mavi-keyframe", "<uuid>/keyframe-000013.jpg", tmp_path / "k.jpg")
    assert path.read_bytes() == b"\xff\xd8jpeg"
    assert seen[0].method == "GET"
    raw = seen[0].url.raw_path.decode()
    assert raw.startswith("/serve/api/v1/download?bucket=mavi-keyframe&blob=")
    assert "/keyframe-000013.jpg" in raw and "%2F" not in raw


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("Bucket/Blob cannot be null or empty", InvalidRequestError),
        ("Resource does not exist", NotFoundError),
        ("Insufficient balance, please recharge", InsufficientCreditsError),
    ],
)
def test_download_json_errors_are_typed(tmp_path: Path, message: str, error: type) -> None:
    body = {"success": False, "failed": True, "msg": message, "data": None}
    with client_on(lambda r: httpx.Response(200, json=body)) as client:
        with pytest.raises(error, match=message.split(",")[0]):
            client.download("b", "x/y.mp4", tmp_path / "v.mp4")
    assert not (tmp_path / "v.mp4").exists()


def test_clips_by_image_requires_a_prompt_before_any_request(tmp_path: Path) -> None:
    image = tmp_path / "frame.jpg"
    image.write_bytes(b"\xff\xd8\xff\xe0jpeg")
    sent: list[httpx.Request] = []
    with client_on(recording(sent, [])) as client:
        with pytest.raises(InvalidInputError, match="prompt"):
            client.search_video_by_image(image, "VI1", prompt="  ")
        with pytest.raises(TypeError):
            client.search_video_by_image(image, "VI1")  # type: ignore[call-arg]
    assert sent == []


def test_upload_img_reads_a_list_of_ids(tmp_path: Path) -> None:
    image = tmp_path / "a.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\npng")
    with client_on(lambda r: envelope([{"id": 612345678901234567}])) as client:
        (result,) = client.upload_images([image])
    assert result.image_no == "612345678901234567"


def test_image_search_hits_without_end_time() -> None:
    hits = [{"videoNo": "VI1", "startTime": "4", "score": 0.9}]
    with client_on(lambda r: envelope(hits)) as client:
        found = client._transport._send(_image_search_call(), timeout=None)
    assert (found[0].start_time, found[0].end_time, found[0].end_timestamp) == (
        4.0,
        None,
        "00:00:04",
    )


def _image_search_call() -> Any:
    from memories_integrations._endpoints.base import Call, model_list
    from memories_integrations._endpoints.search import SEARCH_SIMILAR_IMAGES
    from memories_integrations.models import SearchHit

    return Call(SEARCH_SIMILAR_IMAGES, model_list(SearchHit, "videos", "items"))


def test_add_memory_sends_the_documented_body() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return envelope({})

    with client_on(handler) as client:
        client.add_memory(
            [{"role": "user", "content": "I parked on level 3"}],
            tags=["car"],
            latitude=37.5,
            longitude=-122.1,
            memories_at="2026-12-03T10:00:00Z",
            unique_id="u1",
        )
    assert sent[0].url.path == "/serve/api/v1/memories/add"
    assert json.loads(sent[0].content) == {
        "unique_id": "u1",
        "memories": [{"role": "user", "content": "I parked on level 3"}],
        "tags": ["car"],
        "latitude": "37.5",
        "longitude": "-122.1",
        "memories_at": "2026-12-03T10:00:00Z",
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"memories": []},
        {"memories": [{"role": "robot", "content": "x"}]},
        {"memories": [{"role": "user", "content": " "}]},
        {"memories": [{"role": "user", "content": "x"}], "latitude": 1.0},
    ],
)
def test_add_memory_rejects_bad_input_before_any_request(kwargs: dict[str, Any]) -> None:
    sent: list[httpx.Request] = []
    with client_on(recording(sent, {})) as client:
        with pytest.raises(InvalidInputError):
            client.add_memory(**kwargs)
    assert sent == []


@pytest.mark.parametrize(
    "data",
    [
        # No source printed these answers: every list spelling of this API is read.
        {"memories": [{"id": 7, "content": "level 3", "tags": "car,parking"}], "total_count": "1"},
        {"items": [{"memoryId": "7", "memory": "level 3", "tags": ["car", "parking"]}]},
        [{"memory_id": "7", "text": "level 3", "tags": ["car", "parking"], "score": "0.8"}],
    ],
)
def test_list_and_search_memories_read_any_list_shape(data: Any) -> None:
    sent: list[httpx.Request] = []
    with client_on(recording(sent, data)) as client:
        listed = client.list_memories(page=2, page_size=5, unique_id="u1")
        found = client.search_memories("where did I park", filters={"tags": ["car"]})
    for page in (listed, found):
        (memory,) = page.memories
        assert (memory.memory_id, memory.content, memory.tags) == (
            "7",
            "level 3",
            ["car", "parking"],
        )
    assert sent[0].url.path == "/serve/api/v1/memories"
    assert json.loads(sent[0].content) == {"unique_id": "u1", "page": 2, "page_size": 5}
    assert sent[1].url.path == "/serve/api/v1/memories/search"
    body = json.loads(sent[1].content)
    assert body["query"] == "where did I park" and body["filters"] == {"tags": ["car"]}


def test_a_malformed_memory_row_is_skipped() -> None:
    rows = {"memories": [{"content": "kept", "tags": "null"}, {"role": "user"}, {"content": "ok"}]}
    with client_on(lambda r: envelope(rows)) as client:
        page = client.list_memories()
    assert [m.content for m in page.memories] == ["kept", "ok"] and page.skipped == 1
    assert page.memories[0].tags == []


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("search_memories", {"query": " "}),
        ("list_memories", {"page": 0}),
        ("list_memories", {"page_size": 1001}),
        ("list_memories", {"filters": ["tags"]}),
    ],
)
def test_memory_list_and_search_reject_bad_input(method: str, kwargs: dict[str, Any]) -> None:
    sent: list[httpx.Request] = []
    with client_on(recording(sent, {})) as client:
        with pytest.raises(InvalidInputError):
            getattr(client, method)(**kwargs)
    assert sent == []
