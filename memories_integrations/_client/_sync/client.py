# Generated from _client/_async/client.py by scripts/unasync.py: edit that file, not this one.
"""The memories.ai client class (Synchronous)."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

from memories_integrations._client._sync.chat import ChatMethods
from memories_integrations._client._sync.search import SearchMethods
from memories_integrations._client._sync.uploads import UploadMethods
from memories_integrations._transport.base import shared_ssl_context
from memories_integrations._transport.flavors import Conversions, HeaderDeadline


class MemoriesClient(
    UploadMethods, SearchMethods, ChatMethods, Conversions
):
    """Synchronous memories.ai client: every API method, awaited.

    >>> with MemoriesClient() as client:
    ...     hits = client.search("a goal is scored", top_k=5)
    """

    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        # Auth and headers go on each request (transport), never onto the httpx client: a
        # caller's shared client must not carry the memories.ai key to other hosts.
        # Our own httpx client also bounds slow response headers by each call's deadline.
        self._http = http_client or HeaderDeadline.client(
            timeout=self.timeout, verify=shared_ssl_context()
        )

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> MemoriesClient:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
