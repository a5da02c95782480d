"""Callback validation, tokens, de-duplication and waiters (see ``callbacks``)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from memories_integrations.errors import (
    ForgedCallbackError,
    InvalidCallbackError,
    InvalidInputError,
)
from memories_integrations.models._status import VideoStatus

if TYPE_CHECKING:  # imported where used: the sync client imports this module (issue 10)
    import asyncio

TOKEN_PARAM = "token"
MAX_BODY_BYTES = 64 * 1024  # a documented callback is ~100 bytes
DEFAULT_MAX_REMEMBERED = 10_000  # (id, status) pairs kept for de-duplication, LRU
DEFAULT_TOKEN_TTL = 24 * 3600.0  # seconds a callback URL stays valid (encoding + retries)
_MAX_REMEMBERED_MESSAGE = 500  # characters of ``message`` kept in a remembered event
_FINAL = (VideoStatus.PARSE, VideoStatus.PARSE_ERROR)
#: Longest token lifetime accepted (one year): a callback URL is meant for one upload.
MAX_TOKEN_TTL = 365 * 24 * 3600.0


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
    def subject(self) -> str:
        return self.video_no or self.task_id or ""

    @property
    def key(self) -> tuple[str, str]:
        """Identity for de-duplication: the subject id and the normalised status, so FAIL
        and FAILED (both documented spellings of a failure) are one event."""
        return (self.subject, self.status.value)

    def lean(self) -> CallbackEvent:
        """This event without its payload (and with a short message): what is remembered."""
        message = self.message[:_MAX_REMEMBERED_MESSAGE] if self.message else self.message
        return dataclasses.replace(self, payload={}, message=message)

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


def decode_body(body: bytes, limit: int = MAX_BODY_BYTES) -> Any:
    """JSON as documented; a url-encoded form is tolerated."""
    if len(body) > limit:
        raise InvalidCallbackError("callback body too large")
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        raise InvalidCallbackError("empty callback body")
    try:
        return json.loads(text)
    except RecursionError:  # e.g. 30,000 nested arrays: bad input, not a server error
        raise InvalidCallbackError("callback body is nested too deeply") from None
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
        import asyncio  # running in an event loop: already imported

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

    Bounds: ``max_remembered`` (id, status) pairs are kept for de-duplication, least recently
    seen dropped first, and only ids/statuses are kept, never payloads. A token expires
    ``token_ttl`` seconds after it was issued, and is bound to one upload: to the video (or
    platform-import task) given to :meth:`bind`, else to the first one it delivers.
    ``max_body_bytes`` caps a callback body (the ASGI app answers 413 beyond it).
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        secret: bytes | str | None = None,
        require_token: bool = True,
        max_remembered: int = DEFAULT_MAX_REMEMBERED,
        token_ttl: float = DEFAULT_TOKEN_TTL,
        max_body_bytes: int = MAX_BODY_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not math.isfinite(token_ttl) or token_ttl > MAX_TOKEN_TTL:
            # inf/nan would sign an expiry int() cannot write: every callback_url() would fail.
            raise InvalidInputError(
                f"token_ttl must be finite seconds, at most {MAX_TOKEN_TTL:g}", param="token_ttl"
            )
        if max_remembered < 1 or token_ttl <= 0 or max_body_bytes < 1:
            raise InvalidInputError(
                "max_remembered, token_ttl and max_body_bytes must be positive",
                param="max_remembered",
            )
        self.url = url
        raw = secret if secret is not None else secrets.token_bytes(32)
        self._secret = raw.encode() if isinstance(raw, str) else raw
        self.require_token = require_token
        self._max = max_remembered
        self.token_ttl = token_ttl
        self.max_body_bytes = max_body_bytes
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[tuple[str, str], CallbackEvent] = OrderedDict()
        self._in_flight: set[tuple[str, str]] = set()
        # token nonce -> ("video" | "task", id); bounded like _seen (a token is short-lived).
        self._bound: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._subs: list[Subscription] = []
        self._listeners: list[Listener] = []
        self.rejected = 0
        self.duplicates = 0

    def __repr__(self) -> str:
        return f"CallbackReceiver(url={self.url!r})"  # never the secret

    # -- tokens ----------------------------------------------------------------------------
    def new_token(self) -> str:
        """``<nonce>.<expiry>.<signature>``: the expiry (epoch seconds) is signed too."""
        signed = f"{secrets.token_urlsafe(16)}.{int(self._clock() + self.token_ttl)}"
        return f"{signed}.{self._sign(signed)}"

    def _sign(self, signed: str) -> str:
        digest = hmac.new(self._secret, signed.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def _check_token(self, token: str | None) -> str:
        """The token's nonce; raises ForgedCallbackError (forged, malformed or expired)."""
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3 or not parts[1].isdigit():
            raise ForgedCallbackError("callback token missing or invalid")
        nonce, expiry, signature = parts
        expected = self._sign(f"{nonce}.{expiry}")
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise ForgedCallbackError("callback token missing or invalid")
        if self._clock() > int(expiry):
            raise ForgedCallbackError("callback token expired")
        return nonce

    def verify_token(self, token: str | None) -> bool:
        try:
            self._check_token(token)
        except ForgedCallbackError:
            return False
        return True

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

    def bind(
        self, url_or_token: str, *, video_no: str | None = None, task_id: str | None = None
    ) -> None:
        """Bind a callback URL (or its token) to the upload it was issued for: ``video_no`` for
        an upload, ``task_id`` for a platform import. Callbacks with that token about anything
        else are then refused. The clients call this once an upload returns its video_no."""
        token: str | None = url_or_token
        if TOKEN_PARAM + "=" in url_or_token:
            values = parse_qs(urlsplit(url_or_token).query).get(TOKEN_PARAM)
            token = values[0] if values else None
        nonce = self._check_token(token)
        subject = ("task", task_id) if task_id else ("video", video_no) if video_no else None
        if subject is None:
            raise InvalidInputError("bind() needs video_no or task_id", param="video_no")
        with self._lock:
            self._remember_binding(nonce, subject)

    def bind_issued(
        self, url: str, *, video_no: str | None = None, task_id: str | None = None
    ) -> None:
        """:meth:`bind` when ``url`` carries a valid token of this receiver; otherwise nothing
        (a callback URL of the caller's own)."""
        try:
            self.bind(url, video_no=video_no, task_id=task_id)
        except (ForgedCallbackError, InvalidInputError):
            pass

    def _remember_binding(self, nonce: str, subject: tuple[str, str]) -> None:
        self._bound[nonce] = subject
        self._bound.move_to_end(nonce)
        while len(self._bound) > self._max:
            self._bound.popitem(last=False)

    @staticmethod
    def _subject_of(event: CallbackEvent) -> tuple[str, str]:
        # Import callbacks carry the task id (the video-level ones too): bind those to the task.
        return ("task", event.task_id) if event.task_id else ("video", event.video_no or "")

    @staticmethod
    def _matches(bound: tuple[str, str], event: CallbackEvent) -> bool:
        kind, ident = bound
        return (event.task_id if kind == "task" else event.video_no) == ident

    # -- handling --------------------------------------------------------------------------
    def handle(
        self, body: bytes, *, token: str | None = None, query: str | None = None
    ) -> CallbackEvent | None:
        """Process one delivery. Returns the event, or None for a repeated delivery.

        ``token`` is the ``token`` query parameter (or pass the raw ``query`` string).
        Raises ForgedCallbackError / InvalidCallbackError. A listener's exception propagates
        and the event is not marked seen, so the sender's retry is processed again.
        """
        if token is None and query:
            values = parse_qs(query).get(TOKEN_PARAM)
            token = values[0] if values else None
        nonce: str | None = None
        if self.require_token:
            try:
                nonce = self._check_token(token)
            except ForgedCallbackError:
                with self._lock:
                    self.rejected += 1
                raise
        event = parse_payload(decode_body(body, self.max_body_bytes))
        with self._lock:
            self._admit(event, nonce)
            if event.key in self._seen or event.key in self._in_flight:
                if event.key in self._seen:
                    self._seen.move_to_end(event.key)
                self.duplicates += 1
                return None
            self._in_flight.add(event.key)
            listeners = list(self._listeners)
        try:
            for listener in listeners:
                listener(event)
        except BaseException:
            with self._lock:
                self._in_flight.discard(event.key)
            raise
        with self._lock:
            self._in_flight.discard(event.key)
            self._seen[event.key] = event.lean()
            while len(self._seen) > self._max:
                self._seen.popitem(last=False)
            subs = [s for s in self._subs if s.matches(event)]
        for sub in subs:
            sub.push(event)
        return event

    def _admit(self, event: CallbackEvent, nonce: str | None) -> None:
        """Refuse a token used for another upload, and a status change after a final status.
        Called with the lock held."""
        if nonce is not None:
            bound = self._bound.get(nonce)
            if bound is not None and not self._matches(bound, event):
                self.rejected += 1
                raise ForgedCallbackError("callback token was issued for another upload")
            if bound is None:  # first use binds it (the upload's answer may not be back yet)
                self._remember_binding(nonce, self._subject_of(event))
        for final in _FINAL:
            other = (event.subject, final.value)
            # In flight counts too: two threads delivering PARSE and PARSE_ERROR at once.
            if final is not event.status and (other in self._seen or other in self._in_flight):
                self.rejected += 1
                raise InvalidCallbackError(
                    f"status {event.raw_status} after final status {final.value} refused"
                )

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(event)`` for every accepted (non-duplicate) callback."""
        with self._lock:
            self._listeners.append(listener)

    def events(self) -> list[CallbackEvent]:
        """Accepted callbacks still remembered, least recently seen first (without their
        payloads: only ids, statuses and a short message are kept)."""
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
