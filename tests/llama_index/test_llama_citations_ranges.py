"""LlamaIndex: verified chat citations, ranged transcripts, reader chapters and the namespaces
tool, against a live emulator holding the samples."""

from __future__ import annotations

import asyncio

from llama_index.core.schema import NodeWithScore

from memories_integrations.citations import CitationReport
from memories_integrations.llama_index import MemoriesToolSpec, MemoriesVideoReader
from memories_integrations.testing import EmulatorServer

from .conftest import live_emulator

__all__ = ["live_emulator"]

COOKING = "VI700000000000000001"


def _spec(emu: EmulatorServer) -> MemoriesToolSpec:
    return MemoriesToolSpec(api_key=emu.api_key, base_url=emu.base_url, approver=lambda *_: True)


def test_chat_tool_raw_output_holds_the_verification(live_emulator: EmulatorServer) -> None:
    tools = {t.metadata.name: t for t in _spec(live_emulator).to_tool_list()}
    out = tools["memories_chat_with_videos"].call(video_nos=COOKING, prompt="What is chopped?")
    assert not out.is_error, out.content
    report = out.raw_output["citations"]
    assert isinstance(report, CitationReport) and report.citations and report.all_supported
    assert all(isinstance(n, NodeWithScore) for n in out.raw_output["references"])
    assert "Timestamp check: all" in out.content


def test_transcript_tool_range_sync_and_async(live_emulator: EmulatorServer) -> None:
    tool = {t.metadata.name: t for t in _spec(live_emulator).to_tool_list()}[
        "memories_get_transcript"
    ]
    out = tool.call(video_no=COOKING, start=3, end="00:00:06")
    nodes = out.raw_output["segments"]
    assert [n.node.metadata["start_time"] for n in nodes] == [2.0, 4.0]
    assert out.raw_output["next_start"] is None
    got = asyncio.run(tool.acall(video_no=COOKING, track="both", max_chars=400))
    nxt = got.raw_output["next_start"]
    assert nxt is not None and f"start={nxt:g}" in str(got.content)
    assert all(n.node.metadata["start_time"] < nxt for n in got.raw_output["segments"])
    bad = tool.call(video_no=COOKING, start="later")
    assert bad.is_error and "start must be seconds or HH:MM:SS" in str(bad.content)


def test_namespaces_tool_in_the_spec(live_emulator: EmulatorServer) -> None:
    spec = _spec(live_emulator)
    assert "memories_list_namespaces" in spec.spec_functions
    tools = {t.metadata.name: t for t in spec.to_tool_list()}
    out = tools["memories_list_namespaces"].call()
    assert out.raw_output == {"unique_ids": ["default"], "current": "default"}
    assert "default (used by these tools)" in str(out.content)
    assert "default" in asyncio.run(spec.arun("memories_list_namespaces"))


def test_reader_tags_nodes_with_chapters(live_emulator: EmulatorServer) -> None:
    reader = MemoriesVideoReader(
        api_key=live_emulator.api_key,
        base_url=live_emulator.base_url,
        video_nos=[COOKING],
        content="audio",
        granularity="segment",
        with_chapters=True,
    )
    docs = reader.load_data()
    assert len(docs) == 5 and docs[1].metadata["chapter"] == "Close-up Person Chopping Onions Large"
    assert "Chopping Onions" not in docs[1].text  # the summary only names chapters
    windows = asyncio.run(
        reader.model_copy(update={"granularity": "window", "window_seconds": 4}).aload_data()
    )
    assert windows[0].metadata["chapters"] == [
        "Chef White Apron Stands Wooden",
        "Close-up Person Chopping Onions Large",
    ]
