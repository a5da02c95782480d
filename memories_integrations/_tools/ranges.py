"""Time ranges of a transcript, paging by size, and the chapter a piece of text falls in.

Framework-neutral: the transcript tools (LangChain, LlamaIndex, MCP) read ``[start, end)`` of a
long transcript and stop at a segment boundary when the text would exceed ``max_chars``, saying
where to continue (``next_start``); the loaders tag their Documents with chapter titles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from memories_integrations._tools.documents import TimedText

__all__ = ["RESERVE", "Page", "chapters_of", "overlapping", "page", "parse_time"]

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")
_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)?", re.IGNORECASE)


def parse_time(value: object, field: str = "time") -> float | None:
    """Seconds from ``72``, ``"72"``, ``"72s"``, ``"01:12"`` (MM:SS) or ``"0:01:12"``
    (H:MM:SS); None stays None. Anything else (negative, garbage) raises ``ValueError``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{field} must be seconds or HH:MM:SS / MM:SS; got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip()
        clock, plain = _CLOCK.fullmatch(text), _SECONDS.fullmatch(text)
        if clock:
            h, m, s = clock.groups()
            if (h is not None and int(m) > 59) or float(s) >= 60:
                raise ValueError(f"{field}: {value!r} is not a valid HH:MM:SS / MM:SS time")
            seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
        elif plain:
            seconds = float(plain.group(1))
        else:
            raise ValueError(f"{field} must be seconds or HH:MM:SS / MM:SS; got {value!r}")
    else:
        raise ValueError(f"{field} must be seconds or HH:MM:SS / MM:SS; got {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{field} must be a time >= 0; got {value!r}")
    return seconds


def overlapping(
    segments: Sequence[TimedText], start: float | None, end: float | None
) -> list[TimedText]:
    """Segments overlapping ``[start, end)`` (None: open). An instant (``start == end``)
    counts when it lies in the range."""
    lo = start if start is not None else -math.inf
    hi = end if end is not None else math.inf
    return [s for s in segments if s.start < hi and (s.end > lo or s.start >= lo)]


@dataclass(frozen=True)
class Page:
    segments: list[TimedText]
    """What fits, whole segments only, in time order."""
    next_start: float | None
    """Where the next read should start (None: nothing was left out)."""


#: Characters kept free for the header and the "continue at" line around the segments.
RESERVE = 200


def page(
    segments: Sequence[TimedText], max_chars: int | None, line: Callable[[TimedText], str]
) -> Page:
    """The first segments whose rendered ``line``s fit in ``max_chars`` less ``RESERVE`` (at
    least one, so a reader always moves on). Segments starting at the same time stay together,
    so continuing at ``next_start`` neither repeats nor skips any of them."""
    if max_chars is None or not segments:
        return Page(list(segments), None)
    used, cut = 0, len(segments)
    for i, seg in enumerate(segments):
        used += len(line(seg)) + 1
        if used > max_chars - RESERVE and i > 0:
            cut = i
            break
    while 0 < cut < len(segments) and segments[cut - 1].start == segments[cut].start:
        cut -= 1
    if cut == 0:  # one instant alone is over budget: show it anyway
        first = segments[0].start
        cut = next((i for i, s in enumerate(segments) if s.start != first), len(segments))
    if cut == len(segments):
        return Page(list(segments), None)
    return Page(list(segments[:cut]), segments[cut].start)


def chapters_of(start: float, end: float, chapters: Sequence[TimedText]) -> list[str]:
    """Titles of the chapters ``[start, end]`` falls in: the one holding ``start`` first, then
    any other it overlaps (a chapter's end is exclusive, except for the last one)."""
    titles: list[str] = []
    for i, ch in enumerate(chapters):
        last = i == len(chapters) - 1
        holds_start = ch.start <= start < ch.end or (last and ch.start <= start <= ch.end)
        overlaps = ch.start < end and ch.end > start
        if holds_start or overlaps:
            title = ch.title or ch.text
            if title and title not in titles:
                titles.insert(0 if holds_start else len(titles), title)
    return titles


def tag_chapters(metadata: MutableMapping[str, Any], chapters: Sequence[TimedText]) -> None:
    """Add ``chapter`` (the one holding the start) and, when the span crosses into others,
    ``chapters`` to a Document's / node's metadata (``start_time`` / ``end_time`` seconds)."""
    if "start_time" not in metadata:  # an untimed hit lies in no chapter
        return
    titles = chapters_of(metadata["start_time"], metadata["end_time"], chapters)
    if titles:
        metadata["chapter"] = titles[0]
    if len(titles) > 1:
        metadata["chapters"] = titles
