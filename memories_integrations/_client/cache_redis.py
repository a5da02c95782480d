"""``RedisStore``: cache entries on a Redis or Valkey server, shared by every process and host.

Needs the ``redis`` extra (``pip install "memories-integrations[redis]"``). Every key starts with
``prefix`` (default ``memories:cache:``), so one server can hold several caches (and the rate
limiter's slots) side by side. TTLs are the server's (``PX``); an entry without one stays until
dropped or evicted by the server's ``maxmemory-policy`` (``allkeys-lru`` suits a cache). Tags are
sets of the keys carrying them; writing an entry and dropping a tag are single Lua scripts, so
they are atomic (one node; for a cluster use a prefix with a hash tag, ``{memories}:``).

Calls are synchronous and short (``socket_timeout``, default 0.5 s): the async client calls
them too, a sub-millisecond round trip on a local network.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from memories_integrations import _extras

if TYPE_CHECKING:
    import redis

__all__ = ["RedisStore"]

# KEYS[1] the entry, KEYS[2..] its tag sets; ARGV[1] the value, ARGV[2] its TTL in ms (0: none).
# A tag set lives at least as long as its longest-lived member.
_SET = """
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
end
for i = 2, #KEYS do
  local fresh = redis.call('EXISTS', KEYS[i]) == 0
  redis.call('SADD', KEYS[i], KEYS[1])
  if ttl > 0 then
    local left = redis.call('PTTL', KEYS[i])
    if fresh or (left >= 0 and left < ttl) then
      redis.call('PEXPIRE', KEYS[i], ttl)
    end
  else
    redis.call('PERSIST', KEYS[i])
  end
end
return 1
"""

# KEYS: tag sets; every member of each, then the set itself, is deleted.
_DROP = """
local n = 0
for i = 1, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for j = 1, #members do
    n = n + redis.call('DEL', members[j])
  end
  redis.call('DEL', KEYS[i])
end
return n
"""


class RedisStore:
    """A ``CacheStore`` on a Redis/Valkey server (see the module doc)."""

    def __init__(self, client: redis.Redis, *, prefix: str = "memories:cache:") -> None:
        """``client``: a ``redis.Redis`` (bytes replies: leave ``decode_responses`` off)."""
        if not prefix:
            raise ValueError("prefix must not be empty: keys of other applications are not ours")
        self.redis = client
        self.prefix = prefix
        self._set = client.register_script(_SET)
        self._drop = client.register_script(_DROP)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = "memories:cache:", socket_timeout: float = 0.5
    ) -> RedisStore:
        """``RedisStore.from_url("redis://host:6379/0")``."""
        _extras.require("redis", "RedisStore")
        import redis

        client = redis.Redis.from_url(
            url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout
        )
        return cls(client, prefix=prefix)

    def __repr__(self) -> str:
        return f"RedisStore(prefix={self.prefix!r})"

    def _entry(self, key: str) -> str:
        return self.prefix + "v:" + key

    def _tag(self, tag: str) -> str:
        return self.prefix + "t:" + tag

    def get(self, key: str) -> bytes | None:
        value: Any = self.redis.get(self._entry(key))
        return bytes(value) if value is not None else None

    def set(
        self, key: str, value: bytes, *, ttl: float | None = None, tags: Iterable[str] = ()
    ) -> None:
        ms = 0 if ttl is None else max(1, round(ttl * 1000))
        self._set(keys=[self._entry(key), *(self._tag(t) for t in tags)], args=[value, ms])

    def drop_tagged(self, tags: Iterable[str]) -> None:
        keys = [self._tag(t) for t in tags]
        if keys:
            self._drop(keys=keys)
