"""Public-library video detail and transcripts.

No docs page: paths, parameters and shapes are the live answers printed by
OpenInterX-Products/memories-ai-sdk ``python/API_public_video.ipynb`` (GET, only ``video_no``).
A number outside the public library is "video not found", as for private videos.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import not_found, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_transcripts import track
from memories_integrations.testing.routes_videos import V1
from memories_integrations.testing.store import Video

# Watch-page shapes per platform; the notebook printed a TikTok player URL.
_WATCH_URL = {
    "TIKTOK": "https://www.tiktok.com/player/v1/{n}",
    "YOUTUBE": "https://www.youtube.com/watch?v={n}",
    "INSTAGRAM": "https://www.instagram.com/reel/{n}/",
}


def _public_video(emu: Emulator, p: Params) -> Video:
    video_no = p.req("video_no", "videoNo")
    video = next((v for v in emu.store.public_videos() if v.video_no == video_no), None)
    if video is None:
        raise not_found(video_no)
    return video


@api("other")
async def get_public_video_detail(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video = _public_video(emu, p)
    digits = video.video_no.removeprefix("PI-")
    url = _WATCH_URL.get(video.platform or "TIKTOK", _WATCH_URL["TIKTOK"]).format(n=digits)
    # Every value a string, as printed (duration "45", create_time epoch ms digits).
    return ok(
        {
            "duration": str(int(video.content.duration)),
            "status": video.status,
            "video_no": video.video_no,
            "video_name": video.name,
            "create_time": str(video.create_ms),
            "video_url": url,
            "blogger_id": (video.content.topic or "emulator").replace(" ", "_").lower(),
        }
    )


@api("video_transcription")
async def get_public_video_transcription(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video = _public_video(emu, p)
    return ok(track(video, video.visual))


@api("audio_transcription")
async def get_public_audio_transcription(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    video = _public_video(emu, p)
    return ok(track(video, video.audio))


routes = [
    Route(f"{V1}/get_public_video_detail", get_public_video_detail, methods=["GET"]),
    Route(f"{V1}/get_public_video_transcription", get_public_video_transcription, methods=["GET"]),
    Route(f"{V1}/get_public_audio_transcription", get_public_audio_transcription, methods=["GET"]),
]
