"""OAuth2 (v1.0 Authentication API): code callback, token exchange, refresh, re-authorization."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from pydantic import SecretStr

from memories_integrations import MemoriesClient, OAuth2Auth, errors, parse_authorization_callback
from memories_integrations.auth import MemoryTokenStore

from ..conftest import TEST_RETRY, auth_base_url
from .conftest import Api


def _code(memories_server: Any) -> tuple[str, str]:
    """A fresh authorization code and clientId (replay: any value, bodies are scrubbed)."""
    if memories_server is None:
        return "replayed-code", "replayed-client"
    return memories_server.authorize(), memories_server.client_id


def test_callback_state_is_md5_of_the_key() -> None:
    key = "sk-mavi-example"
    state = hashlib.md5(key.encode()).hexdigest()
    got = parse_authorization_callback(
        f"https://app.example.com/oauth?code=abc&clientId=cid&state={state}", key
    )
    assert got.code.get_secret_value() == "abc" and got.client_id == "cid"
    with pytest.raises(errors.AuthenticationError):
        parse_authorization_callback({"code": "abc", "clientId": "cid", "state": "0" * 32}, key)
    with pytest.raises(errors.AuthenticationError):
        parse_authorization_callback({"code": "abc", "state": state}, key)


@pytest.mark.vcr
async def test_token_exchange_and_refresh(api: Api, memories_server: Any) -> None:
    code, client_id = _code(memories_server)
    token = await api.get_access_token(code, client_id)
    assert isinstance(token.access_token, SecretStr)
    assert token.expires_in and token.expires_in > 0
    assert token.refresh_token is not None and token.refresh_expires_in
    refreshed = await api.refresh_access_token(token.refresh_token.get_secret_value())
    assert refreshed.expires_in and refreshed.expires_in > 0
    with pytest.raises(errors.AuthenticationError):
        await api.get_access_token(code, client_id)  # a code is single-use


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


class CountingStore(MemoryTokenStore):
    def __init__(self) -> None:
        super().__init__()
        self.saves = 0

    def save(self, tokens: Any) -> None:
        self.saves += 1
        super().save(tokens)


@pytest.mark.vcr
def test_oauth2_auth_refreshes_and_reauthorizes(
    memories_server: Any, memories_base_url: str
) -> None:
    code, client_id = _code(memories_server)
    clock, store = Clock(), CountingStore()
    provided: list[str] = []

    def provide_once() -> str | None:
        # The first re-authorization gets a new code (fetched only then: a new code expires
        # the previous one); the second finds none.
        if provided:
            return None
        provided.append(_code(memories_server)[0])
        return provided[0]

    auth = OAuth2Auth(
        client_id=client_id,
        code=code,
        code_provider=provide_once,
        store=store,
        auth_base_url=auth_base_url(memories_base_url) or "https://mavi-backend.memories.ai",
        clock=clock,
    )
    with MemoriesClient(auth=auth, base_url=memories_base_url, retry=TEST_RETRY) as client:
        assert client.list_videos().total_count >= 0
        assert store.saves == 1  # code exchanged once, token cached
        client.list_videos()
        assert store.saves == 1
        tokens = store.load()
        assert tokens is not None
        clock.now = tokens.expires_at  # inside the refresh margin
        client.list_videos()
        assert store.saves == 2  # refreshed
        refreshed = store.load()
        assert refreshed is not None and refreshed.refresh_expires_at is not None
        clock.now = refreshed.refresh_expires_at + 1  # refresh token expired: new code needed
        client.list_videos()
        assert store.saves == 3
        clock.now += 10**9
        with pytest.raises(errors.ReauthorizationRequiredError):
            client.list_videos()
    assert "sk-" not in repr(auth) and code not in repr(auth)
