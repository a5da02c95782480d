"""Uploads, the video list and per-video metadata."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from ._base import (
    ApiModel,
    Count,
    EpochSeconds,
    IdStr,
    OptCount,
    OptIdStr,
    OptSeconds,
    OptText,
    Status,
    VideoStatus,
)


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


class VideoPage(ApiModel):
    videos: list[Video] = Field(default_factory=list)
    current_page: Count = Field(1, validation_alias=AliasChoices("current_page", "page"))
    page_size: Count = Field(20, validation_alias=AliasChoices("page_size", "size"))
    total_count: Count = Field(0, validation_alias=AliasChoices("total_count", "total"))

    @property
    def has_more(self) -> bool:
        return self.current_page * self.page_size < self.total_count


class VideoMetadata(ApiModel):
    """``data`` of get_metadata: status and capture metadata of one video."""

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
    datetime_taken: EpochSeconds = None
    camera_model: str | None = None
    latitude: OptSeconds = None
    longitude: OptSeconds = None
    tags: list[str] = Field(default_factory=list)
    bucket: OptIdStr = None
    blob: OptIdStr = None


class ImageUploadResult(ApiModel):
    """One uploaded image of upload_img."""

    image_no: OptIdStr = Field(
        None, validation_alias=AliasChoices("imageNo", "image_no", "videoNo", "video_no", "id")
    )
    name: str | None = Field(None, validation_alias=AliasChoices("name", "imageName", "videoName"))
    status: Status = Field(
        VideoStatus.UNKNOWN, validation_alias=AliasChoices("status", "videoStatus")
    )
