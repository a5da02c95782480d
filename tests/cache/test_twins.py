"""Twin clients share the cache of the client they were made from (issue 23 §4)."""

from __future__ import annotations

import asyncio

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations._client.cache import ResponseCache
from memories_integrations._tools.clients import ClientResolver

KEY = "sk-test-twins"


def test_to_sync_and_to_async_keep_the_cache() -> None:
    cache = ResponseCache()
    client = MemoriesClient(api_key=KEY, cache=cache)
    twin = client.to_async()
    assert twin.cache is cache
    assert twin.to_sync().cache is cache
    assert MemoriesClient(api_key=KEY).to_async().cache is None


def test_a_copy_and_its_areas_read_through_the_given_cache() -> None:
    cache = ResponseCache()
    client = AsyncMemoriesClient(api_key=KEY, cache=cache)
    copy = client.with_options(timeout=5)
    assert copy.cache is cache
    assert all(area.cache is cache for area in copy._resources.values())


@pytest.mark.parametrize("given", ["sync", "async"])
def test_resolver_clients_share_the_given_clients_cache(given: str) -> None:
    cache = ResponseCache()
    if given == "sync":
        resolver = ClientResolver(client=MemoriesClient(api_key=KEY, cache=cache))
    else:
        resolver = ClientResolver(async_client=AsyncMemoriesClient(api_key=KEY, cache=cache))
    assert resolver.sync().cache is cache

    async def built_in_a_loop() -> AsyncMemoriesClient:
        return resolver.async_()

    assert asyncio.run(built_in_a_loop()).cache is cache


def test_resolver_built_from_a_key_takes_the_cache_from_client_kwargs() -> None:
    cache = ResponseCache()
    resolver = ClientResolver(api_key=KEY, client_kwargs={"cache": cache})
    assert resolver.sync().cache is cache

    async def built_in_a_loop() -> AsyncMemoriesClient:
        return resolver.async_()

    assert asyncio.run(built_in_a_loop()).cache is cache
