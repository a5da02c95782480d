"""Rate-limit slots on a Redis-protocol server (Redis, Valkey): one schedule for every worker.

All keys of a memories.ai account share its quotas, so workers in several processes (or on
several hosts) must queue on one schedule. Here the next free slot of each group lives on the
server and one Lua script books it atomically, reading the server's own clock (``TIME``): the
workers' clocks never enter the computation, so skew between hosts does not matter.

    limiter = RateLimiter(slots=RedisSlots.from_url("redis://cache:6379/0"))

or set ``MEMORIES_RATE_LIMIT_REDIS_URL`` and every client that builds its own limiter books on
that server. Every worker of one account must use the same ``prefix`` (and the same rates);
accounts sharing a server use different prefixes.
"""

from __future__ import annotations

import math
import os
from functools import lru_cache
from typing import Any

from memories_integrations import _extras
from memories_integrations import errors as e
from memories_integrations._transport.slots import SlotTooFar

DEFAULT_PREFIX = "memories:ratelimit:"
REDIS_URL_ENV = "MEMORIES_RATE_LIMIT_REDIS_URL"
PREFIX_ENV = "MEMORIES_RATE_LIMIT_PREFIX"
SOCKET_TIMEOUT = 5.0  # seconds

# KEYS[1]: the group's key. ARGV: interval seconds, max wait seconds (negative: unbounded),
# extra TTL milliseconds. Returns {booked 0/1, wait seconds as text}: Lua numbers come back as
# integers, so the fractions travel as strings. The key holds the next free slot (server time,
# seconds) and expires once that slot has passed plus a margin: an idle group leaves no key.
_BOOK = """
if redis.replicate_commands then redis.replicate_commands() end -- TIME before a write, Redis < 5
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local max_wait = tonumber(ARGV[2])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local wait = slot - now
if max_wait >= 0 and wait > max_wait then
  return {0, string.format('%.6f', wait)}
end
local ttl = math.ceil((slot + interval - now) * 1000) + tonumber(ARGV[3])
redis.call('SET', KEYS[1], string.format('%.6f', slot + interval), 'PX', ttl)
return {1, string.format('%.6f', wait)}
"""


class RedisSlots:
    """A ``SlotStore`` on a Redis-protocol server, shared by every process that uses it.

    ``client``: a ``redis.Redis`` (sync; thread-safe through its connection pool). Keys are
    ``prefix + group``. ``ttl_margin``: seconds a key outlives its last booked slot. If the
    server cannot be reached a call raises redis's own error: a worker never sends unpaced.
    """

    def __init__(
        self, client: Any, *, prefix: str = DEFAULT_PREFIX, ttl_margin: float = 60.0
    ) -> None:
        _extras.require("redis", "RedisSlots")
        if not isinstance(prefix, str) or not prefix:
            raise e.InvalidInputError("RedisSlots needs a non-empty key prefix", param="prefix")
        self.client = client
        self.prefix = prefix
        self._ttl_margin_ms = max(0, round(ttl_margin * 1000))
        # register_script sends EVALSHA and loads the script only when the server lacks it.
        self._book = client.register_script(_BOOK)

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX, **kwargs: Any) -> RedisSlots:
        """Slots on the server at ``url`` (``redis://host:port/db``, ``rediss://`` for TLS);
        ``kwargs`` go to ``redis.Redis.from_url``. Socket timeouts default to ``SOCKET_TIMEOUT``
        (redis-py waits forever by default, and a hung server would hang every call)."""
        _extras.require("redis", "RedisSlots")
        import redis

        kwargs.setdefault("socket_timeout", SOCKET_TIMEOUT)
        kwargs.setdefault("socket_connect_timeout", SOCKET_TIMEOUT)
        return cls(redis.Redis.from_url(url, **kwargs), prefix=prefix)

    def book(self, key: str, interval: float, max_wait: float) -> float:
        # Negative on the wire means "wait as long as it takes"; a spent deadline waits 0.
        limit = max(max_wait, 0.0) if math.isfinite(max_wait) else -1.0
        args = [repr(float(interval)), repr(limit), self._ttl_margin_ms]
        booked, wait = self._book(keys=[self.prefix + key], args=args)
        seconds = float(wait)
        if not int(booked):
            raise SlotTooFar(seconds)
        return seconds

    def __repr__(self) -> str:  # the URL may hold a password: never shown
        return f"RedisSlots(prefix={self.prefix!r})"


@lru_cache(maxsize=8)
def _shared(url: str, prefix: str) -> RedisSlots:
    return RedisSlots.from_url(url, prefix=prefix)


def slots_from_env() -> RedisSlots | None:
    """The store named by ``MEMORIES_RATE_LIMIT_REDIS_URL`` (prefix from
    ``MEMORIES_RATE_LIMIT_PREFIX``), one per URL and prefix in this process; None when unset."""
    url = os.environ.get(REDIS_URL_ENV, "").strip()
    if not url:
        return None
    return _shared(url, os.environ.get(PREFIX_ENV, "").strip() or DEFAULT_PREFIX)
