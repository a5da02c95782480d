"""Search endpoints: semantic (ranked) search, transcript LIKE search, public library, image
search. Image similarity is SYNTHETIC: a uniform value in [0, 1) derived from sha256 of the
image bytes and the keyframe id, so it is deterministic but carries no visual meaning."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.corpus import (
    IMAGE_EXTENSIONS,
    PUBLIC_PLATFORMS,
    Segment,
    background_texts,
)
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, not_found, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_videos import (
    MAX_IMAGE_BYTES,
    V1,
    namespace,
    stem,
    taken_matches,
)
from memories_integrations.testing.search import Doc, Ranker, text_score
from memories_integrations.testing.store import (
    IMAGE_BUCKET,
    KEYFRAME_BUCKET,
    PARSE,
    VIDEO_BUCKET,
    Video,
)

SEARCH_TYPES = ("BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE")
PUBLIC_SEARCH_TYPES = ("BY_VIDEO", "BY_CLIP", "BY_AUDIO")
FILTER_LEVELS = {"LOW": 0.15, "MEDIUM": 0.225, "HIGH": 0.4}
_NEAR_DEGREES = 0.05  # "same place" radius for latitude/longitude filtering (~5 km)


def hits(emu: Emulator, rows: list[dict[str, Any]]) -> Response:
    """A list of hits; no hit at all is ``data: {}`` (current Search page's example) unless
    the emulator is lenient (then ``[]``)."""
    if emu.config.live_style_hits:
        rows = [_loose(row) for row in rows]
    return ok(rows if rows or emu.config.lenient else {})


def _loose(row: dict[str, Any]) -> dict[str, Any]:
    """A hit as the live API printed it: times the string "null", no score."""
    loose = {k: v for k, v in row.items() if k != "score"}
    return {**loose, "startTime": "null", "endTime": "null"}


def fmt_time(t: float) -> str:
    return str(int(t)) if float(t).is_integer() else str(t)


def clip_hit(v: Video, seg: Segment, score: float) -> dict[str, Any]:
    return {
        "videoNo": v.video_no,
        "videoName": v.name,
        "startTime": fmt_time(seg.start),
        "endTime": fmt_time(seg.end),
        "score": score,
        "video_bucket": VIDEO_BUCKET,
        "video_blob": v.blob,
        "keyframe_bucket": KEYFRAME_BUCKET,
        "keyframe_blob": v.keyframe_blob(seg.start),
    }


def _filter(videos: list[Video], p: Params) -> list[Video]:
    nos = p.many("video_nos", "videoNos")
    if len(nos) > 100:
        raise ApiError(PARAM, "video_nos accepts at most 100 video numbers")
    tag, camera, taken = p.opt("tag"), p.opt("camera_tag", "camera_model"), p.opt("datetime_taken")
    lat, lon = p.number("latitude"), p.number("longitude")
    if (lat is None) != (lon is None):
        raise ApiError(PARAM, "latitude and longitude must be given together")
    out = []
    for v in videos:
        if v.status != PARSE or (nos and v.video_no not in nos):
            continue
        if tag and tag not in v.tags:
            continue
        if camera and v.metadata.get("camera_model") != camera:
            continue
        if taken and not taken_matches(v, taken):
            continue
        if lat is not None and lon is not None:
            vlat, vlon = v.metadata.get("latitude"), v.metadata.get("longitude")
            if vlat is None or vlon is None:
                continue
            if abs(vlat - lat) > _NEAR_DEGREES or abs(vlon - lon) > _NEAR_DEGREES:
                continue
        out.append(v)
    return out


def rank_segments(
    videos: list[Video], query: str, track: str, threshold: float, top_k: int
) -> list[tuple[Video, Segment, float]]:
    by_key = {v.video_no: v for v in videos}
    docs = []
    for v in videos:
        for i, seg in enumerate(v.audio if track == "audio" else v.visual):
            docs.append(Doc((v.video_no, i), seg.text))
    out = []
    for doc, score in Ranker(docs, background_texts()).rank(query):
        if score < threshold:
            break
        v = by_key[doc.key[0]]
        seg = (v.audio if track == "audio" else v.visual)[doc.key[1]]
        out.append((v, seg, score))
        if len(out) >= top_k:
            break
    return out


def _search_common(p: Params, types: tuple[str, ...], default: str) -> tuple[str, str, float, int]:
    query = p.req("search_param", "query")
    search_type = p.enum("search_type", choices=types, default=default)
    level = p.enum("filtering_level", choices=tuple(FILTER_LEVELS), default="LOW")
    hi = 200 if search_type == "BY_CAPTION" else 1000
    top_k = p.integer("top_k", default=10, lo=1, hi=hi)
    return query, search_type, FILTER_LEVELS[level], top_k


def segment_hits(
    videos: list[Video], query: str, search_type: str, threshold: float, top_k: int
) -> list[dict[str, Any]]:
    track = "audio" if search_type == "BY_AUDIO" else "visual"
    hits = []
    for v, seg, score in rank_segments(videos, query, track, threshold, top_k):
        if search_type == "BY_CAPTION":
            hits.append(
                {
                    "videoNo": v.video_no,
                    "videoName": v.name,
                    "startTime": fmt_time(seg.start),
                    "endTime": fmt_time(seg.end),
                    "score": score,
                    "caption": seg.text,
                }
            )
            continue
        hit = clip_hit(v, seg, score)
        hit["audio_ts" if track == "audio" else "caption"] = seg.text
        hits.append(hit)
    return hits


@api("search")
async def search(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    query, search_type, threshold, top_k = _search_common(p, SEARCH_TYPES, "BY_CLIP")
    ns = namespace(account, p)
    if search_type == "BY_IMAGE":
        return hits(emu, _image_hits(emu, ns, query, threshold, top_k))
    videos = _filter(emu.store.videos_in(ns), p)
    return hits(emu, segment_hits(videos, query, search_type, threshold, top_k))


def _image_hits(
    emu: Emulator, ns: tuple[str, str], query: str, threshold: float, top_k: int
) -> list[dict[str, Any]]:
    with emu.store.lock:
        images = [i for i in emu.store.images.values() if i.ns == ns]
    docs = [
        Doc((img.image_no, 0), " ".join([stem(img.name).replace("_", " "), *img.tags]))
        for img in images
    ]
    by_no = {img.image_no: img for img in images}
    hits = []
    for doc, score in Ranker(docs, background_texts()).rank(query)[:top_k]:
        if score < threshold:
            break
        img = by_no[doc.key[0]]
        hits.append(
            {
                "imageNo": img.image_no,
                "videoNo": img.image_no,
                "videoName": img.name,
                "startTime": "0",
                "endTime": "0",
                "score": score,
                "image_bucket": IMAGE_BUCKET,
                "image_blob": img.image_no,
            }
        )
    return hits


def public_videos(emu: Emulator, platform: str) -> list[Video]:
    return [v for v in emu.store.public_videos() if v.platform == platform and v.status == PARSE]


def _platform(p: Params) -> str:
    value = (p.opt("type", "platform") or "TIKTOK").upper()
    return value if value in PUBLIC_PLATFORMS else "TIKTOK"  # current docs: unknown falls back


@api("search")
async def search_public(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    query, search_type, threshold, top_k = _search_common(p, PUBLIC_SEARCH_TYPES, "BY_VIDEO")
    found = segment_hits(public_videos(emu, _platform(p)), query, search_type, threshold, top_k)
    return hits(emu, found)


def _transcript_page(videos: list[Video], p: Params) -> dict[str, Any]:
    query = p.req("query", "search_param").lower()
    page = p.integer("page", default=1, lo=1, hi=1_000_000)
    size = p.integer("page_size", "size", default=20, lo=1, hi=500)
    rows = []
    for v in sorted(videos, key=lambda v: v.video_no):
        for seg in v.audio:
            if query in seg.text.lower():
                rows.append(
                    {
                        "videoNo": v.video_no,
                        "videoName": v.name,
                        "startTime": fmt_time(seg.start),
                        "endTime": fmt_time(seg.end),
                        "audio_ts": seg.text,
                        "video_bucket": VIDEO_BUCKET,
                        "video_blob": v.blob,
                    }
                )
    return {
        "current_page": page,
        "page_size": size,
        "total_count": str(len(rows)),
        "videos": rows[(page - 1) * size : page * size],
    }


@api("search")
async def search_audio_transcripts(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    videos = [v for v in emu.store.videos_in(namespace(account, p)) if v.status == PARSE]
    return ok(_transcript_page(videos, p))


@api("search")
async def search_public_audio_transcripts(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    return ok(_transcript_page(public_videos(emu, _platform(p)), p))


async def _image_sha(p: Params) -> str:
    parts = p.files.get("file") or p.files.get("files")
    if not parts:
        raise ApiError(PARAM, "Missing required parameter: file")
    part: UploadFile = parts[0]
    name = part.filename or ""
    if not name.lower().endswith(IMAGE_EXTENSIONS):
        raise ApiError(
            PARAM, f"Unsupported image type: {name!r} (allowed: {', '.join(IMAGE_EXTENSIONS)})"
        )
    data = await part.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ApiError(PARAM, "Image too large (max 20 MB)")
    if not data:
        raise ApiError(PARAM, "Uploaded image is empty")
    return hashlib.sha256(data).hexdigest()


def similarity(image_sha: str, keyframe: str) -> float:
    """Synthetic, deterministic image similarity in [0, 1)."""
    digest = hashlib.sha256(f"{image_sha}:{keyframe}".encode()).digest()
    return round(int.from_bytes(digest[:4], "big") / 2**32, 6)


async def _similar(videos: list[Video], p: Params) -> list[dict[str, Any]]:
    image_sha = await _image_sha(p)
    threshold = p.number("similarity", "threshold", default=0.85)
    if threshold is None or not 0 <= threshold <= 1:
        raise ApiError(PARAM, "similarity must be between 0 and 1")
    top_k = p.integer("top_k", default=10, lo=1, hi=1000)
    scored = []
    for v in videos:
        for seg in v.visual:
            score = similarity(image_sha, v.keyframe_blob(seg.start))
            if score >= threshold:
                scored.append((score, v.video_no, seg.start, v, seg))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [clip_hit(v, seg, score) for score, _, _, v, seg in scored[:top_k]]


@api("search")
async def search_similar_images(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    videos = [v for v in emu.store.videos_in(namespace(account, p)) if v.status == PARSE]
    return hits(emu, await _similar(videos, p))


@api("search")
async def search_public_similar_images(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    return hits(emu, await _similar(public_videos(emu, _platform(p)), p))


@api("search")
async def search_clips_by_image(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video_no = p.req("video_no", "videoNo")
    image_sha = await _image_sha(p)
    video = emu.store.video(namespace(account, p), video_no)
    if video is None:
        raise not_found(video_no)
    if video.status != PARSE:
        raise ApiError(PARAM, f"Video is not parsed: {video_no}")
    prompt = p.opt("prompt")
    if not prompt and not emu.config.lenient:
        raise ApiError(PARAM, "The prompt parameter cannot be empty!")  # the live answer
    top_k = p.integer("top_k", default=10, lo=1, hi=1000)
    scored = []
    for seg in video.visual:
        score = similarity(image_sha, video.keyframe_blob(seg.start))
        if prompt:
            score = round(0.5 * score + 0.5 * text_score(prompt, seg.text, background_texts()), 6)
        scored.append((score, seg))
    scored.sort(key=lambda t: (-t[0], t[1].start))
    return hits(
        emu,
        [
            {
                "start_time": float(seg.start),
                "end_time": float(seg.end),
                "score": score,
                "video_bucket": VIDEO_BUCKET,
                "video_blob": video.blob,
            }
            for score, seg in scored[:top_k]
        ],
    )


routes = [
    Route(f"{V1}/search", search, methods=["POST"]),
    Route(f"{V1}/search_public", search_public, methods=["POST"]),
    Route(f"{V1}/search_audio_transcripts", search_audio_transcripts, methods=["GET", "POST"]),
    Route(
        f"{V1}/search_public_audio_transcripts",
        search_public_audio_transcripts,
        methods=["GET", "POST"],
    ),
    Route(f"{V1}/search_similar_images", search_similar_images, methods=["POST"]),
    Route(f"{V1}/search_public_similar_images", search_public_similar_images, methods=["POST"]),
    Route(f"{V1}/search_clips_by_image", search_clips_by_image, methods=["POST"]),
]
