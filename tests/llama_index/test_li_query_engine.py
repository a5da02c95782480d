"""MemoriesQueryEngine against the live emulator, alone and routed next to a text index."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from llama_index.core import Document, MockEmbedding, VectorStoreIndex
from llama_index.core.base.base_selector import BaseSelector, SelectorResult, SingleSelection
from llama_index.core.base.response.schema import Response, StreamingResponse
from llama_index.core.llms import MockLLM
from llama_index.core.prompts.mixin import PromptDictType
from llama_index.core.query_engine import RouterQueryEngine
from llama_index.core.schema import QueryBundle
from llama_index.core.tools import QueryEngineTool, ToolMetadata

from memories_integrations.llama_index import MemoriesQueryEngine, MemoriesRetriever
from memories_integrations.testing import EmulatorServer

COOKING = "VI700000000000000001"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def _engine(emu: EmulatorServer, **kwargs: object) -> MemoriesQueryEngine:
    retriever = MemoriesRetriever(api_key=emu.api_key, base_url=emu.base_url, k=10)
    return MemoriesQueryEngine(retriever, video_nos=[COOKING], **kwargs)  # type: ignore[arg-type]


def test_sources_are_the_cited_moments_as_retriever_nodes(emulator: EmulatorServer) -> None:
    engine = _engine(emulator)
    response = engine.query("chop the onion")
    assert isinstance(response, Response) and "cooking_demo" in str(response)
    assert response.source_nodes and (response.metadata or {})["session_id"]
    retrieved = {n.node.node_id: n.score for n in engine.retriever.retrieve("chop the onion")}
    scored = [n for n in response.source_nodes if n.score is not None]
    assert scored, "a cited moment the search also found carries its search score"
    for n in scored:
        assert retrieved[n.node.node_id] == n.score
    assert all(n.node.metadata["video_no"] == COOKING for n in response.source_nodes)


async def test_aquery_matches_query(emulator: EmulatorServer) -> None:
    engine = _engine(emulator)
    sync, asynchronous = engine.query("chop the onion"), await engine.aquery("chop the onion")
    assert str(sync) == str(asynchronous)
    assert [n.node.node_id for n in sync.source_nodes] == [
        n.node.node_id for n in asynchronous.source_nodes
    ]


def test_streaming_fills_the_sources_when_the_stream_ends(emulator: EmulatorServer) -> None:
    whole = _engine(emulator).query("chop the onion")
    streamed = _engine(emulator, streaming=True).query("chop the onion")
    assert isinstance(streamed, StreamingResponse)
    assert "".join(streamed.response_gen) == str(whole)
    assert [n.node.node_id for n in streamed.source_nodes] == [
        n.node.node_id for n in whole.source_nodes
    ]


class _KeywordSelector(BaseSelector):
    """Picks the video tool for questions about videos, else the text tool (no LLM)."""

    def _get_prompts(self) -> PromptDictType:
        return {}

    def _update_prompts(self, prompts: PromptDictType) -> None:
        pass

    def _select(self, choices: Sequence[ToolMetadata], query: QueryBundle) -> SelectorResult:
        index = 0 if "video" in query.query_str else 1
        return SelectorResult(selections=[SingleSelection(index=index, reason="keyword")])

    async def _aselect(self, choices: Sequence[ToolMetadata], query: QueryBundle) -> SelectorResult:
        return self._select(choices, query)


def test_routed_next_to_a_text_index(emulator: EmulatorServer) -> None:
    text_index = VectorStoreIndex.from_documents(
        [Document(text="The kitchen opens at nine.")], embed_model=MockEmbedding(embed_dim=8)
    )
    tools = [
        QueryEngineTool(
            query_engine=_engine(emulator),
            metadata=ToolMetadata(name="videos", description="Questions about the videos"),
        ),
        QueryEngineTool(
            query_engine=text_index.as_query_engine(llm=MockLLM()),
            metadata=ToolMetadata(name="notes", description="Kitchen notes"),
        ),
    ]
    router = RouterQueryEngine(selector=_KeywordSelector(), query_engine_tools=tools, llm=MockLLM())
    video = router.query("what is chopped in the video?")
    assert "cooking_demo" in str(video)
    assert any(n.node.metadata.get("video_no") == COOKING for n in video.source_nodes)
    notes = router.query("when does the kitchen open?")
    assert all("video_no" not in n.node.metadata for n in notes.source_nodes)
    assert tools[0].call("what is chopped in the video?").raw_output.source_nodes
