"""Chat stream events and the aggregated answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AliasChoices, Field

from memories_integrations.models._base import (
    ApiModel,
    OptIdStr,
)

# Re-exported: models.chat was their home before models.references.
from memories_integrations.models.references import ChatReference, RefItem, RefVideo  # noqa: F401

if TYPE_CHECKING:
    from memories_integrations.models.citations import CitationReport


class ThinkingEvent(ApiModel):
    type: Literal["thinking"] = "thinking"
    title: str | None = None
    content: str = ""
    session_id: OptIdStr = Field(None, validation_alias=AliasChoices("sessionId", "session_id"))


class RefEvent(ApiModel):
    type: Literal["ref"] = "ref"
    ref: list[ChatReference] = Field(default_factory=list)
    session_id: OptIdStr = Field(None, validation_alias=AliasChoices("sessionId", "session_id"))


class ContentEvent(ApiModel):
    type: Literal["content"] = "content"
    role: str | None = "assistant"
    content: str = ""
    session_id: OptIdStr = Field(None, validation_alias=AliasChoices("sessionId", "session_id"))


ChatEvent = Annotated[ThinkingEvent | RefEvent | ContentEvent, Field(discriminator="type")]


class Thinking(ApiModel):
    title: str | None = None
    content: str = ""


class ChatResponse(ApiModel):
    """A whole chat answer: the ``data`` of a non-streaming chat (current Video-Chat and
    Personal-media pages: ``{role, content, thinkings, session_id}``, references when present),
    or aggregated from a stream, or read from a session's history."""

    role: str | None = None
    content: str = ""
    session_id: OptIdStr = Field(None, validation_alias=AliasChoices("session_id", "sessionId"))
    thinkings: list[Thinking] = Field(default_factory=list)
    references: list[ChatReference] = Field(
        default_factory=list, validation_alias=AliasChoices("references", "refs", "ref")
    )

    @property
    def moments(self) -> list[RefItem]:
        """Every cited moment, in the order the stream gave them."""
        items: list[RefItem] = []
        for ref in self.references:
            for item in ref.ref_items:
                if item.video_no is None:
                    item = item.model_copy(update={"video_no": ref.video.video_no})
                items.append(item)
        return items

    def verify_citations(self, *, tolerance: float = 2.0) -> CitationReport:
        """Check every time the answer's ``content`` cites against its ``references``
        (``citations.verify_citations``): which cited times a returned moment backs."""
        from memories_integrations.models.citations import verify_citations

        return verify_citations(self.content, self.references, tolerance=tolerance)
