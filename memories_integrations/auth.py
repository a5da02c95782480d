"""Authentication: the raw API key, or the OAuth2 flow of the v1.0 Authentication API.

OAuth2 (v1.0 pages): after "Authorize" in the console, the API sends
``GET <callback>?code=...&clientId=...&state=MD5(api_key)`` every 10 minutes (a new code expires
the previous one). ``code`` + ``clientId`` are exchanged for an access token and a refresh token;
the access token is refreshed before it expires; when the refresh token expires, a new code is
needed. ``OAuth2Auth`` does all of that as an ``httpx.Auth``, caching tokens.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

import httpx
from pydantic import SecretStr

from . import errors as e
from ._api import auth as auth_api
from ._api._core import Call, run_parser
from ._response import unwrap
from .models import AccessToken

DEFAULT_AUTH_BASE_URL = "https://mavi-backend.memories.ai"
KEY_ENV_VARS = ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY")


def api_key_from_env() -> SecretStr | None:
    for name in KEY_ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            return SecretStr(value)
    return None


class ApiKeyAuth(httpx.Auth):
    """Sends the key as ``Authorization: <key>`` — the raw key, no ``Bearer`` prefix."""

    def __init__(self, api_key: SecretStr | str) -> None:
        self._key = api_key if isinstance(api_key, SecretStr) else SecretStr(api_key)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._key.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key=SecretStr('**********'))"


# ---------------------------------------------------------------- OAuth2 callback verification


@dataclass(frozen=True)
class AuthorizationCode:
    code: SecretStr
    client_id: str


def expected_state(api_key: SecretStr | str) -> str:
    raw = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
    return hashlib.md5(raw.encode()).hexdigest()


def parse_authorization_callback(
    query: Mapping[str, str] | str, api_key: SecretStr | str
) -> AuthorizationCode:
    """Validate the code delivery (a URL or its query mapping): ``state`` must be MD5(api_key)."""
    if isinstance(query, str):
        query = dict(parse_qsl(urlsplit(query).query if "?" in query else query))
    code, client_id, state = query.get("code"), query.get("clientId"), query.get("state")
    if not code or not client_id or not state:
        raise e.AuthenticationError("authorization callback lacks code, clientId or state")
    if not hmac.compare_digest(state.lower(), expected_state(api_key)):
        raise e.AuthenticationError("authorization callback state does not match this API key")
    return AuthorizationCode(SecretStr(code), client_id)


# ---------------------------------------------------------------- token cache


@dataclass
class TokenSet:
    access_token: SecretStr
    expires_at: float
    refresh_token: SecretStr | None = None
    refresh_expires_at: float | None = None

    def access_valid(self, now: float, margin: float) -> bool:
        return now < self.expires_at - margin

    def refresh_valid(self, now: float) -> bool:
        return self.refresh_token is not None and (
            self.refresh_expires_at is None or now < self.refresh_expires_at
        )

    def __repr__(self) -> str:
        return (
            f"TokenSet(expires_at={self.expires_at}, refresh_expires_at={self.refresh_expires_at})"
        )


class TokenStore(Protocol):
    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self._tokens: TokenSet | None = None

    def load(self) -> TokenSet | None:
        return self._tokens

    def save(self, tokens: TokenSet) -> None:
        self._tokens = tokens


class FileTokenStore:
    """Tokens in a JSON file readable by the owner only (0600)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def load(self) -> TokenSet | None:
        try:
            raw = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        refresh = raw.get("refresh_token")
        return TokenSet(
            SecretStr(raw["access_token"]),
            float(raw["expires_at"]),
            SecretStr(refresh) if refresh else None,
            raw.get("refresh_expires_at"),
        )

    def save(self, tokens: TokenSet) -> None:
        data = {
            "access_token": tokens.access_token.get_secret_value(),
            "expires_at": tokens.expires_at,
            "refresh_token": tokens.refresh_token.get_secret_value()
            if tokens.refresh_token
            else None,
            "refresh_expires_at": tokens.refresh_expires_at,
        }
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"


# ---------------------------------------------------------------- the httpx.Auth

TokenFlow = Generator[httpx.Request, httpx.Response, None]


