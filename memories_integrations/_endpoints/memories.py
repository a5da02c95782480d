"""Text memories: add (platform "add-memory" page, ``POST /serve/api/v1/memories/add``), list
and search.

List (``POST /serve/api/v1/memories``) and search (``POST /serve/api/v1/memories/search``) have
no docs page: path, method and body ``{unique_id, page, page_size[, query][, filters]}`` are
those of public client code (a JavaScript ``MemoriesClient.listMemories`` / ``searchMemories``
and a Python ``memories_api.py`` skill script, both calling api.memories.ai; found by the code
search of issue 19). No source printed an answer, so ``TextMemoryPage`` reads it tolerantly.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, drop_none, nothing, page_model

if TYPE_CHECKING:
    from memories_integrations.models import TextMemoryPage

ADD_MEMORY = Endpoint("add_memory", "POST", "/serve/api/v1/memories/add", idempotent=False)
LIST_MEMORIES = Endpoint("list_memories", "POST", "/serve/api/v1/memories")
SEARCH_MEMORIES = Endpoint("search_memories", "POST", "/serve/api/v1/memories/search")
MAX_PAGE_SIZE = 1000
ROLES = ("user", "assistant", "system")


def add_memory(
    memories: Sequence[Mapping[str, str]],
    *,
    unique_id: str,
    tags: Sequence[str] | None,
    latitude: float | None,
    longitude: float | None,
    memories_at: datetime.datetime | str | None,
) -> Call[None]:
    ep = ADD_MEMORY.path
    if isinstance(memories, (str, bytes)) or not memories:
        raise v.InvalidInputError(
            "memories must be a non-empty list of {role, content}", endpoint=ep, param="memories"
        )
    items = []
    for m in memories:
        role = m.get("role") if isinstance(m, Mapping) else None
        if role not in ROLES:
            raise v.InvalidInputError(
                f"each memory needs a role of {', '.join(ROLES)}", endpoint=ep, param="memories"
            )
        items.append(
            {"role": role, "content": v.text(m.get("content", ""), param="content", endpoint=ep)}
        )
    if (latitude is None) != (longitude is None):
        raise v.InvalidInputError(
            "latitude and longitude go together", endpoint=ep, param="latitude"
        )
    when = memories_at.isoformat() if isinstance(memories_at, datetime.datetime) else memories_at
    body = drop_none(
        {
            "unique_id": unique_id,
            "memories": items,
            "tags": list(tags) if tags is not None else None,
            # The page types the coordinates as strings.
            "latitude": None if latitude is None else str(latitude),
            "longitude": None if longitude is None else str(longitude),
            "memories_at": when,
        }
    )
    return Call(ADD_MEMORY, nothing, json=body)


def _page_body(
    ep: str, unique_id: str, page: int, page_size: int, filters: Mapping[str, Any] | None
) -> dict[str, Any]:
    v.int_range(page, 1, 1_000_000, param="page", endpoint=ep)
    v.int_range(page_size, 1, MAX_PAGE_SIZE, param="page_size", endpoint=ep)
    if filters is not None and not isinstance(filters, Mapping):
        raise v.InvalidInputError("filters must be a mapping", endpoint=ep, param="filters")
    body: dict[str, Any] = {"unique_id": unique_id, "page": page, "page_size": page_size}
    if filters:
        body["filters"] = dict(filters)
    return body


def list_memories(
    *, unique_id: str, page: int, page_size: int, filters: Mapping[str, Any] | None
) -> Call[TextMemoryPage]:
    from memories_integrations.models import TextMemoryPage

    body = _page_body(LIST_MEMORIES.path, unique_id, page, page_size, filters)
    return Call(LIST_MEMORIES, page_model(TextMemoryPage, "memories"), json=body)


def search_memories(
    query: str,
    *,
    unique_id: str,
    page: int,
    page_size: int,
    filters: Mapping[str, Any] | None,
) -> Call[TextMemoryPage]:
    from memories_integrations.models import TextMemoryPage

    ep = SEARCH_MEMORIES.path
    body = _page_body(ep, unique_id, page, page_size, filters)
    body["query"] = v.text(query, param="query", endpoint=ep)
    return Call(SEARCH_MEMORIES, page_model(TextMemoryPage, "memories"), json=body)
