"""Keyframe images and search_result blocks from the LangChain search tool and retriever,
against a live emulator (no cassette: the images are real downloads through the client)."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolMessage
from PIL import Image

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.keyframes import KeyframeCache
from memories_integrations.langchain import MemoriesRetriever, MemoriesSearchTool
from memories_integrations.testing import EmulatorServer

DOWNLOAD = "/serve/api/v1/download"


class Counter:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    async def acall(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    @property
    def downloads(self) -> int:
        return self.paths.count(DOWNLOAD)


@pytest.fixture
def counted(live_emulator: EmulatorServer) -> Iterator[tuple[MemoriesClient, Counter]]:
    counter = Counter()
    http = httpx.Client(base_url=live_emulator.base_url, event_hooks={"request": [counter]})
    client = MemoriesClient(
        api_key=live_emulator.api_key, base_url=live_emulator.base_url, http_client=http
    )
    with client, http:
        yield client, counter


def _call(tool: MemoriesSearchTool, **args: Any) -> ToolMessage:
    call = {"type": "tool_call", "id": "1", "name": tool.name, "args": args}
    message = tool.invoke(call)
    assert isinstance(message, ToolMessage)
    return message


def _images(content: Any) -> list[dict[str, Any]]:
    return [b for b in content if isinstance(b, dict) and b.get("type") == "image"]


def _is_jpeg(data: bytes) -> bool:
    return Image.open(io.BytesIO(data)).format == "JPEG"


def test_tool_call_returns_two_jpeg_blocks_and_second_call_downloads_nothing(
    counted: tuple[MemoriesClient, Counter], tmp_path: Path
) -> None:
    client, counter = counted
    tool = MemoriesSearchTool(client=client, keyframe_cache=KeyframeCache(tmp_path))
    message = _call(tool, query="someone chops onions", top_k=3, include_keyframes=2)
    images = _images(message.content)
    assert len(images) == 2 and counter.downloads == 2
    for block in images:
        assert block["mime_type"] == "image/jpeg"
        assert _is_jpeg(base64.b64decode(block["base64"]))
    text = message.content[0]
    assert isinstance(text, dict) and text["type"] == "text" and "[1] VI" in text["text"]
    assert "Keyframe images follow for [1], [2]." in text["text"]
    # Documents carry the cached image; the third (beyond N) has none.
    docs = message.artifact
    assert [("keyframe_path" in d.metadata) for d in docs] == [True, True, False]
    assert Path(docs[0].metadata["keyframe_path"]).parent == tmp_path

    again = _call(tool, query="someone chops onions", top_k=3, include_keyframes=2)
    assert counter.downloads == 2  # both from the cache
    assert [b["base64"] for b in _images(again.content)] == [b["base64"] for b in images]


def test_default_is_text_only(counted: tuple[MemoriesClient, Counter], tmp_path: Path) -> None:
    client, counter = counted
    tool = MemoriesSearchTool(client=client, keyframe_cache=KeyframeCache(tmp_path))
    message = _call(tool, query="someone chops onions", top_k=2)
    assert isinstance(message.content, str) and counter.downloads == 0
    # The tool's own setting applies when the call does not say.
    tool = MemoriesSearchTool(
        client=client, keyframe_cache=KeyframeCache(tmp_path), include_keyframes=1
    )
    assert len(_images(_call(tool, query="someone chops onions", top_k=2).content)) == 1


def test_failed_download_degrades_to_text_with_a_note(tmp_path: Path) -> None:
    # Every keyframe download answers with an API error; search works.
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == DOWNLOAD:
            return httpx.Response(200, json={"code": "0001", "msg": "blob not found"})
        hit = {
            "videoNo": "VI1",
            "videoName": "a",
            "startTime": "2",
            "endTime": "4",
            "score": 0.9,
            "keyframe_bucket": "b",
            "keyframe_blob": "VI1/2.jpg",
        }
        no_pointer = {"videoNo": "VI2", "startTime": "0", "endTime": "2", "score": 0.5}
        return httpx.Response(200, json={"code": "0000", "msg": "ok", "data": [hit, no_pointer]})

    http = httpx.Client(base_url="http://memories.test", transport=httpx.MockTransport(handler))
    with MemoriesClient(api_key="sk-test", base_url="http://memories.test", http_client=http) as c:
        tool = MemoriesSearchTool(client=c, keyframe_cache=KeyframeCache(tmp_path))
        message = _call(tool, query="x", include_keyframes=2)
    assert _images(message.content) == []
    first = message.content if isinstance(message.content, str) else message.content[0]
    text = first if isinstance(first, str) else str(first["text"])
    assert "keyframe of [1] VI1 @ 00:00:02 could not be downloaded (blob not found" in text
    assert "no keyframe for [2] VI2 @ 00:00:00 (the search hit has none)" in text
    assert message.artifact[0].metadata["keyframe_note"].startswith("keyframe of [1] VI1")
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind


def test_search_result_blocks(counted: tuple[MemoriesClient, Counter], tmp_path: Path) -> None:
    client, _ = counted
    tool = MemoriesSearchTool(client=client, citation_format="search_result")
    message = _call(tool, query="someone chops onions", top_k=2)
    blocks = message.content
    assert isinstance(blocks, list) and len(blocks) == 2
    first, doc = blocks[0], message.artifact[0]
    assert isinstance(first, dict)
    assert set(first) == {"type", "source", "title", "content", "citations"}
    assert first["type"] == "search_result" and first["citations"] == {"enabled": True}
    assert first["source"] == doc.metadata["source"] and first["source"].startswith("memories://")
    name, no = doc.metadata["video_name"], doc.metadata["video_no"]
    start, end = doc.metadata["start_timestamp"], doc.metadata["end_timestamp"]
    assert first["title"] == f"{name} ({no}) {start}-{end}"
    assert first["content"] == [{"type": "text", "text": " ".join(doc.page_content.split())}]
    # Empty result: the plain explanation, not an empty list.
    empty = _call(tool, query="someone chops onions", video_nos=["VI000000000000000404"])
    assert isinstance(empty.content, str) and "No moments found" in empty.content


def test_bad_include_keyframes_is_refused_before_any_request(
    counted: tuple[MemoriesClient, Counter],
) -> None:
    client, counter = counted
    tool = MemoriesSearchTool(client=client)
    message = _call(tool, query="x", include_keyframes=11)
    assert message.status == "error" and "include_keyframes" in str(message.content)
    assert counter.paths == []


def test_retriever_documents_reference_the_image(
    live_emulator: EmulatorServer, tmp_path: Path
) -> None:
    connection = {"api_key": live_emulator.api_key, "base_url": live_emulator.base_url}
    cache = KeyframeCache(tmp_path)
    retriever = MemoriesRetriever(k=3, include_keyframes=2, keyframe_cache=cache, **connection)
    docs = retriever.invoke("someone chops onions")
    paths = [d.metadata.get("keyframe_path") for d in docs]
    assert paths[2] is None and all(paths[:2])
    assert all(_is_jpeg(Path(p).read_bytes()) for p in paths[:2] if p)
    assert docs[0].metadata["keyframe_mime_type"] == "image/jpeg"
    # Per call, and async.
    adocs = asyncio.run(retriever.ainvoke("someone chops onions", include_keyframes=1))
    assert [("keyframe_path" in d.metadata) for d in adocs] == [True, False, False]


def test_async_tool_call(live_emulator: EmulatorServer, tmp_path: Path) -> None:
    async def run() -> ToolMessage:
        async with AsyncMemoriesClient(
            api_key=live_emulator.api_key, base_url=live_emulator.base_url
        ) as client:
            tool = MemoriesSearchTool(async_client=client, keyframe_cache=KeyframeCache(tmp_path))
            call = {"type": "tool_call", "id": "1", "name": tool.name,
                    "args": {"query": "a goal is scored", "include_keyframes": 2}}  # fmt: skip
            message = await tool.ainvoke(call)
            assert isinstance(message, ToolMessage)
            return message

    images = _images(asyncio.run(run()).content)
    assert len(images) == 2 and all(_is_jpeg(base64.b64decode(b["base64"])) for b in images)
