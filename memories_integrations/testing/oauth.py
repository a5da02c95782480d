"""OAuth2 authorization codes and tokens (v1.0 Authentication-API pages)."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from memories_integrations.testing.envelope import UNAUTHORIZED, ApiError
from memories_integrations.testing.store import Ids


def client_id_for(api_key: str) -> str:
    """Deterministic client id of an account (hex, like the docs' examples)."""
    return hashlib.sha256(f"memories-emulator-client:{api_key}".encode()).hexdigest()[:32]


def state_for(api_key: str) -> str:
    """The ``state`` sent with a code: MD5 hex of the API key (v1.0 docs)."""
    return hashlib.md5(api_key.encode()).hexdigest()


@dataclass
class _Grant:
    api_key: str
    expires: float


class OAuth:
    def __init__(self, access_ttl: int, refresh_ttl: int, code_ttl: int) -> None:
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self.code_ttl = code_ttl
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._codes: dict[str, _Grant] = {}
            self._latest_code: dict[str, str] = {}
            self._access: dict[str, _Grant] = {}
            self._refresh: dict[str, _Grant] = {}

    def new_code(self, api_key: str, ids: Ids, now: float) -> str:
        """Issue a code; the account's previous code stops working (v1.0 docs)."""
        code = ids.token("oauth-code")
        with self._lock:
            old = self._latest_code.get(api_key)
            if old:
                self._codes.pop(old, None)
            self._codes[code] = _Grant(api_key, now + self.code_ttl)
            self._latest_code[api_key] = code
        return code

    def exchange(self, client_id: str, code: str, ids: Ids, now: float) -> dict[str, object]:
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is None or grant.expires <= now or client_id_for(grant.api_key) != client_id:
                raise ApiError(UNAUTHORIZED, "Invalid or expired authorization code")
            self._latest_code.pop(grant.api_key, None)
            access, refresh = ids.token("oauth-access"), ids.token("oauth-refresh")
            self._access[access] = _Grant(grant.api_key, now + self.access_ttl)
            self._refresh[refresh] = _Grant(grant.api_key, now + self.refresh_ttl)
        return {
            "accessToken": access,
            "type": "Bearer",
            "expiresIn": self.access_ttl,
            "refreshToken": refresh,
            "refreshExpiresIn": self.refresh_ttl,
        }

    def refresh(self, refresh_token: str, ids: Ids, now: float) -> dict[str, object]:
        with self._lock:
            grant = self._refresh.get(refresh_token)
            if grant is None or grant.expires <= now:
                raise ApiError(UNAUTHORIZED, "Invalid or expired refresh token")
            access = ids.token("oauth-access")
            self._access[access] = _Grant(grant.api_key, now + self.access_ttl)
        return {"accessToken": access, "expiresIn": self.access_ttl, "type": "Bearer"}

    def account_for(self, token: str, now: float) -> str | None:
        """API key behind an access token; raises 0401 for an expired one."""
        with self._lock:
            grant = self._access.get(token)
        if grant is None:
            return None
        if grant.expires <= now:
            raise ApiError(UNAUTHORIZED, "Access token expired")
        return grant.api_key
