"""Live answers (printed by notebooks that ran against the live API) through the client and
both frameworks, sync and async: hits with ``"startTime": "null"`` and no score are still hits."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from memories_integrations import langchain as lc
from memories_integrations import llama_index as li

from .conftest import AdapterRunner, Example, MockApi, Runner, load_example
from .test_examples import golden
from .test_frameworks import _li_call

LIVE = "live_search_null_times"
FIRST = "PI-603031026511516197"
TIMED = "VI576925607808602112"
# Constructed (not a live print): a live untimed hit, a row without videoNo, a documented hit.
MIXED_HITS = [
    {"videoNo": FIRST, "videoName": "Go Mom", "startTime": "null", "endTime": "null"},
    {"videoName": "row without a videoNo", "startTime": "1", "endTime": "2"},
    {"videoNo": TIMED, "startTime": "13", "endTime": "18", "audio_ts": "words", "score": 0.52},
]


def mixed() -> MockApi:
    body = {"code": "0000", "msg": "success", "data": MIXED_HITS, "success": True, "failed": False}
    return MockApi(Example("mixed", ["constructed"], ["/serve/api/v1/search"], response=body))


@pytest.mark.parametrize("method", ["search", "search_public"])
def test_client_reads_untimed_live_hits(api: Runner, method: str) -> None:
    hits = api.call(golden(LIVE), method, "rock legends")
    assert hits[0].video_no == FIRST and len(hits) == 3
    assert all(h.start_time is None and h.end_time is None and h.score is None for h in hits)
    assert not hits[0].timed and hits.skipped == 0


def mixed_search(api: Runner) -> Any:
    api.mock = mixed()
    if api.flavor == "sync":
        return api._sync("search", ("q",), {}, collect=False)
    return asyncio.run(api._async("search", ("q",), {}, collect=False))


def test_client_skips_a_malformed_hit_and_counts_it(
    api: Runner, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="memories_integrations.models"):
        hits = mixed_search(api)
    assert [h.video_no for h in hits] == [FIRST, TIMED]
    assert hits.skipped == 1
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "/serve/api/v1/search" in warning and "videoNo" in warning


def test_langchain_retriever_on_live_hits(adapters: AdapterRunner) -> None:
    mock = MockApi(load_example(LIVE))
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesRetriever(k=3, **kw), "invoke", "q")
    assert len(docs) == 3
    meta = docs[0].metadata
    assert meta["video_no"] == FIRST and meta["timed"] is False and meta["score"] is None
    assert "start_time" not in meta and meta["source"] == f"memories://default/{FIRST}"
    assert "no time range" in docs[0].page_content


def test_untimed_hits_sort_after_timed_ones(adapters: AdapterRunner) -> None:
    mock = mixed()
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesRetriever(k=3, **kw), "invoke", "q")
    assert [d.metadata["video_no"] for d in docs] == [TIMED, FIRST]
    nodes = adapters.run(
        mixed().handle,
        lambda kw: li.MemoriesRetriever(k=3, **kw),
        "retrieve",
        "q",
    )
    assert [n.node.metadata["video_no"] for n in nodes] == [TIMED, FIRST]
    assert nodes[1].score is None


def test_langchain_hybrid_retriever_keeps_untimed_hits_last(adapters: AdapterRunner) -> None:
    docs = adapters.run(mixed().handle, lambda kw: lc.MemoriesHybridRetriever(**kw), "invoke", "q")
    assert [d.metadata["video_no"] for d in docs] == [TIMED, FIRST]
    assert docs[1].metadata["timed"] is False


def test_llama_index_retriever_on_live_hits(adapters: AdapterRunner) -> None:
    mock = MockApi(load_example(LIVE))
    nodes = adapters.run(mock.handle, lambda kw: li.MemoriesRetriever(k=3, **kw), "retrieve", "q")
    assert len(nodes) == 3 and nodes[0].score is None
    assert nodes[0].node.metadata["timed"] is False
    assert "no time range" in nodes[0].node.get_content()


def test_langchain_search_tool_on_live_hits(adapters: AdapterRunner) -> None:
    mock = MockApi(load_example(LIVE))
    text = adapters.run(
        mock.handle, lambda kw: lc.MemoriesSearchTool(**kw), "invoke", {"query": "q"}
    )
    assert FIRST in text and "no time range" in text


def test_llama_index_search_tool_on_live_hits(adapters: AdapterRunner) -> None:
    output = _li_call(adapters, MockApi(load_example(LIVE)), "memories_search", query="q")
    assert not output.is_error, output.content
    assert FIRST in output.content and "no time range" in output.content
