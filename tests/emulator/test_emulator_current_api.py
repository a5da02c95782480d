"""Issue 19 §3: the emulator's answers for unknown videos, delete, upload_img, the public
library's detail and transcripts and text memories; each raw and through the package client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient
from memories_integrations.models import MetadataNotReady, VideoStatus
from memories_integrations.testing import EmulatorServer

from .conftest import V1

PUBLIC = "PI-900000000000000001"  # first video of the built-in public library


@pytest.fixture
def api(emu: EmulatorServer) -> Iterator[MemoriesClient]:
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url, rate_limiter=False) as c:
        yield c


def test_client_reads_an_unknown_video_as_not_ready(api: MemoriesClient) -> None:
    meta = api.get_metadata("VI404404404")
    assert isinstance(meta, MetadataNotReady) and meta.ready is False
    assert (meta.video_no, meta.status) == ("VI404404404", VideoStatus.UNPARSE)


def test_client_deletes_twice_without_error(api: MemoriesClient) -> None:
    video = api.upload_url("https://videos.example.com/clips/twice.mp4")
    api.delete_videos([video.video_no])
    api.delete_videos([video.video_no])  # idempotent: no ConflictError any more
    api.delete_videos(["VI404404404"])
    assert all(v.video_no != video.video_no for v in api.list_videos().videos)


def test_client_reads_upload_img_ids(api: MemoriesClient, tmp_path: Path) -> None:
    image = tmp_path / "red_bicycle.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (result,) = api.upload_images([image], unique_id="img")
    assert result.image_no is not None and result.image_no.isdigit()


def test_public_video_detail(client: httpx.Client, api: MemoriesClient) -> None:
    data = client.get(f"{V1}/get_public_video_detail", params={"video_no": PUBLIC}).json()["data"]
    assert set(data) == {
        "duration", "status", "video_no", "video_name", "create_time", "video_url", "blogger_id"
    }  # fmt: skip
    assert data["video_no"] == PUBLIC and data["status"] == "PARSE"
    assert all(isinstance(v, str) for v in data.values())  # as printed: every value a string
    detail = api.get_public_video_detail(PUBLIC)
    assert detail.video_no == PUBLIC and detail.status is VideoStatus.PARSE
    assert detail.duration == float(data["duration"]) and detail.video_url == data["video_url"]
    assert detail.blogger_id == data["blogger_id"]


@pytest.mark.parametrize(
    "path",
    ["get_public_video_detail", "get_public_video_transcription", "get_public_audio_transcription"],
)
def test_public_endpoints_reject_unknown_or_private_videos(
    client: httpx.Client, library: dict[str, str], path: str
) -> None:
    private = next(iter(library.values()))
    for params in ({"video_no": "PI-1"}, {"video_no": private, "unique_id": "lib"}, {}):
        assert client.get(f"{V1}/{path}", params=params).json()["code"] == "0001", params


def test_public_transcriptions(client: httpx.Client, api: MemoriesClient) -> None:
    for kind in ("video", "audio"):
        body = client.get(f"{V1}/get_public_{kind}_transcription", params={"video_no": PUBLIC})
        data = body.json()["data"]
        assert data["videoNo"] == PUBLIC and data["transcriptions"], kind
        assert {"index", "content", "startTime", "endTime"} <= set(data["transcriptions"][0])
    visual = api.get_public_video_transcription(PUBLIC)
    audio = api.get_public_audio_transcription(PUBLIC)
    assert visual.video_no == PUBLIC and visual.segments and audio.segments
    assert visual.segments[0].end_time is not None


def _add(client: httpx.Client, body: Any) -> dict[str, Any]:
    result: dict[str, Any] = client.post(f"{V1}/memories/add", json=body).json()
    return result


def test_add_memory(client: httpx.Client, emu: EmulatorServer, api: MemoriesClient) -> None:
    body = {
        "unique_id": "notes",
        "memories": [{"role": "user", "content": "I parked on level 3"}],
        "tags": ["car"],
        "latitude": "37.5",
        "longitude": "-122.1",
        "memories_at": "2026-12-03T10:00:00Z",
    }
    assert _add(client, body) == {
        "code": "0000", "msg": "success", "data": {}, "success": True, "failed": False
    }  # fmt: skip
    api.add_memory([{"role": "assistant", "content": "Noted."}], unique_id="notes")
    stored = [(m.role, m.content, m.ns[1]) for m in emu.state.memories]
    assert stored == [("user", "I parked on level 3", "notes"), ("assistant", "Noted.", "notes")]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"memories": []},
        {"memories": "I parked on level 3"},
        {"memories": [{"content": "no role"}]},
        {"memories": [{"role": "user", "content": "  "}]},
        {"memories": [{"role": "user", "content": "x"}], "latitude": "north"},
        {"memories": [{"role": "user", "content": "x"}], "latitude": "91", "longitude": "0"},
        {"memories": [{"role": "user", "content": "x"}], "memories_at": "yesterday"},
    ],
)
def test_add_memory_rejections(client: httpx.Client, emu: EmulatorServer, body: Any) -> None:
    assert _add(client, body)["code"] == "0001"
    assert emu.state.memories == []


def _notes(client: httpx.Client) -> None:
    for content, tags in (
        ("I parked the car on level 3", ["car"]),
        ("The dentist appointment is on Friday", ["health"]),
        ("Buy oat milk and coffee beans", []),
    ):
        body = {"unique_id": "notes", "memories": [{"role": "user", "content": content}]}
        assert _add(client, {**body, "tags": tags})["code"] == "0000"


def test_list_memories(client: httpx.Client, api: MemoriesClient) -> None:
    _notes(client)
    body = client.post(
        f"{V1}/memories", json={"unique_id": "notes", "page": 1, "page_size": 2}
    ).json()
    data = body["data"]
    assert (data["current_page"], data["page_size"], data["total_count"]) == (1, 2, "3")
    assert [m["content"] for m in data["memories"]] == [
        "Buy oat milk and coffee beans",
        "The dentist appointment is on Friday",
    ]  # newest first
    page = api.list_memories(page=2, page_size=2, unique_id="notes")
    assert [m.content for m in page.memories] == ["I parked the car on level 3"]
    assert page.total_count == 3 and not page.has_more and page.skipped == 0
    assert page.memories[0].tags == ["car"] and page.memories[0].role == "user"
    tagged = api.list_memories(filters={"tags": ["health"]}, unique_id="notes")
    assert [m.content for m in tagged.memories] == ["The dentist appointment is on Friday"]
    assert api.list_memories(unique_id="elsewhere").memories == []


def test_search_memories(client: httpx.Client, api: MemoriesClient) -> None:
    _notes(client)
    found = api.search_memories("where did I park the car", unique_id="notes")
    assert [m.content for m in found.memories] == ["I parked the car on level 3"]
    assert found.memories[0].score is not None and 0 < found.memories[0].score <= 1
    assert api.search_memories("quantum chromodynamics", unique_id="notes").memories == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("memories/search", {"unique_id": "notes"}),  # no query
        ("memories/search", {"query": "car", "page": 0}),
        ("memories", {"page_size": 0}),
        ("memories", {"filters": ["tags"]}),
    ],
)
def test_memory_list_and_search_rejections(
    client: httpx.Client, path: str, body: dict[str, Any]
) -> None:
    assert client.post(f"{V1}/{path}", json=body).json()["code"] == "0001"
