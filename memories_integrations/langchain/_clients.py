"""Credentials as pydantic fields of every LangChain component (the resolution itself, per
event loop, is the shared ``_adapters.clients.ClientResolver``).

A component takes a ready ``client`` / ``async_client`` or an ``api_key`` (+ ``base_url``) and
builds the missing clients on first use, so constructing a component never does I/O and never
needs the key twice. The key lives in a ``SecretStr`` only; clients are excluded from repr and
serialisation.
"""

from __future__ import annotations

from typing import Any

from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from typing_extensions import Self

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools.clients import BASE_URL_ENV, MISSING_KEY, ClientResolver
from memories_integrations._transport.auth import KEY_ENV_VARS

__all__ = ["ClientResolver", "MemoriesClientMixin"]

#: The fields that say where and as whom to connect: shared by a toolkit with its tools.
_CONNECTION_FIELDS = ("client", "async_client", "api_key", "base_url", "unique_id")


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
    base_url: str | None = Field(default_factory=from_env(BASE_URL_ENV, default=None))
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
            raise ValueError(MISSING_KEY)
        return self

    def _client_kwargs(self) -> dict[str, Any]:
        """Constructor arguments that let another component share these credentials."""
        return {name: getattr(self, name) for name in _CONNECTION_FIELDS}
