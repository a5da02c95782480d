"""Uploads, the video list and per-video metadata."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from memories_integrations.models._base import (
    SKIP_MALFORMED,
    ApiModel,
    EpochSeconds,
    IdStr,
    OptCount,
    OptIdStr,
    OptSeconds,
    OptText,
    Paged,
    Status,
    VideoStatus,
)

_TAKEN_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d")


def _capture_time(value: Any) -> Any:
    """``datetime_taken`` in every documented spelling, as epoch seconds.

    Current Get-metadata page: epoch milliseconds (a number or a digit string). Upload pages
    (and older answers): ``"YYYY-MM-DD HH:MM:SS"``, read as UTC since no zone is documented.
    Anything else (``"null"``, an unknown format) reads as None.
    """
    if isinstance(value, str):
        text = value.strip()
        if text and not text.lstrip("-").replace(".", "", 1).isdigit():
            for fmt in _TAKEN_FORMATS:
                try:
                    parsed = datetime.datetime.strptime(text, fmt)
                except ValueError:
                    continue
                return parsed.replace(tzinfo=datetime.timezone.utc).timestamp()
            # An unknown spelling of an informational field must not fail a status poll.
            return None
    return value


CaptureTime = Annotated[EpochSeconds, BeforeValidator(_capture_time)]


class UploadResult(ApiModel):
    """``data`` of upload / upload_url: the video exists now, encoding has begun."""

    video_no: IdStr = Field(validation_alias=AliasChoices("videoNo", "video_no"))
    video_name: str | None = Field(None, validation_alias=AliasChoices("videoName", "video_name"))
    status: Status = Field(
        VideoStatus.UNPARSE, validation_alias=AliasChoices("videoStatus", "status", "video_status")
    )
    upload_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("uploadTime", "upload_time", "create_time")
    )


class Video(ApiModel):
    """One entry of list_videos."""

    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo"))
    video_name: str | None = Field(None, validation_alias=AliasChoices("video_name", "videoName"))
    status: Status = Field(
        VideoStatus.UNKNOWN, validation_alias=AliasChoices("status", "videoStatus")
    )
    duration: OptSeconds = None
    size: OptCount = None
    cause: OptText = None
    create_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("create_time", "createTime", "uploadTime")
    )
    # Current List-videos answers carry the storage pointers (download-by-bucket-blob page).
    bucket: OptIdStr = Field(None, validation_alias=AliasChoices("bucket", "video_bucket"))
    blob: OptIdStr = Field(None, validation_alias=AliasChoices("blob", "video_blob"))


class VideoPage(Paged):
    videos: Annotated[list[Video], SKIP_MALFORMED] = Field(default_factory=list)


class VideoMetadata(ApiModel):
    """``data`` of get_metadata: status and capture metadata of one video.

    The API answers ``data: null`` (or ``[]``) until parsing finished; ``get_metadata`` then
    returns a ``MetadataNotReady`` (``ready`` False, ``status`` UNPARSE, only ``video_no``
    set), so a caller can tell "no record yet" from a record the API sent.
    """

    @property
    def ready(self) -> bool:
        """True: the API sent this record (False only on ``MetadataNotReady``)."""
        return True

    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo"))
    video_name: str | None = Field(None, validation_alias=AliasChoices("video_name", "videoName"))
    status: Status = Field(
        VideoStatus.UNKNOWN, validation_alias=AliasChoices("status", "videoStatus")
    )
    cause: OptText = None
    duration: OptSeconds = None
    size: OptCount = None
    create_time: EpochSeconds = None
    resolution_label: str | None = None
    fps: OptSeconds = None
    width: OptCount = None
    height: OptCount = None
    #: When the video was shot, epoch seconds (sent as epoch ms or "YYYY-MM-DD HH:MM:SS").
    datetime_taken: CaptureTime = None
    camera_model: str | None = None
    latitude: OptSeconds = None
    longitude: OptSeconds = None
    tags: list[str] = Field(default_factory=list)
    # Storage pointers for download(bucket, blob): Get-metadata page says bucket/blob, the
    # transcription pages video_bucket/video_blob; both are read.
    bucket: OptIdStr = Field(None, validation_alias=AliasChoices("bucket", "video_bucket"))
    blob: OptIdStr = Field(None, validation_alias=AliasChoices("blob", "video_blob"))


class MetadataNotReady(VideoMetadata):
    """get_metadata's answer while the API has no record of the video yet (``data: null`` /
    ``[]``): not a video the API described, only "not ready" (status UNPARSE) in the shape the
    wait logic and existing callers read. Check ``meta.ready`` (or ``isinstance``)."""

    @property
    def ready(self) -> bool:
        return False


class ImageUploadResult(ApiModel):
    """One uploaded image of upload_img."""

    image_no: OptIdStr = Field(
        None, validation_alias=AliasChoices("imageNo", "image_no", "videoNo", "video_no", "id")
    )
    name: str | None = Field(None, validation_alias=AliasChoices("name", "imageName", "videoName"))
    status: Status = Field(
        VideoStatus.UNKNOWN, validation_alias=AliasChoices("status", "videoStatus")
    )


class PublicVideoDetail(ApiModel):
    """``data`` of get_public_video_detail. Known only from a live notebook print
    (OpenInterX-Products/memories-ai-sdk ``python/API_public_video.ipynb``), no docs page."""

    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo"))
    video_name: OptText = Field(None, validation_alias=AliasChoices("video_name", "videoName"))
    duration: OptSeconds = None
    status: Status = VideoStatus.UNKNOWN
    create_time: EpochSeconds = Field(
        None, validation_alias=AliasChoices("create_time", "createTime")
    )
    video_url: OptText = Field(None, validation_alias=AliasChoices("video_url", "videoUrl"))
    blogger_id: OptIdStr = Field(None, validation_alias=AliasChoices("blogger_id", "bloggerId"))
