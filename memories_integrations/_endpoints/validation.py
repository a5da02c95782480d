"""Input checks that run before any network call, so bad input fails fast and typed."""

from __future__ import annotations

import io
import math
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from memories_integrations._units import human_size
from memories_integrations.errors import InvalidInputError

__all__ = ["InvalidInputError"]

VIDEO_EXTENSIONS = frozenset({".mp4", ".avi", ".mkv", ".mov"})  # Upload-from-local page
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"})
MAX_VIDEO_BYTES = 3 * 1024**3  # current docs: 3 GB per file
MAX_IMAGE_BYTES = 20 * 1024**2
SEARCH_TYPES = ("BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE")
PUBLIC_SEARCH_TYPES = ("BY_VIDEO", "BY_CLIP", "BY_AUDIO")
FILTERING_LEVELS = ("low", "medium", "high")
PLATFORMS = ("TIKTOK", "YOUTUBE", "INSTAGRAM")
SUMMARY_TYPES = ("CHAPTER", "TOPIC")
QUALITIES = ("360", "480", "720", "1080", "1440", "2160")
MAX_VIDEO_NOS = 100
MAX_IMPORT_URLS = 50


#: What an upload takes: a path, or a binary file already open for reading (``open(p, "rb")``).
UploadSource = str | os.PathLike[str] | IO[bytes]


@dataclass(frozen=True)
class LocalFile:
    """A checked upload file: ``source`` is what the transport opens (a path) or reads (an open
    file); ``name`` the multipart part's file name; ``size`` its bytes when checked."""

    source: Path | IO[bytes]
    name: str
    size: int


def local_file(
    file: UploadSource, *, kinds: frozenset[str], max_bytes: int, endpoint: str
) -> LocalFile:
    if isinstance(file, str | os.PathLike):
        checked = _path_file(Path(file), kinds, endpoint)
    else:
        checked = _open_file(file, kinds, endpoint)
    shown = checked.source if isinstance(checked.source, Path) else checked.name
    if checked.size == 0:
        raise InvalidInputError(f"file is empty: {shown}", endpoint=endpoint, param="file")
    if checked.size > max_bytes:
        raise InvalidInputError(
            f"file is {human_size(checked.size)}, over the {human_size(max_bytes)} limit: {shown}",
            endpoint=endpoint,
            param="file",
        )
    return checked


def _kind(name: str, kinds: frozenset[str], endpoint: str) -> None:
    suffix = Path(name).suffix
    if suffix.lower() not in kinds:
        allowed = ", ".join(sorted(kinds))
        raise InvalidInputError(
            f"unsupported file extension {suffix or '(none)'!r} for {Path(name).name}; "
            f"allowed: {allowed}",
            endpoint=endpoint,
            param="file",
        )


def _path_file(p: Path, kinds: frozenset[str], endpoint: str) -> LocalFile:
    if not p.exists():
        raise InvalidInputError(f"file not found: {p}", endpoint=endpoint, param="file")
    if not p.is_file():
        raise InvalidInputError(f"not a regular file: {p}", endpoint=endpoint, param="file")
    _kind(p.name, kinds, endpoint)
    try:  # as late as possible, but before any byte is sent: a PermissionError is bad input
        with p.open("rb"):
            pass
        size = p.stat().st_size
    except OSError as exc:
        raise _unreadable(exc, p, endpoint) from None
    return LocalFile(p, p.name, size)


def _open_file(fh: IO[bytes], kinds: frozenset[str], endpoint: str) -> LocalFile:
    """An already-open file: binary, readable, with a file name, and a regular file."""
    name = getattr(fh, "name", None)
    if isinstance(fh, io.TextIOBase) or not callable(getattr(fh, "read", None)):
        raise InvalidInputError(
            "file must be a path or a file opened for reading in binary mode (open(path, 'rb'))",
            endpoint=endpoint,
            param="file",
        )
    if not isinstance(name, str):
        raise InvalidInputError(
            "an open file to upload needs a file name (open it with open(path, 'rb'))",
            endpoint=endpoint,
            param="file",
        )
    _kind(name, kinds, endpoint)
    try:
        st = os.fstat(fh.fileno())
        readable = fh.readable()
    except (OSError, ValueError, io.UnsupportedOperation) as exc:  # ValueError: closed
        raise _unreadable(exc, Path(name), endpoint) from None
    if not stat.S_ISREG(st.st_mode):
        raise InvalidInputError(f"not a regular file: {name}", endpoint=endpoint, param="file")
    if not readable:
        raise InvalidInputError(
            f"file is not open for reading: {name}", endpoint=endpoint, param="file"
        )
    return LocalFile(fh, Path(name).name, st.st_size)


