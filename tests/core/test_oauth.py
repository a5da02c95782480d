"""OAuth2 (v1.0 Authentication API): code callback, token exchange, refresh, re-authorization."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from memories_integrations import (
    AsyncMemoriesClient,
    MemoriesClient,
    OAuth2Auth,
    RetryPolicy,
    errors,
    parse_authorization_callback,
)
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
    with pytest.raises(errors.InvalidInputError):  # checked locally: no server answered
        parse_authorization_callback({"code": "abc", "clientId": "cid", "state": "0" * 32}, key)
    with pytest.raises(errors.InvalidInputError):
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


# ---------------------------------------------------------------- hardening (issue 12)
# A scripted token server behind httpx.MockTransport: no cassette, every answer chosen here.


class TokenServer:
    """getAccessToken / refreshAccessToken / list_videos, with answers a test can script."""

    def __init__(self) -> None:
        self.exchanges: list[str] = []  # codes sent to getAccessToken
        self.refreshes = 0
        self.exchange_statuses: list[int] = []  # popped per exchange; empty = 200
        self.valid: set[str] = set()
        self.refuse_in_200: set[str] = set()  # tokens answered HTTP 200 + code 0401
        self.refuse_all_in_200 = False
        self.issued = 0
        self.lock = threading.Lock()

    def _token(self) -> dict[str, Any]:
        with self.lock:
            self.issued += 1
            token = f"access-{self.issued}"
            self.valid.add(token)
        return {"accessToken": token, "expiresIn": 3600, "refreshToken": f"refresh-{self.issued}"}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/getAccessToken"):
            self.exchanges.append(json.loads(request.content)["code"])
            if self.exchange_statuses and (status := self.exchange_statuses.pop(0)) != 200:
                return httpx.Response(status, text="<html>upstream unavailable</html>")
            return httpx.Response(200, json={"code": "0000", "data": self._token()})
        if path.endswith("/refreshAccessToken"):
            with self.lock:
                self.refreshes += 1
            time.sleep(0.02)  # long enough for the other threads to pile up on the lock
            return httpx.Response(200, json={"code": "0000", "data": self._token()})
        token = request.headers.get("Authorization", "")
        if token in self.refuse_in_200 or self.refuse_all_in_200:
            return httpx.Response(200, json={"code": "0401", "msg": "token revoked"})
        if token not in self.valid:
            return httpx.Response(401, json={"code": "0401", "msg": "invalid token"})
        return httpx.Response(200, json={"code": "0000", "data": {"videos": [], "total": 0}})


def _client(server: TokenServer, auth: OAuth2Auth, **kwargs: Any) -> MemoriesClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return MemoriesClient(auth=auth, base_url="https://api.test", http_client=http, **kwargs)


def _auth(server: TokenServer, **kwargs: Any) -> OAuth2Auth:
    return OAuth2Auth(client_id="cid", auth_base_url="https://auth.test", **kwargs)


def test_code_survives_a_503_on_the_exchange() -> None:
    server = TokenServer()
    server.exchange_statuses = [503]
    auth = _auth(server, code="the-code")
    with _client(server, auth, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(errors.ServerError) as info:
            client.list_videos()
        assert "kept" in str(info.value)  # the error says the code is still usable
        assert client.list_videos().total_count == 0  # same code, second exchange succeeds
    assert server.exchanges == ["the-code", "the-code"]


def test_code_is_dropped_once_the_server_answered() -> None:
    server = TokenServer()
    auth = _auth(server, code="the-code")
    with _client(server, auth) as client:
        client.list_videos()
        server.valid.clear()  # token and refresh token now refused...
    auth._store = MemoryTokenStore()  # ...and no tokens: a new code is needed
    with _client(server, auth) as client, pytest.raises(errors.ReauthorizationRequiredError):
        client.list_videos()
    assert server.exchanges == ["the-code"]


def test_token_refused_inside_http_200_is_refreshed_once() -> None:
    server = TokenServer()
    auth = _auth(server, code="c")
    with _client(server, auth) as client:
        client.list_videos()
        server.refuse_in_200.add("access-1")
        assert client.list_videos().total_count == 0
        assert server.refreshes == 1
        server.refuse_all_in_200 = True  # the refreshed token is refused too: no loop
        with pytest.raises(errors.AuthenticationError):
            client.list_videos()
        assert server.refreshes == 2


def test_twenty_threads_refused_together_send_one_refresh() -> None:
    server = TokenServer()
    auth = _auth(server, code="c")
    with _client(server, auth) as client:
        client.list_videos()
        server.valid.discard("access-1")  # revoked: every thread gets a 401
        barrier = threading.Barrier(20)

        def call() -> int:
            barrier.wait()
            return client.list_videos().total_count

        with ThreadPoolExecutor(max_workers=20) as pool:
            assert list(pool.map(lambda _: call(), range(20))) == [0] * 20
    assert server.refreshes == 1


def test_async_auth_works_in_two_event_loops() -> None:
    server = TokenServer()
    clock = Clock()
    auth = _auth(server, code="c", clock=clock)

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)  # the second request waits on the auth lock meanwhile
        return server(request)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
        async with AsyncMemoriesClient(
            auth=auth, base_url="https://api.test", http_client=http
        ) as client:
            await asyncio.gather(client.list_videos(), client.list_videos())
        await http.aclose()

    asyncio.run(run())
    clock.now += 10_000  # expired: the second loop refreshes while holding the lock
    asyncio.run(run())
    assert server.refreshes == 1


def test_non_ascii_state_is_bad_input() -> None:
    with pytest.raises(errors.InvalidInputError) as info:
        parse_authorization_callback({"code": "a", "clientId": "c", "state": "é" * 32}, "key")
    assert info.value.param == "state"
