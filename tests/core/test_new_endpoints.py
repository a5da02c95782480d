"""Endpoints and parameters of the current docs (issue 11 item 5), sync and async, from cassettes:
list_unique_ids, download by video_no, upload_url's and scraper_url's new parameters, and the
bucket/blob pointers of metadata, list, transcripts and task status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient, errors
from memories_integrations.models import (
    TaskStatus,
    Transcript,
    Video,
    VideoMetadata,
    VideoPage,
    VideoStatus,
)
from memories_integrations.testing import sample_videos

from .conftest import Api

cassette = pytest.mark.vcr


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _is_a_sample(path: Path) -> bool:
    data = path.read_bytes()
    return data[4:8] == b"ftyp" and any(p.read_bytes() == data for p in sample_videos())


async def _ready(api: Api) -> Video:
    page: VideoPage = await api.list_videos(size=50)
    return next(v for v in page.videos if v.status is VideoStatus.PARSE)


@cassette
async def test_list_unique_ids(api: Api) -> None:
    before = await api.list_unique_ids()
    assert before == ["default"]  # the preloaded samples live there
    await api.upload_url("https://videos.example.com/a.mp4", unique_id="project_alpha")
    assert await api.list_unique_ids() == ["default", "project_alpha"]


@cassette
async def test_download_video_by_number(api: Api, tmp_path: Path) -> None:
    video = await _ready(api)
    dest = tmp_path / "original.mp4"
    dest.write_bytes(b"old")
    assert await api.download_video(video.video_no, dest) == dest
    assert _is_a_sample(dest)
    assert _names(tmp_path) == ["original.mp4"]  # no temp file left
    with pytest.raises(errors.NotFoundError):
        await api.download_video("VI999999999999999999", tmp_path / "missing.mp4")
    assert not (tmp_path / "missing.mp4").exists()


@cassette
async def test_bucket_blob_pointers_and_download(api: Api, tmp_path: Path) -> None:
    video = await _ready(api)
    assert video.bucket and video.blob  # list_videos rows carry them now
    meta = await api.get_metadata(video.video_no)
    assert (meta.bucket, meta.blob) == (video.bucket, video.blob)
    transcript = await api.get_video_transcription(video.video_no)
    assert (transcript.video_bucket, transcript.video_blob) == (video.bucket, video.blob)
    path = await api.download(video.bucket, video.blob, tmp_path / "by_blob.mp4")
    by_number = await api.download_video(video.video_no, tmp_path / "by_number.mp4")
    assert path.read_bytes() == by_number.read_bytes() and path.stat().st_size > 1000


@cassette
async def test_upload_url_options(api: Api) -> None:
    result = await api.upload_url(
        "https://videos.example.com/clips/harbour_tour.mp4",
        retain_original_video=True,
        video_transcription_prompt="Name every boat you see",
    )
    assert result.video_no.startswith("VI") and result.status is VideoStatus.UNPARSE
    with pytest.raises(errors.InvalidInputError, match="retain_original_video"):
        await api.upload_url("https://videos.example.com/b.mp4", retain_original_video="yes")


@cassette
async def test_import_with_tiktok_post_urls(api: Api) -> None:
    task = await api.import_from_urls(
        ["https://www.tiktok.com/@cutshall73/video/7543017294226558221"],
        tiktok_post_urls=["https://www.tiktok.com/@abcnews/video/7543794552365124919"],
    )
    assert task.task_id
    only_tiktok = await api.import_from_urls(
        [], tiktok_post_urls=["https://www.tiktok.com/@abcnews/video/7543794552365124919"]
    )
    assert only_tiktok.task_id and only_tiktok.task_id != task.task_id


def _sent(handler_log: list[httpx.Request]) -> Any:
    return handler_log[-1]


def test_new_parameters_on_the_wire() -> None:
    """What goes out: url-encoded booleans for upload_url, a merged-capped list for imports."""
    log: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request)
        data = {"videoNo": "VI1", "taskId": "T1"}
        body = json.dumps({"code": "0000", "msg": "success", "data": data}).encode()
        headers = {"content-type": "application/json"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = MemoriesClient(api_key="k", base_url="http://127.0.0.1:9", http_client=http)
    client.upload_url(
        "https://v.example.com/a.mp4", retain_original_video=False, video_transcription_prompt="p"
    )
    form = dict(httpx.QueryParams(_sent(log).content.decode()))
    assert form["retain_original_video"] == "false" and form["video_transcription_prompt"] == "p"
    tiktok = [f"https://www.tiktok.com/@a/video/{i}" for i in range(30)]
    client.import_from_urls(tiktok[:10], tiktok_post_urls=tiktok[10:])
    body = json.loads(_sent(log).content)
    assert body["video_urls"] == tiktok[:10] and body["tiktok_post_urls"] == tiktok[10:]
    sent = len(log)
    bad_cases: list[tuple[list[str], list[str] | None]] = [
        (tiktok, tiktok),  # 60 together: over the cap of 50
        ([], ["https://www.youtube.com/shorts/x"]),
        (["https://www.youtube.com/shorts/x"], tiktok[:1]),
        ([], None),
    ]
    for urls, extra in bad_cases:
        with pytest.raises(errors.InvalidInputError):
            client.import_from_urls(urls, tiktok_post_urls=extra)
    assert len(log) == sent  # rejected before anything was sent


def test_unique_ids_shapes() -> None:
    from memories_integrations._endpoints.videos import unique_ids

    assert unique_ids({"unique_ids": ["default", "LUCI", "luci"]}) == ["default", "LUCI", "luci"]
    empties: list[Any] = [None, {}, [], {"unique_ids": None}, {"unique_ids": []}]
    for empty in empties:
        assert unique_ids(empty) == []
    with pytest.raises(ValueError):
        unique_ids({"unique_ids": "default"})


def test_models_read_both_pointer_spellings() -> None:
    meta = VideoMetadata.model_validate({"video_no": "VI1", "video_bucket": "b", "video_blob": "x"})
    assert (meta.bucket, meta.blob) == ("b", "x")
    row = Video.model_validate({"video_no": "VI1", "bucket": "b", "blob": "x"})
    assert (row.bucket, row.blob) == ("b", "x")
    transcript = Transcript.model_validate({"videoNo": "VI1", "bucket": "b", "blob": "x"})
    assert (transcript.video_bucket, transcript.video_blob) == ("b", "x")
    task = TaskStatus.model_validate(
        {
            "taskId": "T",
            "videos": [{"video_no": "VI1", "status": "PARSE", "bucket": "b", "blob": "x"}],
        }
    )
    assert (task.videos[0].bucket, task.videos[0].blob) == ("b", "x")
