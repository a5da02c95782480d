"""The secrets this process holds (API keys, access tokens), scrubbed from every text it shows.

A server may echo the key back: in an error ``msg``, a chat stream's closing envelope, a
transcript, a resource's text. Rather than scrub at each output, the credential is registered
once, where it enters (``ApiKeyAuth``, the OAuth2 token), and ``scrub`` runs where errors and
reports are built: ``MemoriesError.__init__``, the MCP server's outputs, ``memories doctor``.

A fragment is scrubbed too: any run of text made of pieces of a secret at least half its length
(and at least ``FRAGMENT`` characters): the key with a few characters cut off at either end, or
its middle. Shorter pieces reveal too little of a key to matter, and would scrub ordinary words
from messages (keys in tests are often words). A secret of ``FRAGMENT`` characters or fewer is
scrubbed only whole. A secret is kept while its owner (the auth object) lives.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Iterable
from typing import Any

__all__ = ["FRAGMENT", "REDACTED", "register", "scrub"]

REDACTED = "<redacted>"
#: Shortest piece of a secret scrubbed on its own (shorter ones are too likely in plain text).
FRAGMENT = 8
#: Shortest secret registered at all (a 1-3 character "key" would scrub ordinary words).
_MIN_SECRET = 4
#: Secrets without an owner kept (oldest forgotten first; one with a live owner stays).
_MAX_SECRETS = 64

_lock = threading.Lock()
_live: dict[str, int] = {}  # secret -> owners alive (0: no owner, kept); insertion-ordered
_pattern: re.Pattern[str] | None = None
# Secrets whose owner was collected. A finaliser may run inside any allocation, even while this
# module holds its lock in the same thread: it only appends here (atomic), never locks.
_released: list[str] = []


def register(secret: str, owner: object | None = None) -> None:
    """Scrub ``secret`` (and its fragments) from every error and report from now on, or while
    ``owner`` lives when one is given."""
    global _pattern
    secret = secret.strip()
    if len(secret) < _MIN_SECRET:
        return
    with _lock:
        _drain()
        if secret not in _live:
            _pattern = None
        _live[secret] = _live.get(secret, 0) + (owner is not None)
        ownerless = [s for s, owners in _live.items() if not owners]
        for old in ownerless[: max(0, len(_live) - _MAX_SECRETS)]:  # oldest first
            del _live[old]
    if owner is not None:
        weakref.finalize(owner, _release, secret)


def _release(secret: str) -> None:
    _released.append(secret)


def _drain() -> None:
    """Forget the secrets of collected owners (called with the lock held)."""
    global _pattern
    while _released:
        secret = _released.pop()
        owners = _live.get(secret)
        if owners == 1:
            del _live[secret]
            _pattern = None
        elif owners:
            _live[secret] = owners - 1


def _pieces(secret: str) -> set[str]:
    size = max(FRAGMENT, math.ceil(len(secret) / 2))
    if len(secret) <= size:
        return {secret}
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def _compile(secrets: Iterable[str]) -> re.Pattern[str] | None:
    pieces: set[str] = set()
    for secret in secrets:
        if len(secret) >= _MIN_SECRET:
            pieces |= _pieces(secret)
    if not pieces:
        return None
    # A lookahead finds every (overlapping) start; longest first, so a short secret that is a
    # piece of a longer one still marks the longer run.
    alternatives = "|".join(re.escape(p) for p in sorted(pieces, key=len, reverse=True))
    return re.compile(f"(?=({alternatives}))")


def _registered() -> re.Pattern[str] | None:
    global _pattern
    with _lock:
        _drain()
        if _pattern is None and _live:
            _pattern = _compile(_live)
        return _pattern


def scrub(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every registered secret (and ``extra`` ones), whole or in fragments,
    replaced by ``<redacted>``."""
    extra = [s.strip() for s in extra if s and len(s.strip()) >= _MIN_SECRET]
    patterns = [p for p in (_registered(), _compile(extra) if extra else None) if p is not None]
    if not text or not patterns:
        return text
    runs: list[list[int]] = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            runs.append([m.start(), m.start() + len(m.group(1))])
    if not runs:
        return text
    runs.sort()
    merged = [runs[0]]
    for start, end in runs[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], REDACTED]
        at = end
    out.append(text[at:])
    return "".join(out)


def scrub_data(data: Any, extra: Iterable[str] = ()) -> Any:
    """``data`` (JSON-like: dicts, lists, tuples, strings) with every string scrubbed."""
    if isinstance(data, str):
        return scrub(data, extra)
    if isinstance(data, dict):
        return {scrub(str(k), extra): scrub_data(v, extra) for k, v in data.items()}
    if isinstance(data, list):
        return [scrub_data(v, extra) for v in data]
    if isinstance(data, tuple):
        return tuple(scrub_data(v, extra) for v in data)
    return data
