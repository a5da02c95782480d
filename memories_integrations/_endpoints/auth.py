"""OAuth2 token endpoints (v1.0 Authentication API, host mavi-backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, model

if TYPE_CHECKING:  # models load on first use, not with the client (issue 10)
    from memories_integrations.models import AccessToken

GET_ACCESS_TOKEN = Endpoint(
    "getAccessToken", "POST", "/auth/api/token/getAccessToken", idempotent=False, host="auth"
)
REFRESH_ACCESS_TOKEN = Endpoint(
    "refreshAccessToken", "POST", "/auth/api/token/refreshAccessToken", host="auth"
)


def get_access_token(code: str, client_id: str) -> Call[AccessToken]:
    from memories_integrations.models import AccessToken

    ep = GET_ACCESS_TOKEN.path
    body = {
        "clientId": v.text(client_id, param="client_id", endpoint=ep),
        "code": v.text(code, param="code", endpoint=ep),
    }
    return Call(GET_ACCESS_TOKEN, model(AccessToken), json=body)


def refresh_access_token(refresh_token: str) -> Call[AccessToken]:
    from memories_integrations.models import AccessToken

    ep = REFRESH_ACCESS_TOKEN.path
    body = {"refreshToken": v.text(refresh_token, param="refresh_token", endpoint=ep)}
    return Call(REFRESH_ACCESS_TOKEN, model(AccessToken), json=body)
