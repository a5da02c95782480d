"""Caption / transcript tracks and summaries (v1.2 Transcription pages)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.corpus import Segment
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import not_found, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_search import fmt_time
from memories_integrations.testing.routes_videos import V1, namespace
from memories_integrations.testing.search import tokenize
from memories_integrations.testing.store import PARSE, VIDEO_BUCKET, Video


def _video(emu: Emulator, account: str, p: Params) -> Video:
    video_no = p.req("video_no", "videoNo")
    video = emu.store.video(namespace(account, p), video_no)
    if video is None:
        raise not_found(video_no)
    return video


def track(video: Video, segments: tuple[Segment, ...]) -> dict[str, Any] | None:
    if video.status != PARSE or not segments:
        return None  # not ready, failed, or no such track: data null
    return {
        "videoNo": video.video_no,
        "transcriptions": [
            {
                "index": i,
                "content": s.text,
                "startTime": fmt_time(s.start),
                "endTime": fmt_time(s.end),
            }
            for i, s in enumerate(segments)
        ],
        "createTime": str(video.parsed_ms or video.create_ms),
        "video_bucket": VIDEO_BUCKET,
        "video_blob": video.blob,
    }


@api("video_transcription")
async def get_video_transcription(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video = _video(emu, account, p)
    return ok(track(video, video.visual))


@api("audio_transcription")
async def get_audio_transcription(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video = _video(emu, account, p)
    return ok(track(video, video.audio))


def _title(text: str) -> str:
    words = [w for w in text.replace(",", " ").replace(".", " ").split() if tokenize(w)]
    return " ".join(w.capitalize() for w in words[:5])


@api("summary")
async def generate_summary(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    p.req("type", "summary_type")
    summary_type = p.enum("type", "summary_type", choices=("CHAPTER", "TOPIC"), default="CHAPTER")
    video = _video(emu, account, p)
    if video.status != PARSE:
        return ok(None)
    scenes = list(video.visual)
    if summary_type == "CHAPTER":
        groups = [[s] for s in scenes]
    else:
        half = (len(scenes) + 1) // 2
        groups = [g for g in (scenes[:half], scenes[half:]) if g]
    items = [
        {
            "title": _title(g[0].text),
            "description": " ".join(s.text for s in g),
            "start": fmt_time(g[0].start),
            "end": fmt_time(g[-1].end),
        }
        for g in groups
    ]
    overview = f'The video "{video.name}" ({video.content.title}) covers {len(scenes)} scenes. '
    overview += " ".join(s.text for s in scenes[:1] + scenes[-1:])
    return ok(
        {
            "videoNo": video.video_no,
            "summary_type": summary_type,
            "summary": overview,
            "items": items,
        }
    )


routes = [
    Route(f"{V1}/get_video_transcription", get_video_transcription, methods=["GET", "POST"]),
    Route(f"{V1}/get_video_caption", get_video_transcription, methods=["GET", "POST"]),
    Route(f"{V1}/get_audio_transcription", get_audio_transcription, methods=["GET", "POST"]),
    Route(f"{V1}/generate_summary", generate_summary, methods=["GET", "POST"]),
]
