"""Search endpoints and ranking."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memories_integrations.testing import EmulatorServer

from .conftest import V1, sample, upload


def search(client: httpx.Client, **body: object) -> dict[str, Any]:
    return dict(client.post(f"{V1}/search", json={"unique_id": "lib", **body}).json())


def test_by_clip_ranks_cooking(client: httpx.Client, library: dict[str, str]) -> None:
    hits = search(client, search_param="someone chopping onions")["data"]
    assert isinstance(hits, list) and len(hits) >= 3
    assert {h["videoNo"] for h in hits} == {library["cooking_demo"]}
    top = hits[0]
    assert top["startTime"] == "2" and top["endTime"] == "4"
    assert "onion" in top["caption"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    for key in ("video_bucket", "video_blob", "keyframe_bucket", "keyframe_blob", "videoName"):
        assert key in top


def test_goal_query_and_video_alias(client: httpx.Client, library: dict[str, str]) -> None:
    clip = search(client, search_param="goal scored")["data"]
    video = search(client, search_param="goal scored", search_type="BY_VIDEO")["data"]
    assert clip == video
    assert len(clip) >= 3 and clip[0]["videoNo"] == library["soccer_match"]


def test_by_audio_and_by_caption(client: httpx.Client, library: dict[str, str]) -> None:
    audio = search(client, search_param="battery life price", search_type="BY_AUDIO")["data"]
    assert audio[0]["videoNo"] == library["product_keynote"] and "audio_ts" in audio[0]
    cap = search(client, search_param="city street", search_type="BY_CAPTION", top_k=2)["data"]
    assert len(cap) == 2
    assert set(cap[0]) == {"videoNo", "videoName", "startTime", "endTime", "score", "caption"}


def test_search_validation(client: httpx.Client, library: dict[str, str]) -> None:
    assert search(client, search_param="")["code"] == "0001"
    assert search(client, search_param="x", search_type="BY_SMELL")["code"] == "0003"
    assert search(client, search_param="x", top_k=0)["code"] == "0001"
    assert search(client, search_param="x", top_k=1001)["code"] == "0001"
    assert search(client, search_param="x", search_type="BY_CAPTION", top_k=201)["code"] == "0001"
    assert search(client, search_param="x", filtering_level="extreme")["code"] == "0003"
    assert search(client, search_param="x", latitude=1.0)["code"] == "0001"
    assert (
        search(client, search_param="x", video_nos=[f"VI{i}" for i in range(101)])["code"] == "0001"
    )


def test_top_k_as_string_filters_and_levels(client: httpx.Client, library: dict[str, str]) -> None:
    hits = search(client, search_param="city street", top_k="2")["data"]
    assert len(hits) == 2
    only = search(client, search_param="crowd cheering", video_nos=[library["soccer_match"]])[
        "data"
    ]
    assert {h["videoNo"] for h in only} == {library["soccer_match"]}
    low = search(client, search_param="the chef tastes the sauce", filtering_level="low")["data"]
    high = search(client, search_param="the chef tastes the sauce", filtering_level="high")["data"]
    assert len(high) < len(low) and all(h["score"] >= 0.4 for h in high)
    assert search(client, search_param="onions", tag="soccer")["data"] == {}  # no hits


def test_unparsed_videos_not_searchable(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.set_encoding_delay(30)
    upload(client, sample("cooking"), "slow")
    assert search(client, search_param="onions", unique_id="slow")["data"] == {}
    emu.complete_all()
    assert search(client, search_param="onions", unique_id="slow")["data"]


def test_search_audio_transcripts(client: httpx.Client, library: dict[str, str]) -> None:
    r = client.get(
        f"{V1}/search_audio_transcripts",
        params={"query": "THE", "page_size": 2, "unique_id": "lib"},
    )
    data = r.json()["data"]
    assert int(data["total_count"]) > 2 and len(data["videos"]) == 2
    row = data["videos"][0]
    assert set(row) >= {
        "videoNo",
        "videoName",
        "startTime",
        "endTime",
        "audio_ts",
        "video_bucket",
        "video_blob",
    }
    exact = client.get(
        f"{V1}/search_audio_transcripts", params={"query": "top corner", "unique_id": "lib"}
    ).json()
    assert [v["videoNo"] for v in exact["data"]["videos"]] == [library["soccer_match"]]
    bad = client.get(f"{V1}/search_audio_transcripts", params={"query": "x", "page_size": 501})
    assert bad.json()["code"] == "0001"


def test_public_search(client: httpx.Client) -> None:
    r = client.post(
        f"{V1}/search_public", json={"search_param": "goal scored", "type": "TIKTOK"}
    ).json()
    assert r["data"] and r["data"][0]["videoNo"].startswith("PI-")
    fallback = client.post(
        f"{V1}/search_public", json={"search_param": "goal scored", "type": "MYSPACE"}
    ).json()
    assert fallback["data"] == r["data"]
    yt = client.post(
        f"{V1}/search_public", json={"search_param": "onions", "type": "YOUTUBE"}
    ).json()
    assert all(h["videoNo"] not in {x["videoNo"] for x in r["data"]} for h in yt["data"])
    audio = client.get(f"{V1}/search_public_audio_transcripts", params={"query": "goal"}).json()
    assert audio["data"]["videos"][0]["videoNo"].startswith("PI-")


@pytest.mark.parametrize("endpoint", ["search_similar_images", "search_public_similar_images"])
def test_similar_images(client: httpx.Client, library: dict[str, str], endpoint: str) -> None:
    files = {"file": ("query.png", b"\x89PNG some image bytes", "image/png")}
    r = client.post(
        f"{V1}/{endpoint}", files=files, data={"unique_id": "lib", "similarity": "0.5"}
    ).json()
    hits = r["data"]
    assert hits and all(h["score"] >= 0.5 for h in hits)
    again = client.post(
        f"{V1}/{endpoint}", files=files, data={"unique_id": "lib", "similarity": "0.5"}
    ).json()
    assert again["data"] == hits  # deterministic
    bad = client.post(f"{V1}/{endpoint}", files={"file": ("q.txt", b"x", "text/plain")}).json()
    assert bad["code"] == "0001"


def test_search_clips_by_image(client: httpx.Client, library: dict[str, str]) -> None:
    no = library["cooking_demo"]
    r = client.post(
        f"{V1}/search_clips_by_image",
        files={"file": ("q.jpg", b"jpegbytes", "image/jpeg")},
        data={"video_no": no, "prompt": "chopping onions", "unique_id": "lib"},
    ).json()
    hits = r["data"]
    assert len(hits) == 5 and isinstance(hits[0]["start_time"], float)
    assert set(hits[0]) == {"start_time", "end_time", "score", "video_bucket", "video_blob"}
    missing = client.post(
        f"{V1}/search_clips_by_image",
        files={"file": ("q.jpg", b"j", "image/jpeg")},
        data={"video_no": "VI9"},
    ).json()
    assert missing["code"] == "0001" and "not found" in missing["msg"]
