"""memories.ai video memory: a typed client, plus LangChain and LlamaIndex adapters.

The core imports neither framework: adapters live in ``memories_integrations.langchain`` and
``memories_integrations.llama_index``, the local emulator in ``memories_integrations.testing``.

Exports are resolved lazily (PEP 562): a bare ``import memories_integrations`` loads neither
httpx nor pydantic, so tools that only need the version or one submodule start fast. The
``TYPE_CHECKING`` block below lets type checkers and IDEs see every name as a normal import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from memories_integrations._version import __version__

if TYPE_CHECKING:
    from memories_integrations import errors, models
    from memories_integrations._client._async.client import AsyncMemoriesClient
    from memories_integrations._client._sync.client import MemoriesClient
    from memories_integrations._transport._async.stream import AsyncStream
    from memories_integrations._transport._sync.stream import Stream
    from memories_integrations._transport.auth import (
        ApiKeyAuth,
        FileTokenStore,
        OAuth2Auth,
        parse_authorization_callback,
    )
    from memories_integrations._transport.base import DEFAULT_BASE_URL
    from memories_integrations._transport.raw import RawResponse
    from memories_integrations._transport.redis_slots import RedisSlots
    from memories_integrations._transport.retry import (
        CURRENT_RATE_LIMITS,
        DOCUMENTED_QPS,
        Rate,
        RateLimiter,
        RetryPolicy,
    )
    from memories_integrations.callbacks import CallbackReceiver
    from memories_integrations.errors import MemoriesError
    from memories_integrations.models import ChatResponse, SearchHit, VideoStatus

__all__ = [
    "CURRENT_RATE_LIMITS",
    "DEFAULT_BASE_URL",
    "DOCUMENTED_QPS",
    "ApiKeyAuth",
    "AsyncMemoriesClient",
    "AsyncStream",
    "CallbackReceiver",
    "ChatResponse",
    "FileTokenStore",
    "MemoriesClient",
    "MemoriesError",
    "OAuth2Auth",
    "Rate",
    "RateLimiter",
    "RawResponse",
    "RedisSlots",
    "ResponseCache",
    "RetryPolicy",
    "SearchHit",
    "Stream",
    "VideoStatus",
    "__version__",
    "errors",
    "models",
    "parse_authorization_callback",
]

# Exported name -> submodule defining it (None: the name is the submodule itself).
_WHERE: dict[str, str | None] = {
    "AsyncStream": "_transport._async.stream",
    "Stream": "_transport._sync.stream",
    "RawResponse": "_transport.raw",
    "CURRENT_RATE_LIMITS": "_transport.retry",
    "DEFAULT_BASE_URL": "_transport.base",
    "DOCUMENTED_QPS": "_transport.retry",
    "ApiKeyAuth": "auth",
    "AsyncMemoriesClient": "_client._async.client",
    "CallbackReceiver": "callbacks",
    "ChatResponse": "models",
    "FileTokenStore": "auth",
    "MemoriesClient": "_client._sync.client",
    "MemoriesError": "errors",
    "OAuth2Auth": "auth",
    "Rate": "_transport.retry",
    "RateLimiter": "_transport.retry",
    "RedisSlots": "_transport.redis_slots",
    "ResponseCache": "cache",
    "RetryPolicy": "_transport.retry",
    "SearchHit": "models",
    "VideoStatus": "models",
    "errors": None,
    "models": None,
    "parse_authorization_callback": "auth",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name, "")
    if where == "":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{where or name}", __name__)
    value = module if where is None else getattr(module, name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
