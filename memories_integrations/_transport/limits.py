"""Bounds on what one call may cost: a total deadline and caps on response sizes.

httpx timeouts bound each socket operation, not a call: a server that sends one byte every half
second never trips a 2 s read timeout. Sizes are unbounded too: a JSON body, its gzip expansion
and one SSE line are all buffered whole. Both clients read bodies chunk by chunk through these
helpers and check the deadline and the caps after every chunk (issue 12, "Hangs" / "Memory").
"""

from __future__ import annotations

import contextvars
import math
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from memories_integrations import errors as e
from memories_integrations._units import human_size

MiB = 1024 * 1024
DEFAULT_MAX_RESPONSE_BYTES = 8 * MiB
DEFAULT_MAX_LINE_BYTES = 1 * MiB
DEFAULT_STREAM_TIMEOUT = 300.0
DEFAULT_STREAM_IDLE_TIMEOUT = 60.0
# The longest a call waits for its client-side rate-limit slot by default: three slots of the
# slowest documented group (upload, 1 per minute), so a call queued behind two others still goes.
# The call's own timeout starts once the slot is reached (see BaseClient._limiter_delay).
DEFAULT_RATE_LIMIT_WAIT = 180.0
# Decompress in steps of this many output bytes, so one small chunk of a gzip bomb never
# inflates to more than this at once.
_INFLATE_STEP = 64 * 1024


def total_seconds(timeout: float | httpx.Timeout | None) -> float | None:
    """The total budget a timeout stands for: a number as is, a Timeout's largest phase."""
    if timeout is None:
        return None
    if isinstance(timeout, httpx.Timeout):
        phases = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t]
        return max(phases) if phases else None
    return float(timeout)


class Deadline:
    """A point in (monotonic) time a call or a wait must finish by; ``None`` seconds means no
    deadline. One class for a request's total deadline and for ``wait_for_ready``'s."""

    def __init__(
        self, seconds: float | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self.started = clock()
        self.at = None if seconds is None else self.started + max(0.0, seconds)

    def restart(self) -> None:
        """Start the same budget again from now (a request's deadline runs from its sending,
        not from before its rate-limit wait)."""
        self.started = self._clock()
        self.at = None if self.seconds is None else self.started + max(0.0, self.seconds)

    def elapsed(self) -> float:
        return self._clock() - self.started

    def remaining(self) -> float:
        """Seconds left (``math.inf`` without a deadline)."""
        return math.inf if self.at is None else max(0.0, self.at - self._clock())

    def expired(self) -> bool:
        return self.at is not None and self._clock() >= self.at

    def allows(self, delay: float) -> bool:
        """Whether sleeping ``delay`` seconds still leaves the deadline in the future."""
        return self.at is None or self._clock() + delay < self.at

    def check(self, endpoint: str, what: str = "request") -> None:
        if self.expired():
            raise self.error(endpoint, what)

    def error(self, endpoint: str, what: str = "request") -> e.MemoriesTimeoutError:
        return e.MemoriesTimeoutError(
            f"{what} exceeded its total deadline of {self.seconds:g}s", endpoint=endpoint
        )

    def bound(self, base: httpx.Timeout) -> httpx.Timeout:
        """``base`` with every phase shortened to the time left (httpx needs > 0)."""
        left = self.remaining()
        if math.isinf(left):
            return base
        left = max(left, 0.001)

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(base.connect),
            read=cap(base.read),
            write=cap(base.write),
            pool=cap(base.pool),
        )


# The deadline of the sync call waiting for its response headers in this thread: the network
# backend of the client's own httpx transport shortens every socket wait to it (deadline_transport).
CALL_DEADLINE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "memories_call_deadline", default=None
)


@dataclass(frozen=True)
class Limits:
    """Caps on one response; every field is settable on the client."""

    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES
    max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES


def too_large(what: str, limit: int, endpoint: str) -> e.ResponseTooLargeError:
    return e.ResponseTooLargeError(
        f"{what} exceeds the limit of {human_size(limit, exact=True)}",
        limit=limit,
        endpoint=endpoint,
    )


class Inflater:
    """Decodes a body's ``Content-Encoding`` incrementally with bounded output per step.

    Only identity, gzip and deflate are decoded here; ``handles`` says whether an encoding is
    one of them (others are left to httpx's decoder, still counted after each chunk).
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding.strip().lower()
        self._z: zlib._Decompress | None = None
        if self.encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self._z = zlib.decompressobj()
        self._first = True

    @staticmethod
    def handles(encoding: str) -> bool:
        return encoding.strip().lower() in ("", "identity", "gzip", "x-gzip", "deflate")

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            if data:
                yield data
            return
        try:
            while data:
                if self._first and self.encoding == "deflate":
                    self._first = False
                    try:  # RFC deflate is zlib-wrapped; some servers send raw deflate
                        out = self._z.decompress(data, _INFLATE_STEP)
                    except zlib.error:
                        self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                        out = self._z.decompress(data, _INFLATE_STEP)
                else:
                    out = self._z.decompress(data, _INFLATE_STEP)
                data = self._z.unconsumed_tail
                if out:
                    yield out
        except zlib.error as exc:
            raise e.ResponseParseError(f"response body is not valid {self.encoding}") from exc

    def flush(self) -> bytes:
        return self._z.flush() if self._z is not None else b""


class LineSplitter:
    """Splits a byte stream into lines, refusing a line longer than ``limit`` bytes."""

    def __init__(self, limit: int | None, endpoint: str) -> None:
        self.limit, self.endpoint = limit, endpoint
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[str]:
        self._buffer += data
        while (end := self._buffer.find(b"\n")) >= 0:
            line = bytes(self._buffer[:end])
            del self._buffer[: end + 1]
            self._check(len(line))
            yield line.rstrip(b"\r").decode("utf-8", errors="replace")
        self._check(len(self._buffer))

    def rest(self) -> str | None:
        """The unterminated last line, if any."""
        if not self._buffer.strip():
            return None
        return bytes(self._buffer).rstrip(b"\r").decode("utf-8", errors="replace")

    def _check(self, size: int) -> None:
        if self.limit is not None and size > self.limit:
            raise too_large("a stream line", self.limit, self.endpoint)


def size_cap(value: int | None, param: str) -> int | None:
    """A byte cap from the caller: a positive int, or None for no cap."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise e.InvalidInputError(
            f"{param} must be a positive number of bytes or None", param=param
        )
    return value


def seconds_or_none(value: float | None, param: str) -> float | None:
    """A time limit from the caller: a positive finite number of seconds, or None for none."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1e9:
        raise e.InvalidInputError(
            f"{param} must be a positive number of seconds or None", param=param
        )
    return float(value)


def wait_limit(value: float | None, param: str) -> float | None:
    """A bound on a wait from the caller: seconds >= 0 (``0``: do not wait at all), or None
    for as long as needed."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e9:
        raise e.InvalidInputError(
            f"{param} must be a number of seconds >= 0 (0: never wait) or None (no bound)",
            param=param,
        )
    return float(value)
