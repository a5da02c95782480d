"""The memories.ai client class (Asynchronous)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from ._async.chat import AsyncChatMethods
from ._async.search import AsyncSearchMethods
from ._async.uploads import AsyncUploadMethods
from ._base_client import shared_ssl_context
from ._flavors import AsyncConversions


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
        self._http = http_client or httpx.AsyncClient(
            auth=self._auth,
            headers=self._headers,
            timeout=self.timeout,
            verify=shared_ssl_context(),
        )
        if http_client is not None:
            self._http.auth = self._auth
            self._http.headers.update(self._headers)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncMemoriesClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
