"""Platform-link imports (scraper*) and their task status."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, Field, model_validator

from memories_integrations.models._base import (
    SKIP_MALFORMED,
    ApiModel,
    CountsSkips,
    IdStr,
    OptIdStr,
    Status,
    VideoStatus,
)


class TaskCreated(ApiModel):
    task_id: IdStr = Field(validation_alias=AliasChoices("taskId", "task_id"))


class TaskVideo(ApiModel):
    """One produced video. ``status`` is UNKNOWN when the answer listed ids only."""

    video_no: IdStr = Field(validation_alias=AliasChoices("video_no", "videoNo", "videoId"))
    status: Status = Field(
        VideoStatus.UNKNOWN, validation_alias=AliasChoices("status", "videoStatus")
    )
    video_url: str | None = Field(None, validation_alias=AliasChoices("video_url", "videoUrl"))
    # Get-task-status answers carry storage pointers (download-by-bucket-blob page).
    bucket: OptIdStr = Field(None, validation_alias=AliasChoices("bucket", "video_bucket"))
    blob: OptIdStr = Field(None, validation_alias=AliasChoices("blob", "video_blob"))


class TaskStatus(CountsSkips):
    """``data`` of get_video_ids_by_task_id. No videos yet = still downloading.

    Every documented shape is read (memories-api.md section 7): the Get-task-status page's
    ``{taskId, video_ids: [...]}`` (ids only, no status), ``{videos: [{video_no, status,
    video_url}]}`` from other pages and clients, and a bare list of either. ``video_ids`` and
    ``videos`` are both always filled.
    """

    task_id: OptIdStr = Field(None, validation_alias=AliasChoices("taskId", "task_id"))
    #: The task's own state when the answer carries one (e.g. DOWNLOADING, SUCCEEDED).
    status: OptIdStr = None
    video_ids: list[str] = Field(default_factory=list)
    videos: Annotated[list[TaskVideo], SKIP_MALFORMED] = Field(default_factory=list)

    @property
    def statuses_known(self) -> bool:
        """False when some video came as a bare id: poll that video's own status."""
        return all(v.status is not VideoStatus.UNKNOWN for v in self.videos)

    @model_validator(mode="before")
    @classmethod
    def _fill_videos(cls, data: Any) -> Any:
        if isinstance(data, list):
            data = {"videos": data}
        if not isinstance(data, dict):
            return data
        # Rows with a status first, so an id listed in both keeps its status.
        items = [
            *(data.get("videos") or []),
            *(data.get("video_ids") or data.get("videoIds") or []),
        ]
        rows: dict[str, Any] = {}
        for item in items:
            # A list may hold bare ids or objects; a bare id is a video of unknown status.
            row = {"video_no": item} if isinstance(item, (str, int)) else item
            key = _video_no(row)
            if key is None:
                return data  # malformed: let validation report it
            rows.setdefault(key, row)
        return {**data, "videos": list(rows.values()), "video_ids": list(rows)}


def _video_no(row: Any) -> str | None:
    if not isinstance(row, dict):
        return None
    for name in ("video_no", "videoNo", "videoId"):
        if row.get(name) not in (None, ""):
            return str(row[name])
    return None
