"""Configuration and send-independent logic shared by the sync and async clients."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
from pydantic import SecretStr

from . import errors as e
from ._api._core import Call, FileSpec, run_parser
from ._api.videos import capture_metadata
from ._response import unwrap
from ._retry import RateLimiter, RetryPolicy
from ._version import __version__
from .auth import DEFAULT_AUTH_BASE_URL, KEY_ENV_VARS, ApiKeyAuth, api_key_from_env

T = TypeVar("T")
log = logging.getLogger("memories_integrations")

DEFAULT_BASE_URL = "https://api.memories.ai"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
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


class _ProgressFile:
    """File wrapper reporting bytes read by httpx's multipart encoder (which reads in chunks)."""

    def __init__(self, fh: IO[bytes], total: int, callback: ProgressCallback) -> None:
        self._fh, self._total, self._callback, self._sent = fh, total, callback, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._fh.read(size)
        self._sent += len(chunk)
        self._callback(min(self._sent, self._total), self._total)
        return chunk

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset == 0 and whence == 0:
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
    """Open upload files for one attempt: httpx streams them in chunks, never whole."""
    with contextlib.ExitStack() as stack:
        parts: list[tuple[str, tuple[str, Any, str]]] = []
        for spec in specs:
            fh: Any = stack.enter_context(open(spec.path, "rb"))
            if progress is not None:
                fh = _ProgressFile(fh, spec.size, progress)
            parts.append((spec.field, (Path(spec.path).name, fh, spec.content_type)))
        yield parts


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
        rate_limiter: RateLimiter | bool = False,
        english_only: bool = True,
        headers: dict[str, str] | None = None,
    ) -> None:
        if auth is None:
            key = api_key if api_key is not None else api_key_from_env()
            if isinstance(key, str):
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
        self.timeout = (
            timeout
            if isinstance(timeout, httpx.Timeout)
            else (DEFAULT_TIMEOUT if timeout is None else httpx.Timeout(timeout))
        )
        self.retry = retry or RetryPolicy()
        self.rate_limiter = RateLimiter() if rate_limiter is True else (rate_limiter or None)
        self.english_only = english_only
        self._headers = {"User-Agent": f"memories-integrations/{__version__}", **(headers or {})}

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
            "english_only": self.english_only,
            "headers": dict(self._headers),
        }

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
        return (self.auth_base_url if call.endpoint.host == "auth" else self.base_url) + (
            call.endpoint.path
        )

    def _request_kwargs(
        self, call: Call[Any], files: list[Any], timeout: float | httpx.Timeout | None
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "params": call.params,
            "headers": call.headers or None,
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
        return None if call.endpoint.host == "auth" else httpx.USE_CLIENT_DEFAULT

    def _limiter_delay(self, call: Call[Any]) -> float:
        return self.rate_limiter.reserve(call.endpoint.rate_group) if self.rate_limiter else 0.0

    @staticmethod
    def _finish(call: Call[T], response: httpx.Response, body: bytes) -> T:
        log.debug("%s %s -> %s", call.endpoint.method, call.endpoint.path, response.status_code)
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
    ) -> float:
        """Seconds to wait before the next attempt, or the typed error to raise now."""
        delay = self._retry_delay(call, error, attempt)
        if delay is not None:
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
            return e.UploadOutcomeUnknownError(
                f"connection failed after the upload was sent ({type(exc).__name__}); the video "
                "may exist: check list_videos before uploading again",
                file_name=Path(call.files[0].path).name,
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
    def _stream_error(exc: httpx.TransportError, path: str) -> e.MemoriesError:
        """A stream that stalls is a timeout; one that breaks off is a connection error."""
        if isinstance(exc, httpx.TimeoutException):
            return e.MemoriesTimeoutError(
                f"chat stream stalled ({type(exc).__name__})", endpoint=path
            )
        return e.APIConnectionError(f"chat stream broke off ({type(exc).__name__})", endpoint=path)

    @staticmethod
    def _now() -> float:
        return time.time()
