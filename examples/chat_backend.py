"""A chatbot backend over memories.ai: ChatMemories answers, streamed with citations over SSE.

    pip install 'memories-integrations[langchain,emulator]'   # + [redis] for REDIS_URL
    MEMORIES_API_KEY=... PUBLIC_URL=https://bot.example.com python chat_backend.py --port 8000
    # or: uvicorn chat_backend:app     (a single file: copy it anywhere)

Built on the package's pieces, not the raw client: answers come from ``ChatMemories`` (the
LangChain chat model: streaming, sessions continued, cited moments verified); the client paces
every call at the account's documented limits (chat 2/min, search 1/s, upload 1/min); a
``ResponseCache`` keeps what never changes (ready videos' metadata, here the names cited
videos are shown with) in memory, or on ``REDIS_URL`` so every worker shares it (and the
rate-limit schedule with it).

Routes:
- ``POST /chat`` ``{"prompt": ..., "video_nos": [...]?, "session_id": ...?}`` streams
  server-sent events: ``thinking`` (reasoning), ``content`` (answer text as it arrives),
  ``citation`` (video, name, HH:MM:SS range, deep link, ``supported``), then ``done``
  (session id, to continue the conversation) — or ``error``. Without ``video_nos``: the
  namespace's ready videos (up to 20).
- ``POST /videos`` ``{"url": ...}`` indexes a video by URL with a tokenised callback URL.
- ``POST /callbacks/memories?token=...`` receives encoding callbacks (forged ones get 403).
- ``GET /videos/{video_no}/status`` the video's status, plus the callback seen for it (if any).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import AsyncIterator
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from memories_integrations import AsyncMemoriesClient, MemoriesError, RateLimiter, ResponseCache
from memories_integrations.callbacks import CallbackEvent, CallbackReceiver, callback_app
from memories_integrations.errors import NotFoundError
from memories_integrations.langchain import ChatMemories

CALLBACK_PATH = "/callbacks/memories"
MODEL_NAME = "memories-video-chat"  # ChatMemories' model_name: how it knows its own turns


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


def make_cache() -> ResponseCache:
    """In this process, or on ``REDIS_URL`` (shared by every worker; the ``redis`` extra)."""
    if url := os.environ.get("REDIS_URL"):
        from memories_integrations.cache import RedisStore

        return ResponseCache(RedisStore.from_url(url, prefix="chat-backend:cache:"))
    return ResponseCache()


def make_client() -> AsyncMemoriesClient:
    """Key and base URL from MEMORIES_API_KEY / MEMORIES_BASE_URL; the rate limiter on for
    every documented group unless MEMORIES_RATE_LIMITER says otherwise (it books each call
    against the limits before sending, so a burst waits instead of failing with 429); the
    response cache. With ``REDIS_URL`` the limiter's slots live there too: every worker of the
    account queues on one schedule (``RedisSlots``)."""
    limiter: RateLimiter | bool | None = None if os.environ.get("MEMORIES_RATE_LIMITER") else True
    if limiter and (url := os.environ.get("REDIS_URL")):
        from memories_integrations import RedisSlots

        limiter = RateLimiter(slots=RedisSlots.from_url(url, prefix="chat-backend:ratelimit:"))
    return AsyncMemoriesClient(rate_limiter=limiter, cache=make_cache())


def conversation(prompt: str, session_id: str | None) -> list[BaseMessage]:
    """What ChatMemories reads: with a session id, its last turn, so only ``prompt`` is sent
    and the memories.ai session continues."""
    if not session_id:
        return [HumanMessage(prompt)]
    last = AIMessage(content="", response_metadata={"model_name": MODEL_NAME,
                                                    "session_id": session_id})  # fmt: skip
    return [last, HumanMessage(prompt)]


def create_app(
    client: AsyncMemoriesClient | None = None,
    receiver: CallbackReceiver | None = None,
    public_url: str | None = None,
) -> Starlette:
    """``client``: defaults to ``make_client()`` on first use. ``public_url``: where
    memories.ai can reach this app (callback URLs are built from it)."""
    base = (public_url or os.environ.get("PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    receiver = receiver or CallbackReceiver(base + CALLBACK_PATH)
    latest: dict[str, CallbackEvent] = {}
    receiver.add_listener(lambda ev: latest.__setitem__(ev.video_no or ev.task_id or "", ev))
    holder: dict[str, AsyncMemoriesClient] = {"client": client} if client else {}

    def api() -> AsyncMemoriesClient:
        if "client" not in holder:
            holder["client"] = make_client()
        return holder["client"]

    async def ready_videos() -> list[str]:
        page = await api().list_videos(status="PARSE", size=20)
        return [v.video_no for v in page.videos if v.status.is_ready]

    async def video_name(video_no: str) -> str | None:
        try:  # a ready video's metadata never changes: after the first time, from the cache
            return (await api().get_metadata(video_no)).video_name
        except MemoriesError:
            return None

    async def chat(request: Request) -> Response:
        body = await request.json()
        prompt = str(body.get("prompt") or "").strip()
        if not prompt:
            return JSONResponse({"error": "prompt is required"}, status_code=400)
        video_nos = list(body.get("video_nos") or await ready_videos())
        if not video_nos:
            return JSONResponse({"error": "no ready videos"}, status_code=409)
        model = ChatMemories(async_client=api(), video_nos=video_nos)
        messages = conversation(prompt, body.get("session_id"))

        async def events() -> AsyncIterator[str]:
            meta: dict[str, Any] = {}
            try:
                async for chunk in model.astream(messages):
                    for block in chunk.content_blocks:
                        if block["type"] == "reasoning" and block.get("reasoning"):
                            yield sse("thinking", {"text": block["reasoning"]})
                        elif block["type"] == "text" and block.get("text"):
                            yield sse("content", {"text": block["text"]})
                    meta = chunk.response_metadata or meta
            except MemoriesError as exc:  # headers are sent: report in-band
                yield sse("error", {"error": type(exc).__name__, "message": exc.message})
                return
            unsupported = meta.get("unsupported_citations", [])
            for cited in meta.get("citations", []):
                name = await video_name(cited["video_no"])
                yield sse("citation", {**cited, "video_name": name})
            if unsupported:  # times the answer mentions that no returned moment covers
                yield sse("unsupported_citations", {"times": unsupported})
            yield sse("done", {"session_id": meta.get("session_id")})

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


app = create_app()

if __name__ == "__main__":
    import uvicorn

    parser = argparse.ArgumentParser(description="memories.ai chatbot backend (SSE)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port)
