"""Caching what does not change: ``ResponseCache`` and the stores it keeps entries in.

The public home of these names; the code lives in ``memories_integrations._client.cache*``.
"""

from memories_integrations._client.cache import ResponseCache
from memories_integrations._client.cache_redis import RedisStore
from memories_integrations._client.cache_store import CacheStore, MemoryStore

__all__ = ["CacheStore", "MemoryStore", "RedisStore", "ResponseCache"]
