"""Authentication: the raw API key, or the OAuth2 flow of the v1.0 Authentication API.

OAuth2 (v1.0 pages): after "Authorize" in the console, the API sends
``GET <callback>?code=...&clientId=...&state=MD5(api_key)`` every 10 minutes (a new code expires
the previous one). ``code`` + ``clientId`` are exchanged for an access token and a refresh token;
the access token is refreshed before it expires; when the refresh token expires, a new code is
needed. ``OAuth2Auth`` does all of that as an ``httpx.Auth``, caching tokens.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qsl, urlsplit

import httpx

from memories_integrations import _secrets
from memories_integrations import errors as e
from memories_integrations._endpoints import auth as auth_api
from memories_integrations._endpoints.base import Call, run_parser
from memories_integrations._transport.response import normalise_code, unwrap

# Imported where used: asyncio is ~10% of the sync client's import time, pydantic.types (SecretStr)
# and the models ~20% (issue 10).
if TYPE_CHECKING:
    import asyncio

    from pydantic import SecretStr

    from memories_integrations.models import AccessToken

DEFAULT_AUTH_BASE_URL = "https://mavi-backend.memories.ai"
KEY_ENV_VARS = ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY")


def api_key_from_env() -> SecretStr | None:
    from pydantic import SecretStr

    for name in KEY_ENV_VARS:
        value = os.environ.get(name, "").strip()
        if value:
            return SecretStr(value)
    return None


class ApiKeyAuth(httpx.Auth):
    """Sends the key as ``Authorization: <key>`` — the raw key, no ``Bearer`` prefix."""

    def __init__(self, api_key: SecretStr | str) -> None:
        from pydantic import SecretStr

        self._key = api_key if isinstance(api_key, SecretStr) else SecretStr(api_key)
        _secrets.register(self._key.get_secret_value(), owner=self)  # echoed back: scrubbed

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
    from pydantic import SecretStr

    raw = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
    return hashlib.md5(raw.encode()).hexdigest()


def parse_authorization_callback(
    query: Mapping[str, str] | str, api_key: SecretStr | str
) -> AuthorizationCode:
    """Validate the code delivery (a URL or its query mapping): ``state`` must be MD5(api_key)."""
    import hmac  # OAuth2 only: not loaded with the client

    from pydantic import SecretStr

    if isinstance(query, str):
        query = dict(parse_qsl(urlsplit(query).query if "?" in query else query))
    code, client_id, state = query.get("code"), query.get("clientId"), query.get("state")
    if not code or not client_id or not state:
        raise e.InvalidInputError("authorization callback lacks code, clientId or state")
    if not all(isinstance(x, str) for x in (code, client_id, state)) or not state.isascii():
        # compare_digest takes ASCII str only (TypeError otherwise); an MD5 hex digest is ASCII.
        raise e.InvalidInputError(
            "authorization callback state is not an MD5 hex digest", param="state"
        )
    if not hmac.compare_digest(state.lower(), expected_state(api_key)):
        raise e.InvalidInputError(
            "authorization callback state does not match this API key", param="state"
        )
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
    """Tokens in a JSON file readable by the owner only (0600).

    ``load`` returns None when the file does not exist yet and raises ``TokenStoreError`` when
    it cannot be read or does not hold a token set. ``save`` writes a temporary file beside it
    (0600, fsynced) and renames it over the old one, so an interrupted save keeps the previous
    tokens and an existing 0644 file ends 0600.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def load(self) -> TokenSet | None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise e.TokenStoreError(
                f"cannot read the token file {self.path} ({type(exc).__name__})"
            ) from None
        try:
            raw = json.loads(text)
        except (ValueError, RecursionError):
            raise e.TokenStoreError(f"token file {self.path} is not valid JSON") from None
        return self._token_set(raw)

    def _token_set(self, raw: object) -> TokenSet:
        from pydantic import SecretStr

        # Messages name the bad field, never its value (it may be a token).
        def bad(what: str) -> e.TokenStoreError:
            return e.TokenStoreError(f"token file {self.path} does not hold a token set: {what}")

        if not isinstance(raw, dict):
            raise bad(f"expected a JSON object, got {type(raw).__name__}")
        access, refresh = raw.get("access_token"), raw.get("refresh_token")
        if not isinstance(access, str) or not access:
            raise bad("access_token is missing or not a string")
        if refresh is not None and not isinstance(refresh, str):
            raise bad("refresh_token is not a string")
        expires_at = _time_field(raw.get("expires_at"))
        if expires_at is None:
            raise bad("expires_at is missing or not a finite number")
        refresh_expires = raw.get("refresh_expires_at")
        refresh_expires_at = _time_field(refresh_expires)
        if refresh_expires is not None and refresh_expires_at is None:
            raise bad("refresh_expires_at is not a finite number")
        return TokenSet(
            SecretStr(access),
            expires_at,
            SecretStr(refresh) if refresh else None,
            refresh_expires_at,
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
        # Never truncate the live file: a kill mid-write would lose the tokens.
        fd, tmp = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            os.fchmod(fd, 0o600)  # mkstemp already uses 0600; be explicit whatever the umask
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(self.path.parent)

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"


def _time_field(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); not possible (nor needed) on every platform."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
        from pydantic import SecretStr

        self.client_id = client_id
        self._code = SecretStr(code) if isinstance(code, str) else code
        self._code_provider = code_provider
        self._store = store or MemoryTokenStore()
        self._base = httpx.URL(auth_base_url)
        self._margin = refresh_margin
        self._prefix = header_prefix
        self._clock = clock
        self._thread_lock = threading.Lock()
        # One asyncio.Lock per event loop: a lock is bound to the loop it first waited in, so a
        # single shared one breaks the second asyncio.run().
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._locks_guard = threading.Lock()

    def __repr__(self) -> str:
        return f"OAuth2Auth(client_id={self.client_id!r}, auth_base_url={str(self._base)!r})"

    def set_authorization_code(self, code: AuthorizationCode | SecretStr | str) -> None:
        from pydantic import SecretStr

        if isinstance(code, AuthorizationCode):
            self.client_id, code = code.client_id, code.code
        self._code = SecretStr(code) if isinstance(code, str) else code

    @property
    def tokens(self) -> TokenSet | None:
        return self._store.load()

    # -- the token state machine, shared by the sync and async flows
    def _acquire(self, rejected: str | None) -> TokenFlow:
        """Make the stored access token usable. ``rejected``: the token the API just refused;
        a new one is fetched only if the store still holds it (so 20 requests refused together
        send one refresh: the others find the token the first one fetched)."""
        now = self._clock()
        tokens = self._store.load()
        stale = tokens is not None and tokens.access_token.get_secret_value() == rejected
        if tokens and not stale and tokens.access_valid(now, self._margin):
            return
        if tokens and tokens.refresh_valid(now) and tokens.refresh_token is not None:
            call = auth_api.refresh_access_token(tokens.refresh_token.get_secret_value())
            response = yield self._request(call)
            try:
                self._save(self._parse(call, response), previous=tokens)
                return
            except e.AuthenticationError:
                pass  # refresh token rejected: fall through to a new authorization code
        code = self._next_code()
        if code is None:
            raise e.ReauthorizationRequiredError(
                "OAuth2 refresh token expired or missing: a new authorization code is needed "
                "(authorize again in the memories.ai console)",
                endpoint=auth_api.GET_ACCESS_TOKEN.path,
            )
        call = auth_api.get_access_token(code.get_secret_value(), self.client_id)
        response = yield self._request(call)
        try:
            token = self._parse(call, response)
        except e.MemoriesError as exc:
            if _answered(response, exc):
                self._drop_code(code)
            else:  # the server never judged the code (503, 429, a proxy's page): keep it
                exc.message += "; the authorization code was not used and is kept for a retry"
                exc.args = (exc._render(),)
            raise
        self._drop_code(code)
        self._save(token, previous=None)

    def _next_code(self) -> SecretStr | None:
        """The pending code, kept until an exchange got the server's answer (codes are
        single-use, but a 503 or a dropped connection did not use it)."""
        from pydantic import SecretStr

        if self._code is None and self._code_provider is not None:
            fresh = self._code_provider()
            self._code = SecretStr(fresh) if isinstance(fresh, str) else fresh
        return self._code

    def _drop_code(self, code: SecretStr) -> None:
        if self._code is code:  # not a newer one pushed by set_authorization_code meanwhile
            self._code = None

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

    def _authorize(self, request: httpx.Request) -> str:
        """Put the access token on ``request``; returns the token used."""
        tokens = self._store.load()
        assert tokens is not None
        token = tokens.access_token.get_secret_value()
        _secrets.register(token)  # echoed back, it is scrubbed like the key (kept: tokens rotate)
        request.headers["Authorization"] = self._prefix + token
        return token

    def _async_lock(self) -> asyncio.Lock:
        import asyncio  # only async clients get here, and they have imported it already

        loop = asyncio.get_running_loop()
        with self._locks_guard:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock

    # -- httpx entry points
    def sync_auth_flow(self, request: httpx.Request) -> TokenFlow:
        rejected: str | None = None
        for attempt in range(2):
            with self._thread_lock:
                flow = self._acquire(rejected)
                pending = next(flow, None)
                while pending is not None:
                    token_response = yield pending
                    token_response.read()
                    try:
                        pending = flow.send(token_response)
                    except StopIteration:
                        pending = None
            used = self._authorize(request)
            response = yield request
            if _may_be_envelope(response):
                _rewind(response, response.read())
            if attempt or not _token_refused(response):
                return
            rejected = used  # refresh once (unless another request already did) and retry

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        rejected: str | None = None
        for attempt in range(2):
            async with self._async_lock():
                flow = self._acquire(rejected)
                pending = next(flow, None)
                while pending is not None:
                    token_response = yield pending
                    await token_response.aread()
                    try:
                        pending = flow.send(token_response)
                    except StopIteration:
                        pending = None
            used = self._authorize(request)
            response = yield request
            if _may_be_envelope(response):
                _rewind(response, await response.aread())
            if attempt or not _token_refused(response):
                return
            rejected = used


# An auth-failure envelope is tiny; only such bodies are read here (a stream or a large
# result is left to the caller, whose size limits apply).
_ENVELOPE_PEEK_BYTES = 64 * 1024


def _may_be_envelope(response: httpx.Response) -> bool:
    length = response.headers.get("content-length", "")
    return (
        response.status_code == 200
        and "json" in response.headers.get("content-type", "")
        and response.headers.get("content-encoding", "identity") in ("", "identity")
        and length.isdigit()
        and int(length) <= _ENVELOPE_PEEK_BYTES
    )


def _rewind(response: httpx.Response, body: bytes) -> None:
    """Let the client read the peeked body again, raw (it reads chunk by chunk under its own
    limits): serve the same bytes from memory. Only identity-encoded bodies are peeked, so the
    raw bytes are the decoded ones."""
    response.stream = httpx.ByteStream(body)
    response.is_stream_consumed = False
    response.is_closed = False


def _token_refused(response: httpx.Response) -> bool:
    """HTTP 401, or an HTTP 200 whose envelope says code 0401 (a revoked token, clock skew)."""
    if response.status_code == 401:
        return True
    if not _may_be_envelope(response):
        return False
    try:
        payload = json.loads(response.content)
    except (ValueError, RecursionError):
        return False
    return isinstance(payload, dict) and normalise_code(payload.get("code", "")) == "0401"


def _answered(response: httpx.Response, error: e.MemoriesError) -> bool:
    """Did the token server judge the code? Not on 5xx, 429 or a body without an envelope."""
    status = response.status_code
    return status < 500 and status != 429 and not isinstance(error, e.ResponseParseError)
