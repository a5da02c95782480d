"""The framework-neutral helpers of ``memories_integrations._tools.documents`` (no network)."""

from __future__ import annotations

import pytest

from memories_integrations._tools import documents as d
from memories_integrations.models import SearchHit, Summary, Transcript


def seg(start: float, end: float, text: str, track: d.Track = "visual") -> d.TimedText:
    return d.TimedText(start, end, text, track)


def test_source_link_and_seconds() -> None:
    assert d.source_link("default", "VI1", 4.0, 6.5) == "memories://default/VI1?t=4-6.5"
    assert d.source_link("ns", "VI1", 3.0) == "memories://ns/VI1?t=3-3"
    assert d.fmt_seconds(0.0) == "0"
    assert d.fmt_seconds(12.3456) == "12.346"


def test_stable_id_is_deterministic_and_distinguishing() -> None:
    assert d.stable_id("a", 1, 2.0) == d.stable_id("a", 1, 2.0)
    assert d.stable_id("a", 1, 2.0) != d.stable_id("a", 12, 0.0)
    # the separator keeps ("ab", "c") and ("a", "bc") apart
    assert d.stable_id("ab", "c") != d.stable_id("a", "bc")


def test_hit_text_metadata_and_id() -> None:
    hit = SearchHit.model_validate(
        {
            "videoNo": "VI9",
            "videoName": "match",
            "startTime": "65",
            "endTime": "70.5",
            "score": "0.8",
            "caption": "a goal",
            "audio_ts": "what a goal",
        }
    )
    assert d.hit_text(hit) == "a goal what a goal"
    meta = d.hit_metadata(hit, unique_id="default", search_type="BY_CLIP")
    assert meta == {
        "video_no": "VI9",
        "video_name": "match",
        "start_time": 65.0,
        "end_time": 70.5,
        "start_timestamp": "00:01:05",
        "end_timestamp": "00:01:10",
        "unique_id": "default",
        "source": "memories://default/VI9?t=65-70.5",
        "score": 0.8,
        "search_type": "BY_CLIP",
    }
    same = hit.model_copy(update={"score": 0.1, "caption": "other words"})
    assert d.hit_id(hit, unique_id="default", search_type="BY_CLIP") == d.hit_id(
        same, unique_id="default", search_type="BY_CLIP"
    )
    assert d.hit_id(hit, unique_id="other", search_type="BY_CLIP") != d.hit_id(
        hit, unique_id="default", search_type="BY_CLIP"
    )


def test_hit_without_text_describes_the_span() -> None:
    hit = SearchHit.model_validate(
        {"videoNo": "VI9", "videoName": "match", "startTime": 0, "endTime": 90}
    )
    assert d.hit_text(hit) == "Moment of video 'match' from 00:00:00 to 00:01:30."


def test_transcript_segments_drop_blank_and_sort() -> None:
    t = Transcript.model_validate(
        {
            "transcriptions": [
                {"content": "second", "startTime": "4", "endTime": "6"},
                {"content": "  ", "startTime": "2", "endTime": "4"},
                {"content": "first", "startTime": "0", "endTime": "2"},
            ]
        }
    )
    assert [(s.start, s.text, s.track) for s in d.transcript_segments(t, "audio")] == [
        (0.0, "first", "audio"),
        (4.0, "second", "audio"),
    ]


def test_merge_orders_by_time_then_visual_before_speech() -> None:
    merged = d.merge_tracks(
        [seg(0, 2, "hello", "audio"), seg(2, 4, "bye", "audio")],
        [seg(2, 4, "wave", "visual"), seg(0, 2, "door opens", "visual")],
    )
    assert [s.text for s in merged] == ["door opens", "hello", "wave", "bye"]
    moments = d.group_moments(merged)
    assert [(m.start, m.end, [s.text for s in m.segments]) for m in moments] == [
        (0, 2, ["door opens", "hello"]),
        (2, 4, ["wave", "bye"]),
    ]


def test_fixed_windows_assign_by_start_and_skip_empty() -> None:
    segs = [seg(0, 20, "a"), seg(25, 40, "b"), seg(29.9, 31, "c"), seg(95, 100, "d")]
    windows = d.window_segments(segs, 30)
    assert [(w.start, w.end, [s.text for s in w.segments]) for w in windows] == [
        (0, 40, ["a", "b", "c"]),
        (90, 100, ["d"]),
    ]
    with pytest.raises(ValueError):
        d.window_segments(segs, 0)


def test_summary_segments_and_render() -> None:
    s = Summary.model_validate(
        {
            "summary": [
                {"title": "Kickoff", "description": "teams line up", "start": 0, "end": 5},
                {"title": "", "description": "", "start": 5, "end": 6},
            ]
        }
    )
    segs = d.summary_segments(s)
    assert len(segs) == 1
    assert d.render_lines(segs) == "[00:00:00] Chapter: Kickoff: teams line up"
    assert d.render_lines([seg(3661, 3662, "x", "audio")], labels=False) == "[01:01:01] x"
