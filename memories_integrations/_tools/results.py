"""The structured result of each tool operation, as pydantic models.

An MCP tool's ``outputSchema`` is the JSON schema of its model and its ``structuredContent``
is validated against the model before it is sent (``registry.Operation.structured``), so the
two cannot drift. Extra keys are allowed where a record carries optional facts (a moment's
score, a video's tags).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from memories_integrations.models.citations import CitationReport

__all__ = [
    "ChatResult",
    "DeleteResult",
    "Moment",
    "NamespacesResult",
    "PageResult",
    "SearchResult",
    "Segment",
    "SummaryResult",
    "TranscriptResult",
    "VideoResult",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Moment(_Open):
    """One cited moment: which video, when, its link and its text."""

    video_no: str
    video_name: str
    start_time: float
    end_time: float
    start_timestamp: str
    end_timestamp: str
    unique_id: str
    source: str
    text: str


class Segment(Moment):
    track: str
    """Which track the line comes from: audio or visual."""


class SearchResult(BaseModel):
    query: str
    search_type: str
    moments: list[Moment]


class VideoResult(_Open):
    """A video's status and metadata (unset fields left out)."""

    video_no: str
    status: str


class _ListedVideo(BaseModel):
    video_no: str
    video_name: str | None
    status: str
    duration: float | None


class PageResult(BaseModel):
    page: int
    total_count: int
    has_more: bool
    videos: list[_ListedVideo]


class TranscriptResult(BaseModel):
    video_no: str
    track: str
    start: float | None
    end: float | None
    next_start: float | None
    """Where to read on when the text was cut (None: it was not)."""
    segments: list[Segment]


class _Chapter(BaseModel):
    start_time: float
    end_time: float
    title: str | None
    description: str | None


class SummaryResult(BaseModel):
    video_no: str
    summary_type: str
    text: str | None
    chapters: list[_Chapter]


class ChatResult(BaseModel):
    answer: str
    session_id: str | None
    moments: list[Moment]
    citations: CitationReport


class NamespacesResult(BaseModel):
    unique_ids: list[str]
    current: str


class DeleteResult(BaseModel):
    deleted: list[str]


def dump(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """``data`` checked against ``model``, as JSON-safe data."""
    return model.model_validate(data).model_dump(mode="json", exclude_unset=False)
