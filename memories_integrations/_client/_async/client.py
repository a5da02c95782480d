"""The memories.ai client class (Asynchronous)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from memories_integrations._client._async.chat import AsyncChatMethods
from memories_integrations._client._async.search import AsyncSearchMethods
from memories_integrations._client._async.uploads import AsyncUploadMethods
from memories_integrations._transport.base import shared_ssl_context
from memories_integrations._transport.flavors import AsyncConversions, AsyncHeaderDeadline


class AsyncMemoriesClient(
    AsyncUploadMethods, AsyncSearchMethods, AsyncChatMethods, AsyncConversions
):
    """Asynchronous memories.ai client: every API method, awaited.

    >>> async with AsyncMemoriesClient() as client:
    ...     hits = await client.search("a goal is scored", top_k=5)
    """

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        # Auth and headers go on each request (transport), never onto the httpx client: a
        # caller's shared client must not carry the memories.ai key to other hosts.
        # Our own httpx client also bounds slow response headers by each call's deadline.
        self._http = http_client or AsyncHeaderDeadline.client(
            timeout=self.timeout, verify=shared_ssl_context()
        )

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncMemoriesClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
