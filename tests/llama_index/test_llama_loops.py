"""Two ``asyncio.run`` calls in a row through every async path of the LlamaIndex adapter: the
retriever, the reader, the tool spec's tools and a FunctionAgent over them (against a live
emulator; see ``tests/adapters_core/helpers.twice``)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from llama_index.core.agent.workflow import AgentOutput, FunctionAgent

from memories_integrations.llama_index import (
    MemoriesRetriever,
    MemoriesToolSpec,
    MemoriesVideoReader,
)
from memories_integrations.testing import EmulatorServer
from tests.adapters_core.helpers import SAMPLES, twice

from .test_llama_tools import scripted_llm

COOKING = SAMPLES[0]


@pytest.fixture
def connection(live_emulator: EmulatorServer) -> dict[str, Any]:
    return {"api_key": live_emulator.api_key, "base_url": live_emulator.base_url}


def test_retriever_aretrieve_twice(connection: dict[str, Any]) -> None:
    retriever = MemoriesRetriever(k=2, **connection)
    first, second = twice(lambda: retriever.aretrieve("boiling spaghetti"))
    assert first and [n.node.node_id for n in first] == [n.node.node_id for n in second]


def test_reader_aload_data_twice(connection: dict[str, Any]) -> None:
    reader = MemoriesVideoReader(video_nos=[COOKING], content="audio", **connection)
    first, second = twice(reader.aload_data)
    assert first and [d.doc_id for d in first] == [d.doc_id for d in second]
    assert reader.failures == []


def test_tool_spec_async_functions_twice(connection: dict[str, Any]) -> None:
    spec = MemoriesToolSpec(**connection)
    tools = {t.metadata.name: t for t in spec.to_tool_list()}

    async def every_read_tool() -> list[str]:
        outputs = [
            await tools["memories_list_videos"].acall(),
            await tools["memories_video_status"].acall(video_no=COOKING),
            await tools["memories_search"].acall(query="boiling spaghetti", top_k=1),
            await tools["memories_get_transcript"].acall(video_no=COOKING, track="both"),
            await tools["memories_summarize_video"].acall(video_no=COOKING),
            await tools["memories_chat_with_videos"].acall(video_nos=COOKING, prompt="What?"),
        ]
        assert not [o.content for o in outputs if o.is_error]
        return [str(o.content) for o in outputs] + [await spec.arun("memories_list_videos")]

    first, second = twice(every_read_tool)
    assert first[:5] == second[:5] and COOKING in first[0]


def test_function_agent_twice(connection: dict[str, Any]) -> None:
    spec = MemoriesToolSpec(**connection)

    async def run_agent() -> str:
        agent = FunctionAgent(tools=spec.to_tool_list(), llm=scripted_llm())
        result = cast(AgentOutput, await agent.run(user_msg="When is a goal scored?"))
        return str(result.response.content)

    first, second = twice(run_agent)
    assert first.startswith("Best moment: [1] VI") and first == second
