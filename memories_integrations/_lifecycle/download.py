"""Saving a download safely: the checks and file handling both clients share.

Download-video and Download-by-bucket-blob pages: success is a binary stream
(``application/octet-stream`` or the file's own type); failure is a JSON envelope. A download is
written to a temporary file beside ``dest`` and renamed over it only once it is complete and
checked, so a broken stream or an error page never replaces an existing file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import IO, Any

import httpx

from memories_integrations import errors as e
from memories_integrations._transport.response import unwrap
from memories_integrations._units import human_size

# An error envelope is small; reading more than this of a "JSON" answer is not an envelope.
MAX_ERROR_BODY = 1024 * 1024
# First bytes that make a body an error answer whatever its content type says.
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")


def download_target(dest: Any, *, endpoint: str) -> Path:
    """``dest`` as a Path to a file that can be created; checked before anything is sent."""
    if not isinstance(dest, (str, os.PathLike)):
        raise e.InvalidInputError(
            f"dest must be a file path, got {type(dest).__name__}", endpoint=endpoint, param="dest"
        )
    try:
        target = Path(os.fsdecode(dest)).expanduser()
    except (TypeError, ValueError) as exc:
        raise e.InvalidInputError(f"dest is not a valid path ({exc})", endpoint=endpoint) from None
    if not str(target) or target.is_dir():
        raise e.InvalidInputError(
            f"dest {str(target)!r} is a directory: pass the file path to save to",
            endpoint=endpoint,
            param="dest",
        )
    parent = target.parent
    if not parent.is_dir():
        raise e.InvalidInputError(
            f"the folder of dest does not exist: {str(parent)!r}", endpoint=endpoint, param="dest"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise e.InvalidInputError(
            f"the folder of dest is not writable: {str(parent)!r}", endpoint=endpoint, param="dest"
        )
    return target


def error_answer(response: httpx.Response, first: bytes) -> str | None:
    """``"json"`` or ``"html"`` when the answer is not the file, judged by status, content
    type and the first bytes (an envelope labelled octet-stream is still an envelope)."""
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    head = first.lstrip()[:64].lower()
    if response.status_code != 200 or "json" in ctype or head.startswith(b"{"):
        return "json"
    if ctype in ("text/html", "application/xhtml+xml") or head.startswith(_HTML_STARTS):
        return "html"
    return None


def raise_for_answer(response: httpx.Response, body: bytes, kind: str, *, endpoint: str) -> None:
    """Raise the typed error of an answer that is not the file."""
    status = response.status_code
    if kind == "json":
        unwrap(response, body, endpoint=endpoint)  # raises the envelope's typed error
        raise e.ResponseParseError(
            "expected the file, got a JSON answer with no error code",
            endpoint=endpoint,
            status_code=status,
        )
    raise e.ResponseParseError(
        f"expected the file, got an HTML page (HTTP {status}, "
        f"{response.headers.get('content-type', 'no content type')}); nothing was saved",
        endpoint=endpoint,
        status_code=status,
    )


def expected_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "").strip()
    return int(value) if value.isdigit() else None


def check_declared_size(response: httpx.Response, max_bytes: int | None, *, endpoint: str) -> None:
    """Refuse a file whose declared (unencoded) length is over ``max_bytes`` before reading it."""
    plain = response.headers.get("content-encoding", "").strip().lower() in ("", "identity")
    declared = expected_length(response)
    if max_bytes is not None and plain and declared is not None and declared > max_bytes:
        raise _over_cap(max_bytes, endpoint)


def _over_cap(max_bytes: int, endpoint: str) -> e.ResponseTooLargeError:
    return e.ResponseTooLargeError(
        f"the download is over its cap of {max_bytes} bytes (max_bytes); nothing was saved",
        limit=max_bytes,
        endpoint=endpoint,
    )


def check_complete(
    response: httpx.Response, written: int, *, endpoint: str, in_memory: bool = False
) -> None:
    """The body arrived whole: Content-Length (of the bytes on the wire) when sent, and never
    empty.

    ``in_memory``: the transport returned the body already read (a MockTransport handler's
    ``httpx.Response(200, content=...)``, a replayed cassette). httpx counts no downloaded
    bytes for it, so its length is the content's (unknown when httpx decoded it already).
    """
    expected = expected_length(response)
    received = response.num_bytes_downloaded
    if in_memory:
        encoding = response.headers.get("content-encoding", "").strip().lower()
        received = len(response.content) if encoding in ("", "identity") else expected or 0
    if expected is not None and received != expected:
        raise e.APIConnectionError(
            f"download ended after {human_size(received, exact=True)} of "
            f"{human_size(expected, exact=True)}; nothing was saved",
            endpoint=endpoint,
        )
    if written == 0:
        raise e.ResponseParseError(
            "the download is empty; nothing was saved", endpoint=endpoint, status_code=200
        )


def broken(exc: httpx.TransportError, *, endpoint: str) -> e.MemoriesError:
    """A stream that fails midway, as a typed error (never the raw httpx one)."""
    if isinstance(exc, httpx.TimeoutException):
        return e.MemoriesTimeoutError(
            f"download stalled ({type(exc).__name__}); nothing was saved", endpoint=endpoint
        )
    return e.APIConnectionError(
        f"download broke off ({type(exc).__name__}); nothing was saved", endpoint=endpoint
    )


class PartFile:
    """A temporary file beside ``target``; ``commit`` renames it over ``target`` atomically,
    ``discard`` (always called) removes what is left. A write past ``max_bytes`` raises
    ``ResponseTooLargeError``: the download stops there."""

    def __init__(self, target: Path, max_bytes: int | None = None, *, endpoint: str = "") -> None:
        self.target, self.max_bytes, self.endpoint = target, max_bytes, endpoint
        self.path = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        # 0o666 and O_EXCL: the final file gets the user's umask, and no existing file is reused.
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        self.fh: IO[bytes] = os.fdopen(fd, "wb")
        self.written = 0

    def write(self, chunk: bytes) -> None:
        if self.max_bytes is not None and self.written + len(chunk) > self.max_bytes:
            raise _over_cap(self.max_bytes, self.endpoint)
        self.fh.write(chunk)
        self.written += len(chunk)

    def commit(self) -> Path:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.path, self.target)
        return self.target

    def discard(self) -> None:
        self.fh.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
