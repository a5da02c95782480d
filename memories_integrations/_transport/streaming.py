"""Chat stream decoding, shared by the sync and async clients.

Video-Chat page: each message is a JSON object, normally on a ``data:`` line (some clients see
bare JSON lines: both are read); the stream ends with ``{"code": "SUCCESS", "data": "Done"}``.
The current pages also end streams with ``data:"Done"`` (video chat's own sample loop) and
``data: [DONE]`` (personal-media chat; the Video Marketer page's loop checks all of these): every
one of them is an end. Any other final message is an error, and so is a stream that stops
without one. Personal-media chat streams ``{"token": ...}`` messages; they are content events.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError  # pydantic_core's: no model machinery

from memories_integrations import errors as e
from memories_integrations._transport.response import SUCCESS_CODES, error_for, normalise_code

if TYPE_CHECKING:  # the chat models load with the first chat, not the client (issue 10)
    from pydantic import TypeAdapter

    from memories_integrations.models import (
        ChatEvent,
        ChatReference,
        ChatResponse,
        ContentEvent,
        RefEvent,
        Thinking,
        ThinkingEvent,
    )

DONE = "Done"
# Spellings of the end marker (compared lower-cased, quotes and brackets stripped).
_DONE_WORDS = frozenset({"done"})
# Keys a plain text piece may come under (personal chat: token; Video Marketer page's loop reads
# content, text, delta or message).
_TEXT_KEYS = ("token", "content", "text", "delta", "message")


@functools.cache
def _event_adapter() -> TypeAdapter[ThinkingEvent | RefEvent | ContentEvent]:
    # Built on the first chat event, not at import: building the union schema costs tens of ms.
    from pydantic import TypeAdapter

    from memories_integrations.models import ChatEvent

    return TypeAdapter(ChatEvent)


class StreamEnd(Exception):
    """Raised internally when the documented final message arrives."""


class WholeAnswer(StreamEnd):
    """A stream line (or body) that is a whole JSON answer: ``{code: 0000, data: {...}}``."""

    def __init__(self, data: Any) -> None:
        super().__init__()
        self.data = data


def _is_done(text: str) -> bool:
    return text.strip().strip('"').strip("[]").strip().lower() in _DONE_WORDS


def parse_line(line: str, *, endpoint: str) -> ChatEvent | None:
    """One line of the stream -> an event, None (nothing to emit), or StreamEnd."""
    text = line.strip()
    if not text or text.startswith(":") or text.startswith(("event:", "id:", "retry:")):
        return None
    if text.startswith("data:"):
        text = text[5:].strip()
    if not text:
        return None
    if _is_done(text):  # data:"Done", data: [DONE], data: Done
        raise StreamEnd()
    try:
        payload: Any = json.loads(text)
    except ValueError:
        raise e.ResponseParseError(
            f"chat stream sent a line that is not JSON: {text[:80]!r}", endpoint=endpoint
        ) from None
    if not isinstance(payload, dict):
        if isinstance(payload, str) and _is_done(payload):
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
        if code in SUCCESS_CODES and isinstance(data, str) and _is_done(data):
            raise StreamEnd()
        if code in SUCCESS_CODES and isinstance(data, dict):
            raise WholeAnswer(data)  # a JSON answer where a stream was expected
        if code in SUCCESS_CODES:
            raise e.ChatStreamError(
                f"chat ended with an error: {data}", code=code, endpoint=endpoint
            )
        message = str(payload.get("msg") or data or "chat failed")
        raise error_for(code, message, endpoint=endpoint, status_code=200)
    for key in _TEXT_KEYS:
        if isinstance(piece := payload.get(key), str):
            from memories_integrations.models import ContentEvent

            session = payload.get("session_id", payload.get("sessionId"))
            return ContentEvent(content=piece, session_id=None if session is None else str(session))
    return None


def answer_events(data: Any, *, endpoint: str) -> list[ChatEvent]:
    """The events of a whole JSON answer (``data`` of /chat), in stream order."""
    from memories_integrations.models import ContentEvent, RefEvent, ThinkingEvent

    answer = parse_answer(data, endpoint=endpoint)
    sid = answer.session_id
    events: list[ChatEvent] = [
        ThinkingEvent(title=t.title, content=t.content, session_id=sid) for t in answer.thinkings
    ]
    if answer.references:
        events.append(RefEvent(ref=answer.references, session_id=sid))
    events.append(ContentEvent(role=answer.role, content=answer.content, session_id=sid))
    return events


def parse_answer(data: Any, *, endpoint: str) -> ChatResponse:
    """``data`` of a non-streaming chat: ``{role, content, thinkings, session_id[, refs]}``.

    A bare string is read as the content; ``null`` is not an answer.
    """
    from memories_integrations.models import ChatResponse

    if isinstance(data, str):
        return ChatResponse(content=data)
    if not isinstance(data, dict):
        raise e.ResponseParseError(f"chat answered no usable data: {data!r:.80}", endpoint=endpoint)
    try:
        return ChatResponse.model_validate(data)
    except ValidationError as exc:
        raise e.ResponseParseError(f"unexpected chat answer: {exc}", endpoint=endpoint) from exc


@dataclass
class ChatAggregator:
    """Folds stream events into one ChatResponse."""

    parts: list[str] = field(default_factory=list)
    thinkings: list[Thinking] = field(default_factory=list)
    references: list[ChatReference] = field(default_factory=list)
    session_id: str | None = None
    role: str | None = None

    def add(self, event: ChatEvent) -> None:
        from memories_integrations.models import RefEvent, Thinking, ThinkingEvent

        if event.session_id:
            self.session_id = event.session_id
        if isinstance(event, ThinkingEvent):
            self.thinkings.append(Thinking(title=event.title, content=event.content))
        elif isinstance(event, RefEvent):
            self.references.extend(event.ref)
        else:
            self.role = event.role or self.role
            self.parts.append(event.content)

    def result(self) -> ChatResponse:
        from memories_integrations.models import ChatResponse

        return ChatResponse(
            role=self.role,
            content="".join(self.parts),
            session_id=self.session_id,
            thinkings=self.thinkings,
            references=self.references,
        )


def incomplete(endpoint: str) -> e.IncompleteStreamError:
    return e.IncompleteStreamError(
        "chat stream ended without its final Done message", endpoint=endpoint
    )