class OAuth2Auth(httpx.Auth):
    """Access-token auth with caching, refresh before expiry and re-authorization.

    ``code_provider`` is called when a new authorization code is needed (first use, or the
    refresh token expired); without one, ``ReauthorizationRequiredError`` is raised. Codes can
    also be pushed with ``set_authorization_code`` by whatever receives the callback.
    The access token is sent in ``Authorization`` (the v1.0 MAVI-API pages), raw like API keys
    unless ``header_prefix`` is set (e.g. "Bearer ").
    """

    def __init__(
        self,
        *,
        client_id: str,
        code: SecretStr | str | None = None,
        code_provider: Callable[[], str | SecretStr | None] | None = None,
        store: TokenStore | None = None,
        auth_base_url: str = DEFAULT_AUTH_BASE_URL,
        refresh_margin: float = 60.0,
        header_prefix: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self._code = SecretStr(code) if isinstance(code, str) else code
        self._code_provider = code_provider
        self._store = store or MemoryTokenStore()
        self._base = httpx.URL(auth_base_url)
        self._margin = refresh_margin
        self._prefix = header_prefix
        self._clock = clock
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"OAuth2Auth(client_id={self.client_id!r}, auth_base_url={str(self._base)!r})"

    def set_authorization_code(self, code: AuthorizationCode | SecretStr | str) -> None:
        if isinstance(code, AuthorizationCode):
            self.client_id, code = code.client_id, code.code
        self._code = SecretStr(code) if isinstance(code, str) else code

    @property
    def tokens(self) -> TokenSet | None:
        return self._store.load()

    # -- the token state machine, shared by the sync and async flows
    def _acquire(self, force: bool) -> TokenFlow:
        now = self._clock()
        tokens = self._store.load()
        if tokens and not force and tokens.access_valid(now, self._margin):
            return
        if tokens and tokens.refresh_valid(now) and tokens.refresh_token is not None:
            call = auth_api.refresh_access_token(tokens.refresh_token.get_secret_value())
            response = yield self._request(call)
            try:
                self._save(self._parse(call, response), previous=tokens)
                return
            except e.AuthenticationError:
                pass  # refresh token rejected: fall through to a new authorization code
        code = self._take_code()
        if code is None:
            raise e.ReauthorizationRequiredError(
                "OAuth2 refresh token expired or missing: a new authorization code is needed "
                "(authorize again in the memories.ai console)",
                endpoint=auth_api.GET_ACCESS_TOKEN.path,
            )
        call = auth_api.get_access_token(code.get_secret_value(), self.client_id)
        response = yield self._request(call)
        self._save(self._parse(call, response), previous=None)

    def _take_code(self) -> SecretStr | None:
        code, self._code = self._code, None  # a code is single-use
        if code is None and self._code_provider is not None:
            fresh = self._code_provider()
            code = SecretStr(fresh) if isinstance(fresh, str) else fresh
        return code

    def _request(self, call: Call[AccessToken]) -> httpx.Request:
        return httpx.Request(
            call.endpoint.method, self._base.join(call.endpoint.path), json=call.json
        )

    def _parse(self, call: Call[AccessToken], response: httpx.Response) -> AccessToken:
        data = unwrap(response, response.content, endpoint=call.endpoint.path)
        return run_parser(call, data)

    def _save(self, token: AccessToken, previous: TokenSet | None) -> None:
        now = self._clock()
        self._store.save(
            TokenSet(
                access_token=token.access_token,
                expires_at=now + (token.expires_in if token.expires_in is not None else 7200),
                refresh_token=token.refresh_token or (previous.refresh_token if previous else None),
                refresh_expires_at=(now + token.refresh_expires_in)
                if token.refresh_expires_in is not None
                else (previous.refresh_expires_at if previous else None),
            )
        )

    def _authorize(self, request: httpx.Request) -> None:
        tokens = self._store.load()
        assert tokens is not None
        request.headers["Authorization"] = self._prefix + tokens.access_token.get_secret_value()

    # -- httpx entry points
    def sync_auth_flow(self, request: httpx.Request) -> TokenFlow:
        for force in (False, True):
            with self._thread_lock:
                flow = self._acquire(force)
                pending = next(flow, None)
                while pending is not None:
                    token_response = yield pending
                    token_response.read()
                    try:
                        pending = flow.send(token_response)
                    except StopIteration:
                        pending = None
            self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        for force in (False, True):
            async with self._async_lock:
                flow = self._acquire(force)
                pending = next(flow, None)
                while pending is not None:
                    token_response = yield pending
                    await token_response.aread()
                    try:
                        pending = flow.send(token_response)
                    except StopIteration:
                        pending = None
            self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return
