"""Text memories: ``POST /serve/api/v1/memories/add`` (platform "add-memory" page, answering
``data: {}``), stored per namespace; list (``POST /serve/api/v1/memories``) and search
(``POST /serve/api/v1/memories/search``).

List and search have no docs page: their path and body ``{unique_id, page, page_size[, query]
[, filters]}`` come from public client code (see ``_endpoints/memories.py``). No answer was
ever printed, so the page shape here is the emulator's own, modelled on list_videos:
``{memories: [...], current_page, page_size, total_count}``, search rows with a ``score``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.corpus import background_texts
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_videos import V1, namespace
from memories_integrations.testing.search import Doc, Ranker
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


def _row(m: TextMemory, score: float | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "memory_id": m.memory_id,
        "role": m.role,
        "content": m.content,
        "tags": list(m.tags),
        "memories_at": m.memories_at,
        "latitude": m.latitude,
        "longitude": m.longitude,
        "create_time": str(m.create_ms),
    }
    if score is not None:
        row["score"] = score
    return row


def _candidates(emu: Emulator, account: str, p: Params) -> list[TextMemory]:
    """The namespace's memories, newest first; ``filters.tags`` keeps those with any tag."""
    filters = p.body.get("filters")
    if filters is not None and not isinstance(filters, dict):
        raise ApiError(PARAM, "filters must be an object")
    wanted = set((filters or {}).get("tags") or [])
    ns = namespace(account, p)
    with emu.store.lock:
        found = [m for m in emu.store.memories if m.ns == ns]
    found = [m for m in found if not wanted or wanted & set(m.tags)]
    return sorted(found, key=lambda m: (m.create_ms, m.memory_id), reverse=True)


def _page(p: Params, rows: list[dict[str, Any]]) -> dict[str, Any]:
    page = p.integer("page", default=1, lo=1, hi=1_000_000)
    size = p.integer("page_size", "size", default=20, lo=1, hi=1000)
    return {
        "memories": rows[(page - 1) * size : page * size],
        "current_page": page,
        "page_size": size,
        "total_count": str(len(rows)),
    }


@api("other")
async def list_memories(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    return ok(_page(p, [_row(m) for m in _candidates(emu, account, p)]))


@api("other")  # the Rate-limits page lists no text-memory interface: 10/s
async def search_memories(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    query = p.req("query")
    by_id = {m.memory_id: m for m in _candidates(emu, account, p)}
    docs = [Doc((m.memory_id, 0), " ".join([m.content, *m.tags])) for m in by_id.values()]
    ranked = Ranker(docs, background_texts()).rank(query)
    return ok(_page(p, [_row(by_id[doc.key[0]], score) for doc, score in ranked]))


routes = [
    Route(f"{V1}/memories/add", add_memory, methods=["POST"]),
    Route(f"{V1}/memories", list_memories, methods=["POST"]),
    Route(f"{V1}/memories/search", search_memories, methods=["POST"]),
]
