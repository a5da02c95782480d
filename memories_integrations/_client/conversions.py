"""``to_sync`` / ``to_async``: a client's twin of the other flavour, with the same settings.

A hand-written pair (``AsyncX``/``X``, see ``scripts/unasync.py``): renaming cannot turn one into
the other. Each client module imports its half; the twin's module is imported only when asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from memories_integrations._client._async.client import AsyncMemoriesClient
    from memories_integrations._client._sync.client import MemoriesClient
    from memories_integrations._client.cache import ResponseCache
    from memories_integrations._transport.base import BaseClient


class AsyncConversions:
    _transport: BaseClient
    cache: ResponseCache | None

    def to_sync(self) -> MemoriesClient:
        """A sync client with the same credentials, settings, rate limiter and cache."""
        from memories_integrations._client._sync.client import MemoriesClient

        return MemoriesClient(**self._transport._twin_settings(), cache=self.cache)


class Conversions:
    _transport: BaseClient
    cache: ResponseCache | None

    def to_async(self) -> AsyncMemoriesClient:
        """An async client with the same credentials, settings, rate limiter and cache."""
        from memories_integrations._client._async.client import AsyncMemoriesClient

        return AsyncMemoriesClient(**self._transport._twin_settings(), cache=self.cache)
