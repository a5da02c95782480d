"""Lazy sync/async client construction shared by the LlamaIndex components.

Components accept a ready ``client`` / ``async_client`` or an ``api_key`` (+ ``base_url``).
Clients are built on first use so a component can be created (and serialised) without
touching the network, and a sync-only program never opens an async connection pool.
"""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from .. import errors
from .._async_client import AsyncMemoriesClient
from .._client import MemoriesClient
from ..auth import KEY_ENV_VARS, api_key_from_env


def resolve_key(api_key: SecretStr | str | None) -> SecretStr | None:
    """The explicit key, else the first of MEMORIES_API_KEY / MEMORIES_AI_API_KEY that is set."""
    if isinstance(api_key, str):
        api_key = SecretStr(api_key.strip()) if api_key.strip() else None
    return api_key if api_key is not None else api_key_from_env()


class ClientProvider:
    """Holds the configuration and the (lazily created) clients of one component."""

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        client_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self._client = client
        self._async_client = async_client
        self._key = resolve_key(api_key)
        self.base_url = base_url
        self._client_kwargs = dict(client_kwargs or {})
        if client is None and async_client is None and self._key is None:
            # Fail at construction, not at the first query deep inside an index or agent.
            raise errors.MissingAPIKeyError(
                "no memories.ai API key: pass client=..., async_client=..., api_key=... or set "
                f"the {' or '.join(KEY_ENV_VARS)} environment variable"
            )

    def __repr__(self) -> str:
        return f"ClientProvider(base_url={self.base_url!r})"

    def _settings(self, twin: MemoriesClient | AsyncMemoriesClient | None) -> dict[str, Any]:
        if self._key is not None:
            kwargs: dict[str, Any] = {"api_key": self._key, "base_url": self.base_url}
        else:
            # Only the other client was given: its twin has the same credentials and settings.
            assert twin is not None
            kwargs = twin._twin_settings()
        return {**kwargs, **self._client_kwargs}

    @property
    def sync(self) -> MemoriesClient:
        if self._client is None:
            self._client = MemoriesClient(**self._settings(self._async_client))
        return self._client

    @property
    def async_(self) -> AsyncMemoriesClient:
        if self._async_client is None:
            self._async_client = AsyncMemoriesClient(**self._settings(self._client))
        return self._async_client

    def default_unique_id(self) -> str:
        """Namespace used when a component is not given one: the client's own."""
        given = self._client or self._async_client
        return given.unique_id if given is not None else "default"