def _unreadable(exc: Exception, p: Path, endpoint: str) -> InvalidInputError:
    why = getattr(exc, "strerror", None) or type(exc).__name__
    return InvalidInputError(f"file cannot be read ({why}): {p}", endpoint=endpoint, param="file")


def text(value: str, *, param: str, endpoint: str, english: bool = False) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"{param} must be a non-empty string", endpoint=endpoint, param=param
        )
    encodable(value, param=param, endpoint=endpoint)
    if english and _no_latin_letters(value):
        # API_Search / Video-Chat pages: prompts are English-only; other languages are unsupported.
        raise InvalidInputError(
            f"{param} must be in English: memories.ai search and chat support English prompts only",
            endpoint=endpoint,
            param=param,
        )
    return value.strip()


def encodable(value: str, *, param: str, endpoint: str) -> str:
    """Text that UTF-8 can encode: a lone surrogate (e.g. from a mis-decoded file name) would
    otherwise raise UnicodeEncodeError inside httpx, after the call started."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(
            f"{param} contains a character that is not valid text "
            f"(lone surrogate {value[exc.start]!r} at position {exc.start})",
            endpoint=endpoint,
            param=param,
        ) from None
    return value


def _no_latin_letters(value: str) -> bool:
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and not any("a" <= c.lower() <= "z" for c in letters)


def choice(value: str, options: Sequence[str], *, param: str, endpoint: str) -> str:
    normal = None
    if isinstance(value, str):
        normal = value.strip().upper() if options[0].isupper() else value.strip().lower()
    if normal is None or normal not in options:
        raise InvalidInputError(
            f"{param} must be one of {', '.join(options)}; got {value!r}",
            endpoint=endpoint,
            param=param,
        )
    return normal


def int_range(value: int, low: int, high: int, *, param: str, endpoint: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInputError(
            f"{param} must be an integer from {low} to {high}; got {value!r}",
            endpoint=endpoint,
            param=param,
        )
    return value


def id_list(values: Sequence[str], *, param: str, endpoint: str, limit: int) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise InvalidInputError(
            f"{param} must be a list of ids; got {type(values).__name__}",
            endpoint=endpoint,
            param=param,
        )
    # Ids are strings (numbers tolerated); str(None) or str([..]) would send "None" / "['a']".
    values = list(values)
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (str, int))]
    if bad:
        raise InvalidInputError(
            f"{param} must hold only id strings; got {bad[0]!r} ({type(bad[0]).__name__})",
            endpoint=endpoint,
            param=param,
        )
    items = [encodable(str(v), param=param, endpoint=endpoint).strip() for v in values]
    if not items or any(not v for v in items):
        raise InvalidInputError(
            f"{param} must be a non-empty list of ids", endpoint=endpoint, param=param
        )
    if len(items) > limit:
        raise InvalidInputError(
            f"{param} has {len(items)} entries; the API accepts at most {limit}",
            endpoint=endpoint,
            param=param,
        )
    return items


def http_url(value: str, *, param: str, endpoint: str) -> str:
    scheme, host = "", None
    if isinstance(value, str) and not any(c.isspace() for c in value.strip()):
        try:
            parts = urlsplit(value.strip())
            scheme, host = parts.scheme, parts.hostname
            _ = parts.port  # raises on a malformed port; hostname on a malformed IPv6 literal
        except ValueError:
            host = None
    if scheme not in ("http", "https") or not host:
        raise InvalidInputError(
            f"{param} must be an absolute http(s) URL; got {value!r}",
            endpoint=endpoint,
            param=param,
        )
    return value.strip()


def lat_long(
    latitude: float | None, longitude: float | None, *, endpoint: str
) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        raise InvalidInputError(
            "latitude and longitude must be given together", endpoint=endpoint, param="latitude"
        )
    for name, number in (("latitude", latitude), ("longitude", longitude)):
        if number is not None and not _finite_number(number):
            raise InvalidInputError(
                f"{name} must be a finite number; got {number!r}", endpoint=endpoint, param=name
            )
    if latitude is not None and longitude is not None:
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise InvalidInputError(
                "latitude must be in [-90, 90] and longitude in [-180, 180]",
                endpoint=endpoint,
                param="latitude",
            )
    return latitude, longitude


def _finite_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int too large for a float
        return False


def score_threshold(
    value: float | None, *, param: str = "score_threshold", endpoint: str = ""
) -> float | None:
    """A relevance cut-off: None, or a finite number in [0, 1] (search scores are 0..1)."""
    if value is None:
        return None
    if not _finite_number(value) or not 0.0 <= float(value) <= 1.0:
        raise InvalidInputError(
            f"{param} must be a number from 0 to 1; got {value!r}",
            endpoint=endpoint,
            param=param,
        )
    return float(value)
