"""The strict emulator (the default) answers raw HTTP as the current docs do; ``lenient=True``
restores the older permissive answers. Plain httpx, never the package's client.
Each behaviour is listed in tests/emulator/BEHAVIOUR.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from memories_integrations.testing import EmulatorConfig, EmulatorServer

from .conftest import V1, make_client, sample, upload, wait_status

TIKTOK = "https://www.tiktok.com/@chef/video/1"


@pytest.fixture(scope="module")
def _lenient() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=0.05, lenient=True, rate_limits=False) as server:
        yield server


@pytest.fixture
def lenient(_lenient: EmulatorServer) -> Iterator[httpx.Client]:
    _lenient.reset()
    with make_client(_lenient.base_url, _lenient.api_key) as c:
        yield c


def _metadata(client: httpx.Client, video_no: str) -> dict[str, Any]:
    body = client.get(f"{V1}/get_metadata", params={"video_no": video_no}).json()
    assert body["code"] == "0000", body
    return dict(body)


def _task(client: httpx.Client, server: EmulatorServer) -> Any:
    task_id = client.post(f"{V1}/scraper_url", json={"video_urls": [TIKTOK]}).json()["data"][
        "taskId"
    ]
    server.complete_all()
    r = client.get(f"{V1}/get_video_ids_by_task_id", params={"task_id": task_id})
    return task_id, r.json()["data"]


# -- get_metadata ------------------------------------------------------------------------
def test_metadata_is_null_until_parsed(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.set_encoding_delay(30)
    no = upload(client, sample("cooking"))
    assert _metadata(client, no)["data"] is None
    emu.complete_all()
    data = _metadata(client, no)["data"]
    assert data["video_no"] == no and data["status"] == "PARSE"


def test_failed_video_has_metadata_with_cause(client: httpx.Client, emu: EmulatorServer) -> None:
    r = client.post(f"{V1}/upload", files={"file": ("x.mp4", b"not a video" * 20, "video/mp4")})
    no = r.json()["data"]["videoNo"]
    emu.complete_all()
    data = _metadata(client, no)["data"]
    assert data["status"] == "PARSE_ERROR" and data["cause"]


def test_lenient_metadata_answers_before_parse(
    lenient: httpx.Client, _lenient: EmulatorServer
) -> None:
    _lenient.set_encoding_delay(30)
    no = upload(lenient, sample("cooking"), datetime_taken="2024-05-01 10:00:00")
    data = _metadata(lenient, no)["data"]
    assert data["status"] == "UNPARSE"
    assert data["datetime_taken"] == "2024-05-01 10:00:00"  # the older echo


# -- datetime_taken ------------------------------------------------------------------------
def test_datetime_taken_is_epoch_ms(client: httpx.Client) -> None:
    no = upload(client, sample("cooking"), datetime_taken="2024-05-01 10:00:00")
    assert wait_status(client, no, "PARSE")["datetime_taken"] == 1714557600000
    # Epoch ms digits are accepted on upload too.
    other = upload(client, sample("soccer"), datetime_taken="1714600000000")
    assert wait_status(client, other, "PARSE")["datetime_taken"] == 1714600000000


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("1714557600000", {"cooking_demo", "soccer_match"}),  # at or after
        ("1714557600001", {"soccer_match"}),
        ("1714600000001", set()),
        ("2024-05-01 10", {"cooking_demo"}),  # older spelling: prefix of the date string
    ],
)
def test_list_videos_datetime_taken_filter(
    client: httpx.Client, emu: EmulatorServer, wanted: str, expected: set[str]
) -> None:
    upload(client, sample("cooking"), datetime_taken="2024-05-01 10:00:00")
    upload(client, sample("soccer"), datetime_taken="1714600000000")
    upload(client, sample("city"))  # no capture time: never matches the filter
    emu.complete_all()
    data = client.post(f"{V1}/list_videos", json={"datetime_taken": wanted}).json()["data"]
    assert {v["video_name"] for v in data["videos"]} == expected


# -- task status --------------------------------------------------------------------------
def test_task_status_is_ids_only_by_default(client: httpx.Client, emu: EmulatorServer) -> None:
    task_id, data = _task(client, emu)
    assert set(data) == {"taskId", "video_ids"} and data["taskId"] == task_id
    assert len(data["video_ids"]) == 1


@pytest.mark.parametrize("shape", ["videos", "list"])
def test_task_status_shape_switch(shape: str) -> None:
    with (
        EmulatorServer(encoding_delay=0.05, task_status_shape=shape, rate_limits=False) as server,
        make_client(server.base_url, server.api_key) as c,
    ):
        _, data = _task(c, server)
    rows = data if shape == "list" else data["videos"]
    assert isinstance(rows, list) and len(rows) == 1
    assert rows[0]["status"] == "PARSE" and rows[0]["video_url"] == TIKTOK
    if shape == "videos":
        assert "video_ids" not in data and data["status"] == "SUCCEEDED"


def test_lenient_task_status_has_every_field(
    lenient: httpx.Client, _lenient: EmulatorServer
) -> None:
    _, data = _task(lenient, _lenient)
    assert {"taskId", "status", "video_ids", "videos"} <= set(data)


def test_unknown_task_status_shape_rejected() -> None:
    with pytest.raises(ValueError, match="task_status_shape"):
        EmulatorConfig(task_status_shape="table")  # type: ignore[arg-type]


# -- empty searches -----------------------------------------------------------------------
def _empty_searches(client: httpx.Client) -> list[Any]:
    png = {"file": ("q.png", b"\x89PNG fake", "image/png")}
    return [
        client.post(f"{V1}/search", json={"search_param": "onions", "unique_id": "empty"}),
        client.post(
            f"{V1}/search",
            json={"search_param": "onions", "search_type": "BY_IMAGE", "unique_id": "empty"},
        ),
        client.post(f"{V1}/search_public", json={"search_param": "zzqxv nothing matches"}),
        client.post(f"{V1}/search_similar_images", files=png, data={"unique_id": "empty"}),
        client.post(
            f"{V1}/search_public_similar_images", files=png, data={"similarity": "0.9999999"}
        ),
    ]


def test_empty_search_is_an_empty_object(client: httpx.Client) -> None:
    for r in _empty_searches(client):
        body = r.json()
        assert body["code"] == "0000" and body["data"] == {}, (r.request.url, body)


def test_lenient_empty_search_is_an_empty_list(lenient: httpx.Client) -> None:
    assert [r.json()["data"] for r in _empty_searches(lenient)] == [[]] * 5


def test_search_datetime_taken_filter(client: httpx.Client, emu: EmulatorServer) -> None:
    upload(client, sample("cooking"), datetime_taken="2024-05-01 10:00:00")
    emu.complete_all()

    def names(taken: str) -> Any:
        body = {"search_param": "onions", "datetime_taken": taken}
        data = client.post(f"{V1}/search", json=body).json()["data"]
        return {h["videoName"] for h in data} if data else set()

    assert names("1714557600000") == {"cooking_demo"}  # at or after, epoch ms
    assert names("1714557600001") == set()
    assert names("2024-05-01") == {"cooking_demo"}  # the older prefix spelling


def test_capture_metadata_rejections(client: httpx.Client) -> None:
    for bad in ({"datetime_taken": "yesterday"}, {"latitude": "91", "longitude": "0"}):
        r = client.post(f"{V1}/upload", files={"file": ("a.mp4", b"x" * 10, "video/mp4")}, data=bad)
        assert r.json()["code"] == "0001", bad


# -- issue 19 §3: strict both ways ---------------------------------------------------------
def test_upload_keeps_indexed_tags_and_accepts_true_booleans(
    client: httpx.Client, emu: EmulatorServer
) -> None:
    no = upload(
        client,
        sample("cooking"),
        **{"tags[0]": "kitchen", "tags[1]": "pasta"},
        retain_original_video="True",
    )
    emu.complete_all()
    assert _metadata(client, no)["data"]["tags"] == ["kitchen", "pasta"]


@pytest.mark.parametrize("ctype", ["application/octet-stream", "image/png", ""])
def test_upload_rejects_a_file_part_that_is_not_video(client: httpx.Client, ctype: str) -> None:
    path = sample("cooking")
    r = client.post(f"{V1}/upload", files={"file": (path.name, path.read_bytes(), ctype)})
    assert r.json()["code"] != "0000"


def test_list_videos_needs_latitude_and_longitude_together(client: httpx.Client) -> None:
    body = client.post(f"{V1}/list_videos", json={"latitude": "37.5"}).json()
    assert body["code"] != "0000" and "together" in body["msg"]
    both = client.post(f"{V1}/list_videos", json={"latitude": "37.5", "longitude": "-122"})
    assert both.json()["code"] == "0000"


def test_clips_by_image_requires_a_prompt(client: httpx.Client, emu: EmulatorServer) -> None:
    no = upload(client, sample("cooking"))
    emu.complete_all()
    image = ("frame.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "image/png")
    r = client.post(f"{V1}/search_clips_by_image", data={"video_no": no}, files={"file": image})
    assert r.json()["msg"] == "The prompt parameter cannot be empty!"
