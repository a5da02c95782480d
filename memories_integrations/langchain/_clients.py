"""Client construction shared by every LangChain component.

A component takes a ready ``client`` / ``async_client`` or an ``api_key`` (+ ``base_url``) and
builds the missing clients on first use, so constructing a component never does I/O and never
needs the key twice. The key lives in a ``SecretStr`` only; clients are excluded from repr and
serialisation.
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from typing_extensions import Self

from .._async_client import AsyncMemoriesClient
from .._client import MemoriesClient
from ..auth import KEY_ENV_VARS

__all__ = ["ClientResolver", "MemoriesClientMixin"]

_MISSING_KEY = (
    "no memories.ai credentials: pass client=/async_client= or api_key=, or set "
    + " or ".join(KEY_ENV_VARS)
)


class ClientResolver:
    """Hands out a sync and an async client, creating what was not given.

    An async client created here is tied to the event loop it first ran in (httpx pools hold
    loop-bound connections), so a new one is made when called from a different loop.
    """

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | None = None,
        base_url: str | None = None,
        unique_id: str | None = None,
    ) -> None:
        if client is None and async_client is None and api_key is None:
            raise ValueError(_MISSING_KEY)
        self._client = client
        self._given_async = async_client
        self._api_key = api_key
        self._base_url = base_url
        self._unique_id = unique_id
        self._owned_async: AsyncMemoriesClient | None = None
        self._owned_loop: asyncio.AbstractEventLoop | None = None

    def __repr__(self) -> str:
        return f"ClientResolver(base_url={self._base_url!r}, unique_id={self._unique_id!r})"

    @property
    def unique_id(self) -> str:
        """The namespace requests go to: the component's, else the client's."""
        if self._unique_id is not None:
            return self._unique_id
        source = self._client or self._given_async
        return source.unique_id if source is not None else "default"

    def _settings(self, template: Any) -> dict[str, Any]:
        if self._api_key is not None:
            kwargs: dict[str, Any] = {"api_key": self._api_key, "base_url": self._base_url}
            if self._unique_id is not None:
                kwargs["unique_id"] = self._unique_id
            return kwargs
        # Only the other kind of client was given: its twin has the same credentials.
        settings: dict[str, Any] = template._twin_settings()
        return settings

    def sync(self) -> MemoriesClient:
        if self._client is None:
            self._client = MemoriesClient(**self._settings(self._given_async))
        return self._client

    def async_(self) -> AsyncMemoriesClient:
        if self._given_async is not None:
            return self._given_async
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if self._owned_async is None or (loop is not None and loop is not self._owned_loop):
            self._owned_async = AsyncMemoriesClient(**self._settings(self._client))
            self._owned_loop = loop
        return self._owned_async


class MemoriesClientMixin(BaseModel):
    """Pydantic fields for credentials, mixed into retrievers, tools and the toolkit."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: MemoriesClient | None = Field(default=None, exclude=True, repr=False)
    """Ready synchronous client (takes precedence over ``api_key``)."""
    async_client: AsyncMemoriesClient | None = Field(default=None, exclude=True, repr=False)
    """Ready asynchronous client, used by ``ainvoke`` / ``arun``."""
    api_key: SecretStr | None = Field(
        default_factory=secret_from_env(list(KEY_ENV_VARS), default=None)
    )
    """memories.ai API key; defaults to MEMORIES_API_KEY, then MEMORIES_AI_API_KEY."""
    base_url: str | None = Field(default_factory=from_env("MEMORIES_BASE_URL", default=None))
    """API base URL (default https://api.memories.ai)."""
    unique_id: str | None = None
    """Namespace of the library (the API's ``unique_id``); default: the client's, "default"."""

    _resolver: ClientResolver | None = PrivateAttr(default=None)

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "MEMORIES_API_KEY"}

    def _clients(self) -> ClientResolver:
        if self._resolver is None:
            self._resolver = ClientResolver(
                client=self.client,
                async_client=self.async_client,
                api_key=self.api_key,
                base_url=self.base_url,
                unique_id=self.unique_id,
            )
        return self._resolver

    @model_validator(mode="after")
    def _require_credentials(self) -> Self:
        # Fail at construction, not at the first query deep inside an agent run.
        if self.client is None and self.async_client is None and self.api_key is None:
            raise ValueError(_MISSING_KEY)
        return self

    def _client_kwargs(self) -> dict[str, Any]:
        """Constructor arguments that let another component share these credentials."""
        return {
            "client": self.client,
            "async_client": self.async_client,
            "api_key": self.api_key,
            "base_url": self.base_url,
            "unique_id": self.unique_id,
        }
