"""Chat stream decoding, shared by the sync and async clients.

Video-Chat page: each message is a JSON object, normally on a ``data:`` line (some clients see
bare JSON lines: both are read); the stream ends with ``{"code": "SUCCESS", "data": "Done"}``.
Any other final message is an error, and so is a stream that stops without one.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import errors as e
from ._response import SUCCESS_CODES, error_for, normalise_code
from .models import (
    ChatEvent,
    ChatReference,
    ChatResponse,
    ContentEvent,
    RefEvent,
    Thinking,
    ThinkingEvent,
)

DONE = "Done"


@functools.cache
def _event_adapter() -> TypeAdapter[ThinkingEvent | RefEvent | ContentEvent]:
    # Built on the first chat event, not at import: building the union schema costs tens of ms.
    return TypeAdapter(ChatEvent)


class StreamEnd(Exception):
    """Raised internally when the documented final message arrives."""


def parse_line(line: str, *, endpoint: str) -> ChatEvent | None:
    """One line of the stream -> an event, None (nothing to emit), or StreamEnd."""
    text = line.strip()
    if not text or text.startswith(":") or text.startswith(("event:", "id:", "retry:")):
        return None
    if text.startswith("data:"):
        text = text[5:].strip()
    if not text:
        return None
    try:
        payload: Any = json.loads(text)
    except ValueError:
        if text.strip('"') == DONE:  # the page's own sample loop checks for data:"Done"
            raise StreamEnd() from None
        raise e.ResponseParseError(
            f"chat stream sent a line that is not JSON: {text[:80]!r}", endpoint=endpoint
        ) from None
    if not isinstance(payload, dict):
        if payload == DONE:
            raise StreamEnd()
        return None
    if "type" in payload:
        try:
            return _event_adapter().validate_python(payload)
        except ValidationError:
            return None  # a message type this version does not know: skip it, keep streaming
    if "code" in payload:
        code = normalise_code(payload["code"])
        data = payload.get("data")
        if code in SUCCESS_CODES and data == DONE:
            raise StreamEnd()
        if code in SUCCESS_CODES:
            raise e.ChatStreamError(
                f"chat ended with an error: {data}", code=code, endpoint=endpoint
            )
        message = str(payload.get("msg") or data or "chat failed")
        raise error_for(code, message, endpoint=endpoint, status_code=200)
    return None


@dataclass
class ChatAggregator:
    """Folds stream events into one ChatResponse."""

    parts: list[str] = field(default_factory=list)
    thinkings: list[Thinking] = field(default_factory=list)
    references: list[ChatReference] = field(default_factory=list)
    session_id: str | None = None

    def add(self, event: ChatEvent) -> None:
        if event.session_id:
            self.session_id = event.session_id
        if isinstance(event, ThinkingEvent):
            self.thinkings.append(Thinking(title=event.title, content=event.content))
        elif isinstance(event, RefEvent):
            self.references.extend(event.ref)
        else:
            self.parts.append(event.content)

    def result(self) -> ChatResponse:
        return ChatResponse(
            content="".join(self.parts),
            session_id=self.session_id,
            thinkings=self.thinkings,
            references=self.references,
        )


def incomplete(endpoint: str) -> e.IncompleteStreamError:
    return e.IncompleteStreamError(
        "chat stream ended without its final Done message", endpoint=endpoint
    )
