"""The emulator's own admin API under ``/_emulator/`` (plain JSON, no auth, never faulted)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from memories_integrations.testing.config import AccountStatus
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.faults import FaultRule
from memories_integrations.testing.oauth import client_id_for, state_for

ADMIN = "/_emulator"
_ACCOUNT_STATES = ("ok", "disabled", "no_credits", "no_permission")


def _emu(request: Request) -> Emulator:
    emu: Emulator = request.app.state.emulator
    return emu


async def _json(request: Request) -> Any:
    data = await request.body()
    return json.loads(data) if data.strip() else {}


def _bad(msg: str) -> JSONResponse:
    return JSONResponse({"error": msg}, status_code=400)


async def authorize(emu: Emulator, api_key: str, callback_url: str | None) -> dict[str, Any]:
    """Issue an OAuth code and deliver it as ``GET callback?code&clientId&state`` (v1.0)."""
    code = emu.oauth.new_code(api_key, emu.store.ids, emu.store.now())
    params = {"code": code, "clientId": client_id_for(api_key), "state": state_for(api_key)}
    delivered = await emu.lifecycle.get(callback_url, params) if callback_url else False
    return {**params, "delivered": delivered}


async def faults(request: Request) -> Response:
    emu = _emu(request)
    if request.method == "GET":
        return JSONResponse([r.model_dump() for r in emu.faults.list()])
    if request.method == "DELETE":
        emu.faults.clear()
        return JSONResponse({"cleared": True})
    try:
        body = await _json(request)
        rules = [
            emu.faults.add(FaultRule.model_validate(r))
            for r in (body if isinstance(body, list) else [body])
        ]
    except (ValueError, ValidationError) as exc:
        return _bad(str(exc))
    return JSONResponse({"ids": [r.id for r in rules], "rules": [r.model_dump() for r in rules]})


async def fault_item(request: Request) -> Response:
    removed = _emu(request).faults.remove(request.path_params["rule_id"])
    return JSONResponse({"removed": removed}, status_code=200 if removed else 404)


async def requests_log(request: Request) -> Response:
    emu = _emu(request)
    if request.method == "DELETE":
        emu.request_log.clear()
        return JSONResponse({"cleared": True})
    path = request.query_params.get("path")
    entries = [e.model_dump() for e in emu.request_log.entries() if not path or e.path == path]
    return JSONResponse(entries)


async def reset(request: Request) -> Response:
    emu = _emu(request)
    await emu.lifecycle.cancel_jobs()
    emu.reset()
    return JSONResponse({"reset": True})


async def oauth_authorize(request: Request) -> Response:
    emu = _emu(request)
    body = await _json(request)
    api_key = body.get("api_key") or emu.config.api_key
    if api_key not in emu.accounts:
        return _bad(f"unknown api_key: {api_key}")
    return JSONResponse(await authorize(emu, api_key, body.get("callback_url")))


async def settings(request: Request) -> Response:
    emu = _emu(request)
    if request.method == "POST":
        body = await _json(request)
        table = body.pop("rate_limit_table", None) if isinstance(body, dict) else None
        if table is not None:
            # {"upload": [5, 1.0]}: requests per window seconds, over the current page's table.
            try:
                emu.limiter.limits.update(
                    {str(k): (int(v[0]), float(v[1])) for k, v in dict(table).items()}
                )
            except (TypeError, ValueError, IndexError, KeyError):
                return _bad("rate_limit_table maps an interface to [requests, window seconds]")
        for key, value in body.items():
            if not hasattr(emu.settings, key):
                return _bad(f"unknown setting: {key}")
            current = getattr(emu.settings, key)
            # JSON types only, no casting: bool("false") would be True.
            fits = (
                isinstance(value, bool)
                if isinstance(current, bool)
                else isinstance(value, (int, float)) and not isinstance(value, bool)
                if isinstance(current, (int, float))
                else isinstance(value, type(current))
            )
            if not fits:
                return _bad(f"setting {key} takes a {type(current).__name__}, got {value!r}")
            setattr(emu.settings, key, type(current)(value))
    return JSONResponse({**vars(emu.settings), "rate_limit_table": emu.limiter.limits})


async def accounts(request: Request) -> Response:
    emu = _emu(request)
    if request.method == "POST":
        body = await _json(request)
        status: AccountStatus = body.get("status", "ok")
        if status not in _ACCOUNT_STATES:
            return _bad(f"status must be one of {_ACCOUNT_STATES}")
        emu.accounts[str(body["api_key"])] = status
    return JSONResponse(
        {k: {"status": v, "clientId": client_id_for(k)} for k, v in emu.accounts.items()}
    )


async def complete(request: Request) -> Response:
    await _emu(request).lifecycle.complete_all()
    return JSONResponse({"completed": True})


async def callbacks(request: Request) -> Response:
    return JSONResponse(list(_emu(request).lifecycle.callback_log))


async def clock(request: Request) -> Response:
    emu = _emu(request)
    body = await _json(request)
    emu.store.clock_offset += float(body.get("advance", 0))
    return JSONResponse({"now": emu.store.now(), "offset": emu.store.clock_offset})


async def health(request: Request) -> Response:
    emu = _emu(request)
    return JSONResponse({"ok": True, "api_key": emu.config.api_key, "settings": vars(emu.settings)})


routes = [
    Route(f"{ADMIN}/faults", faults, methods=["GET", "POST", "DELETE"]),
    Route(f"{ADMIN}/faults/{{rule_id}}", fault_item, methods=["DELETE"]),
    Route(f"{ADMIN}/requests", requests_log, methods=["GET", "DELETE"]),
    Route(f"{ADMIN}/reset", reset, methods=["POST"]),
    Route(f"{ADMIN}/oauth/authorize", oauth_authorize, methods=["POST"]),
    Route(f"{ADMIN}/settings", settings, methods=["GET", "POST"]),
    Route(f"{ADMIN}/accounts", accounts, methods=["GET", "POST"]),
    Route(f"{ADMIN}/complete", complete, methods=["POST"]),
    Route(f"{ADMIN}/callbacks", callbacks, methods=["GET"]),
    Route(f"{ADMIN}/clock", clock, methods=["POST"]),
    Route(f"{ADMIN}/health", health, methods=["GET"]),
]
