"""Text memories (platform "add-memory" page): ``POST /serve/api/v1/memories/add``.

List (``POST /serve/api/v1/memories``) and search (``/memories/search``) appear only in public
client code, without a printed answer, so they are not defined here yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, drop_none, nothing

ADD_MEMORY = Endpoint("add_memory", "POST", "/serve/api/v1/memories/add", idempotent=False)
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
