"""LangChain: verified chat citations, ranged transcripts, chapters and namespaces, against a
live emulator holding the samples."""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.documents import Document
from langchain_core.messages import ToolMessage

from memories_integrations.citations import CitationReport
from memories_integrations.langchain import (
    MemoriesChatTool,
    MemoriesListNamespacesTool,
    MemoriesToolkit,
    MemoriesTranscriptLoader,
    MemoriesTranscriptTool,
)
from memories_integrations.testing import EmulatorServer

from .conftest import COOKING, live_emulator

__all__ = ["live_emulator"]


def _kw(emu: EmulatorServer) -> dict[str, Any]:
    return {"api_key": emu.api_key, "base_url": emu.base_url}


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"type": "tool_call", "id": "c1", "name": name, "args": args}


def test_chat_tool_exposes_the_verification(live_emulator: EmulatorServer) -> None:
    tool = MemoriesChatTool(**_kw(live_emulator))
    msg = tool.invoke(_call(tool.name, {"video_nos": [COOKING], "prompt": "What is chopped?"}))
    assert isinstance(msg, ToolMessage) and msg.status == "success"
    report = msg.artifact["citations"]
    assert isinstance(report, CitationReport) and report.citations and report.all_supported
    assert "Timestamp check: all" in msg.content and "[unverified" not in msg.content
    assert all(isinstance(d, Document) for d in msg.artifact["references"])


def test_transcript_tool_range_and_next_start(live_emulator: EmulatorServer) -> None:
    tool = MemoriesTranscriptTool(**_kw(live_emulator))
    args = {"video_no": COOKING, "start": "00:02", "end": "00:06"}
    msg = tool.invoke(_call(tool.name, args))
    segments = msg.artifact["segments"]
    assert [d.metadata["start_time"] for d in segments] == [2.0, 4.0]
    assert msg.artifact["next_start"] is None and msg.artifact["start"] == 2.0
    paged = tool.invoke(_call(tool.name, {"video_no": COOKING, "track": "both", "max_chars": 400}))
    nxt = paged.artifact["next_start"]
    assert nxt is not None and f"start={nxt:g}" in paged.content
    # async, and bad input as a tool error (no request)
    got = asyncio.run(tool.ainvoke(_call(tool.name, {**args, "start": "00:05"})))
    assert [d.metadata["start_time"] for d in got.artifact["segments"]] == [4.0]
    bad = tool.invoke(_call(tool.name, {"video_no": COOKING, "start": "00:06", "end": "00:02"}))
    assert bad.status == "error" and "must be after start" in bad.content


def test_namespaces_tool_and_toolkit(live_emulator: EmulatorServer) -> None:
    tool = MemoriesListNamespacesTool(**_kw(live_emulator))
    assert tool.invoke({}) == (
        "Namespaces (unique_id values) with videos:\ndefault (used by these tools)"
    )
    assert "default" in asyncio.run(tool.ainvoke({}))
    names = [t.name for t in MemoriesToolkit(**_kw(live_emulator)).get_tools()]
    assert "memories_list_namespaces" in names


def test_loader_tags_documents_with_chapters(live_emulator: EmulatorServer) -> None:
    loader = MemoriesTranscriptLoader(
        [COOKING], mode="segments", with_chapters=True, **_kw(live_emulator)
    )
    docs = loader.load()
    # The cooking sample's chapters are 2 s each, like its speech segments.
    assert [d.metadata["chapter"] for d in docs][:2] == [
        "Chef White Apron Stands Wooden",
        "Close-up Person Chopping Onions Large",
    ]
    assert len({d.metadata["chapter"] for d in docs}) == 5
    chunks = MemoriesTranscriptLoader(
        [COOKING], mode="chunks", chunk_seconds=4, with_chapters=True, **_kw(live_emulator)
    )
    first = asyncio.run(chunks.aload())[0]
    assert first.metadata["chapter"] == "Chef White Apron Stands Wooden"
    assert first.metadata["chapters"][1] == "Close-up Person Chopping Onions Large"
    plain = MemoriesTranscriptLoader([COOKING], mode="segments", **_kw(live_emulator)).load()
    assert "chapter" not in plain[0].metadata
