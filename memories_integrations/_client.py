"""The synchronous client. Its async twin is ``_async_client.py``: same methods, awaited."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from ._base_client import shared_ssl_context
from ._sync.chat import ChatMethods
from ._sync.search import SearchMethods
from ._sync.uploads import UploadMethods

if TYPE_CHECKING:
    from ._async_client import AsyncMemoriesClient


class MemoriesClient(UploadMethods, SearchMethods, ChatMethods):
    """Synchronous memories.ai client.

    >>> client = MemoriesClient()              # key from MEMORIES_API_KEY
    >>> hits = client.search("a goal is scored", top_k=5)
    """

    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            auth=self._auth,
            headers=self._headers,
            timeout=self.timeout,
            verify=shared_ssl_context(),
        )
        if http_client is not None:
            self._http.auth = self._auth
            self._http.headers.update(self._headers)

    def to_async(self) -> AsyncMemoriesClient:
        """An async client with the same credentials, settings and rate limiter."""
        from ._async_client import AsyncMemoriesClient

        return AsyncMemoriesClient(**self._twin_settings())

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> MemoriesClient:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
