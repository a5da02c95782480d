"""OAuth2 token endpoints (v1.0 Authentication-API pages; host mavi-backend in production)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import RATE_LIMIT_MSG, RATE_LIMITED, ApiError, ok
from memories_integrations.testing.params import Params, api

AUTH = "/auth/api/token"


@api("oauth_token", auth=False)
async def get_access_token(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    client_id, code = p.req("clientId", "client_id"), p.req("code")
    if emu.settings.rate_limits and not emu.limiter.allow(client_id, "oauth_token"):
        raise ApiError(RATE_LIMITED, RATE_LIMIT_MSG)
    return ok(emu.oauth.exchange(client_id, code, emu.store.ids, emu.store.now()))


@api("oauth_token", auth=False)
async def refresh_access_token(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    token = p.req("refreshToken", "refresh_token")
    return ok(emu.oauth.refresh(token, emu.store.ids, emu.store.now()))


routes = [
    Route(f"{AUTH}/getAccessToken", get_access_token, methods=["POST"]),
    Route(f"{AUTH}/refreshAccessToken", refresh_access_token, methods=["POST"]),
]
