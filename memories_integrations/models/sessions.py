"""Chat sessions."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from memories_integrations.models._base import ApiModel, Count, EpochSeconds, IdStr, OptIdStr
from memories_integrations.models.chat import Thinking
from memories_integrations.models.references import ChatReference


class Session(ApiModel):
    # Page example: sessionId/title; page table: session_id/video_no/created_time. Both read.
    session_id: IdStr = Field(validation_alias=AliasChoices("sessionId", "session_id"))
    title: str | None = None
    video_no: OptIdStr = Field(None, validation_alias=AliasChoices("video_no", "videoNo"))
    created_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("created_time", "createTime", "create_time")
    )


class SessionPage(ApiModel):
    sessions: list[Session] = Field(default_factory=list)
    current_page: Count = Field(1, validation_alias=AliasChoices("current_page", "page"))
    page_size: Count = 20
    total_count: Count = 0
    total_pages: Count | None = None


class SessionMessage(ApiModel):
    role: str
    content: str = ""
    thinkings: list[Thinking] = Field(default_factory=list)
    refs: list[ChatReference] = Field(default_factory=list)


class SessionDetail(ApiModel):
    session_id: OptIdStr = Field(None, validation_alias=AliasChoices("session_id", "sessionId"))
    title: str | None = None
    messages: list[SessionMessage] = Field(default_factory=list)
