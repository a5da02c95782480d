"""Callback validation, tokens, de-duplication and waiters (see ``callbacks``)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from .errors import ForgedCallbackError, InvalidCallbackError, InvalidInputError
from .models import VideoStatus

TOKEN_PARAM = "token"
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class CallbackEvent:
    """One accepted callback. ``status`` is normalised; ``raw_status`` is what was sent."""

    status: VideoStatus
    raw_status: str
    video_no: str | None = None
    task_id: str | None = None
    client_id: str | None = None
    message: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict, compare=False)
    received_at: float = field(default_factory=time.time, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        """Identity for de-duplication: the subject id and the raw status."""
        return (self.video_no or self.task_id or "", self.raw_status)

    @property
    def is_task_summary(self) -> bool:
        """The whole-task message ``{taskId, status: SUCCEEDED}`` (no video number)."""
        return self.video_no is None


def parse_payload(data: Any) -> CallbackEvent:
    """Validate a decoded callback body; raises InvalidCallbackError."""
    if not isinstance(data, Mapping):
        raise InvalidCallbackError("callback body must be a JSON object")
    raw_status = _text(data.get("status"))
    if raw_status is None:
        raise InvalidCallbackError("callback is missing 'status'")
    video_no = _text(data.get("videoNo") or data.get("video_no") or data.get("videoId"))
    task_id = _text(data.get("taskId") or data.get("task_id"))
    if video_no is None and task_id is None:
        raise InvalidCallbackError("callback is missing 'videoNo' (or 'taskId')")
    status = VideoStatus.parse(raw_status)
    if status is VideoStatus.UNKNOWN:
        raise InvalidCallbackError(f"unknown callback status {raw_status!r}")
    return CallbackEvent(
        status=status,
        raw_status=raw_status.strip().upper(),
        video_no=video_no,
        task_id=task_id,
        client_id=_text(data.get("clientId")),
        message=_text(data.get("message")),
        payload=dict(data),
    )


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def decode_body(body: bytes) -> Any:
    """JSON as documented; a url-encoded form is tolerated."""
    if len(body) > MAX_BODY_BYTES:
        raise InvalidCallbackError("callback body too large")
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise InvalidCallbackError("empty callback body")
    try:
        return json.loads(text)
    except ValueError:
        form = dict(parse_qsl(text))
        if not form:
            raise InvalidCallbackError("callback body is not JSON") from None
        return form


class Subscription:
    """Callbacks for one video or task, delivered to one waiter (sync or async)."""

    def __init__(self, receiver: CallbackReceiver, video_no: str | None, task_id: str | None):
        self._receiver = receiver
        self.video_no, self.task_id = video_no, task_id
        self._lock = threading.Lock()
        self._pending: list[CallbackEvent] = []
        self._flag = threading.Event()
        self._loops: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def matches(self, event: CallbackEvent) -> bool:
        if self.video_no is not None:
            return event.video_no == self.video_no
        return event.task_id is not None and event.task_id == self.task_id

    def push(self, event: CallbackEvent) -> None:
        # Called from whichever thread handled the HTTP request.
        with self._lock:
            self._pending.append(event)
            self._flag.set()
            loops = list(self._loops)
        for loop, ready in loops:
            try:
                loop.call_soon_threadsafe(ready.set)
            except RuntimeError:  # that loop is closed: its waiter is gone
                pass

    def wait(self, timeout: float) -> list[CallbackEvent]:
        """Block until a callback arrives or ``timeout`` passes; returns the new events."""
        self._flag.wait(max(0.0, timeout))
        return self._drain()

    async def wait_async(self, timeout: float) -> list[CallbackEvent]:
        ready = asyncio.Event()
        entry = (asyncio.get_running_loop(), ready)
        with self._lock:
            if self._pending:
                return self._drain_locked()
            self._loops.append(entry)
        try:
            await asyncio.wait_for(ready.wait(), max(0.0, timeout))
        except asyncio.TimeoutError:
            pass
        finally:
            with self._lock:
                self._loops.remove(entry)
        return self._drain()

    def _drain(self) -> list[CallbackEvent]:
        with self._lock:
            return self._drain_locked()

    def _drain_locked(self) -> list[CallbackEvent]:
        out, self._pending = self._pending, []
        self._flag.clear()
        return out

    def close(self) -> None:
        self._receiver._unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Listener = Callable[[CallbackEvent], None]


class CallbackReceiver:
    """Validates, authenticates and de-duplicates callbacks, and wakes waiters.

    ``url`` is the public address of the endpoint that feeds :meth:`handle` (set later by
    ``CallbackServer`` when omitted). ``secret`` signs tokens; share it between workers, keep
    it out of logs. ``require_token=False`` accepts token-less callbacks (only when another
    layer authenticates them).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        secret: bytes | str | None = None,
        require_token: bool = True,
        max_remembered: int = 100_000,
    ) -> None:
        self.url = url
        raw = secret if secret is not None else secrets.token_bytes(32)
        self._secret = raw.encode() if isinstance(raw, str) else raw
        self.require_token = require_token
        self._max = max_remembered
        self._lock = threading.Lock()
        self._seen: OrderedDict[tuple[str, str], CallbackEvent] = OrderedDict()
        self._subs: list[Subscription] = []
        self._listeners: list[Listener] = []
        self.rejected = 0
        self.duplicates = 0

    def __repr__(self) -> str:
        return f"CallbackReceiver(url={self.url!r})"  # never the secret

    # -- tokens ----------------------------------------------------------------------------
    def new_token(self) -> str:
        nonce = secrets.token_urlsafe(16)
        return f"{nonce}.{self._sign(nonce)}"

    def _sign(self, nonce: str) -> str:
        digest = hmac.new(self._secret, nonce.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify_token(self, token: str | None) -> bool:
        if not token or token.count(".") != 1:
            return False
        nonce, signature = token.split(".")
        return hmac.compare_digest(self._sign(nonce).encode(), signature.encode())

    def callback_url(self, url: str | None = None) -> str:
        """A fresh callback URL for one upload: ``url`` (or ``self.url``) plus ``?token=``."""
        base = url or self.url
        if not base:
            raise InvalidInputError(
                "CallbackReceiver has no url: pass url=... or start a server", param="url"
            )
        parts = urlsplit(base)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != TOKEN_PARAM]
        query.append((TOKEN_PARAM, self.new_token()))
        return urlunsplit(parts._replace(query=urlencode(query)))

    # -- handling --------------------------------------------------------------------------
    def handle(
        self, body: bytes, *, token: str | None = None, query: str | None = None
    ) -> CallbackEvent | None:
        """Process one delivery. Returns the event, or None for a repeated delivery.

        ``token`` is the ``token`` query parameter (or pass the raw ``query`` string).
        Raises ForgedCallbackError / InvalidCallbackError.
        """
        if token is None and query:
            values = parse_qs(query).get(TOKEN_PARAM)
            token = values[0] if values else None
        if self.require_token and not self.verify_token(token):
            with self._lock:
                self.rejected += 1
            raise ForgedCallbackError("callback token missing or invalid")
        event = parse_payload(decode_body(body))
        with self._lock:
            if event.key in self._seen:
                self.duplicates += 1
                return None
            self._seen[event.key] = event
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
            subs = [s for s in self._subs if s.matches(event)]
            listeners = list(self._listeners)
        for sub in subs:
            sub.push(event)
        for listener in listeners:
            listener(event)
        return event

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(event)`` for every accepted (non-duplicate) callback."""
        with self._lock:
            self._listeners.append(listener)

    def events(self) -> list[CallbackEvent]:
        """Accepted callbacks still remembered, oldest first."""
        with self._lock:
            return list(self._seen.values())

    # -- waiters ---------------------------------------------------------------------------
    def subscribe(self, *, video_no: str | None = None, task_id: str | None = None) -> Subscription:
        """Waiter for one video or task. Callbacks that already arrived are replayed, so a
        callback racing ahead of the waiter is never lost."""
        sub = Subscription(self, video_no, task_id)
        with self._lock:
            self._subs.append(sub)
            earlier = [ev for ev in self._seen.values() if sub.matches(ev)]
        for ev in earlier:
            sub.push(ev)
        return sub

    def _unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)
