"""Configuration and send-independent logic shared by the sync and async clients."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import math
import os
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import httpx

from memories_integrations import errors as e
from memories_integrations._endpoints.base import Call, FileSpec, run_parser
from memories_integrations._endpoints.videos import capture_metadata
from memories_integrations._transport.auth import (
    DEFAULT_AUTH_BASE_URL,
    KEY_ENV_VARS,
    ApiKeyAuth,
    api_key_from_env,
)
from memories_integrations._transport.limits import (
    DEFAULT_MAX_LINE_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_RATE_LIMIT_WAIT,
    DEFAULT_STREAM_IDLE_TIMEOUT,
    DEFAULT_STREAM_TIMEOUT,
    Deadline,
    Limits,
    seconds_or_none,
    size_cap,
    total_seconds,
    wait_limit,
)
from memories_integrations._transport.log import setup_logging
from memories_integrations._transport.options import (
    UNSET,
    _Unset,
    copy_with_options,
    env_max_retries,
    resolve_headers,
    resolve_retry,
    resolve_timeout,
)
from memories_integrations._transport.raw import record
from memories_integrations._transport.response import unwrap
from memories_integrations._transport.retry import (
    RateLimiter,
    RateSpec,
    RetryPolicy,
    SlotTooFar,
    build_limiter,
)
from memories_integrations._units import human_size
from memories_integrations._version import __version__

if TYPE_CHECKING:  # pydantic.types loads with the first client, not the import (issue 10)
    from pydantic import SecretStr

T = TypeVar("T")
_C = TypeVar("_C", bound="BaseClient")
log = logging.getLogger("memories_integrations")

DEFAULT_BASE_URL = "https://api.memories.ai"
DEFAULT_UNIQUE_ID = "default"
PathLike = str | os.PathLike[str]
ProgressCallback = Callable[[int, int], None]
"""Called with (bytes sent so far, total bytes) while a file uploads."""


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One CA-bundle load per process: building it costs ~0.1-0.3 s per httpx client."""
    return httpx.create_ssl_context()


class CoalescedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Joins the multipart encoder's many small pieces (part headers, CRLFs, short fields) into
    writes of up to ``limit`` bytes.

    httpx sends each piece with its own socket write; a small upload is about ten of them, and a
    write costs far more than its bytes (~0.4 ms measured on this project's CI machines). The
    buffer is bounded, so large files still stream in constant memory.
    """

    def __init__(self, stream: Any, limit: int = 256 * 1024) -> None:
        self._stream, self._limit = stream, limit

    def __iter__(self) -> Iterator[bytes]:
        buffer = bytearray()
        for chunk in self._stream:
            buffer += chunk
            if len(buffer) >= self._limit:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        buffer = bytearray()
        async for chunk in self._stream:
            buffer += chunk
            if len(buffer) >= self._limit:
                yield bytes(buffer)
                buffer.clear()
        if buffer:
            yield bytes(buffer)


class UploadTally:
    """Bytes of the upload files read so far by httpx, for the current attempt."""

    def __init__(self) -> None:
        self.sent = self.total = 0

    @property
    def complete(self) -> bool:
        return self.sent >= self.total


# The tally of the last upload attempt in this thread / task, read by _transport_error to tell
# "after part of the upload was sent" from "after the upload was sent".
_UPLOAD_TALLY: contextvars.ContextVar[UploadTally | None] = contextvars.ContextVar(
    "memories_upload_tally", default=None
)


class _ProgressFile:
    """File wrapper for httpx's multipart encoder (which reads in chunks until b""): reports
    progress, and raises FileChangedError when the file grows or shrinks while it is sent --
    httpx declared its Content-Length from the size at open, and h11 would otherwise raise an
    untyped LocalProtocolError (or the server would get a truncated video)."""

    def __init__(
        self,
        fh: IO[bytes],
        total: int,
        callback: ProgressCallback | None,
        tally: UploadTally | None = None,
    ) -> None:
        self._fh, self._total, self._callback, self._sent = fh, total, callback, 0
        self._tally = tally or UploadTally()
        self._tally.total += total

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        if not chunk and self._sent < self._total:
            raise self._changed("shrank")
        if self._sent + len(chunk) > self._total:
            raise self._changed("grew")
        self._sent += len(chunk)
        self._tally.sent += len(chunk)
        if self._callback is not None:
            self._callback(self._sent, self._total)
        return chunk

    def _changed(self, how: str) -> e.FileChangedError:
        name = Path(getattr(self._fh, "name", "file")).name
        return e.FileChangedError(
            f"{name} {how} while it was being uploaded (expected {human_size(self._total)}); the "
            "upload was abandoned: upload it again once the file is complete"
        )

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset == 0 and whence == 0:
            self._tally.sent -= self._sent
            self._sent = 0
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def fileno(self) -> int:
        return self._fh.fileno()


@contextlib.contextmanager
def open_files(
    specs: Sequence[FileSpec], progress: ProgressCallback | None
) -> Iterator[list[tuple[str, tuple[str, Any, str]]]]:
    """Open upload files for one attempt: httpx streams them in chunks, never whole. A file
    the caller opened is read from its start (each attempt) and left open for the caller."""
    tally = UploadTally()
    _UPLOAD_TALLY.set(tally)
    with contextlib.ExitStack() as stack:
        parts: list[tuple[str, tuple[str, Any, str]]] = []
        for spec in specs:
            try:
                raw: IO[bytes]
                if isinstance(spec.source, str | os.PathLike):
                    raw = stack.enter_context(open(spec.source, "rb"))
                else:
                    raw = spec.source
                    raw.seek(0)
                size = os.fstat(raw.fileno()).st_size  # what httpx declares as the length
            except (OSError, ValueError) as exc:  # unreadable since checked; ValueError: closed
                why = getattr(exc, "strerror", None) or type(exc).__name__
                raise e.InvalidInputError(
                    f"file cannot be read ({why}): {spec.name}", param="file"
                ) from None
            fh = _ProgressFile(raw, size, progress, tally)
            parts.append((spec.field, (spec.name, fh, spec.content_type)))
        yield parts


def _elapsed(response: httpx.Response) -> str:
    try:
        return f"{response.elapsed.total_seconds() * 1000:.1f} ms"
    except RuntimeError:  # not closed yet (a stream): httpx has no duration for it
        return "? ms"


class BaseClient:
    """Holds configuration; builds requests and decodes responses for both clients."""

    def __init__(
        self,
        *,
        api_key: SecretStr | str | None = None,
        auth: httpx.Auth | None = None,
        base_url: str | None = None,
        auth_base_url: str | None = None,
        unique_id: str = DEFAULT_UNIQUE_ID,
        timeout: float | httpx.Timeout | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | bool | None = None,
        rate_limits: Mapping[str, RateSpec] | None = None,
        rate_limit_wait: float | None = DEFAULT_RATE_LIMIT_WAIT,
        english_only: bool = True,
        headers: Mapping[str, str] | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        max_line_bytes: int | None = DEFAULT_MAX_LINE_BYTES,
        stream_timeout: float | None = DEFAULT_STREAM_TIMEOUT,
        stream_idle_timeout: float | None = DEFAULT_STREAM_IDLE_TIMEOUT,
    ) -> None:
        setup_logging()  # MEMORIES_LOG=debug|info (once per process)
        if auth is None:
            key = api_key if api_key is not None else api_key_from_env()
            if isinstance(key, str):
                from pydantic import SecretStr  # pydantic.types: loaded with the first client

                key = SecretStr(key.strip()) if key.strip() else None
            if key is None:
                raise e.MissingAPIKeyError(
                    "no memories.ai API key: pass api_key=... or set the "
                    f"{' or '.join(KEY_ENV_VARS)} environment variable "
                    "(create a key in the memories.ai console)"
                )
            auth = ApiKeyAuth(key)
        self._auth = auth
        self.base_url = (
            base_url or os.environ.get("MEMORIES_BASE_URL") or DEFAULT_BASE_URL
        ).rstrip("/")
        self.auth_base_url = (auth_base_url or DEFAULT_AUTH_BASE_URL).rstrip("/")
        self.unique_id = unique_id
        self.timeout = resolve_timeout(timeout)
        # max_retries= / default_headers=: the openai/anthropic SDK spellings (see _options).
        if retry is None and max_retries is None:
            max_retries = env_max_retries()  # arguments win over the environment
        self.retry = resolve_retry(retry, max_retries)
        # On by default for the per-minute groups (upload, chat, download): see build_limiter.
        self.rate_limiter = build_limiter(rate_limiter, rate_limits)
        # How long a call may wait for its slot; its timeout starts once the slot is reached.
        self.rate_limit_wait = wait_limit(rate_limit_wait, "rate_limit_wait")
        self.english_only = english_only
        self._headers = {
            "User-Agent": f"memories-integrations/{__version__}",
            **resolve_headers(headers, default_headers),
        }
        # Caps and stream limits (issue 12): None switches one off.
        self.limits = Limits(
            max_response_bytes=size_cap(max_response_bytes, "max_response_bytes"),
            max_line_bytes=size_cap(max_line_bytes, "max_line_bytes"),
        )
        self.stream_timeout = seconds_or_none(stream_timeout, "stream_timeout")
        self.stream_idle_timeout = seconds_or_none(stream_idle_timeout, "stream_idle_timeout")

    def _twin_settings(self) -> dict[str, Any]:
        """Constructor arguments of a client with the same credentials and settings."""
        return {
            "auth": self._auth,
            "base_url": self.base_url,
            "auth_base_url": self.auth_base_url,
            "unique_id": self.unique_id,
            "timeout": self.timeout,
            "retry": self.retry,
            "rate_limiter": self.rate_limiter or False,
            "rate_limit_wait": self.rate_limit_wait,
            "english_only": self.english_only,
            "headers": dict(self._headers),
            "max_response_bytes": self.limits.max_response_bytes,
            "max_line_bytes": self.limits.max_line_bytes,
            "stream_timeout": self.stream_timeout,
            "stream_idle_timeout": self.stream_idle_timeout,
        }

    def with_options(
        self: _C,
        *,
        timeout: float | httpx.Timeout | _Unset | None = UNSET,
        max_retries: int | _Unset = UNSET,
        retry: RetryPolicy | _Unset = UNSET,
        default_headers: Mapping[str, str] | _Unset = UNSET,
        headers: Mapping[str, str] | _Unset = UNSET,
        unique_id: str | _Unset = UNSET,
        english_only: bool | _Unset = UNSET,
        rate_limit_wait: float | _Unset | None = UNSET,
    ) -> _C:
        """A copy with changed settings that shares this client's credentials, connection pool
        and rate limiter (as openai's ``with_options``); headers given are added to this
        client's. Closing the copy leaves the pool open.

        >>> client.with_options(timeout=5, max_retries=0).search("a goal")
        >>> client.with_options(rate_limit_wait=0).chat("...")  # fail at once if it must wait
        """
        return copy_with_options(
            self,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            default_headers=default_headers,
            headers=headers,
            unique_id=unique_id,
            english_only=english_only,
            rate_limit_wait=rate_limit_wait,
        )

    def __repr__(self) -> str:
        # Never the key: only where the client talks to and in which namespace.
        return f"{type(self).__name__}(base_url={self.base_url!r}, unique_id={self.unique_id!r})"

    # -- helpers for the endpoint methods
    def _ns(self, unique_id: str | None) -> str:
        return unique_id if unique_id is not None else self.unique_id

    @staticmethod
    def _metadata(endpoint: str, **fields: Any) -> dict[str, Any]:
        return capture_metadata(endpoint=endpoint, **fields)

    # -- request/response plumbing
    def _url(self, call: Call[Any]) -> str:
        base = self.auth_base_url if call.endpoint.host == "auth" else self.base_url
        return base + call.endpoint.path + (f"?{call.query}" if call.query else "")

    def _request_kwargs(
        self, call: Call[Any], files: list[Any], timeout: float | httpx.Timeout | None
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "params": call.params,
            # The client's headers go on each request: a caller's http_client is never mutated.
            "headers": {**self._headers, **call.headers},
            "timeout": self.timeout if timeout is None else timeout,
        }
        if call.json is not None:
            kwargs["json"] = call.json
        if call.data is not None:
            kwargs["data"] = call.data
        if files:
            kwargs["files"] = files
        return kwargs

    def _auth_for(self, call: Call[Any]) -> Any:
        # Token endpoints authenticate by their body (code / refresh token), not the key.
        # The key is applied per request, never installed on a (possibly shared) http_client.
        return None if call.endpoint.host == "auth" else self._auth

    def _limiter_delay(
        self, call: Call[Any], deadline: Deadline | None = None, *, first: bool = True
    ) -> float:
        """Seconds to wait for this call's rate-limit slot, at most ``rate_limit_wait``.

        The first attempt's wait comes before its deadline starts (the caller restarts the
        deadline after it); a retry's wait must also fit in what is left of the deadline. A wait
        that is too long is refused before anything is booked, so a refused call costs no slot.
        """
        if not self.rate_limiter:
            return 0.0
        group = call.endpoint.rate_group
        bound = math.inf if self.rate_limit_wait is None else self.rate_limit_wait
        left = math.inf if deadline is None or first else deadline.remaining()
        try:
            wait = self.rate_limiter.reserve(group, max_wait=min(bound, left))
        except SlotTooFar as far:
            if left < bound:
                why = f"past this call's deadline of {deadline.seconds:g}s" if deadline else ""
            else:
                why = (
                    f"longer than rate_limit_wait={bound:g}s (None waits as long as needed)"
                    if bound
                    else "and rate_limit_wait=0 does not wait"
                )
            raise e.RateLimitWaitError(
                f"the {group} rate limit allows the next request in {far.wait:.1f}s, {why}; "
                "nothing was sent",
                group=str(group),
                wait=far.wait,
                endpoint=call.endpoint.path,
            ) from None
        if wait > 0:
            log.info(
                "waiting %.1fs for the %s rate limit before %s", wait, group, call.endpoint.path
            )
        return wait

    @staticmethod
    def _log_chat(call: Call[Any]) -> None:
        """The chat being asked, at debug: path, session and video count. Never the prompt
        (bodies are not logged; a prompt may quote private data), only its length."""
        body = call.json
        if not (log.isEnabledFor(logging.DEBUG) and isinstance(body, dict) and "prompt" in body):
            return
        videos = body.get("video_nos")
        log.debug(
            "chat %s %s: session %s, %s, a prompt of %d characters",
            call.endpoint.method,
            call.endpoint.path,
            body.get("session_id", "new"),
            "the whole library" if videos is None else f"{len(videos)} video(s)",
            len(str(body["prompt"])),
        )

    @staticmethod
    def _finish(call: Call[T], response: httpx.Response, body: bytes) -> T:
        record(response)  # for with_raw_response
        if log.isEnabledFor(logging.DEBUG):  # path only: never the query, headers or body
            log.debug(
                "%s %s -> %s in %s",
                call.endpoint.method,
                call.endpoint.path,
                response.status_code,
                _elapsed(response),
            )
        data = unwrap(response, body, endpoint=call.endpoint.path)
        return run_parser(call, data)

    def _retry_delay(self, call: Call[Any], error: BaseException, attempt: int) -> float | None:
        delay = self.retry.delay_for(error, attempt, idempotent=call.endpoint.idempotent)
        if delay is not None:
            log.info(
                "retrying %s in %.2fs after %s (attempt %d)",
                call.endpoint.path,
                delay,
                type(error).__name__,
                attempt + 1,
            )
        return delay

    def _retry_or_raise(
        self,
        call: Call[Any],
        error: httpx.TransportError | e.MemoriesError,
        attempt: int,
        started: float,
        deadline: Deadline | None = None,
    ) -> float:
        """Seconds to wait before the next attempt, or the typed error to raise now.

        A retry whose wait would end past the call's deadline is not made: the error is raised
        now rather than after sleeping (a Retry-After of 10 s inside a 2 s budget fails fast).
        """
        delay = self._retry_delay(call, error, attempt)
        if delay is not None and (deadline is None or deadline.allows(delay)):
            return delay
        if isinstance(error, httpx.TransportError):
            raise self._transport_error(call, error, started) from error
        raise error

    def _transport_error(
        self, call: Call[Any], exc: httpx.TransportError, started: float
    ) -> e.MemoriesError:
        path = call.endpoint.path
        connect = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
        if call.files and call.endpoint.name == "upload" and not connect:
            tally = _UPLOAD_TALLY.get()
            sent = (
                "the upload was sent"
                if tally is None or tally.complete
                else f"part of the upload was sent ({human_size(tally.sent)} of "
                f"{human_size(tally.total)})"
            )
            return e.UploadOutcomeUnknownError(
                f"connection failed after {sent} ({type(exc).__name__}); the video "
                "may exist: check list_videos before uploading again",
                file_name=call.files[0].name,
                unique_id=str((call.data or {}).get("unique_id", self.unique_id)),
                started_at=started,
                endpoint=path,
            )
        if isinstance(exc, httpx.TimeoutException):
            return e.MemoriesTimeoutError(
                f"request timed out ({type(exc).__name__})", endpoint=path
            )
        return e.APIConnectionError(f"connection failed ({type(exc).__name__})", endpoint=path)

    @staticmethod
    def _stream_error(
        exc: httpx.TransportError, path: str, what: str = "chat stream"
    ) -> e.MemoriesError:
        """A stream that stalls is a timeout; one that breaks off is a connection error."""
        if isinstance(exc, httpx.TimeoutException):
            return e.MemoriesTimeoutError(f"{what} stalled ({type(exc).__name__})", endpoint=path)
        return e.APIConnectionError(f"{what} broke off ({type(exc).__name__})", endpoint=path)

    def _deadline(self, call: Call[Any], timeout: float | httpx.Timeout | None) -> Deadline:
        """The total deadline of one call: the per-call timeout, else the client's.

        A file upload gets no default deadline (a large file legitimately takes longer than
        a read timeout to send); its reads stay bounded by the httpx timeouts.
        """
        if timeout is not None:
            if not isinstance(timeout, httpx.Timeout):  # a caller's per-call timeout=
                timeout = seconds_or_none(timeout, "timeout")
            return Deadline(total_seconds(timeout))
        if call.files:
            return Deadline(None)
        return Deadline(total_seconds(self.timeout))

    def _phase_timeout(self, timeout: float | httpx.Timeout | None, deadline: Deadline) -> Any:
        """httpx's per-operation timeouts for one attempt, none longer than the time left."""
        if timeout is None:
            base = self.timeout
        else:
            base = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        return deadline.bound(base)

    @staticmethod
    def _now() -> float:
        return time.time()
