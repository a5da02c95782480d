"""What the sync and async clients do differently and text substitution cannot express.

``scripts/unasync.py`` generates the sync client from the async one by renaming (``AsyncX``
becomes ``X``). Each difference that renaming cannot make is a hand-written pair here whose names
differ only by that prefix, so each generated side calls its own half.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._base_client import BaseClient

if TYPE_CHECKING:
    from ._async_client import AsyncMemoriesClient
    from ._client import MemoriesClient


class AsyncConversions(BaseClient):
    def to_sync(self) -> MemoriesClient:
        """A sync client with the same credentials, settings and rate limiter."""
        from ._client import MemoriesClient

        return MemoriesClient(**self._twin_settings())


class Conversions(BaseClient):
    def to_async(self) -> AsyncMemoriesClient:
        """An async client with the same credentials, settings and rate limiter."""
        from ._async_client import AsyncMemoriesClient

        return AsyncMemoriesClient(**self._twin_settings())
