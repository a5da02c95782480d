"""MemoriesVideoReader on recorded traffic: formats, metadata, resources, indexing (sync+async)."""

from __future__ import annotations

import pytest
from llama_index.core import VectorStoreIndex
from llama_index.core.embeddings import MockEmbedding
from llama_index.core.llms import MockLLM
from llama_index.core.schema import MetadataMode

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.llama_index import MemoriesVideoReader

pytestmark = pytest.mark.vcr

META_KEYS = {
    "video_no",
    "video_name",
    "start_time",
    "end_time",
    "start_timestamp",
    "end_timestamp",
    "unique_id",
    "source",
    "content",
    "granularity",
}


def test_merged_whole_video_documents(
    memories_client: MemoriesClient, library: dict[str, str]
) -> None:
    reader = MemoriesVideoReader(client=memories_client)
    docs = reader.load_data()
    assert sorted(d.metadata["video_no"] for d in docs) == sorted(library.values())
    cooking = next(d for d in docs if d.metadata["video_no"] == library["cooking_demo"])
    assert set(cooking.metadata) == META_KEYS
    assert cooking.metadata["video_name"] == "cooking_demo"
    assert (cooking.metadata["start_time"], cooking.metadata["end_time"]) == (0.0, 10.0)
    assert cooking.metadata["end_timestamp"] == "00:00:10"
    assert cooking.metadata["source"] == f"memories://default/{library['cooking_demo']}?t=0-10"
    lines = cooking.text.splitlines()
    # captions and speech interleaved by time: what is seen, then what is said
    assert lines[0].startswith("[00:00:00] Visual: ") and lines[1].startswith("[00:00:00] Speech: ")
    assert "tomato" in cooking.text and len(lines) == 10
    # a video loaded again as a resource keeps its id: re-ingestion upserts
    again = reader.load_resource(library["cooking_demo"])
    assert [d.id_ for d in again] == [cooking.id_]


def test_audio_per_segment_for_given_videos(
    memories_client: MemoriesClient, library: dict[str, str]
) -> None:
    soccer = library["soccer_match"]
    reader = MemoriesVideoReader(
        client=memories_client, content="audio", granularity="segment", video_nos=[soccer]
    )
    docs = reader.load_data()
    assert [(d.metadata["start_time"], d.metadata["end_time"]) for d in docs] == [
        (0.0, 2.0),
        (2.0, 4.0),
        (4.0, 6.0),
        (6.0, 8.0),
        (8.0, 10.0),
    ]
    assert all(d.text.startswith(f"[{d.metadata['start_timestamp']}] Speech: ") for d in docs)
    assert all("Visual:" not in d.text for d in docs)
    assert docs[2].metadata["source"] == f"memories://default/{soccer}?t=4-6"
    assert len({d.id_ for d in docs}) == 5
    llm_view = docs[2].get_content(metadata_mode=MetadataMode.LLM)
    assert "soccer_match" in llm_view and "00:00:04" in llm_view
    assert soccer not in llm_view and "memories://" not in llm_view
    assert soccer not in docs[2].get_content(metadata_mode=MetadataMode.EMBED)


def test_visual_fixed_windows_with_list_filter(
    memories_client: MemoriesClient, library: dict[str, str]
) -> None:
    reader = MemoriesVideoReader(
        client=memories_client,
        content="visual",
        granularity="window",
        window_seconds=4,
        list_filters={"video_name": "bike"},
    )
    docs = reader.load_data()
    assert {d.metadata["video_no"] for d in docs} == {library["city_bike_ride"]}
    assert [(d.metadata["start_time"], d.metadata["end_time"]) for d in docs] == [
        (0.0, 4.0),
        (4.0, 8.0),
        (8.0, 10.0),
    ]
    assert [d.text.count("\n") + 1 for d in docs] == [2, 2, 1]
    assert all("Speech:" not in d.text for d in docs)
    assert reader.list_resources() == [library["city_bike_ride"]]


def test_summary_documents_and_resource_info(
    memories_client: MemoriesClient, library: dict[str, str]
) -> None:
    keynote = library["product_keynote"]
    reader = MemoriesVideoReader(client=memories_client, content="summary")
    [doc] = reader.load_resource(keynote)
    assert doc.metadata["content"] == "summary"
    assert doc.text.count("Chapter: ") == 5 and "Nova Phone" in doc.text
    info = reader.get_resource_info(keynote)
    assert info["status"] == "PARSE" and info["video_name"] == "product_keynote"
    assert info["duration"] == 10.0 and info["source"].startswith("memories://default/")


async def test_async_loading_matches_sync(
    memories_client: MemoriesClient,
    async_memories_client: AsyncMemoriesClient,
    library: dict[str, str],
) -> None:
    reader = MemoriesVideoReader(
        client=memories_client, async_client=async_memories_client, granularity="segment"
    )
    sync_docs = reader.load_data()
    async_docs = await reader.aload_data()
    assert len(sync_docs) == 20
    assert [(d.id_, d.text, d.metadata) for d in async_docs] == [
        (d.id_, d.text, d.metadata) for d in sync_docs
    ]
    assert sorted(await reader.alist_resources()) == sorted(library.values())
    info = await reader.aget_resource_info(library["soccer_match"])
    assert info["video_name"] == "soccer_match"
    one = await reader.aload_resource(library["soccer_match"])
    assert [d.id_ for d in one] == [
        d.id_ for d in sync_docs if d.metadata["video_no"] == library["soccer_match"]
    ]


def test_index_and_query_engine(memories_client: MemoriesClient, library: dict[str, str]) -> None:
    reader = MemoriesVideoReader(client=memories_client, granularity="segment")
    docs = reader.load_data()
    index = VectorStoreIndex.from_documents(docs, embed_model=MockEmbedding(embed_dim=8))
    # same ids on a second load: refreshing changes nothing (no duplicates)
    assert index.refresh_ref_docs(reader.load_data()) == [False] * len(docs)
    assert len(index.docstore.docs) == len(docs)
    engine = index.as_query_engine(llm=MockLLM(), similarity_top_k=3)
    response = engine.query("When is a goal scored?")
    assert len(response.source_nodes) == 3
    # MockLLM echoes its prompt: the LLM saw names and times, never ids or links
    prompt = str(response)
    assert "start_timestamp: 00:00:" in prompt and "video_name: " in prompt
    assert "memories://" not in prompt and "VI" not in prompt.replace("Visual", "")
    assert all(n.node.metadata["source"].startswith("memories://") for n in response.source_nodes)


async def test_index_and_query_engine_async(
    async_memories_client: AsyncMemoriesClient, library: dict[str, str]
) -> None:
    reader = MemoriesVideoReader(async_client=async_memories_client, content="audio")
    docs = await reader.aload_data()
    assert len(docs) == 4
    index = VectorStoreIndex.from_documents(docs, embed_model=MockEmbedding(embed_dim=8))
    engine = index.as_query_engine(llm=MockLLM(), similarity_top_k=2)
    response = await engine.aquery("What is cooked?")
    assert len(response.source_nodes) == 2
    assert "Speech:" in str(response) and "memories://" not in str(response)
