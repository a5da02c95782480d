"""Search hits of every search endpoint."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field

from memories_integrations.models._base import (
    SKIP_MALFORMED,
    ApiModel,
    Count,
    CountsSkips,
    IdStr,
    OptIdStr,
    OptSeconds,
    OptText,
    Seconds,
    hhmmss,
)


class SearchHit(ApiModel):
    """A timestamped moment: search (BY_CLIP / BY_VIDEO / BY_AUDIO / BY_CAPTION / BY_IMAGE),
    search_public, search_similar_images."""

    video_no: IdStr = Field(validation_alias=AliasChoices("videoNo", "video_no"))
    video_name: OptText = Field(None, validation_alias=AliasChoices("videoName", "video_name"))
    # None when the API sent no time (live hits print "startTime": "null"): an untimed hit.
    start_time: OptSeconds = Field(
        None, validation_alias=AliasChoices("startTime", "start_time", "start")
    )
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("endTime", "end_time", "end"))
    score: OptSeconds = None
    audio_ts: OptText = None
    caption: OptText = Field(
        None, validation_alias=AliasChoices("caption", "visual_ts", "text", "content")
    )
    video_bucket: OptIdStr = None
    video_blob: OptIdStr = None
    keyframe_bucket: OptIdStr = None
    keyframe_blob: OptIdStr = None

    @property
    def text(self) -> str:
        """The words of the moment: transcript and/or caption, whichever the mode returned."""
        return " ".join(t for t in (self.caption, self.audio_ts) if t)

    @property
    def timed(self) -> bool:
        """Whether the hit says where in the video it is (live hits may not)."""
        return self.start_time is not None

    @property
    def start_timestamp(self) -> str:
        return hhmmss(self.start_time)

    @property
    def end_timestamp(self) -> str:
        return hhmmss(self.end_time if self.end_time is not None else self.start_time)


class ClipMatch(ApiModel):
    """A clip of search_clips_by_image (within one video)."""

    start_time: Seconds = Field(0.0, validation_alias=AliasChoices("start_time", "startTime"))
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("end_time", "endTime"))
    score: OptSeconds = None
    video_bucket: OptIdStr = None
    video_blob: OptIdStr = None


class TranscriptSearchHit(ApiModel):
    """A segment of search_audio_transcripts: where a phrase was spoken."""

    video_no: IdStr = Field(validation_alias=AliasChoices("videoNo", "video_no"))
    video_name: str | None = Field(None, validation_alias=AliasChoices("videoName", "video_name"))
    start_time: Seconds = Field(0.0, validation_alias=AliasChoices("startTime", "start_time"))
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("endTime", "end_time"))
    audio_ts: str = ""
    video_bucket: OptIdStr = None
    video_blob: OptIdStr = None


class TranscriptSearchPage(CountsSkips):
    videos: Annotated[list[TranscriptSearchHit], SKIP_MALFORMED] = Field(default_factory=list)
    current_page: Count = 1
    page_size: Count = 100
    total_count: Count = 0
