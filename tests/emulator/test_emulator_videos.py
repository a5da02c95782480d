"""Upload, lifecycle, list, metadata, delete, download, images."""

from __future__ import annotations

import httpx

from memories_integrations.testing import EmulatorServer, sample_videos

from .conftest import V1, make_client, sample, upload, wait_status


def test_upload_happy_path_and_lifecycle(client: httpx.Client) -> None:
    path = sample("cooking")
    r = client.post(
        f"{V1}/upload",
        files={"file": (path.name, path.read_bytes(), "video/mp4")},
        data={
            "unique_id": "u",
            "tags": ["a", "b"],
            "camera_model": "Pixel",
            "datetime_taken": "2024-05-01 10:00:00",
        },
    )
    data = r.json()["data"]
    assert data["videoStatus"] == "UNPARSE"
    assert data["videoName"] == "cooking_demo"
    assert data["uploadTime"].isdigit()
    meta = client.get(
        f"{V1}/get_metadata", params={"video_no": data["videoNo"], "unique_id": "u"}
    ).json()
    # Current Get-metadata page: no data until parsing finished.
    assert meta["code"] == "0000" and meta["data"] is None
    meta = wait_status(client, data["videoNo"], "PARSE", "u")
    assert meta["tags"] == ["a", "b"] and meta["camera_model"] == "Pixel"
    assert meta["datetime_taken"] == 1714557600000  # epoch ms (2024-05-01 10:00:00 UTC)
    assert meta["duration"] == 10.0 and meta["width"] == 64 and meta["size"] == path.stat().st_size


def test_upload_validation(client: httpx.Client) -> None:
    assert client.post(f"{V1}/upload", data={"unique_id": "u"}).json()["code"] == "0001"
    r = client.post(f"{V1}/upload", files={"file": ("notes.txt", b"hello", "text/plain")})
    assert r.json()["code"] == "0001"
    r = client.post(
        f"{V1}/upload",
        files={"file": ("a.mp4", b"x" * 10, "video/mp4")},
        data={"datetime_taken": "yesterday"},
    )
    assert r.json()["code"] == "0001"


def test_callback_accepted_as_query_param(client: httpx.Client, emu: EmulatorServer) -> None:
    path = sample("soccer")
    r = client.post(
        f"{V1}/upload",
        params={"callback": "http://127.0.0.1:9/x"},
        files={"file": (path.name, path.read_bytes())},
    )
    assert emu.state.videos[r.json()["data"]["videoNo"]].callback == "http://127.0.0.1:9/x"


def test_broken_upload_ends_in_parse_error(client: httpx.Client) -> None:
    r = client.post(
        f"{V1}/upload", files={"file": ("clip.mp4", b"definitely not a video" * 10, "video/mp4")}
    )
    no = r.json()["data"]["videoNo"]
    meta = wait_status(client, no, "PARSE_ERROR")
    assert "container" in meta["cause"]
    # a valid container named *corrupt* also fails
    good = sample("cooking").read_bytes()
    r = client.post(f"{V1}/upload", files={"file": ("corrupt_take.mp4", good, "video/mp4")})
    meta = wait_status(client, r.json()["data"]["videoNo"], "PARSE_ERROR")
    assert "corrupt" in meta["cause"]
    listed = client.post(f"{V1}/list_videos", params={"status": "PARSE_ERROR"}, json={}).json()[
        "data"
    ]
    assert listed["total_count"] == "2" and listed["videos"][0]["cause"] != "null"


def test_upload_url(client: httpx.Client) -> None:
    r = client.post(
        f"{V1}/upload_url",
        data={"url": "https://cdn.example.com/v/soccer_match.mp4", "unique_id": "u"},
    )
    data = r.json()["data"]
    assert data["videoStatus"] == "UNPARSE" and data["videoName"] == "soccer_match"
    wait_status(client, data["videoNo"], "PARSE", "u")
    tr = client.get(
        f"{V1}/get_audio_transcription", params={"video_no": data["videoNo"], "unique_id": "u"}
    )
    assert "goal" in " ".join(t["content"] for t in tr.json()["data"]["transcriptions"]).lower()
    # JSON body accepted too; non-http URL rejected
    r = client.post(f"{V1}/upload_url", json={"url": "https://example.com/x.mp4"})
    assert r.json()["code"] == "0000"
    assert client.post(f"{V1}/upload_url", data={"url": "ftp://x/y.mp4"}).json()["code"] == "0001"
    assert client.post(f"{V1}/upload_url", data={}).json()["code"] == "0001"


def test_list_videos_filters_pagination_namespaces(
    client: httpx.Client, library: dict[str, str]
) -> None:
    data = client.post(f"{V1}/list_videos", json={"unique_id": "lib"}).json()["data"]
    assert data["total_count"] == "4" and data["current_page"] == 1 and data["page_size"] == 20
    # newest first
    assert [v["video_no"] for v in data["videos"]] == sorted(library.values(), reverse=True)
    row = data["videos"][0]
    assert set(row) == {
        "duration",
        "size",
        "status",
        "cause",
        "video_no",
        "video_name",
        "create_time",
        "bucket",  # current docs: the download-by-bucket-blob pointers
        "blob",
    }
    assert row["cause"] == "null" and row["duration"] == "10"
    page = client.post(
        f"{V1}/list_videos", params={"page": 2, "size": 3}, json={"unique_id": "lib"}
    ).json()["data"]
    assert len(page["videos"]) == 1 and page["total_count"] == "4"
    by_name = client.post(
        f"{V1}/list_videos", params={"video_name": "soccer"}, json={"unique_id": "lib"}
    ).json()
    assert [v["video_no"] for v in by_name["data"]["videos"]] == [library["soccer_match"]]
    by_body = client.post(
        f"{V1}/list_videos", json={"unique_id": "lib", "video_no": library["cooking_demo"]}
    ).json()
    assert by_body["data"]["total_count"] == "1"
    assert (
        client.post(f"{V1}/list_videos", json={"unique_id": "other"}).json()["data"]["total_count"]
        == "0"
    )
    assert client.post(f"{V1}/list_videos", params={"page": 0}, json={}).json()["code"] == "0001"


