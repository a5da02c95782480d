"""Input checks that run before any network call, so bad input fails fast and typed."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
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


def local_file(
    path: str | os.PathLike[str], *, kinds: frozenset[str], max_bytes: int, endpoint: str
) -> Path:
    p = Path(path)
    if not p.exists():
        raise InvalidInputError(f"file not found: {p}", endpoint=endpoint, param="file")
    if not p.is_file():
        raise InvalidInputError(f"not a regular file: {p}", endpoint=endpoint, param="file")
    if p.suffix.lower() not in kinds:
        allowed = ", ".join(sorted(kinds))
        raise InvalidInputError(
            f"unsupported file extension {p.suffix or '(none)'!r} for {p.name}; allowed: {allowed}",
            endpoint=endpoint,
            param="file",
        )
    try:  # as late as possible, but before any byte is sent: a PermissionError is bad input
        with p.open("rb"):
            pass
    except OSError as exc:
        raise InvalidInputError(
            f"file cannot be read ({exc.strerror or type(exc).__name__}): {p}",
            endpoint=endpoint,
            param="file",
        ) from None
    size = p.stat().st_size
    if size == 0:
        raise InvalidInputError(f"file is empty: {p}", endpoint=endpoint, param="file")
    if size > max_bytes:
        raise InvalidInputError(
            f"file is {human_size(size)}, over the {human_size(max_bytes)} limit: {p}",
            endpoint=endpoint,
            param="file",
        )
    return p


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
