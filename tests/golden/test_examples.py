"""Every documented response example, parsed through the public client (sync and async).

One test per example file in ``examples/`` (its ``source`` names the page). A test asserts the
values of the example as the client parses them, so a documented answer that stops parsing, or
parses into the wrong values, fails CI.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from memories_integrations import errors
from memories_integrations.models import ContentEvent, RefEvent, ThinkingEvent, VideoStatus

from .conftest import Runner, all_example_names, json_body, load_example


def golden(name: str) -> str:
    """Marks the example a test covers (test_every_example_has_a_test reads these)."""
    return name


def epoch_seconds(value: Any) -> float:
    """Epoch seconds of a parsed time (a float of seconds, or a datetime)."""
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return float(value)


# ------------------------------------------------------------------------------ uploads
def test_upload_from_local(api: Runner, sample_video: Path) -> None:
    result = api.call(golden("v12_upload_from_local"), "upload", sample_video, unique_id="u1")
    assert result.video_no == "mavi_video_568102998803353600"
    assert result.video_name == "mavi_api_video_1be6a69f3c6e49bf986235d68807ab1f"
    assert result.status is VideoStatus.UNPARSE
    assert epoch_seconds(result.upload_time) == pytest.approx(1744905509.814)
    assert api.mock is not None
    assert sample_video.name.encode() in api.mock.last.content


def test_upload_from_url(api: Runner) -> None:
    result = api.call(golden("v12_upload_from_url"), "upload_url", "https://example.com/v.mp4")
    assert result.video_no == "mavi_video_568102998803353600"
    assert result.status is VideoStatus.UNPARSE
    assert epoch_seconds(result.upload_time) == pytest.approx(1744905509.814)


def test_import_post_urls_public(api: Runner) -> None:
    result = api.call(
        golden("current_import_post_urls_public"),
        "import_from_urls",
        ["https://www.tiktok.com/@cutshall73/video/7543017294226558221"],
        public=True,
    )
    assert result.task_id == "31b0fccb-d6f9-4135-922d-1e8828499812"


# ------------------------------------------------------------------------------ search
def test_search_video_v12_envelope(api: Runner) -> None:
    # code "SUCCESS" and hits wrapped in data.videos (v1.2 Search-video page).
    hits = api.call(golden("v12_search_video"), "search", "sprint race with Usain Bolt")
    assert [h.video_no for h in hits] == ["mavi_video_001"]
    assert hits[0].video_name == "olympic_sprint.mp4"


def test_search_live_hits_without_times_or_score(api: Runner) -> None:
    # A live print: "startTime": "null", no score (the rest: tests/golden/test_live_answers.py).
    hits = api.call(golden("live_search_null_times"), "search_public", "rock legends")
    assert len(hits) == 3 and hits[0].video_no == "PI-603031026511516197"
    assert (hits[0].start_time, hits[0].end_time, hits[0].score) == (None, None, None)


def test_public_video_detail(api: Runner) -> None:
    detail = api.call(golden("live_public_video_detail"), "get_public_video_detail", "PI-1")
    assert (detail.video_no, detail.duration, detail.status) == (
        "PI-603521765934764187",
        45.0,
        "PARSE",
    )
    assert detail.blogger_id == "complex" and detail.create_time == pytest.approx(1753350037.295)
    assert detail.video_url == "https://www.tiktok.com/player/v1/7450672956881030430"
    assert api.mock is not None and api.mock.last.url.params["video_no"] == "PI-1"


@pytest.mark.parametrize(
    ("example", "method", "first"),
    [
        (
            golden("live_public_video_transcription"),
            "get_public_video_transcription",
            "Mike Shinoda is",
        ),
        (
            golden("live_public_audio_transcription"),
            "get_public_audio_transcription",
            "I heard things",
        ),
    ],
)
def test_public_transcriptions(api: Runner, example: str, method: str, first: str) -> None:
    transcript = api.call(example, method, "PI-603521765934764187")
    assert transcript.video_no == "PI-603521765934764187" and len(transcript.segments) == 2
    assert transcript.segments[0].text.strip().startswith(first)
    assert transcript.segments[1].start_time > 0 and transcript.skipped == 0


def test_search_by_text(api: Runner) -> None:
    hits = api.call(golden("current_search_by_text"), "search", "boat in the ocean")
    assert len(hits) == 1
    hit = hits[0]
    assert hit.video_no == "VI576925607808602112"
    assert (hit.start_time, hit.end_time) == (13.0, 18.0)
    assert hit.score == pytest.approx(0.5221236659362116)
    assert hit.audio_ts == "...matched transcript text..."
    assert (hit.video_bucket, hit.video_blob) == ("mavi-resource", "VI576925607808602112.mp4")
    assert (hit.keyframe_bucket, hit.keyframe_blob) == (
        "mavi-keyframe",
        "<uuid>/keyframe-000013.jpg",
    )


def test_search_empty_object_is_no_hits(api: Runner) -> None:
    assert api.call(golden("current_search_empty"), "search", "nothing like this") == []


def test_search_by_transcript(api: Runner) -> None:
    page = api.call(golden("current_search_by_transcript"), "search_transcripts", "where is")
    assert page.total_count == 2
    assert page.current_page == 1
    assert page.page_size == 100
    assert [v.video_no for v in page.videos] == ["VI576925607808602112"]
    assert page.videos[0].start_time == 13.0
    assert page.videos[0].audio_ts == "... where is the love ..."


def test_rate_limited(api: Runner) -> None:
    with pytest.raises(errors.RateLimitError) as info:
        api.call(golden("v12_rate_limited"), "search", "anything")
    assert info.value.code == "0429"
    assert "Request has exceeded the limit." in str(info.value)


# ------------------------------------------------------------------------------ transcripts
def test_audio_transcription(api: Runner) -> None:
    result = api.call(
        golden("v12_audio_transcription"), "get_audio_transcription", "VI605961375402668032"
    )
    assert result.video_no == "VI605961375402668032"
    assert len(result.segments) == 6
    first = result.segments[0]
    assert first.text.strip() == "I'm going to get my emergency and report."
    assert (first.start_time, first.end_time) == (0.0, 7.0)
    assert (result.segments[-1].start_time, result.segments[-1].end_time) == (30.0, 35.0)


def test_video_transcription(api: Runner) -> None:
    result = api.call(
        golden("v12_video_transcription"), "get_video_transcription", "VI606041694843813888"
    )
    assert result.video_no == "VI606041694843813888"
    [segment] = result.segments
    assert segment.text.startswith("Under a rocky overhang, three people are washing clothes")
    assert (segment.start_time, segment.end_time) == (0.0, 8.0)


def test_summary(api: Runner) -> None:
    result = api.call(golden("v12_summary"), "generate_summary", "VI605961375402668032")
    assert result.text.startswith("The video seems to capture a family in a parking lot")
    assert [i.title for i in result.items] == [
        "Arrival at the Car",
        "Phone and Interaction on the Ground",
        "Close-up of Objects on the Ground",
    ]
    assert [i.start_time for i in result.items] == [0.0, 10.0, 30.0]
    assert result.items[0].description.startswith("A woman, a boy, and another woman")


# ------------------------------------------------------------------------------ library
def test_delete_videos(api: Runner) -> None:
    result = api.call(golden("v12_delete_videos"), "delete_videos", ["VI1"], unique_id="u1")
    assert result is None
    assert api.mock is not None
    assert json_body(api.mock.last) == ["VI1"]


def test_list_videos_v12_strings(api: Runner) -> None:
    page = api.call(golden("v12_list_videos"), "list_videos")
    assert [v.video_no for v in page.videos] == [
        "VI606404158946574336",
        "VI606402870447996928",
        "VI606401846039576576",
    ]
    first = page.videos[0]
    assert first.video_name == "182082-867762198_tiny"
    assert first.status is VideoStatus.PARSE
    assert (first.duration, first.size) == (12.0, 3284512)
    assert first.cause is None  # the page sends the string "null"
    assert epoch_seconds(first.create_time) == pytest.approx(1754037217.992)
    assert (page.current_page, page.page_size, page.total_count) == (1, 200, 3)


def test_list_videos_current_numbers(api: Runner) -> None:
    page = api.call(golden("current_list_videos"), "list_videos")
    assert page.total_count == 2
    first, second = page.videos
    assert first.video_no == "VI606404158946574336"
    assert (first.duration, first.size) == (12.0, 3284512)
    assert epoch_seconds(first.create_time) == pytest.approx(1754037217.992)
    assert second.video_name == "test_video_gz_visual_understanding_s36"
    assert second.status is VideoStatus.PARSE


def test_get_metadata(api: Runner) -> None:
    meta = api.call(golden("current_get_metadata"), "get_metadata", "VI606404158946574336")
    assert meta.video_no == "VI606404158946574336"
    assert meta.status is VideoStatus.PARSE
    assert (meta.duration, meta.size, meta.width, meta.height) == (12.0, 3284512, 1280, 720)
    assert meta.resolution_label == "720P"
    assert epoch_seconds(meta.datetime_taken) == pytest.approx(1729388400.0)
    assert meta.camera_model == "Canon EOS 5D"
    assert (meta.latitude, meta.longitude) == (pytest.approx(39.9042), pytest.approx(116.4074))
    assert meta.tags == ["holiday", "beijing", "api"]
    assert (meta.bucket, meta.blob) == ("mavi-resource", "VI606404158946574336.mp4")


def test_list_unique_ids(api: Runner) -> None:
    result = api.call(golden("current_list_unique_ids"), "list_unique_ids")
    ids = result if isinstance(result, list) else result.unique_ids
    assert list(ids) == ["default", "holiday_2025", "project_alpha"]


def test_task_status_ids_only(api: Runner) -> None:
    task_id = "4b2d85ea-8b61-4689-96c3-75d907140242_84f9d9b4b6e5940b67e67e2d17ef1f97"
    task = api.call(golden("current_task_status_ids"), "get_task_status", task_id)
    assert task.task_id == task_id
    ids = ["PI-603068775285264430", "PI-603068775285264431"]
    assert [v.video_no for v in task.videos] == ids
    assert task.video_ids == ids


def test_task_status_empty_object(api: Runner) -> None:
    task = api.call(golden("current_task_status_empty"), "get_task_status", "task-1")
    assert task.videos == []
    assert task.video_ids == []


def test_download_video(api: Runner, tmp_path: Path) -> None:
    target = tmp_path / "video.mp4"
    api.call(golden("current_download_video"), "download_video", "VI625239098370850816", target)
    assert target.read_bytes() == b"golden video bytes"
    assert api.mock is not None
    assert json_body(api.mock.last)["video_no"] == "VI625239098370850816"


# ------------------------------------------------------------------------------ sessions
def test_list_sessions(api: Runner) -> None:
    page = api.call(golden("v12_list_sessions"), "list_sessions")
    assert len(page.sessions) == 12
    assert page.sessions[0].session_id == "601308802842759168"
    assert page.sessions[10].title == "111"
    assert page.total_count == 18


def test_session_detail(api: Runner) -> None:
    detail = api.call(golden("v12_session_detail"), "get_session_detail", "590197794380320770")
    assert detail.session_id == "590197794380320770"
    user, assistant = detail.messages
    assert user.content == "tell me where to travel in mid june?"
    assert [t.title for t in assistant.thinkings] == ["Information Retrieval"] * 2
    [ref] = assistant.refs
    assert ref.video.video_no == "VI606140356924534784"
    assert [i.type for i in ref.ref_items] == ["keyframe", "visual_ts", "audio_ts"]
    assert (ref.ref_items[1].start_time, ref.ref_items[1].end_time) == (30.0, 36.0)


# ------------------------------------------------------------------------------ chat
VIDEO = "VI606140356924534784"


def test_video_chat_stream_events(api: Runner) -> None:
    events = api.stream(golden("v12_video_chat_stream"), "chat_stream", [VIDEO], "Video summary")
    assert [type(e) for e in events] == [ThinkingEvent, RefEvent, ContentEvent]
    thinking, ref, content = events
    assert thinking.title == "Based on selected videos, fetch detailed information"
    assert thinking.session_id == "606120397607260160"
    assert [i.type for i in ref.ref[0].ref_items] == ["keyframe", "visual_ts", "audio_ts"]
    assert ref.ref[0].video.video_name.startswith("test_video_gz_visual_understanding")
    assert content.content == "A\" shape, is suggested to be inspired by Eiffel's past"
    assert content.session_id == "606122521255088128"


def test_video_chat_stream_aggregated_by_chat(api: Runner) -> None:
    # Older deployments stream on /chat: chat() must still read the documented stream.
    answer = api.call(golden("v12_video_chat_stream"), "chat", [VIDEO], "Video summary")
    assert answer.content == "A\" shape, is suggested to be inspired by Eiffel's past"
    assert answer.session_id == "606122521255088128"
    assert [t.title for t in answer.thinkings] == [
        "Based on selected videos, fetch detailed information"
    ]
    assert [(m.video_no, m.type, m.start_time) for m in answer.moments] == [
        (VIDEO, "keyframe", 23.0),
        (VIDEO, "visual_ts", 30.0),
        (VIDEO, "audio_ts", 30.0),
    ]


def test_video_chat_stream_done_line(api: Runner) -> None:
    events = api.stream(
        golden("v12_video_chat_stream_done_line"), "chat_stream", [VIDEO], "Video summary"
    )
    assert [e.content for e in events] == [
        "A\" shape, is suggested to be inspired by Eiffel's past"
    ]


def test_video_chat_json(api: Runner) -> None:
    answer = api.call(golden("current_video_chat_json"), "chat", [VIDEO], "Video summary")
    assert answer.content == "A\" shape, is suggested to be inspired by Eiffel's past"
    assert answer.session_id == "606122521255088128"
    assert [t.title for t in answer.thinkings] == [
        "Based on selected videos, fetch detailed information"
    ]
    assert api.mock is not None
    assert api.mock.last.url.path == "/serve/api/v1/chat"


def test_video_chat_json_empty_data(api: Runner) -> None:
    answer = api.call(golden("current_video_chat_empty"), "chat", [VIDEO], "Video summary")
    assert answer.content == ""
    assert answer.references == []


def _text(events: list[Any]) -> str:
    # Personal-media tokens arrive as content events.
    assert all(isinstance(e, ContentEvent) for e in events), events
    return "".join(e.content for e in events)


def test_personal_chat_stream(api: Runner) -> None:
    events = api.stream(
        golden("current_personal_chat_stream"),
        "chat_personal_stream",
        "When did I went to the beach?",
    )
    assert _text(events) == "This is ......"


def test_personal_chat_json(api: Runner) -> None:
    answer = api.call(
        golden("current_personal_chat_json"), "chat_personal", "When did I went to the beach?"
    )
    assert answer.content == "This year, you've been quite active"


# ------------------------------------------------------------------------------ OAuth2
def test_obtain_access_token(api: Runner) -> None:
    token = api.call(golden("v10_obtain_access_token"), "get_access_token", "code-1", "client-1")
    assert token.access_token.get_secret_value() == "string"
    assert token.refresh_token is not None
    assert token.refresh_token.get_secret_value() == "string"
    assert (token.token_type, token.expires_in, token.refresh_expires_in) == ("string", 0, 0)


def test_refresh_access_token(api: Runner) -> None:
    token = api.call(golden("v10_refresh_access_token"), "refresh_access_token", "refresh-1")
    assert token.access_token.get_secret_value() == "string"
    assert (token.token_type, token.expires_in) == ("string", 0)


# ------------------------------------------------------------------------------ coverage
def test_every_example_names_its_source_page() -> None:
    for name in all_example_names():
        example = load_example(name)
        assert example.source, name
        assert all(s.startswith("https://") for s in example.source), name
        assert all(e.startswith(("/serve/api/", "/auth/api/")) for e in example.endpoints), name


def test_every_example_has_a_test() -> None:
    # golden() calls run at test time; collect the names from the golden tests' sources.
    source = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    missing = [n for n in all_example_names() if f'golden("{n}")' not in source]
    assert missing == []