def test_delete_videos(client: httpx.Client, library: dict[str, str]) -> None:
    no = library["cooking_demo"]
    r = client.post(f"{V1}/delete_videos", params={"unique_id": "lib"}, json=[no])
    assert r.json() == {
        "code": "0000",
        "msg": "success",
        "data": None,
        "success": True,
        "failed": False,
    }
    # Idempotent (live API): deleting again, or an unknown number, still answers 0000.
    again = client.post(f"{V1}/delete_videos", params={"unique_id": "lib"}, json=[no]).json()
    assert again["code"] == "0000"
    unknown = client.post(f"{V1}/delete_videos", params={"unique_id": "lib"}, json=["VI1"])
    assert unknown.json()["code"] == "0000"
    r = client.post(
        f"{V1}/delete_videos", json={"video_nos": [library["soccer_match"]], "unique_id": "lib"}
    )
    assert r.json()["code"] == "0000"
    assert (
        client.post(f"{V1}/list_videos", json={"unique_id": "lib"}).json()["data"]["total_count"]
        == "2"
    )
    assert client.post(f"{V1}/delete_videos", json=[]).json()["code"] == "0001"


def test_metadata_of_an_unknown_video_is_null(client: httpx.Client) -> None:
    # Live API (Memories-ai-labs/examples common/poll.py): 0000 with data null, like a video
    # not parsed yet; a missing video_no is still rejected.
    body = client.get(f"{V1}/get_metadata", params={"video_no": "VI1"}).json()
    assert (body["code"], body["data"]) == ("0000", None)
    assert client.get(f"{V1}/get_metadata").json()["code"] == "0001"


def test_metadata_of_an_unknown_video_is_not_found_when_lenient() -> None:
    with EmulatorServer(lenient=True, rate_limits=False) as server:
        with make_client(server.base_url, server.api_key) as c:
            body = c.get(f"{V1}/get_metadata", params={"video_no": "VI1"}).json()
    assert body["code"] == "0001" and body["msg"] == "video not found: VI1"


def test_download(client: httpx.Client, library: dict[str, str]) -> None:
    r = client.get(
        "/serve/api/v2/download", params={"bucket": "emulator-samples", "blob": "cooking_demo.mp4"}
    )
    assert r.content == sample("cooking").read_bytes()
    no = library["soccer_match"]
    meta = client.get(f"{V1}/get_metadata", params={"video_no": no, "unique_id": "lib"}).json()[
        "data"
    ]
    r = client.get(
        "/serve/api/v2/download", params={"bucket": meta["bucket"], "blob": meta["blob"]}
    )
    assert r.headers["content-type"] == "video/mp4" and r.content == sample("soccer").read_bytes()
    assert (
        client.get("/serve/api/v2/download", params={"bucket": "b", "blob": "x"}).json()["code"]
        == "0001"
    )


def test_upload_img_and_by_image_search(client: httpx.Client) -> None:
    r = client.post(
        f"{V1}/upload_img",
        files=[
            ("files", ("red_bicycle.png", b"\x89PNG fake", "image/png")),
            ("files", ("sunset.jpg", b"jpg", "image/jpeg")),
        ],
        data={"unique_id": "img"},
    )
    items = r.json()["data"]
    # Documented answer: one {"id": <int64>} per image, in upload order.
    assert [set(i) for i in items] == [{"id"}, {"id"}]
    assert all(isinstance(i["id"], int) for i in items) and items[0]["id"] < items[1]["id"]
    hits = client.post(
        f"{V1}/search",
        json={"search_param": "bicycle", "search_type": "BY_IMAGE", "unique_id": "img"},
    )
    assert [h["imageNo"] for h in hits.json()["data"]] == [str(items[0]["id"])]
    bad = client.post(
        f"{V1}/upload_img", files={"files": ("x.exe", b"MZ", "application/octet-stream")}
    )
    assert bad.json()["code"] == "0001"


def test_large_upload_streams(client: httpx.Client, emu: EmulatorServer) -> None:
    # 8 MiB: spooled to disk by the multipart parser and hashed chunk by chunk.
    payload = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (8 * 1024 * 1024)
    r = client.post(f"{V1}/upload", files={"file": ("big.mov", payload, "video/quicktime")})
    assert r.json()["code"] == "0000"
    assert wait_status(client, r.json()["data"]["videoNo"], "PARSE")["size"] == len(payload)


def test_namespaces_isolate(client: httpx.Client, emu: EmulatorServer) -> None:
    no = upload(client, sample_videos()[0], "alpha")
    emu.complete_all()
    # Another namespace's video: data null (get_metadata) or "not found" (transcripts).
    foreign = {"video_no": no, "unique_id": "beta"}
    meta = client.get(f"{V1}/get_metadata", params=foreign).json()
    assert (meta["code"], meta["data"]) == ("0000", None)
    assert client.get(f"{V1}/get_video_transcription", params=foreign).json()["code"] == "0001"
    # ... and a delete from there leaves it alone.
    assert (
        client.post(f"{V1}/delete_videos", params={"unique_id": "beta"}, json=[no]).json()["code"]
        == "0000"
    )
    kept = client.get(f"{V1}/get_metadata", params={"video_no": no, "unique_id": "alpha"})
    assert kept.json()["data"]["video_no"] == no
