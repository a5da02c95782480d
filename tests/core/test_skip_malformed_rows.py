"""One malformed row never fails a list: it is skipped with a warning naming the endpoint and
the field, and counted in ``skipped`` (issue 19). Only a wrong-typed ``data`` is an error."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from memories_integrations._endpoints import imports, library, search, videos
from memories_integrations._endpoints.base import Call, run_parser
from memories_integrations._endpoints.library import GET_AUDIO_TRANSCRIPTION
from memories_integrations.errors import ResponseParseError

SEARCH_CALL = search.search(
    "q",
    search_type="BY_CLIP",
    unique_id="u",
    top_k=5,
    filtering_level=None,
    video_nos=None,
    tag=None,
    camera_tag=None,
    datetime_taken=None,
    latitude=None,
    longitude=None,
    english_only=False,
)
LIST_CALL = videos.list_videos(
    unique_id="u", page=1, size=20, video_name=None, video_no=None, status=None, filters={}
)
BAD_TIME = {"startTime": "soon"}  # not a number: the row is malformed
CASES: list[tuple[str, Call[Any], Any, str]] = [
    (
        "search",
        SEARCH_CALL,
        [{"videoNo": "VI1", "startTime": "1"}, {"videoNo": "VI2", **BAD_TIME}],
        "startTime",
    ),
    (
        "search_public",
        search.search_public(
            "q",
            platform="TIKTOK",
            search_type="BY_VIDEO",
            top_k=5,
            filtering_level=None,
            english_only=False,
        ),
        [{"videoNo": "PI1", "startTime": "null"}, {"videoName": "no number"}],
        "videoNo",
    ),
    (
        "list_videos",
        LIST_CALL,
        {"videos": [{"video_no": "VI1"}, {"video_name": "no number"}], "total_count": 2},
        "video_no",
    ),
    (
        "list_sessions",
        library.list_sessions(page=1, unique_id="u"),
        {"sessions": [{"session_id": "1"}, "not a session"], "total_count": 2},
        "sessions",
    ),
    (
        "transcript",
        library.transcript(GET_AUDIO_TRANSCRIPTION, "VI1", unique_id="u"),
        {"transcriptions": [{"content": "hi", "startTime": "0"}, {"content": "x", **BAD_TIME}]},
        "startTime",
    ),
    (
        "summary",
        library.generate_summary("VI1", summary_type="CHAPTER", unique_id="u"),
        {"summary": "s", "items": [{"title": "a", "start": "0"}, {"title": "b", "start": "x"}]},
        "start",
    ),
    (
        "task_status",
        imports.task_status("t1", unique_id="u"),
        {"videos": [{"video_no": "PI1", "status": "PARSE"}, {"status": "PARSE"}]},
        "video_no",
    ),
]


def rows(result: Any) -> list[Any]:
    for name in ("videos", "sessions", "segments", "items"):
        if hasattr(result, name) and not isinstance(result, list):
            return list(getattr(result, name))
    return list(result)


@pytest.mark.parametrize(("name", "call", "data", "field"), CASES, ids=[c[0] for c in CASES])
def test_one_malformed_row_is_skipped_logged_and_counted(
    name: str, call: Call[Any], data: Any, field: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="memories_integrations.models"):
        result = run_parser(call, data)
    assert len(rows(result)) == 1, name
    assert result.skipped == 1
    (record,) = caplog.records
    assert call.endpoint.path in record.getMessage() and field in record.getMessage()


def test_a_clean_list_counts_no_skips() -> None:
    call = LIST_CALL
    assert run_parser(call, {"videos": [{"video_no": "VI1"}]}).skipped == 0


@pytest.mark.parametrize("data", ["a string", 42, {"videos": "not a list"}])
def test_wrong_typed_data_is_still_a_parse_error(data: Any) -> None:
    with pytest.raises(ResponseParseError):
        run_parser(LIST_CALL, data)
    with pytest.raises(ResponseParseError):
        run_parser(SEARCH_CALL, data)
