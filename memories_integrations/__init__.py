"""memories.ai video memory: a typed client, plus LangChain and LlamaIndex adapters.

The core imports neither framework: adapters live in ``memories_integrations.langchain`` and
``memories_integrations.llama_index``, the local emulator in ``memories_integrations.testing``.
"""

from . import errors, models
from ._async_client import AsyncMemoriesClient
from ._base_client import DEFAULT_BASE_URL
from ._client import MemoriesClient
from ._retry import DOCUMENTED_QPS, RateLimiter, RetryPolicy
from ._version import __version__
from .auth import ApiKeyAuth, FileTokenStore, OAuth2Auth, parse_authorization_callback
from .errors import MemoriesError
from .models import ChatResponse, SearchHit, VideoStatus

__all__ = [
    "DEFAULT_BASE_URL",
    "DOCUMENTED_QPS",
    "ApiKeyAuth",
    "AsyncMemoriesClient",
    "ChatResponse",
    "FileTokenStore",
    "MemoriesClient",
    "MemoriesError",
    "OAuth2Auth",
    "RateLimiter",
    "RetryPolicy",
    "SearchHit",
    "VideoStatus",
    "__version__",
    "errors",
    "models",
    "parse_authorization_callback",
]
