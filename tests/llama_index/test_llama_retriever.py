"""MemoriesRetriever on recorded traffic, alone and inside a RetrieverQueryEngine."""

from __future__ import annotations

import pytest
from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.llama_index import MemoriesRetriever

pytestmark = pytest.mark.vcr


def test_retrieve_moments_with_metadata_and_stable_ids(
    memories_client: MemoriesClient, library: dict[str, str]
) -> None:
    retriever = MemoriesRetriever(client=memories_client, k=3)
    nodes = retriever.retrieve("chef cooking tomato pasta")
    assert len(nodes) == 3
    assert [n.score for n in nodes] == sorted((n.score or 0 for n in nodes), reverse=True)
    first = nodes[0].node
    meta = first.metadata
    assert meta["video_no"] == library["cooking_demo"] and meta["video_name"] == "cooking_demo"
    assert isinstance(meta["start_time"], float) and meta["end_time"] > meta["start_time"]
    assert meta["start_timestamp"].startswith("00:00:0")
    assert meta["score"] == nodes[0].score and meta["search_type"] == "BY_CLIP"
    assert meta["unique_id"] == "default"
    assert meta["source"] == (
        f"memories://default/{meta['video_no']}?t={meta['start_time']:g}-{meta['end_time']:g}"
    )
    assert first.get_content() and "tomato" in " ".join(n.node.get_content() for n in nodes)
    again = retriever.retrieve("chef cooking tomato pasta")
    assert [n.node.id_ for n in again] == [n.node.id_ for n in nodes]


async def test_aretrieve_is_native_and_filters(
    async_memories_client: AsyncMemoriesClient, library: dict[str, str]
) -> None:
    soccer = library["soccer_match"]
    retriever = MemoriesRetriever(
        async_client=async_memories_client,
        similarity_top_k=2,
        search_type="BY_AUDIO",
        video_nos=[soccer],
    )
    nodes = await retriever.aretrieve("what a goal")
    assert 1 <= len(nodes) <= 2
    assert all(n.node.metadata["video_no"] == soccer for n in nodes)
    assert all(n.node.metadata["search_type"] == "BY_AUDIO" for n in nodes)


def test_retriever_query_engine(memories_client: MemoriesClient, library: dict[str, str]) -> None:
    retriever = MemoriesRetriever(client=memories_client, k=2)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query("a goal is scored")
    assert [n.node.metadata["video_name"] for n in response.source_nodes] == ["soccer_match"] * 2
    prompt = str(response)  # MockLLM echoes the prompt it was given
    assert "goal" in prompt and "video_name: soccer_match" in prompt
    # The model sees video_no (the tools tell it to cite that), never the link.
    assert "memories://" not in prompt and f"video_no: {library['soccer_match']}" in prompt


async def test_retriever_query_engine_async(
    memories_client: MemoriesClient,
    async_memories_client: AsyncMemoriesClient,
    library: dict[str, str],
) -> None:
    retriever = MemoriesRetriever(client=memories_client, async_client=async_memories_client, k=2)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = await engine.aquery("a goal is scored")
    assert len(response.source_nodes) == 2
    assert "soccer_match" in str(response)
