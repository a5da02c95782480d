"""Every async path of the LangChain adapter works under two ``asyncio.run`` calls in a row.

Each ``asyncio.run`` makes a new event loop and closes it after; an async client built in the
first loop holds connections of a closed loop (``RuntimeError: Event loop is closed``). The
components are built from an API key, so the adapter's own resolver builds the clients.
"""

from __future__ import annotations

from typing import Any

import pytest

from memories_integrations.langchain import (
    MemoriesHybridRetriever,
    MemoriesRetriever,
    MemoriesToolkit,
    MemoriesTranscriptLoader,
)
from memories_integrations.testing import EmulatorServer
from tests.adapters_core.helpers import twice

from .conftest import COOKING


@pytest.fixture
def live(live_emulator: EmulatorServer) -> dict[str, Any]:
    return {"api_key": live_emulator.api_key, "base_url": live_emulator.base_url}


@pytest.mark.parametrize("kind", [MemoriesRetriever, MemoriesHybridRetriever])
def test_retrievers_ainvoke_twice(kind: type[MemoriesRetriever], live: dict[str, Any]) -> None:
    retriever = kind(k=2, **live)
    first, second = twice(lambda: retriever.ainvoke("boiling spaghetti"))
    assert first and [d.id for d in first] == [d.id for d in second]


def test_tools_ainvoke_twice(live: dict[str, Any]) -> None:
    tools = {t.name: t for t in MemoriesToolkit(**live).get_tools()}
    calls: dict[str, dict[str, Any]] = {
        "memories_search": {"query": "boiling spaghetti", "top_k": 1},
        "memories_video_status": {"video_no": COOKING},
        "memories_list_videos": {},
        "memories_get_transcript": {"video_no": COOKING, "track": "both"},
        "memories_summarize_video": {"video_no": COOKING},
        "memories_chat_with_videos": {"video_nos": [COOKING], "prompt": "What is cooked?"},
        "memories_list_namespaces": {},
    }
    assert set(calls) == set(tools)  # every tool of the default toolkit

    async def every_tool() -> list[str]:
        return [str(await tools[name].ainvoke(args)) for name, args in calls.items()]

    first, second = twice(every_tool)
    assert COOKING in first[0] and first[:5] == second[:5]


def test_transcript_loader_alazy_load_and_aload_twice(live: dict[str, Any]) -> None:
    loader = MemoriesTranscriptLoader([COOKING], source="both", mode="chunks", **live)

    async def lazily() -> list[str]:
        return [d.page_content async for d in loader.alazy_load()]

    async def eagerly() -> list[str]:
        return [d.page_content for d in await loader.aload()]

    first, second = twice(lazily)
    third, fourth = twice(eagerly)
    assert first and first == second == third == fourth and loader.failures == []
