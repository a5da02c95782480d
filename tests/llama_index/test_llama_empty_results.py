"""The LlamaIndex retriever on a query without hits (current Search page: ``data: {}``).

Before issue 11 that answer raised ResponseParseError. A MockTransport answers; no cassettes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.llama_index import MemoriesRetriever


@pytest.mark.parametrize("data", [{}, None, []], ids=["empty-object", "null", "empty-list"])
async def test_retrieve_without_hits_returns_no_nodes(data: Any) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": data})

    transport = httpx.MockTransport(handler)
    sync = MemoriesClient(api_key="sk-test", http_client=httpx.Client(transport=transport))
    async_ = AsyncMemoriesClient(
        api_key="sk-test", http_client=httpx.AsyncClient(transport=transport)
    )
    retriever = MemoriesRetriever(client=sync, async_client=async_, k=3)
    assert retriever.retrieve("a query nothing matches") == []
    assert await retriever.aretrieve("a query nothing matches") == []
    sync.close()
    await async_.aclose()
