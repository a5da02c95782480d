"""Runs every endpoint test through both clients with one test body.

``api`` wraps the sync or the async client so a test can ``await api.method(...)`` either way;
each parameter records its own cassette (``test_x[sync].yaml`` / ``test_x[async].yaml``).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient


class Api:
    def __init__(self, client: MemoriesClient | AsyncMemoriesClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncMemoriesClient)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                return await result
            # Generators and stream objects (chat streams) alike.
            if isinstance(result, AsyncIterator):
                return [item async for item in result]
            if isinstance(result, Iterator):
                return list(result)
            return result

        return call


@pytest.fixture(params=["sync", "async"])
async def api(
    request: pytest.FixtureRequest,
    memories_client: MemoriesClient,
    async_memories_client: AsyncMemoriesClient,
) -> AsyncIterator[Api]:
    yield Api(memories_client if request.param == "sync" else async_memories_client)
