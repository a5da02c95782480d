"""Upload (file, URL, images), metadata, listing, deletion, download."""

from __future__ import annotations

import functools
import mimetypes
import os
import urllib.parse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import (
    Call,
    Endpoint,
    FileSpec,
    drop_none,
    model,
    model_list,
    nothing,
    optional_model,
    page_model,
)

if TYPE_CHECKING:  # models load on first use, not with the client (issue 10)
    from memories_integrations.models import (
        ImageUploadResult,
        UploadResult,
        VideoMetadata,
        VideoPage,
    )

UPLOAD = Endpoint("upload", "POST", "/serve/api/v1/upload", "upload", idempotent=False)
UPLOAD_URL = Endpoint("upload_url", "POST", "/serve/api/v1/upload_url", "upload", idempotent=False)
UPLOAD_IMG = Endpoint("upload_img", "POST", "/serve/api/v1/upload_img", "upload", idempotent=False)
GET_METADATA = Endpoint("get_metadata", "GET", "/serve/api/v1/get_metadata", "list_videos")
LIST_VIDEOS = Endpoint("list_videos", "POST", "/serve/api/v1/list_videos", "list_videos")
# Idempotent on the live API (memories-api.md section 8): resending after a lost answer is safe.
DELETE_VIDEOS = Endpoint(
    "delete_videos", "POST", "/serve/api/v1/delete_videos", "delete", idempotent=True
)
# Download-by-bucket-blob pages (Visual Search): GET on api.memories.ai's v1 path; the v2 path
# is documented on the mavi-backend host only (memories-api.md section 8).
DOWNLOAD = Endpoint("download", "GET", "/serve/api/v1/download", "download", stream=True)
# Download-video page: POST JSON {video_no, unique_id}; a binary stream, or a JSON error envelope.
DOWNLOAD_VIDEO = Endpoint(
    "download_video", "POST", "/serve/api/v1/download", "download", stream=True
)
# List-unique-ids page: the account's namespaces, no parameters. Not on the Rate-limits page.
LIST_UNIQUE_IDS = Endpoint("list_unique_ids", "GET", "/serve/api/v1/list_unique_ids")


def capture_metadata(
    *,
    endpoint: str,
    tags: Sequence[str] | None,
    datetime_taken: str | None,
    camera_model: str | None,
    latitude: float | None,
    longitude: float | None,
) -> dict[str, Any]:
    v.lat_long(latitude, longitude, endpoint=endpoint)
    return drop_none(
        {
            "tags": [str(t) for t in tags] if tags else None,
            "datetime_taken": datetime_taken,
            "camera_model": camera_model,
            # Form fields are strings on the wire (upload_img example sends "39.9042").
            "latitude": None if latitude is None else str(latitude),
            "longitude": None if longitude is None else str(longitude),
        }
    )


def upload(
    path: v.UploadSource,
    *,
    unique_id: str,
    callback: str | None,
    metadata: dict[str, Any],
    retain_original_video: bool | None = None,
    video_transcription_prompt: str | None = None,
) -> Call[UploadResult]:
    from memories_integrations.models import UploadResult

    ep = UPLOAD.path
    extras = _upload_options(retain_original_video, video_transcription_prompt, endpoint=ep)
    file = v.local_file(path, kinds=v.VIDEO_EXTENSIONS, max_bytes=v.MAX_VIDEO_BYTES, endpoint=ep)
    if callback is not None:
        callback = v.http_url(callback, param="callback", endpoint=ep)
    content_type = mimetypes.guess_type(file.name)[0] or "video/mp4"
    if not content_type.startswith("video/"):
        content_type = "video/mp4"  # the docs require a video/* part
    # v1.2 table puts callback in the query; its example sends a form field. We send the form
    # field (what clients in the wild send) and the emulator accepts both.
    form = drop_none(
        {
            "unique_id": unique_id,
            "callback": callback,
            **extras,
            **metadata,
        }
    )
    spec = FileSpec("file", file.source, content_type, file.size, file.name)
    return Call(UPLOAD, model(UploadResult), data=form, files=[spec])


def _upload_options(
    retain_original_video: bool | None, video_transcription_prompt: str | None, *, endpoint: str
) -> dict[str, str]:
    """Options of both upload pages (current docs): form fields, so booleans as "true"/"false"."""
    if retain_original_video is not None and not isinstance(retain_original_video, bool):
        raise v.InvalidInputError(
            f"retain_original_video must be True or False, got {retain_original_video!r}",
            endpoint=endpoint,
            param="retain_original_video",
        )
    prompt = video_transcription_prompt
    if prompt is not None:
        prompt = v.text(prompt, param="video_transcription_prompt", endpoint=endpoint)
    return drop_none(
        {
            "retain_original_video": None
            if retain_original_video is None
            else str(retain_original_video).lower(),
            "video_transcription_prompt": prompt,
        }
    )


