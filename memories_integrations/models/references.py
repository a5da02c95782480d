"""The moments a chat answer cites: the video and its timestamped reference items."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from memories_integrations.models._base import (
    ApiModel,
    IdStr,
    OptIdStr,
    OptSeconds,
    Seconds,
    hhmmss,
)


class RefVideo(ApiModel):
    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo"))
    video_name: str | None = Field(None, validation_alias=AliasChoices("video_name", "videoName"))
    duration: OptSeconds = None


class RefItem(ApiModel):
    """A cited moment: ``type`` is keyframe, visual_ts or audio_ts."""

    video_no: OptIdStr = Field(None, validation_alias=AliasChoices("videoNo", "video_no"))
    type: str = "visual_ts"
    start_time: Seconds = Field(0.0, validation_alias=AliasChoices("startTime", "start_time"))
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("endTime", "end_time"))
    text: str | None = None

    @property
    def start_timestamp(self) -> str:
        return hhmmss(self.start_time)

    @property
    def end_timestamp(self) -> str:
        return hhmmss(self.end_time if self.end_time is not None else self.start_time)


class ChatReference(ApiModel):
    video: RefVideo
    ref_items: list[RefItem] = Field(
        default_factory=list, validation_alias=AliasChoices("refItems", "ref_items")
    )
