"""Fault injection rules and the request log.

A ``FaultRule`` matches requests by path (exact, glob, or a bare endpoint name such as
``"search"`` meaning ``/serve/api/v1/search``) and optionally by method; it fires for the next
``times`` matches (``None`` = forever) after skipping ``skip`` matches.
"""

from __future__ import annotations

import fnmatch
import itertools
import threading
import time
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

FaultKind = Literal[
    "status",
    "code",
    "delay",
    "drop",
    "malformed_json",
    "truncate_stream",
    "drop_mid_stream",
    "reset_after_upload",
]
_ACTIONS: tuple[str, ...] = (
    "status",
    "code",
    "drop",
    "malformed_json",
    "truncate_stream",
    "drop_mid_stream",
    "reset_after_upload",
)


class FaultRule(BaseModel):
    """One injected fault. Set exactly one action field; ``delay`` may accompany any action
    (or stand alone: wait, then answer normally)."""

    path: str = "*"
    method: str | None = None
    times: int | None = Field(default=1, ge=1)
    skip: int = Field(default=0, ge=0)
    # actions
    status: int | None = Field(default=None, ge=100, le=599)
    body: str | dict[str, Any] | list[Any] | None = None
    retry_after: float | str | None = None
    code: str | None = None
    msg: str | None = None
    delay: float | None = Field(default=None, ge=0)
    drop: bool = False
    malformed_json: bool = False
    truncate_stream: bool = False
    drop_mid_stream: bool = False
    reset_after_upload: bool = False
    #: Stream faults: data events forwarded before truncating / dropping (default: truncate
    #: right before the final Done message; drop after 2 events).
    after_events: int | None = Field(default=None, ge=0)
    # bookkeeping (server-assigned)
    id: str | None = None
    hits: int = 0

    @model_validator(mode="after")
    def _one_action(self) -> FaultRule:
        chosen = [a for a in _ACTIONS if getattr(self, a) not in (None, False)]
        if len(chosen) > 1:
            raise ValueError(f"a fault rule takes one action, got {chosen}")
        if not chosen and self.delay is None:
            raise ValueError(f"a fault rule needs an action: one of {_ACTIONS} or delay")
        return self

    @property
    def kind(self) -> FaultKind:
        for a in _ACTIONS:
            if getattr(self, a) not in (None, False):
                return a  # type: ignore[return-value]
        return "delay"

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        pattern = self.path if self.path.startswith(("/", "*")) else f"/serve/api/v1/{self.path}"
        return path == pattern or fnmatch.fnmatchcase(path, pattern)


class FaultRegistry:
    """Thread-safe list of rules; the first matching live rule wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._seen: dict[str, int] = {}
        self._ids = itertools.count(1)

    def add(self, rule: FaultRule | None = None, **kwargs: Any) -> FaultRule:
        rule = rule.model_copy() if rule is not None else FaultRule(**kwargs)
        with self._lock:
            rule.id = rule.id or f"fault-{next(self._ids)}"
            rule.hits = 0
            self._rules.append(rule)
        return rule

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._seen.clear()

    def list(self) -> list[FaultRule]:
        with self._lock:
            return [r.model_copy() for r in self._rules]

    def match(self, method: str, path: str) -> FaultRule | None:
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                key = rule.id or ""
                seen = self._seen.get(key, 0)
                self._seen[key] = seen + 1
                if seen < rule.skip:
                    continue
                rule.hits += 1
                if rule.times is not None and rule.hits >= rule.times:
                    self._rules.remove(rule)
                return rule.model_copy()
        return None


class RequestLogEntry(BaseModel):
    method: str
    path: str
    query: str
    body_sha256: str
    body_size: int
    time: float
    http_status: int | None = None
    code: str | None = None
    fault: str | None = None
    authorization: bool = False


class RequestLog:
    """Requests in the order they were answered, and how many are still being handled (an
    entry is added when its answer is complete, or when its connection is dropped)."""

    def __init__(self, limit: int) -> None:
        self._lock = threading.Lock()
        self._entries: list[RequestLogEntry] = []
        self._open = 0
        self.limit = limit

    def begin(self) -> None:
        """A request arrived; its entry follows with ``add``."""
        with self._lock:
            self._open += 1

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._open

    def add(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self._open = max(self._open - 1, 0)
            self._entries.append(entry)
            if len(self._entries) > self.limit:
                del self._entries[: len(self._entries) - self.limit]

    def entries(self) -> list[RequestLogEntry]:
        with self._lock:
            return [e.model_copy() for e in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def now() -> float:
    return time.time()
