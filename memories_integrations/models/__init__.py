"""Typed models of every response ``data`` shape.

Each model module loads on first use (PEP 562), not with the client: importing the client then
skips pydantic's model machinery, and a call pays only for the models it returns (issue 10). The
``TYPE_CHECKING`` block lets type checkers and IDEs see every name as a normal import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from memories_integrations.models._base import ItemList, hhmmss
    from memories_integrations.models._status import VideoStatus
    from memories_integrations.models.auth import AccessToken
    from memories_integrations.models.chat import (
        ChatEvent,
        ChatResponse,
        ContentEvent,
        RefEvent,
        Thinking,
        ThinkingEvent,
    )
    from memories_integrations.models.memories import TextMemory, TextMemoryPage
    from memories_integrations.models.references import ChatReference, RefItem, RefVideo
    from memories_integrations.models.search import (
        ClipMatch,
        SearchHit,
        TranscriptSearchHit,
        TranscriptSearchPage,
    )
    from memories_integrations.models.sessions import (
        Session,
        SessionDetail,
        SessionMessage,
        SessionPage,
    )
    from memories_integrations.models.tasks import TaskCreated, TaskStatus, TaskVideo
    from memories_integrations.models.transcripts import (
        Summary,
        SummaryItem,
        Transcript,
        TranscriptSegment,
    )
    from memories_integrations.models.videos import (
        ImageUploadResult,
        MetadataNotReady,
        PublicVideoDetail,
        UploadResult,
        Video,
        VideoMetadata,
        VideoPage,
    )

__all__ = [
    "AccessToken",
    "ChatEvent",
    "ChatReference",
    "ChatResponse",
    "ClipMatch",
    "ContentEvent",
    "ImageUploadResult",
    "ItemList",
    "MetadataNotReady",
    "PublicVideoDetail",
    "RefEvent",
    "RefItem",
    "RefVideo",
    "SearchHit",
    "Session",
    "SessionDetail",
    "SessionMessage",
    "SessionPage",
    "Summary",
    "SummaryItem",
    "TaskCreated",
    "TaskStatus",
    "TaskVideo",
    "TextMemory",
    "TextMemoryPage",
    "Thinking",
    "ThinkingEvent",
    "Transcript",
    "TranscriptSearchHit",
    "TranscriptSearchPage",
    "TranscriptSegment",
    "UploadResult",
    "Video",
    "VideoMetadata",
    "VideoPage",
    "VideoStatus",
    "hhmmss",
]

# Exported name -> submodule defining it.
_WHERE: dict[str, str] = {
    "hhmmss": "_base",
    "ItemList": "_base",
    "VideoStatus": "_status",
    "AccessToken": "auth",
    **dict.fromkeys(
        (
            "ChatEvent",
            "ChatResponse",
            "ContentEvent",
            "RefEvent",
            "Thinking",
            "ThinkingEvent",
        ),
        "chat",
    ),
    **dict.fromkeys(("TextMemory", "TextMemoryPage"), "memories"),
    **dict.fromkeys(("ChatReference", "RefItem", "RefVideo"), "references"),
    **dict.fromkeys(
        ("ClipMatch", "SearchHit", "TranscriptSearchHit", "TranscriptSearchPage"), "search"
    ),
    **dict.fromkeys(("Session", "SessionDetail", "SessionMessage", "SessionPage"), "sessions"),
    **dict.fromkeys(("TaskCreated", "TaskStatus", "TaskVideo"), "tasks"),
    **dict.fromkeys(("Summary", "SummaryItem", "Transcript", "TranscriptSegment"), "transcripts"),
    **dict.fromkeys(
        (
            "ImageUploadResult",
            "PublicVideoDetail",
            "MetadataNotReady",
            "UploadResult",
            "Video",
            "VideoMetadata",
            "VideoPage",
        ),
        "videos",
    ),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{where}", __name__), name)
    globals()[name] = value  # cache: later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
