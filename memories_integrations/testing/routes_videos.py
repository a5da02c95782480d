"""Upload, list, metadata, delete and download (v1.2 Upload / Utils pages + current docs)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.corpus import (
    IMAGE_EXTENSIONS,
    SAMPLES_DIR,
    VIDEO_EXTENSIONS,
    is_broken,
    match_sample,
    samples,
    synthetic,
)
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, not_found, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.store import (
    IMAGE_BUCKET,
    KEYFRAME_BUCKET,
    PARSE,
    PARSE_ERROR,
    SAMPLE_BUCKET,
    UNPARSE,
    VIDEO_BUCKET,
    Image,
    Namespace,
    Video,
)

V1 = "/serve/api/v1"
KEYFRAMES_DIR = SAMPLES_DIR / "keyframes"
_CHUNK = 1 << 20
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# One transparent 1x1 PNG: what the emulator serves for an uploaded image.
_PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def namespace(account: str, params: Params) -> Namespace:
    return (account, params.opt("unique_id", "uniqueId", default="default") or "default")


def stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base else base


_TAKEN_FORMAT = "%Y-%m-%d %H:%M:%S"


def capture_ms(text: str) -> int:
    """``datetime_taken`` as epoch ms: the upload pages' ``YYYY-MM-DD HH:MM:SS`` (UTC: no zone
    is documented) or epoch ms digits (the current Get-metadata page's form)."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    try:
        taken = datetime.strptime(text, _TAKEN_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        raise ApiError(PARAM, "datetime_taken must look like YYYY-MM-DD HH:MM:SS") from None
    return int(taken.timestamp() * 1000)


def capture_text(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime(_TAKEN_FORMAT)


def taken_matches(v: Video, wanted: str) -> bool:
    """The ``datetime_taken`` filter. Current docs: epoch ms, "at or after". The older form
    (a ``YYYY-MM-DD...`` string) keeps its prefix match."""
    taken = v.metadata.get("datetime_taken")
    if taken is None:
        return False
    if wanted.strip().isdigit():
        return int(taken) >= int(wanted)
    return capture_text(int(taken)).startswith(wanted.strip())


def read_metadata(params: Params) -> tuple[dict[str, Any], list[str]]:
    """Optional metadata of upload / upload_url / upload_img (current docs)."""
    meta: dict[str, Any] = {}
    taken = params.opt("datetime_taken")
    if taken is not None:
        meta["datetime_taken"] = capture_ms(taken)
    camera = params.opt("camera_model")
    if camera is not None:
        meta["camera_model"] = camera
    lat, lon = params.number("latitude"), params.number("longitude")
    if lat is not None and not -90 <= lat <= 90:
        raise ApiError(PARAM, "latitude must be between -90 and 90")
    if lon is not None and not -180 <= lon <= 180:
        raise ApiError(PARAM, "longitude must be between -180 and 180")
    if lat is not None:
        meta["latitude"] = lat
    if lon is not None:
        meta["longitude"] = lon
    for key in ("retain_original_video", "video_transcription_prompt"):
        value = params.opt(key)
        if value is not None:
            meta[key] = value
    # curl examples send tags[0]=...&tags[1]=...; others a list or a comma-separated string.
    return meta, params.many("tags") + params.indexed("tags")


def upload_data(video: Video) -> dict[str, Any]:
    return {
        "videoNo": video.video_no,
        "videoName": video.name,
        "videoStatus": UNPARSE,
        "uploadTime": str(video.create_ms),
    }


@api("upload")
async def upload(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    parts = p.files.get("file")
    if not parts:
        raise ApiError(PARAM, "Missing required parameter: file")
    part = parts[0]
    filename = part.filename or ""
    if not filename.lower().endswith(VIDEO_EXTENSIONS):
        raise ApiError(
            PARAM, f"Unsupported file type: {filename!r} (allowed: {', '.join(VIDEO_EXTENSIONS)})"
        )
    ctype = (part.content_type or "").lower()
    # Upload-from-local page: the file part's content type must start with video/.
    allowed = ("video/", "application/octet-stream") if emu.config.lenient else ("video/",)
    if (ctype or not emu.config.lenient) and not ctype.startswith(allowed):
        raise ApiError(PARAM, f"Unsupported content type: {ctype} (expected video/*)")
    meta, tags = read_metadata(p)
    ns = namespace(account, p)
    # Hash in chunks: the part is already spooled to disk, never fully in memory.
    hasher, size, head = hashlib.sha256(), 0, b""
    while chunk := await part.read(_CHUNK):
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        hasher.update(chunk)
        size += len(chunk)
    await part.close()
    if size == 0:
        raise ApiError(PARAM, "Uploaded file is empty")
    content = match_sample(hasher.hexdigest(), filename) or synthetic(filename)
    # v1.2 table: callback in the query; example: form field. Accept both.
    video = emu.store.add_video(
        ns,
        stem(filename),
        content,
        size,
        cause=is_broken(head, filename),
        callback=p.opt("callback"),
        metadata=meta,
        tags=tags or None,
    )
    emu.lifecycle.schedule_video(video)
    return ok(upload_data(video))


@api("upload")
async def upload_url(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    url = p.req("url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(PARAM, f"url must be an http(s) URL: {url!r}")
    meta, tags = read_metadata(p)
    # The emulator never downloads: content is derived from the URL's basename.
    base = parts.path.rsplit("/", 1)[-1] or parts.netloc
    content = match_sample(None, base) or synthetic(base)
    cause = "Video file is corrupt and could not be decoded" if "corrupt" in url.lower() else None
    size = 2_000_000 + int(hashlib.sha256(url.encode()).hexdigest()[:5], 16)
    if content.sample_file:
        size = (SAMPLES_DIR / content.sample_file).stat().st_size
    video = emu.store.add_video(
        namespace(account, p),
        stem(base),
        content,
        size,
        cause=cause,
        callback=p.opt("callback"),
        metadata=meta,
        tags=tags or None,
    )
    emu.lifecycle.schedule_video(video)
    return ok(upload_data(video))


def _matches_filters(v: Video, p: Params) -> bool:
    name = p.opt("video_name")
    if name and name.lower() not in v.name.lower():
        return False
    no = p.opt("video_no")
    if no and v.video_no != no:
        return False
    wanted = p.many("video_nos")
    if wanted and v.video_no not in wanted:
        return False
    status = p.opt("status")
    if status:
        # list_videos docs also name DONE/FAILED: map them onto the VideoStatus enum.
        status = {"DONE": PARSE, "FAILED": PARSE_ERROR, "FAIL": PARSE_ERROR}.get(
            status.upper(), status.upper()
        )
        if v.status != status:
            return False
    tag = p.opt("tag")
    if tag and tag not in v.tags:
        return False
    camera = p.opt("camera_model")
    if camera and v.metadata.get("camera_model") != camera:
        return False
    taken = p.opt("datetime_taken")
    if taken and not taken_matches(v, taken):
        return False
    return True


@api("list_videos")
async def list_videos(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    page = p.integer("page", default=1, lo=1, hi=1_000_000)
    size = p.integer("size", "page_size", default=20, lo=1, hi=1000)
    if (p.opt("latitude") is None) != (p.opt("longitude") is None) and not emu.config.lenient:
        raise ApiError(PARAM, "latitude and longitude must be supplied together")
    videos = [v for v in emu.store.videos_in(namespace(account, p)) if _matches_filters(v, p)]
    chunk = videos[(page - 1) * size : page * size]
    return ok(
        {
            "videos": [
                {
                    "duration": str(int(v.content.duration)),
                    "size": str(v.size),
                    "status": v.status,
                    "cause": v.cause or "null",
                    "video_no": v.video_no,
                    "video_name": v.name,
                    "create_time": str(v.create_ms),
                    # Current docs: list rows carry the download-by-bucket-blob pointers.
                    "bucket": VIDEO_BUCKET,
                    "blob": v.blob,
                }
                for v in chunk
            ],
            "current_page": page,
            "page_size": size,
            "total_count": str(len(videos)),
        }
    )


@api("delete")
async def delete_videos(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    # v1.2 example: JSON array body + unique_id query param; also accept {"video_nos": [...]}.
    if isinstance(p.raw_body, list):
        nos = [str(n) for n in p.raw_body]
    else:
        nos = p.many("video_nos", "videoNos", "data")
    if not nos:
        raise ApiError(PARAM, "Missing required parameter: video numbers to delete")
    # Live API (memories-api.md section 8): idempotent, unknown or other-namespace numbers
    # answer 0000 too. The v1.2 API_Code page's 0409 for a second delete is no longer sent.
    emu.store.delete(namespace(account, p), nos)
    return ok(None)


def metadata_data(v: Video, *, lenient: bool = False) -> dict[str, Any]:
    c = v.content
    data: dict[str, Any] = {
        "video_no": v.video_no,
        "video_name": v.name,
        "duration": c.duration,
        "size": v.size,
        "status": v.status,
        "create_time": v.create_ms,
        "resolution_label": f"{c.height}p",
        "fps": c.fps,
        "width": c.width,
        "height": c.height,
        "tags": list(v.tags),
        "bucket": VIDEO_BUCKET,
        "blob": v.blob,
        "cause": v.cause,
    }
    data.update(v.metadata)
    taken = v.metadata.get("datetime_taken")
    if lenient and taken is not None:
        data["datetime_taken"] = capture_text(taken)  # the older echo of the uploaded string
    if v.task_id:
        data["task_id"] = v.task_id
    return data


@api("other")
async def get_metadata(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    video_no = p.req("video_no", "videoNo")
    video = emu.store.video(namespace(account, p), video_no) or _public_video(emu, video_no)
    lenient = emu.config.lenient
    if video is None:
        # Live API (Memories-ai-labs/examples common/poll.py): an unknown or other-namespace
        # video answers 0000 with data null, like one not parsed yet. lenient: the older 0001.
        if lenient:
            raise not_found(video_no)
        return ok(None)
    if video.status == UNPARSE and not lenient:
        return ok(None)  # current Get-metadata page: data only once parsing finished
    return ok(metadata_data(video, lenient=lenient))


def _public_video(emu: Emulator, video_no: str) -> Video | None:
    # Videos of the public library (PI-...) are visible to every account.
    return next((v for v in emu.store.public_videos() if v.video_no == video_no), None)


@api("upload")
async def upload_img(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    parts = p.files.get("files") or p.files.get("file")
    if not parts:
        raise ApiError(PARAM, "Missing required parameter: files")
    meta, tags = read_metadata(p)
    ns = namespace(account, p)
    staged: list[tuple[str, str, int]] = []
    for part in parts:
        name = part.filename or ""
        if not name.lower().endswith(IMAGE_EXTENSIONS):
            raise ApiError(PARAM, f"Unsupported image type: {name!r}")
        data = await part.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            raise ApiError(PARAM, f"Image too large (max 20 MB): {name!r}")
        staged.append((name, hashlib.sha256(data).hexdigest(), len(data)))
    out = []
    with emu.store.lock:
        for name, sha, size in staged:
            image = Image(
                emu.store.ids.image(), ns, name, sha, size, emu.store.now_ms(), tags, meta
            )
            emu.store.images[image.image_no] = image
            # Documented answer (memories-api.md section 8): one {"id": <int64>} per image.
            out.append({"id": int(image.image_no)})
    return ok(out)


@api("download")
async def download(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    if request.method == "POST" or p.opt("video_no", "videoNo") is not None:
        return download_video(emu, account, p)
    bucket, blob = p.req("bucket"), p.req("blob")
    path = None
    if bucket == SAMPLE_BUCKET and any(c.sample_file == blob for c in samples()):
        path = SAMPLES_DIR / blob
    elif bucket == VIDEO_BUCKET:
        v = emu.store.videos.get(blob.rsplit(".", 1)[0])
        if v is not None and v.ns[0] in (account, "__public__") and v.content.sample_file:
            path = SAMPLES_DIR / v.content.sample_file
    elif bucket == KEYFRAME_BUCKET:
        v = emu.store.videos.get(blob.split("/", 1)[0])
        if v is not None and v.ns[0] in (account, "__public__"):
            frame = keyframe_file(v, blob)
            if frame is not None:
                return Response(frame.read_bytes(), media_type="image/jpeg")
    elif bucket == IMAGE_BUCKET and blob in emu.store.images:
        return Response(_PNG_1X1, media_type="image/png")
    if path is None:
        # Only bundled sample bytes are kept; uploaded files are hashed and discarded.
        raise ApiError(PARAM, f"blob not found: {bucket}/{blob}")
    return Response(path.read_bytes(), media_type="video/mp4")


def keyframe_file(video: Video, blob: str) -> Path | None:
    """The shipped JPEG of ``<video_no>/<start>.jpg`` (scripts/make_keyframes.py): the sample
    moment's own frame, a generic one for other uploads; None for a start no moment has."""
    starts = {video.keyframe_blob(seg.start) for seg in (*video.visual, *video.audio)}
    if blob not in starts:
        return None
    sample = video.content.sample_file
    if sample:
        return KEYFRAMES_DIR / stem(sample) / blob.split("/", 1)[1]
    return KEYFRAMES_DIR / "generic.jpg"


def download_video(emu: Emulator, account: str, p: Params) -> Response:
    """Download-video page: POST JSON ``{video_no, unique_id}`` streams the original file as
    ``application/octet-stream``; failures (not found, not ready) are JSON envelopes."""
    video_no = p.req("video_no", "videoNo")
    video = emu.store.video(namespace(account, p), video_no)
    if video is None:
        raise not_found(video_no)
    if video.status != PARSE:
        raise ApiError(PARAM, f"video is not ready for download: {video_no} ({video.status})")
    if not video.content.sample_file:
        # Only bundled sample bytes are kept; uploaded files are hashed and discarded.
        raise ApiError(PARAM, f"the original file of {video_no} is not stored")
    data = (SAMPLES_DIR / video.content.sample_file).read_bytes()
    headers = {"Content-Disposition": f'attachment; filename="{video.name}.mp4"'}
    return Response(data, media_type="application/octet-stream", headers=headers)


@api("other")
async def list_unique_ids(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    """List-unique-ids page: every namespace the account has uploaded into, deduplicated by
    exact (case-sensitive) name; ``{"unique_ids": []}`` for an account with no uploads."""
    with emu.store.lock:
        names = {v.ns[1] for v in emu.store.videos.values() if v.ns[0] == account}
        names |= {i.ns[1] for i in emu.store.images.values() if i.ns[0] == account}
    return ok({"unique_ids": sorted(names)})


routes = [
    Route(f"{V1}/upload", upload, methods=["POST"]),
    Route(f"{V1}/upload_url", upload_url, methods=["POST"]),
    Route(f"{V1}/upload_img", upload_img, methods=["POST"]),
    Route(f"{V1}/list_videos", list_videos, methods=["POST", "GET"]),
    Route(f"{V1}/delete_videos", delete_videos, methods=["POST"]),
    Route(f"{V1}/get_metadata", get_metadata, methods=["GET", "POST"]),
    Route("/serve/api/v2/download", download, methods=["GET"]),
    # v1 path: POST by video_no (Download-video page) or GET by bucket/blob (visual-search page).
    Route(f"{V1}/download", download, methods=["GET", "POST"]),
    Route(f"{V1}/list_unique_ids", list_unique_ids, methods=["GET"]),
]
