"""Transcripts (audio and visual) and summaries."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field, model_validator

from memories_integrations.models._base import (
    SKIP_MALFORMED,
    ApiModel,
    CountsSkips,
    EpochSeconds,
    OptCount,
    OptIdStr,
    OptSeconds,
    Seconds,
    hhmmss,
)


class TranscriptSegment(ApiModel):
    """One timed segment. Audio pages use index/content/startTime/endTime (strings); the v1.2
    video-transcription table says start/end/text (floats): both are accepted."""

    index: OptCount = None
    text: str = Field("", validation_alias=AliasChoices("content", "text", "caption"))
    start_time: Seconds = Field(
        0.0, validation_alias=AliasChoices("startTime", "start", "start_time")
    )
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("endTime", "end", "end_time"))

    @property
    def start_timestamp(self) -> str:
        return hhmmss(self.start_time)


class Transcript(CountsSkips):
    """``data`` of get_audio_transcription / get_video_transcription / get_video_caption.

    ``segments`` is empty when the API answered ``data: null`` (no audio track, or not ready).
    """

    video_no: OptIdStr = Field(None, validation_alias=AliasChoices("videoNo", "video_no"))
    segments: Annotated[list[TranscriptSegment], SKIP_MALFORMED] = Field(
        default_factory=list, validation_alias=AliasChoices("transcriptions", "transcription")
    )
    create_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("createTime", "create_time")
    )
    # Transcription pages: video_bucket/video_blob; other pages spell them bucket/blob.
    video_bucket: OptIdStr = Field(None, validation_alias=AliasChoices("video_bucket", "bucket"))
    video_blob: OptIdStr = Field(None, validation_alias=AliasChoices("video_blob", "blob"))

    @property
    def text(self) -> str:
        return "\n".join(s.text.strip() for s in self.segments if s.text.strip())


class SummaryItem(ApiModel):
    title: str = ""
    description: str = Field("", validation_alias=AliasChoices("description", "content", "text"))
    start_time: Seconds = Field(
        0.0, validation_alias=AliasChoices("start", "startTime", "start_time")
    )
    end_time: OptSeconds = Field(None, validation_alias=AliasChoices("end", "endTime", "end_time"))


class Summary(CountsSkips):
    """``data`` of generate_summary.

    The page's example has ``summary`` (text) + ``items``; its table has ``summary`` as the list
    of items and a ``summary_type``. Both are read: ``text`` is the overall summary when sent.
    """

    video_no: OptIdStr = Field(None, validation_alias=AliasChoices("videoNo", "video_no"))
    summary_type: str | None = Field(None, validation_alias=AliasChoices("summary_type", "type"))
    text: str = ""
    items: Annotated[list[SummaryItem], SKIP_MALFORMED] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _split_summary(cls, data: Any) -> Any:
        if isinstance(data, dict) and "summary" in data:
            data = dict(data)
            summary = data.pop("summary")
            if isinstance(summary, list):
                data.setdefault("items", summary)
            elif summary is not None:
                data.setdefault("text", str(summary))
        return data
