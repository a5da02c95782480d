"""Callbacks over real HTTP, scraper tasks."""

from __future__ import annotations

import time

import httpx

from memories_integrations.testing import EmulatorServer

from .conftest import V1, Sink, sample, upload, wait_status


def test_upload_callback_parse(client: httpx.Client, emu: EmulatorServer, sink: Sink) -> None:
    no = upload(client, sample("cooking"), callback=sink.url)
    got = sink.wait_for(lambda r: len(r) >= 1)
    assert got[0]["method"] == "POST" and got[0]["path"] == "/hook"
    assert got[0]["json"] == {"videoNo": no, "clientId": emu.client_id, "status": "PARSE"}


def test_upload_url_callback_fail(client: httpx.Client, sink: Sink) -> None:
    r = client.post(
        f"{V1}/upload_url", data={"url": "https://x.test/corrupt.mp4", "callback": sink.url}
    )
    no = r.json()["data"]["videoNo"]
    got = sink.wait_for(lambda r: len(r) >= 1)
    assert got[0]["json"]["status"] == "FAIL" and got[0]["json"]["videoNo"] == no
    assert wait_status(client, no, "PARSE_ERROR")["cause"]


def test_callback_retried_after_errors(
    client: httpx.Client, emu: EmulatorServer, sink: Sink
) -> None:
    sink.fail_first = 2
    no = upload(client, sample("soccer"), callback=sink.url)
    got = sink.wait_for(lambda r: len(r) >= 1)
    assert got[0]["json"]["videoNo"] == no
    deadline = time.monotonic() + 2
    while len(attempts := [c for c in emu.callbacks if c["payload"].get("videoNo") == no]) < 3:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert [a["http_status"] for a in attempts] == [500, 500, 200]


def test_duplicate_callbacks(client: httpx.Client, emu: EmulatorServer, sink: Sink) -> None:
    emu.emulator.settings.duplicate_callbacks = True
    no = upload(client, sample("soccer"), callback=sink.url)
    got = sink.wait_for(lambda r: len(r) >= 2)
    assert [g["json"]["videoNo"] for g in got] == [no, no]


def test_unreachable_callback_does_not_break_processing(
    client: httpx.Client, emu: EmulatorServer
) -> None:
    no = upload(client, sample("soccer"), callback="http://127.0.0.1:1/nowhere")
    wait_status(client, no, "PARSE")


def test_scraper_url_task(client: httpx.Client, emu: EmulatorServer, sink: Sink) -> None:
    emu.set_encoding_delay(0.2)
    urls = ["https://www.tiktok.com/@chef/video/1", "https://www.tiktok.com/@chef/video/2"]
    r = client.post(
        f"{V1}/scraper_url",
        json={
            "video_urls": urls[:1],
            "tiktok_post_urls": urls[1:],
            "unique_id": "s",
            "callback_url": sink.url,
            "quality": "720",
        },
    )
    task_id = r.json()["data"]["taskId"]
    status = client.get(
        f"{V1}/get_video_ids_by_task_id", params={"task_id": task_id, "unique_id": "s"}
    ).json()
    assert status["data"]["video_ids"] == []  # still downloading
    # Each callback is its own POST: they may arrive in any order, so wait for all three.
    got = sink.wait_for(
        lambda r: (
            [x["json"]["status"] for x in r].count("INDEXING_SUCCEEDED") == 2
            and any(x["json"]["status"] == "SUCCEEDED" for x in r)
        )
    )
    per_video = [g["json"] for g in got if g["json"]["status"] == "INDEXING_SUCCEEDED"]
    assert len(per_video) == 2 and all(p["taskId"] == task_id for p in per_video)
    finished = [g["json"] for g in got if g["json"]["status"] == "SUCCEEDED"]
    assert finished == [
        {"message": "Video has been downloaded", "taskId": task_id, "status": "SUCCEEDED"}
    ]
    data = client.get(
        f"{V1}/get_video_ids_by_task_id", params={"task_id": task_id, "unique_id": "s"}
    ).json()["data"]
    # The documented ids-only shape: each video's status comes from get_metadata.
    assert set(data) == {"taskId", "video_ids"}
    assert sorted(data["video_ids"]) == sorted(p["videoId"] for p in per_video)
    for no in data["video_ids"]:
        meta = client.get(f"{V1}/get_metadata", params={"video_no": no, "unique_id": "s"})
        assert meta.json()["data"]["status"] == "PARSE"
    listed = client.post(f"{V1}/list_videos", json={"unique_id": "s"}).json()["data"]
    assert listed["total_count"] == "2"
    hits = client.post(
        f"{V1}/search", json={"search_param": "the", "unique_id": "s", "filtering_level": "low"}
    ).json()
    assert hits["code"] == "0000"


def test_scraper_validation(client: httpx.Client) -> None:
    mixed = ["https://www.tiktok.com/@a/video/1", "https://youtube.com/watch?v=x"]
    assert client.post(f"{V1}/scraper_url", json={"video_urls": mixed}).json()["code"] == "0001"
    assert client.post(f"{V1}/scraper_url", json={"video_urls": []}).json()["code"] == "0001"
    assert (
        client.post(f"{V1}/scraper_url", json={"video_urls": ["https://vimeo.com/1"]}).json()[
            "code"
        ]
        == "0001"
    )
    too_many = [f"https://www.tiktok.com/@a/video/{i}" for i in range(51)]
    assert client.post(f"{V1}/scraper_url", json={"video_urls": too_many}).json()["code"] == "0001"
    bad_quality = {"video_urls": mixed[:1], "quality": "999"}
    assert client.post(f"{V1}/scraper_url", json=bad_quality).json()["code"] == "0001"
    assert client.post(f"{V1}/scraper", json={}).json()["code"] == "0001"
    assert client.post(f"{V1}/scraper_tag", json={"hash_tags": []}).json()["code"] == "0001"
    assert (
        client.get(f"{V1}/get_video_ids_by_task_id", params={"task_id": "nope"}).json()["code"]
        == "0001"
    )


def test_profile_hashtag_and_public_scrapers(client: httpx.Client, emu: EmulatorServer) -> None:
    r1 = client.post(
        f"{V1}/scraper", json={"username": "https://www.instagram.com/someone", "scraper_cnt": 3}
    )
    r2 = client.post(f"{V1}/scraper_tag", json={"hash_tags": ["#food", "travel"], "scraper_cnt": 4})
    r3 = client.post(f"{V1}/scraper_url_public", json={"video_urls": ["https://youtu.be/abc"]})
    emu.complete_all()
    counts = []
    for r in (r1, r2, r3):
        task = r.json()["data"]["taskId"]
        data = client.get(f"{V1}/get_video_ids_by_task_id", params={"task_id": task}).json()["data"]
        counts.append(len(data["video_ids"]))
    assert counts == [3, 4, 1]
    public_id = client.get(
        f"{V1}/get_video_ids_by_task_id", params={"task_id": r3.json()["data"]["taskId"]}
    ).json()["data"]["video_ids"][0]
    assert public_id.startswith("PI-")
