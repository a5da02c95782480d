"""Text memories of ``list_memories`` / ``search_memories``.

No source printed these answers (see ``_endpoints/memories.py``): the page is read from the
list-endpoint spellings this API uses elsewhere (a bare list, or rows under ``memories`` /
``items`` / ``list`` / ``records`` with ``current_page`` / ``page_size`` / ``total_count``), and
a row from the names of the add-memory body plus the usual id / time / score spellings.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from memories_integrations.models._base import (
    SKIP_MALFORMED,
    ApiModel,
    EpochSeconds,
    OptIdStr,
    OptSeconds,
    OptText,
    Paged,
)


def _tag_list(value: Any) -> Any:
    # Absent spellings ("null", "", null) are no tags; a comma-separated string is a list.
    if value is None or (isinstance(value, str) and value.strip() in ("", "null")):
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return value


Tags = Annotated[list[str], BeforeValidator(_tag_list)]


class TextMemory(ApiModel):
    """One stored text memory; ``score`` only on search answers."""

    content: str = Field(validation_alias=AliasChoices("content", "memory", "text"))
    memory_id: OptIdStr = Field(None, validation_alias=AliasChoices("memory_id", "memoryId", "id"))
    role: OptText = None
    tags: Tags = Field(default_factory=list)
    memories_at: OptText = Field(None, validation_alias=AliasChoices("memories_at", "memoriesAt"))
    latitude: OptSeconds = None
    longitude: OptSeconds = None
    create_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("create_time", "createTime", "created_at")
    )
    score: OptSeconds = None


class TextMemoryPage(Paged):
    memories: Annotated[list[TextMemory], SKIP_MALFORMED] = Field(
        default_factory=list,
        validation_alias=AliasChoices("memories", "items", "list", "records"),
    )
