"""Which client a framework component uses: one resolver for every adapter.

A component takes a ready ``client`` / ``async_client`` or an ``api_key`` (+ ``base_url``) and
builds the missing clients on first use, so constructing a component never does I/O and never
needs the key twice. The key lives in a ``SecretStr`` only.

One async client is built here and serves every event loop (a second ``asyncio.run``, a
notebook cell, LlamaIndex's own ``asyncio_run``): its transport keeps one httpx pool per running
loop and closes it when that loop ends, so 300 short-lived loops leave no socket open (there is
no per-loop client cache to outlive its loop). It is the twin of the sync client, so both share
one rate limiter and response cache: requests from any loop or thread count against the same
API limits.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from pydantic import SecretStr

from memories_integrations import errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._transport.auth import KEY_ENV_VARS, api_key_from_env

__all__ = ["BASE_URL_ENV", "MISSING_KEY", "ClientResolver", "resolve_key"]

BASE_URL_ENV = "MEMORIES_BASE_URL"
MISSING_KEY = (
    "no memories.ai credentials: pass client=/async_client= or api_key=, or set "
    + " or ".join(KEY_ENV_VARS)
)


def resolve_key(api_key: SecretStr | str | None) -> SecretStr | None:
    """The explicit key, else the first of MEMORIES_API_KEY / MEMORIES_AI_API_KEY that is set."""
    if isinstance(api_key, str):
        api_key = SecretStr(api_key.strip()) if api_key.strip() else None
    return api_key if api_key is not None else api_key_from_env()


class ClientResolver:
    """Hands out a sync and an async client, creating what was not given.

    A given ``async_client`` is always used as is (its owner manages its loop); the one built
    here works in every loop (see the module docstring).
    """

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        unique_id: str | None = None,
        client_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self._client = client
        self._given_async = async_client
        self._api_key = resolve_key(api_key)
        self._base_url = base_url or os.environ.get(BASE_URL_ENV) or None
        self._unique_id = unique_id
        self._client_kwargs = dict(client_kwargs or {})
        if client is None and async_client is None and self._api_key is None:
            # Fail at construction, not at the first query deep inside an agent run.
            raise errors.MissingAPIKeyError(MISSING_KEY)
        self._owned: AsyncMemoriesClient | None = None
        self._lock = threading.Lock()  # two threads' first calls build one client, not two

    def __repr__(self) -> str:
        return f"ClientResolver(base_url={self._base_url!r}, unique_id={self._unique_id!r})"

    @property
    def unique_id(self) -> str:
        """The namespace requests go to: the component's, else the client's, else "default"."""
        if self._unique_id is not None:
            return self._unique_id
        source = self._client or self._given_async
        return source.unique_id if source is not None else "default"

    def _settings(self) -> dict[str, Any]:
        if self._client is None and self._given_async is None:
            assert self._api_key is not None
            kwargs: dict[str, Any] = {"api_key": self._api_key, "base_url": self._base_url}
            if self._unique_id is not None:
                kwargs["unique_id"] = self._unique_id
            return {**kwargs, **self._client_kwargs}
        # A client was given: its twin has the same credentials, settings, limiter and cache.
        template = self._client or self._given_async
        assert template is not None
        settings: dict[str, Any] = template._twin_settings()
        return {**settings, "cache": template.cache}

    def sync(self) -> MemoriesClient:
        if self._client is None:
            self._client = MemoriesClient(**self._settings())
        return self._client

    def async_(self) -> AsyncMemoriesClient:
        if self._given_async is not None:
            return self._given_async
        with self._lock:
            if self._owned is None:
                self._owned = self._new_async()
            return self._owned

    def _new_async(self) -> AsyncMemoriesClient:
        # The twin of the sync client (built now, no I/O): both share one limiter and cache.
        return self.sync().to_async()
