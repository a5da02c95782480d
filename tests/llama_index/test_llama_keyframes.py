"""Keyframes in LlamaIndex: ImageNodes from the retriever, image blocks in the search tool's
output, a disk cache that makes the second identical call download nothing."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path

import httpx
import pytest
from llama_index.core.base.llms.types import CitableBlock, ImageBlock, TextBlock
from llama_index.core.schema import ImageNode, TextNode
from PIL import Image

from memories_integrations import MemoriesClient, errors
from memories_integrations.keyframes import KeyframeCache
from memories_integrations.llama_index import MemoriesRetriever, MemoriesToolSpec
from memories_integrations.testing import EmulatorServer

DOWNLOAD = "/serve/api/v1/download"


def _client(emulator: EmulatorServer, seen: list[str]) -> MemoriesClient:
    http = httpx.Client(
        base_url=emulator.base_url,
        event_hooks={"request": [lambda r: seen.append(r.url.path)]},
    )
    return MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url, http_client=http)


def _is_jpeg(data: bytes) -> bool:
    return Image.open(io.BytesIO(data)).format == "JPEG"


def test_retriever_returns_image_nodes_and_caches(
    live_emulator: EmulatorServer, tmp_path: Path
) -> None:
    seen: list[str] = []
    with _client(live_emulator, seen) as client:
        retriever = MemoriesRetriever(
            k=3, include_keyframes=2, keyframe_cache=KeyframeCache(tmp_path), client=client
        )
        nodes = retriever.retrieve("someone chops onions")
        assert seen.count(DOWNLOAD) == 2
        images = [n.node for n in nodes if isinstance(n.node, ImageNode)]
        assert len(images) == 2 and nodes[0].node is images[0]
        for node in images:
            assert node.image and _is_jpeg(base64.b64decode(node.image))
            assert node.image_mimetype == "image/jpeg" and node.image_path
            assert node.text and node.metadata["keyframe_path"] == node.image_path
        assert type(nodes[2].node) is TextNode
        again = retriever.retrieve("someone chops onions")
        assert seen.count(DOWNLOAD) == 2  # cache hits
        assert [n.node.id_ for n in again] == [n.node.id_ for n in nodes]


def test_async_retriever(live_emulator: EmulatorServer, tmp_path: Path) -> None:
    retriever = MemoriesRetriever(
        k=2,
        include_keyframes=2,
        keyframe_cache=KeyframeCache(tmp_path),
        api_key=live_emulator.api_key,
        base_url=live_emulator.base_url,
    )
    nodes = asyncio.run(retriever.aretrieve("a goal is scored"))
    assert [type(n.node) for n in nodes] == [ImageNode, ImageNode]


def test_tool_spec_search_output_has_image_blocks(
    live_emulator: EmulatorServer, tmp_path: Path
) -> None:
    seen: list[str] = []
    with _client(live_emulator, seen) as client:
        spec = MemoriesToolSpec(client=client, keyframe_cache=KeyframeCache(tmp_path))
        (search,) = spec.to_tool_list(["memories_search"])
        output = search.call(query="someone chops onions", top_k=3, include_keyframes=2)
        assert not output.is_error
        images = [b for b in output.blocks if isinstance(b, ImageBlock)]
        assert len(images) == 2 and seen.count(DOWNLOAD) == 2
        assert all(b.image_mimetype == "image/jpeg" for b in images)
        assert all(_is_jpeg(b.resolve_image().read()) for b in images)
        assert isinstance(output.blocks[0], TextBlock) and "[1] VI" in output.content
        # Without keyframes: one text block, as before.
        plain = search.call(query="someone chops onions", top_k=3)
        assert [type(b) for b in plain.blocks] == [TextBlock]


def test_bad_include_keyframes_is_refused() -> None:
    with pytest.raises(errors.InvalidInputError, match="include_keyframes"):
        MemoriesRetriever(include_keyframes=11, api_key="sk-test")
    with pytest.raises(errors.InvalidInputError, match="include_keyframes"):
        MemoriesToolSpec(include_keyframes=-1, api_key="sk-test")


def test_tool_spec_search_result_blocks(live_emulator: EmulatorServer, tmp_path: Path) -> None:
    spec = MemoriesToolSpec(
        api_key=live_emulator.api_key,
        base_url=live_emulator.base_url,
        citation_format="search_result",
        keyframe_cache=KeyframeCache(tmp_path),
    )
    (search,) = spec.to_tool_list(["memories_search"])
    output = search.call(query="someone chops onions", top_k=2)
    assert not output.is_error, output.content
    results, nodes = output.raw_output["search_results"], output.raw_output["nodes"]
    assert len(results) == len(nodes) == 2
    first, node = results[0], nodes[0].node
    assert set(first) == {"type", "source", "title", "content", "citations"}
    assert first["type"] == "search_result" and first["citations"] == {"enabled": True}
    assert first["source"] == node.metadata["source"]
    meta = node.metadata
    title = f"{meta['video_name']} ({meta['video_no']}) {meta['start_timestamp']}-"
    assert first["title"] == title + meta["end_timestamp"]
    # The model gets the numbered text (all that ReAct agents and str() read), then one
    # citable block per moment, which Claude's integration sends as a search_result.
    assert isinstance(output.blocks[0], TextBlock) and output.content.startswith("[1] VI")
    cited = [b for b in output.blocks if isinstance(b, CitableBlock)]
    assert [(b.source, b.title) for b in cited] == [(r["source"], r["title"]) for r in results]
    assert cited[0].content == [TextBlock(text=first["content"][0]["text"])]
    plain = MemoriesToolSpec(api_key=live_emulator.api_key, base_url=live_emulator.base_url)
    (text_search,) = plain.to_tool_list(["memories_search"])
    assert output.content == text_search.call(query="someone chops onions", top_k=2).content
    # With keyframes: citable blocks, then the images.
    framed = asyncio.run(search.acall(query="someone chops onions", top_k=2, include_keyframes=1))
    kinds = [type(b) for b in framed.blocks]
    assert kinds == [TextBlock, CitableBlock, CitableBlock, TextBlock, ImageBlock]
    # Nothing found: the plain explanation, no blocks to cite.
    empty = search.call(query="someone chops onions", video_nos=["VI000000000000000404"])
    assert [type(b) for b in empty.blocks] == [TextBlock] and "No moments" in empty.content
    assert empty.raw_output == empty.content


def test_bad_citation_format_is_refused() -> None:
    with pytest.raises(errors.InvalidInputError, match="citation_format must be one of text"):
        MemoriesToolSpec(citation_format="markdown", api_key="sk-test")  # type: ignore[arg-type]
