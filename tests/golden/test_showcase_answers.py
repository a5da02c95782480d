"""Live answers printed by OpenInterX-Products/memories-ai-sdk ``python/API_showcase.ipynb``
(``examples/live_showcase_*.json``, each naming its cell) through the client, sync and async;
the search answer also through both frameworks' retrievers and search tools."""

from __future__ import annotations

import pytest

from memories_integrations import langchain as lc
from memories_integrations import llama_index as li
from memories_integrations.models import VideoStatus

from .conftest import AdapterRunner, MockApi, Runner, json_body, load_example
from .test_examples import golden
from .test_frameworks import _li_call

ELEPHANTS = "VI611471886560694272"


def test_upload_url_answer_without_status(api: Runner) -> None:
    # Only videoNo and videoName: no videoStatus / uploadTime, and still an upload result.
    result = api.call(golden("live_showcase_upload_url"), "upload_url", "https://e.com/v.mp4")
    assert (result.video_no, result.video_name) == (ELEPHANTS, "ElephantsDream")
    assert result.status is VideoStatus.UNPARSE and result.upload_time is None


def test_list_videos_by_number(api: Runner) -> None:
    page = api.call(golden("live_showcase_list_videos_one"), "list_videos", video_no=ELEPHANTS)
    (video,) = page.videos
    assert (video.video_no, video.status, video.duration) == (ELEPHANTS, VideoStatus.PARSE, 653)
    assert video.cause is None and video.size == 169612362  # cause "null" is no cause
    assert video.create_time == pytest.approx(1755245460.412)
    assert (page.page_size, page.total_count, page.has_more) == (200, 1, False)
    assert api.mock is not None and json_body(api.mock.last)["video_no"] == ELEPHANTS


def test_list_videos_every_row_kind(api: Runner) -> None:
    page = api.call(golden("live_showcase_list_videos"), "list_videos", size=200)
    assert page.skipped == 0 and len(page.videos) == 6 and page.total_count == 25
    by_no = {v.video_no: v for v in page.videos}
    failed = by_no["VI611151298850443264"]
    assert failed.status is VideoStatus.PARSE_ERROR and failed.cause == "Indexing failed. "
    assert failed.duration == 0
    assert by_no["VI608245444483842048"].status is VideoStatus.UNPARSE
    assert by_no["VI589825920903286784"].size == 0
    assert by_no["VEI512262412745834496"].status is VideoStatus.PARSE  # a VEI number


def test_search_hits_without_times(api: Runner) -> None:
    hits = api.call(golden("live_showcase_search"), "search", "Proog and Emo explore a machine")
    assert [h.video_no for h in hits] == [
        ELEPHANTS,
        "VI611145110490705920",
        "VI605983006653673472",
    ]
    assert all(h.start_time is None and h.score is None and not h.timed for h in hits)
    assert hits[2].video_name == "足球" and hits.skipped == 0


def test_search_through_both_retrievers(adapters: AdapterRunner) -> None:
    mock = MockApi(load_example("live_showcase_search"))
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesRetriever(k=3, **kw), "invoke", "q")
    assert len(docs) == 3 and docs[0].metadata["video_no"] == ELEPHANTS
    assert all(d.metadata["timed"] is False and "no time range" in d.page_content for d in docs)
    mock = MockApi(load_example("live_showcase_search"))
    nodes = adapters.run(mock.handle, lambda kw: li.MemoriesRetriever(k=3, **kw), "retrieve", "q")
    assert len(nodes) == 3 and nodes[0].node.metadata["video_no"] == ELEPHANTS
    assert all(n.score is None and n.node.metadata["timed"] is False for n in nodes)


def test_search_through_both_search_tools(adapters: AdapterRunner) -> None:
    mock = MockApi(load_example("live_showcase_search"))
    text = adapters.run(
        mock.handle, lambda kw: lc.MemoriesSearchTool(**kw), "invoke", {"query": "q"}
    )
    assert ELEPHANTS in text and "no time range" in text
    output = _li_call(
        adapters, MockApi(load_example("live_showcase_search")), "memories_search", query="q"
    )
    assert not output.is_error and ELEPHANTS in output.content


@pytest.mark.parametrize(
    ("example", "method", "args", "session", "thinkings"),
    [
        (
            golden("live_showcase_video_chat"),
            "chat",
            ([ELEPHANTS], "highlights"),
            "611587302624489472",
            2,
        ),
        (
            golden("live_showcase_marketer_chat"),
            "marketer_chat",
            ("where is the war?",),
            "611482004551131138",
            4,
        ),
    ],
)
def test_chat_json_envelopes(
    api: Runner, example: str, method: str, args: tuple[object, ...], session: str, thinkings: int
) -> None:
    answer = api.call(example, method, *args)
    assert answer.role == "ASSISTANT" and answer.content and answer.session_id == session
    assert len(answer.thinkings) == thinkings and all(t.title for t in answer.thinkings)


def test_video_transcription(api: Runner) -> None:
    transcript = api.call(
        golden("live_showcase_video_transcription"), "get_video_transcription", ELEPHANTS
    )
    assert transcript.video_no == ELEPHANTS and transcript.skipped == 0
    assert [(s.start_time, s.end_time) for s in transcript.segments] == [
        (0, 26),
        (26, 28),
        (28, 29),
        (647, 654),
    ]
    assert transcript.segments[0].index == 0 and transcript.segments[-1].index == 185


def test_audio_transcription_of_a_video_without_speech(api: Runner) -> None:
    transcript = api.call(
        golden("live_showcase_audio_transcription_null"), "get_audio_transcription", ELEPHANTS
    )
    assert transcript.video_no == ELEPHANTS and transcript.segments == []


def test_topic_summary_without_item_times(api: Runner) -> None:
    summary = api.call(
        golden("live_showcase_summary_topic"), "generate_summary", ELEPHANTS, summary_type="TOPIC"
    )
    assert summary.text.startswith("This animated short film")
    assert [i.title for i in summary.items] == ["The Journey Begins", "The Importance of Listening"]
    assert all(i.end_time is None and i.description for i in summary.items)


def test_list_sessions(api: Runner) -> None:
    page = api.call(golden("live_showcase_list_sessions"), "list_sessions")
    assert page.sessions[0].session_id == "608224587769520128"
    assert page.sessions[0].title == "Summarize this video"
    assert (page.current_page, page.page_size, page.total_count) == (1, 20, 11)


def test_session_detail(api: Runner) -> None:
    detail = api.call(
        golden("live_showcase_session_detail"), "get_session_detail", 553235038557175811
    )
    assert detail.session_id == "553235038557175811" and detail.title == "Learn How to Make Sushi"
    assert [m.role for m in detail.messages] == ["user", "assistant", "user", "assistant"]


def test_delete_videos(api: Runner) -> None:
    assert api.call(golden("live_showcase_delete_videos"), "delete_videos", [ELEPHANTS]) is None
    assert api.mock is not None and json_body(api.mock.last) == [ELEPHANTS]
