"""A small chatbot backend over memories.ai (Starlette; FastAPI mounts the same way).

    pip install 'memories-integrations[emulator]'     # starlette + uvicorn
    MEMORIES_API_KEY=... PUBLIC_URL=https://bot.example.com uvicorn examples.chat_backend:app

Routes:
- ``POST /chat`` ``{"prompt": ..., "video_nos": [...]?, "session_id": ...?}`` streams server-sent
  events: ``content`` (answer text as it arrives), ``citation`` (video, HH:MM:SS range, text),
  then ``done`` (session id) — or ``error``.
- ``POST /videos`` ``{"url": ...}`` indexes a video by URL with a tokenised callback URL.
- ``POST /callbacks/memories?token=...`` receives encoding callbacks (forged ones get 403).
- ``GET /videos/{video_no}/status`` the video's status, plus the callback seen for it (if any).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from memories_integrations import AsyncMemoriesClient, MemoriesError
from memories_integrations.callbacks import CallbackEvent, CallbackReceiver, callback_app
from memories_integrations.errors import NotFoundError
from memories_integrations.models import ContentEvent, RefEvent

CALLBACK_PATH = "/callbacks/memories"


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def create_app(
    client: AsyncMemoriesClient | None = None,
    receiver: CallbackReceiver | None = None,
    public_url: str | None = None,
) -> Starlette:
    """``client``: defaults to one built from MEMORIES_API_KEY on first use. ``public_url``:
    where memories.ai can reach this app (callback URLs are built from it)."""
    base = (public_url or os.environ.get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    receiver = receiver or CallbackReceiver(base + CALLBACK_PATH)
    latest: dict[str, CallbackEvent] = {}
    receiver.add_listener(lambda ev: latest.__setitem__(ev.video_no or ev.task_id or "", ev))
    holder: dict[str, AsyncMemoriesClient] = {"client": client} if client else {}

    def api() -> AsyncMemoriesClient:
        if "client" not in holder:
            holder["client"] = AsyncMemoriesClient()  # key from the environment
        return holder["client"]

    async def default_videos() -> list[str]:
        page = await api().list_videos(status="PARSE", size=20)
        return [v.video_no for v in page.videos if v.status.is_ready]

    async def chat(request: Request) -> Response:
        body = await request.json()
        prompt = str(body.get("prompt") or "").strip()
        if not prompt:
            return JSONResponse({"error": "prompt is required"}, status_code=400)
        video_nos = list(body.get("video_nos") or await default_videos())
        if not video_nos:
            return JSONResponse({"error": "no ready videos"}, status_code=409)

        async def events() -> AsyncIterator[str]:
            session = None
            try:
                stream = api().chat_stream(video_nos, prompt, session_id=body.get("session_id"))
                async for event in stream:
                    session = event.session_id or session
                    if isinstance(event, ContentEvent) and event.content:
                        yield sse("content", {"text": event.content})
                    elif isinstance(event, RefEvent):
                        for ref in event.ref:
                            for item in ref.ref_items:
                                yield sse("citation", citation(ref.video.video_no, ref, item))
            except MemoriesError as exc:  # headers are sent: report in-band
                yield sse("error", {"error": type(exc).__name__, "message": exc.message})
                return
            yield sse("done", {"session_id": session})

        return StreamingResponse(events(), media_type="text/event-stream")

    async def add_video(request: Request) -> Response:
        body = await request.json()
        try:
            result = await api().upload_url(str(body.get("url", "")), via=receiver)
        except MemoriesError as exc:
            return JSONResponse({"error": exc.message}, status_code=400)
        return JSONResponse({"video_no": result.video_no, "status": result.status.value})

    async def status(request: Request) -> Response:
        video_no = request.path_params["video_no"]
        try:
            meta = await api().get_metadata(video_no)
        except NotFoundError:
            return JSONResponse({"error": f"unknown video {video_no}"}, status_code=404)
        if not meta.ready:
            # data: null is also the live answer for an unknown video: its listing tells.
            rows = (await api().list_videos(video_no=video_no)).videos
            if all(row.video_no != video_no for row in rows):
                return JSONResponse({"error": f"unknown video {video_no}"}, status_code=404)
        seen = latest.get(video_no)
        return JSONResponse(
            {
                "video_no": meta.video_no,
                "video_name": meta.video_name,
                "status": meta.status.value,
                "callback": None if seen is None else seen.raw_status,
            }
        )

    return Starlette(
        routes=[
            Route("/chat", chat, methods=["POST"]),
            Route("/videos", add_video, methods=["POST"]),
            Route("/videos/{video_no}/status", status, methods=["GET"]),
            Route(CALLBACK_PATH, callback_app(receiver), methods=["POST"]),
        ]
    )


def citation(video_no: str, ref: Any, item: Any) -> dict[str, Any]:
    return {
        "video_no": item.video_no or video_no,
        "video_name": ref.video.video_name,
        "type": item.type,
        "start": item.start_timestamp,
        "end": item.end_timestamp,
        "text": item.text,
    }


app = create_app()
