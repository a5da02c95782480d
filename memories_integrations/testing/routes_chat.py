"""Video chat (JSON or server-sent events), personal-media and Video Marketer chat, and chat
sessions (current Video-Chat / Personal-media-chat pages, v1.2 Video Marketer / Utils pages)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from memories_integrations.testing.corpus import Segment, background_texts
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_videos import V1, namespace
from memories_integrations.testing.search import Doc, Ranker
from memories_integrations.testing.store import PARSE, Session, Video

_CHUNK = 40
_MAX_MOMENTS = 3


def _clock(t: float) -> str:
    return f"{int(t) // 60:02d}:{int(t) % 60:02d}"


def _moments(videos: list[Video], prompt: str) -> list[tuple[Video, str, Segment]]:
    """Best-matching segments of the given videos (falls back to each video's opening)."""
    docs, lookup = [], {}
    for v in videos:
        for track, segs in (("visual_ts", v.visual), ("audio_ts", v.audio)):
            for i, seg in enumerate(segs):
                key = (f"{v.video_no}|{track}", i)
                docs.append(Doc(key, seg.text))
                lookup[key] = (v, track, seg)
    ranked = Ranker(docs, background_texts()).rank(prompt)
    picked = [lookup[d.key] for d, _ in ranked[:_MAX_MOMENTS]]
    if not picked:
        picked = [(v, "visual_ts", v.visual[0]) for v in videos if v.visual][:_MAX_MOMENTS]
    return picked


def _refs(moments: list[tuple[Video, str, Segment]]) -> list[dict[str, Any]]:
    refs: dict[str, dict[str, Any]] = {}
    for v, track, seg in moments:
        ref = refs.setdefault(
            v.video_no,
            {
                "video": {
                    "duration": str(int(v.content.duration)),
                    "video_no": v.video_no,
                    "video_name": v.name,
                },
                "refItems": [],
            },
        )
        items = ref["refItems"]
        if not any(i["type"] == "keyframe" and i["startTime"] == int(seg.start) for i in items):
            items.append({"videoNo": v.video_no, "startTime": int(seg.start), "type": "keyframe"})
        items.append(
            {
                "videoNo": v.video_no,
                "startTime": int(seg.start),
                "endTime": int(seg.end),
                "type": track,
                "text": seg.text,
            }
        )
    return list(refs.values())


def _answer(prompt: str, moments: list[tuple[Video, str, Segment]]) -> str:
    lines = [f'Here is what the selected videos show about "{prompt}":']
    for n, (v, track, seg) in enumerate(moments, 1):
        source = "narration" if track == "audio_ts" else "visuals"
        lines.append(
            f'{n}. "{v.name}" at {_clock(seg.start)}-{_clock(seg.end)} ({source}): {seg.text}'
        )
    return "\n".join(lines)


def _event(payload: dict[str, Any]) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


def _wants_sse(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "").lower()


def _sse(payloads: list[Any]) -> Response:
    async def stream() -> AsyncIterator[bytes]:
        for payload in payloads:
            yield payload if isinstance(payload, bytes) else _event(payload)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


def _json_answer(events: list[dict[str, Any]]) -> Response:
    """The current Video-Chat page's non-streaming answer, folded from the stream's events."""
    sid = next((ev["sessionId"] for ev in events if "sessionId" in ev), None)
    data: dict[str, Any] = {
        "role": "ASSISTANT",
        "content": "".join(ev["content"] for ev in events if ev.get("type") == "content"),
        "thinkings": [
            {"title": ev["title"], "content": ev["content"]}
            for ev in events
            if ev.get("type") == "thinking"
        ],
        "session_id": sid,
    }
    refs = [r for ev in events if ev.get("type") == "ref" for r in ev["ref"]]
    if refs:
        data["refs"] = refs
    return ok(data)


def _video_chat(emu: Emulator, account: str, p: Params) -> tuple[list[dict[str, Any]], str]:
    """(events, final message) of a chat about ``video_nos``; final is "Done" on success."""
    prompt = p.req("prompt")
    nos = p.many("video_nos", "videoNos")
    if not nos:
        raise ApiError(PARAM, "Missing required parameter: video_nos")
    ns = namespace(account, p)
    found = [v for v in (emu.store.video(ns, n) for n in nos) if v is not None]
    unparsed = [v.video_no for v in found if v.status != PARSE]
    if not found:
        return [], "No videos found for the provided video numbers."
    if unparsed:
        return [], f"Video is not parsed: {', '.join(unparsed)}"
    return _converse(emu, ns, p.opt("session_id", "sessionId"), prompt, found), "Done"


@api("chat")
async def chat(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    """Current Video-Chat page: one JSON envelope unless the SSE Accept header is sent (then
    the v1.2 stream). Lenient mode streams either way, as v1.2 did."""
    events, final = _video_chat(emu, account, p)
    if _wants_sse(request) or emu.config.lenient:
        return _sse([*events, {"code": "SUCCESS", "data": final}])
    if final != "Done":
        raise ApiError(PARAM, final)
    return _json_answer(events)


@api("chat")
async def chat_stream(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    """``/chat_stream``: thinking / ref / content events ending with the SUCCESS Done message."""
    events, final = _video_chat(emu, account, p)
    return _sse([*events, {"code": "SUCCESS", "data": final}])


def _parsed_videos(emu: Emulator, ns: tuple[str, str]) -> list[Video]:
    return [v for v in emu.store.videos_in(ns) if v.status == PARSE]


def _pool_chat(emu: Emulator, account: str, p: Params, pool: list[Video]) -> list[dict[str, Any]]:
    prompt = p.req("prompt")
    if not pool:
        raise ApiError(PARAM, "No parsed videos to chat about.")
    ns = namespace(account, p)
    return _converse(emu, ns, p.opt("session_id", "sessionId"), prompt, pool)


@api("chat")
async def chat_personal(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    """Personal-media chat page: every parsed video of the namespace, no video_nos."""
    events = _pool_chat(emu, account, p, _parsed_videos(emu, namespace(account, p)))
    return _json_answer(events)


@api("chat")
async def chat_personal_stream(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    """Personal-media chat page's stream: ``data: {"token": ...}`` lines, then ``data: [DONE]``."""
    events = _pool_chat(emu, account, p, _parsed_videos(emu, namespace(account, p)))
    tokens: list[Any] = [{"token": ev["content"]} for ev in events if ev.get("type") == "content"]
    return _sse([*tokens, b"data: [DONE]\n\n"])


def _marketer_pool(emu: Emulator) -> list[Video]:
    return [v for v in emu.store.public_videos() if v.platform == "TIKTOK" and v.status == PARSE]


@api("marketer_chat")
async def marketer_chat(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    """v1.2 Video Marketer page: a chat over the public TikTok pool (no video_nos)."""
    return _json_answer(_pool_chat(emu, account, p, _marketer_pool(emu)))


@api("marketer_chat")
async def marketer_chat_stream(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    """The Video Marketer stream; it ends with ``data:"Done"``, one of the ends the page's
    sample loop checks for."""
    events = _pool_chat(emu, account, p, _marketer_pool(emu))
    return _sse([*events, b'data:"Done"\n\n'])


def _converse(
    emu: Emulator, ns: tuple[str, str], session_id: str | None, prompt: str, videos: list[Video]
) -> list[dict[str, Any]]:
    store = emu.store
    with store.lock:
        session = store.sessions.get(session_id or "")
        if session is None or session.ns != ns:
            # An unknown session id starts a new session under that id (lenient).
            sid = session_id or store.ids.session()
            session = Session(sid, ns, prompt, [v.video_no for v in videos], store.now_ms())
            store.sessions[sid] = session
    sid = session.session_id
    moments = _moments(videos, prompt)
    thinkings = [
        {
            "title": "Based on selected videos, fetch detailed information",
            "content": f'The user asks: "{prompt}". I need the captions and transcripts '
            f"of {len(videos)} video(s).",
        },
        {
            "title": "Locate relevant moments",
            "content": f"Ranking the video segments against the question; "
            f"{len(moments)} moment(s) stand out.",
        },
    ]
    refs = _refs(moments)
    answer = _answer(prompt, moments)
    events: list[dict[str, Any]] = [{"type": "thinking", **t, "sessionId": sid} for t in thinkings]
    events.append({"type": "ref", "sessionId": sid, "ref": refs})
    events.extend(
        {
            "type": "content",
            "role": "assistant",
            "content": answer[i : i + _CHUNK],
            "sessionId": sid,
        }
        for i in range(0, len(answer), _CHUNK)
    )
    with store.lock:
        session.messages.append({"role": "user", "content": prompt})
        session.messages.append(
            {"role": "assistant", "content": answer, "thinkings": thinkings, "refs": refs}
        )
    return events


@api("list_sessions")
async def list_sessions(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    page = p.integer("page", default=1, lo=1, hi=1_000_000)
    size = p.integer("page_size", "size", default=20, lo=1, hi=1000)
    ns = namespace(account, p)
    with emu.store.lock:
        sessions = [s for s in emu.store.sessions.values() if s.ns == ns]
    sessions.sort(key=lambda s: (s.created_ms, s.session_id), reverse=True)
    rows = [
        # sessionId/title as in the example; session_id/video_no/created_time as in the table.
        {
            "sessionId": s.session_id,
            "session_id": s.session_id,
            "title": s.title,
            "video_no": s.video_nos[0] if s.video_nos else None,
            "created_time": str(s.created_ms),
        }
        for s in sessions[(page - 1) * size : page * size]
    ]
    return ok(
        {
            "sessions": rows,
            "current_page": page,
            "page_size": size,
            "total_count": str(len(sessions)),
        }
    )


@api("list_sessions")
async def get_session_detail(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    sid = p.req("sessionId", "session_id")
    with emu.store.lock:
        session = emu.store.sessions.get(sid)
        if session is None or session.ns != namespace(account, p):
            raise ApiError(PARAM, f"session not found: {sid}")
        messages = [dict(m) for m in session.messages]
    return ok({"title": session.title, "messages": messages, "session_id": session.session_id})


routes = [
    Route(f"{V1}/chat", chat, methods=["POST"]),
    Route(f"{V1}/chat_stream", chat_stream, methods=["POST"]),
    Route(f"{V1}/chat_personal", chat_personal, methods=["POST"]),
    Route(f"{V1}/chat_personal_stream", chat_personal_stream, methods=["POST"]),
    Route(f"{V1}/marketer_chat", marketer_chat, methods=["POST"]),
    Route(f"{V1}/marketer_chat_stream", marketer_chat_stream, methods=["POST"]),
    Route(f"{V1}/list_sessions", list_sessions, methods=["GET", "POST"]),
    Route(f"{V1}/get_session_detail", get_session_detail, methods=["GET", "POST"]),
]
