"""Platform-link imports (scraper*) and their task status."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field, model_validator

from ._base import ApiModel, IdStr, OptIdStr, Status, VideoStatus


class TaskCreated(ApiModel):
    task_id: IdStr = Field(validation_alias=AliasChoices("taskId", "task_id"))


class TaskVideo(ApiModel):
    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo", "videoId"))
    status: Status = VideoStatus.UNKNOWN


class TaskStatus(ApiModel):
    """``data`` of get_video_ids_by_task_id. ``video_ids`` empty = still downloading."""

    task_id: OptIdStr = Field(None, validation_alias=AliasChoices("taskId", "task_id"))
    video_ids: list[str] = Field(default_factory=list)
    videos: list[TaskVideo] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _fill_videos(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("videos") and data.get("video_ids"):
            data = {**data, "videos": [{"video_no": v} for v in data["video_ids"]]}
        return data
