"""Retrievers on a query without hits: the current Search page answers ``data: {}``.

Before issue 11 that answer raised ResponseParseError, so ``invoke`` crashed on any query with
no hits. A MockTransport answers each empty form; no cassettes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.langchain import MemoriesHybridRetriever, MemoriesRetriever

EMPTY_FORMS: list[Any] = [{}, None, []]


def _clients(data: Any) -> tuple[MemoriesClient, AsyncMemoriesClient]:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": data})

    transport = httpx.MockTransport(handler)
    return (
        MemoriesClient(api_key="sk-test", http_client=httpx.Client(transport=transport)),
        AsyncMemoriesClient(api_key="sk-test", http_client=httpx.AsyncClient(transport=transport)),
    )


@pytest.mark.parametrize("data", EMPTY_FORMS, ids=["empty-object", "null", "empty-list"])
async def test_retriever_without_hits_returns_no_documents(data: Any) -> None:
    sync, async_ = _clients(data)
    retriever = MemoriesRetriever(client=sync, async_client=async_, k=3)
    assert retriever.invoke("a query nothing matches") == []
    assert await retriever.ainvoke("a query nothing matches") == []
    sync.close()
    await async_.aclose()


async def test_hybrid_retriever_without_hits_returns_no_documents() -> None:
    sync, async_ = _clients({})
    retriever = MemoriesHybridRetriever(client=sync, async_client=async_, k=3)
    assert retriever.invoke("a query nothing matches") == []
    assert await retriever.ainvoke("a query nothing matches") == []
    sync.close()
    await async_.aclose()
