"""Video chat (server-sent events)."""

from __future__ import annotations

from collections.abc import Sequence

from .. import _validation as v
from ._core import Call, Endpoint, drop_none, nothing

CHAT = Endpoint("chat", "POST", "/serve/api/v1/chat", "chat", idempotent=False, stream=True)


def chat(
    video_nos: Sequence[str],
    prompt: str,
    *,
    session_id: str | int | None,
    unique_id: str,
    english_only: bool,
) -> Call[None]:
    ep = CHAT.path
    body = drop_none(
        {
            "video_nos": v.id_list(
                video_nos, param="video_nos", endpoint=ep, limit=v.MAX_VIDEO_NOS
            ),
            "prompt": v.text(prompt, param="prompt", endpoint=ep, english=english_only),
            "session_id": None if session_id is None else str(session_id),
            "unique_id": unique_id,
        }
    )
    return Call(CHAT, nothing, json=body, headers={"Accept": "text/event-stream"})
