"""Video chat, personal-media chat and Video Marketer chat (JSON answer or server-sent events).

Current Video-Chat page: ``/chat`` answers one JSON envelope, ``/chat_stream`` streams when sent
``Accept: text/event-stream``. Personal-media chat page: ``/chat_personal`` and
``/chat_personal_stream`` take ``{prompt, session_id, unique_id}`` (no video_nos). v1.2 Video
Marketer page: ``/marketer_chat`` and ``/marketer_chat_stream``, same body, chatting with the
public TikTok pool. The clients read either answer form from every one of these endpoints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, drop_none, nothing
from memories_integrations.errors import InvalidInputError

SSE_ACCEPT = {"Accept": "text/event-stream"}


def _chat_endpoint(name: str, path: str, group: str, stream: bool) -> Endpoint:
    return Endpoint(name, "POST", f"/serve/api/v1/{path}", group, idempotent=False, stream=stream)


# Rate-limit groups: the current Rate-limits page counts personal chat with video chat ("chat")
# and lists Video Marketer chat on its own ("marketer_chat").
CHAT = _chat_endpoint("chat", "chat", "chat", False)
CHAT_STREAM = _chat_endpoint("chat_stream", "chat_stream", "chat", True)
CHAT_PERSONAL = _chat_endpoint("chat_personal", "chat_personal", "chat", False)
CHAT_PERSONAL_STREAM = _chat_endpoint("chat_personal_stream", "chat_personal_stream", "chat", True)
MARKETER_CHAT = _chat_endpoint("marketer_chat", "marketer_chat", "marketer_chat", False)
MARKETER_CHAT_STREAM = _chat_endpoint(
    "marketer_chat_stream", "marketer_chat_stream", "marketer_chat", True
)
_INT64_MAX = 2**63 - 1


def session_value(session_id: str | int | None, *, endpoint: str) -> str | int | None:
    """``session_id`` as the API wants it: digits as a JSON number, other ids as strings.

    The Video-Chat parameter table types it int and one client reports string values failing;
    ids that are not numbers (or do not fit the server's 64-bit integer) stay strings. An empty
    id (the pages send "" to start a session) is left out.
    """
    if session_id is None:
        return None
    if isinstance(session_id, bool) or not isinstance(session_id, (str, int)):
        raise InvalidInputError(
            "session_id must be a string or an integer", endpoint=endpoint, param="session_id"
        )
    if isinstance(session_id, int):
        if session_id < 0:
            raise InvalidInputError(
                "session_id must not be negative", endpoint=endpoint, param="session_id"
            )
        return session_id
    text = session_id.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and int(text) <= _INT64_MAX:
        return int(text)
    return v.encodable(text, param="session_id", endpoint=endpoint)


def _body(
    endpoint: Endpoint,
    prompt: str,
    *,
    session_id: str | int | None,
    unique_id: str,
    english_only: bool,
    video_nos: Sequence[str] | None = None,
) -> dict[str, Any]:
    ep = endpoint.path
    return drop_none(
        {
            "video_nos": None
            if video_nos is None
            else v.id_list(video_nos, param="video_nos", endpoint=ep, limit=v.MAX_VIDEO_NOS),
            "prompt": v.text(prompt, param="prompt", endpoint=ep, english=english_only),
            "session_id": session_value(session_id, endpoint=ep),
            "unique_id": unique_id,
        }
    )


def _call(endpoint: Endpoint, body: dict[str, Any]) -> Call[None]:
    # Only the stream endpoints ask for SSE: /chat without the header answers JSON.
    return Call(endpoint, nothing, json=body, headers=dict(SSE_ACCEPT) if endpoint.stream else {})


def chat(
    video_nos: Sequence[str],
    prompt: str,
    *,
    session_id: str | int | None,
    unique_id: str,
    english_only: bool,
    stream: bool = False,
) -> Call[None]:
    endpoint = CHAT_STREAM if stream else CHAT
    body = _body(
        endpoint,
        prompt,
        video_nos=video_nos,
        session_id=session_id,
        unique_id=unique_id,
        english_only=english_only,
    )
    return _call(endpoint, body)


def chat_personal(
    prompt: str,
    *,
    session_id: str | int | None,
    unique_id: str,
    english_only: bool,
    stream: bool = False,
) -> Call[None]:
    endpoint = CHAT_PERSONAL_STREAM if stream else CHAT_PERSONAL
    body = _body(
        endpoint, prompt, session_id=session_id, unique_id=unique_id, english_only=english_only
    )
    return _call(endpoint, body)


def marketer_chat(
    prompt: str,
    *,
    session_id: str | int | None,
    unique_id: str,
    english_only: bool,
    stream: bool = False,
) -> Call[None]:
    endpoint = MARKETER_CHAT_STREAM if stream else MARKETER_CHAT
    body = _body(
        endpoint, prompt, session_id=session_id, unique_id=unique_id, english_only=english_only
    )
    return _call(endpoint, body)
