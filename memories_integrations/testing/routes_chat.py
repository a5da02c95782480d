"""Video chat (server-sent events) and chat sessions (v1.2 Video-Chat / Utils pages)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from .corpus import Segment, background_texts
from .emulator import Emulator
from .envelope import PARAM, ApiError, ok
from .params import Params, api
from .routes_videos import V1, namespace
from .search import Doc, Ranker
from .store import PARSE, Session, Video

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


@api("chat")
async def chat(request: Request, emu: Emulator, account: str, p: Params) -> Response:
    prompt = p.req("prompt")
    nos = p.many("video_nos", "videoNos")
    if not nos:
        raise ApiError(PARAM, "Missing required parameter: video_nos")
    ns = namespace(account, p)
    found = [v for v in (emu.store.video(ns, n) for n in nos) if v is not None]
    events: list[dict[str, Any]] = []
    unparsed = [v.video_no for v in found if v.status != PARSE]
    if not found:
        final = "No videos found for the provided video numbers."
    elif unparsed:
        final = f"Video is not parsed: {', '.join(unparsed)}"
    else:
        final = "Done"
        events = _converse(emu, ns, p.opt("session_id", "sessionId"), prompt, found)
    events.append({"code": "SUCCESS", "data": final})

    async def stream() -> AsyncIterator[bytes]:
        for payload in events:
            yield _event(payload)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
    )


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
    Route(f"{V1}/list_sessions", list_sessions, methods=["GET", "POST"]),
    Route(f"{V1}/get_session_detail", get_session_detail, methods=["GET", "POST"]),
]
