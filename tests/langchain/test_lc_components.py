"""Retriever, hybrid, loader and tool behaviour on cassettes (sync and async)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from memories_integrations.langchain import (
    MemoriesHybridRetriever,
    MemoriesRetriever,
    MemoriesTranscriptLoader,
    MemoriesTranscriptTool,
    MemoriesUploadTool,
)
from memories_integrations.langchain.document_loaders import LoaderMode

from .conftest import COOKING, SAMPLE_VIDEOS

pytestmark = pytest.mark.vcr
BIKE = SAMPLE_VIDEOS["city_bike_ride"]


def _call(tool: Any, args: dict[str, Any]) -> ToolMessage:
    msg = tool.invoke({"name": tool.name, "args": args, "id": "t1", "type": "tool_call"})
    assert isinstance(msg, ToolMessage)
    return msg


def test_retriever_documents(connection: dict[str, Any], sample_library: dict[str, str]) -> None:
    retriever = MemoriesRetriever(**connection, k=3)
    docs = retriever.invoke("someone chopping onions")
    assert len(docs) == 3
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    top = docs[0]
    assert top.page_content.startswith("Close-up of a person chopping onions")
    assert top.metadata == {
        "video_no": COOKING,
        "video_name": "cooking_demo",
        "start_time": 2.0,
        "end_time": 4.0,
        "start_timestamp": "00:00:02",
        "end_timestamp": "00:00:04",
        "score": scores[0],
        "search_type": "BY_CLIP",
        "unique_id": "default",
        "source": f"memories://default/{COOKING}?t=2-4",
        "caption": top.page_content,
    }
    # The same moment found again gets the same id.
    assert [d.id for d in retriever.invoke("someone chopping onions")] == [d.id for d in docs]


def test_retriever_per_call_overrides(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    retriever = MemoriesRetriever(**connection, k=5)
    docs = retriever.invoke("cycling through the city", k=2, search_type="BY_AUDIO")
    assert len(docs) == 2
    assert all(d.metadata["search_type"] == "BY_AUDIO" for d in docs)
    assert all(d.metadata["transcript"] == d.page_content for d in docs)
    only_cooking = retriever.invoke("city", video_nos=[COOKING])
    assert only_cooking == []
    strong = retriever.invoke("someone chopping onions", score_threshold=0.5)
    assert strong and all(d.metadata["score"] >= 0.5 for d in strong)


async def test_retriever_async_matches_sync(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    retriever = MemoriesRetriever(**connection, k=3, search_type="BY_CAPTION")
    sync_docs = retriever.invoke("a goal is scored")
    async_docs = await retriever.ainvoke("a goal is scored")
    assert sync_docs and async_docs == sync_docs
    assert all(d.metadata["search_type"] == "BY_CAPTION" for d in async_docs)


async def test_hybrid_provenance(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    retriever = MemoriesHybridRetriever(**connection, k=3)
    docs = await retriever.ainvoke("chop the onion")
    assert len(docs) == 3
    top = docs[0]
    assert top.metadata["channels"] == ["visual", "audio"]
    assert set(top.metadata["channel_scores"]) == {"visual", "audio"}
    assert top.metadata["score"] == max(top.metadata["channel_scores"].values())
    assert top.page_content.startswith("[visual] ")
    assert "\n[audio] " in top.page_content
    assert retriever.invoke("chop the onion") == docs


@pytest.mark.parametrize("mode", ["single", "segments", "chunks", "srt", "vtt"])
def test_loader_modes(
    connection: dict[str, Any], sample_library: dict[str, str], mode: LoaderMode
) -> None:
    loader = MemoriesTranscriptLoader(
        [COOKING, BIKE], source="both", mode=mode, chunk_seconds=4, **connection
    )
    docs = loader.load()
    per_video = {"single": 1, "srt": 1, "vtt": 1, "segments": 10, "chunks": 3}[mode]
    assert len(docs) == 2 * per_video
    assert {d.metadata["video_no"] for d in docs} == {COOKING, BIKE}
    first = docs[0].page_content
    if mode == "srt":
        assert first.startswith("1\n00:00:00,000 --> 00:00:02,000\n[visual] A chef")
    elif mode == "vtt":
        assert first.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n[visual] A chef")
    elif mode == "chunks":
        assert [d.metadata["start_time"] for d in docs[:3]] == [0.0, 4.0, 8.0]
        assert first.count("\n") == 3  # two 2-second segments x two channels
    elif mode == "segments":
        assert docs[0].metadata["transcript_source"] == "visual"
        assert docs[1].metadata["transcript_source"] == "audio"


async def test_loader_async_audio_only(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    loader = MemoriesTranscriptLoader(COOKING, source="audio", mode="segments", **connection)
    docs = [d async for d in loader.alazy_load()]
    assert len(docs) == 5
    assert docs[0].page_content.startswith("Hi everyone, tonight we are making")
    assert all(d.metadata["transcript_source"] == "audio" for d in docs)


def test_tool_error_reaches_model(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    msg = _call(MemoriesTranscriptTool(**connection), {"video_no": "VI000000000000000404"})
    assert msg.status == "error"
    assert "not found" in str(msg.content).lower()
    assert "video numbers look like 'VI...'" in str(msg.content)


async def test_upload_url_without_wait(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    tool = MemoriesUploadTool(**connection)
    msg = await tool.ainvoke(
        {
            "name": tool.name,
            "args": {"url": "https://example.com/videos/beach_day.mp4", "tags": ["beach"]},
            "id": "t1",
            "type": "tool_call",
        }
    )
    assert msg.status == "success"
    assert "status UNPARSE" in msg.content and "not searchable yet" in msg.content