def upload_url(
    url: str,
    *,
    unique_id: str,
    callback: str | None,
    metadata: dict[str, Any],
    retain_original_video: bool | None = None,
    video_transcription_prompt: str | None = None,
) -> Call[UploadResult]:
    from memories_integrations.models import UploadResult

    ep = UPLOAD_URL.path
    url = v.http_url(url, param="url", endpoint=ep)
    if callback is not None:
        callback = v.http_url(callback, param="callback", endpoint=ep)
    extras = _upload_options(retain_original_video, video_transcription_prompt, endpoint=ep)
    form = drop_none(
        {"url": url, "unique_id": unique_id, "callback": callback, **extras, **metadata}
    )
    return Call(UPLOAD_URL, model(UploadResult), data=form)


def upload_images(
    paths: Sequence[v.UploadSource], *, unique_id: str, metadata: dict[str, Any]
) -> Call[list[ImageUploadResult]]:
    from memories_integrations.models import ImageUploadResult

    ep = UPLOAD_IMG.path
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not paths:
        raise v.InvalidInputError("at least one image is required", endpoint=ep, param="files")
    specs = []
    for p in paths:
        f = v.local_file(p, kinds=v.IMAGE_EXTENSIONS, max_bytes=v.MAX_IMAGE_BYTES, endpoint=ep)
        ctype = mimetypes.guess_type(f.name)[0] or "image/jpeg"
        specs.append(FileSpec("files", f.source, ctype, f.size, f.name))
    form = {"unique_id": unique_id, **metadata}
    return Call(
        UPLOAD_IMG, model_list(ImageUploadResult, "images", "items"), data=form, files=specs
    )


def get_metadata(video_no: str, *, unique_id: str) -> Call[VideoMetadata]:
    from memories_integrations.models import MetadataNotReady, VideoMetadata, VideoStatus

    video_no = v.text(video_no, param="video_no", endpoint=GET_METADATA.path)
    # Current Get-metadata page: data only once parsing finished, ``data: null`` before. That
    # is "still encoding": a typed MetadataNotReady (ready False, status UNPARSE), not a record.
    not_ready = functools.partial(MetadataNotReady, video_no=video_no, status=VideoStatus.UNPARSE)
    return Call(
        GET_METADATA,
        optional_model(VideoMetadata, not_ready),
        params={"video_no": video_no, "unique_id": unique_id},
    )


def list_videos(
    *,
    unique_id: str,
    page: int,
    size: int,
    video_name: str | None,
    video_no: str | None,
    status: str | None,
    filters: dict[str, Any],
) -> Call[VideoPage]:
    from memories_integrations.models import VideoPage

    ep = LIST_VIDEOS.path
    v.int_range(page, 1, 1_000_000, param="page", endpoint=ep)
    v.int_range(size, 1, 1000, param="size", endpoint=ep)
    query = drop_none(
        {
            "page": page,
            "size": size,
            "video_name": video_name,
            "video_no": video_no,
            "status": status,
        }
    )
    # The page's table puts the filters in the query and unique_id in the body; its example and
    # the current docs put everything in the JSON body. We send both forms of the basic filters.
    body = drop_none({"unique_id": unique_id, **query, **filters})
    return Call(LIST_VIDEOS, page_model(VideoPage, "videos"), params=query, json=body)


def delete_videos(video_nos: Sequence[str], *, unique_id: str) -> Call[None]:
    ep = DELETE_VIDEOS.path
    items = v.id_list(video_nos, param="video_nos", endpoint=ep, limit=v.MAX_VIDEO_NOS)
    # Delete-videos page example: the JSON body IS the list; unique_id goes in the query.
    return Call(DELETE_VIDEOS, nothing, params={"unique_id": unique_id}, json=items)


def download(bucket: str, blob: str) -> Call[None]:
    ep = DOWNLOAD.path
    params = {
        "bucket": v.text(bucket, param="bucket", endpoint=ep),
        "blob": v.text(blob, param="blob", endpoint=ep),
    }
    # The docs send a blob's "/" as is ("<uuid>/keyframe-000013.jpg"), not as %2F.
    return Call(DOWNLOAD, nothing, query=urllib.parse.urlencode(params, safe="/"))


def download_video(video_no: str, *, unique_id: str) -> Call[None]:
    video_no = v.text(video_no, param="video_no", endpoint=DOWNLOAD_VIDEO.path)
    return Call(DOWNLOAD_VIDEO, nothing, json={"video_no": video_no, "unique_id": unique_id})


def list_unique_ids() -> Call[list[str]]:
    return Call(LIST_UNIQUE_IDS, unique_ids)


def unique_ids(data: Any) -> list[str]:
    """List-unique-ids page: ``data: {unique_ids: [...]}``; an empty account may answer
    ``[]``, ``{}`` or ``null`` (issue 11: every list endpoint treats those as empty)."""
    if data is None or data == {} or data == []:
        return []
    if isinstance(data, dict):
        data = data.get("unique_ids")
        if data is None:
            return []
    if not isinstance(data, list) or not all(isinstance(i, str) for i in data):
        raise ValueError(f"unique_ids must be a list of strings, got {data!r:.80}")
    return list(data)
