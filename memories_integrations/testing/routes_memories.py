"""Text memories: ``POST /serve/api/v1/memories/add`` (platform "add-memory" page, answering
``data: {}``), stored per namespace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_videos import V1, namespace
from memories_integrations.testing.store import TextMemory


def _memory_items(p: Params) -> list[tuple[str, str]]:
    items = p.body.get("memories")
    if not isinstance(items, list) or not items:
        raise ApiError(PARAM, "memories must be a non-empty list of {role, content}")
    out = []
    for item in items:
        role = item.get("role") if isinstance(item, dict) else None
        content = item.get("content") if isinstance(item, dict) else None
        if not isinstance(role, str) or not role.strip():
            raise ApiError(PARAM, "each memory needs a role")
        if not isinstance(content, str) or not content.strip():
            raise ApiError(PARAM, "each memory needs a content")
        out.append((role, content))
    return out


def _coordinate(p: Params, name: str, bound: float) -> str | None:
    value = p.body.get(name)
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ApiError(PARAM, f"{name} must be a number") from None
    if not -bound <= number <= bound:
        raise ApiError(PARAM, f"{name} must be between -{bound:g} and {bound:g}")
    return str(value)


def _moment(p: Params) -> str | None:
    value = p.body.get("memories_at")
    if value is None:
        return None
    text = str(value).strip()
    try:
        # ISO 8601 (the page); Python 3.10 reads no trailing "Z".
        datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ApiError(PARAM, "memories_at must be an ISO 8601 date-time") from None
    return text


@api("other")
async def add_memory(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    items = _memory_items(p)
    lat, lon = _coordinate(p, "latitude", 90), _coordinate(p, "longitude", 180)
    when, tags = _moment(p), p.many("tags")
    ns = namespace(account, p)
    with emu.store.lock:
        for role, content in items:
            memory = TextMemory(
                emu.store.ids.memory(), ns, role, content, when, emu.store.now_ms(), tags, lat, lon
            )
            emu.store.memories.append(memory)
    empty: dict[str, Any] = {}
    return ok(empty)


routes = [
    Route(f"{V1}/memories/add", add_memory, methods=["POST"]),
]
