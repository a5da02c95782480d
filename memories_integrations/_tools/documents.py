"""Framework-neutral conversion of memories.ai results into retrievable text + metadata.

Pure functions over the core models, shared by the LangChain and LlamaIndex adapters so both
produce the same text, metadata, ids and source links for the same moment. Nothing here imports
a framework or talks to the network.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from memories_integrations.models import SearchHit, Summary, Transcript, hhmmss

__all__ = [
    "ID_NAMESPACE",
    "TimedText",
    "Track",
    "Window",
    "fmt_seconds",
    "group_moments",
    "hit_id",
    "hit_metadata",
    "hit_text",
    "merge_tracks",
    "moment_metadata",
    "render_lines",
    "source_link",
    "stable_id",
    "summary_segments",
    "transcript_segments",
    "window_segments",
]

Track = Literal["audio", "visual", "summary"]

#: Namespace of every id derived here: uuid5 ids are stable across processes and machines, so
#: re-ingesting the same moment upserts instead of duplicating.
ID_NAMESPACE = uuid.UUID("6f1d8a52-4c3e-5b7a-9d2e-6d656d6f7269")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes

_LABELS: dict[str, str] = {"audio": "Speech", "visual": "Visual", "summary": "Chapter"}


@dataclass(frozen=True)
class TimedText:
    """One timed piece of text of a video: a transcript segment, caption or summary chapter."""

    start: float
    end: float
    text: str
    track: Track
    title: str = ""


@dataclass(frozen=True)
class Window:
    """Consecutive segments grouped into one span (a fixed time window or a merged moment)."""

    start: float
    end: float
    segments: tuple[TimedText, ...]


def fmt_seconds(seconds: float) -> str:
    """Compact, exact-enough seconds for links and ids: 4.0 -> "4", 4.25 -> "4.25"."""
    value = float(seconds)
    if value.is_integer():  # the common case (the API sends whole seconds), and the fast one
        return str(int(value))
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def stable_id(*parts: object) -> str:
    """Deterministic UUID (as text) from the given parts; same parts, same id, everywhere.

    Equal to ``str(uuid.uuid5(ID_NAMESPACE, key))``, computed without building UUID objects:
    ids are made for every document of every query, on the retrievers' hot path.
    """
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + key.encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def source_link(unique_id: str, video_no: str, start: float, end: float | None = None) -> str:
    """``memories://<unique_id>/<video_no>?t=<start>-<end>``: where a citation points."""
    stop = start if end is None else end
    return f"memories://{unique_id}/{video_no}?t={fmt_seconds(start)}-{fmt_seconds(stop)}"


# --------------------------------------------------------------------------- search hits
#: Said in the text of a hit the API gave no times for, so a reader does not invent some.
NO_TIME_RANGE = "(The search gave no time range for this moment.)"


def hit_text(hit: SearchHit) -> str:
    """The words of a search hit; a BY_VIDEO hit may carry none, so describe the span instead."""
    text = hit.text.strip()
    name = hit.video_name or hit.video_no
    if not hit.timed:
        return f"{text} {NO_TIME_RANGE}" if text else f"Video {name!r}. {NO_TIME_RANGE}"
    if text:
        return text
    return f"Moment of video {name!r} from {hit.start_timestamp} to {hit.end_timestamp}."


def hit_id(hit: SearchHit, *, unique_id: str, search_type: str) -> str:
    """Stable id of a hit: the same moment found the same way gets the same id in any query."""
    if hit.start_time is None:  # untimed: the words tell such hits of one video apart
        return stable_id("hit", unique_id, hit.video_no, search_type, "untimed", hit.text)
    end = hit.end_time if hit.end_time is not None else hit.start_time
    return stable_id(
        "hit", unique_id, hit.video_no, search_type, fmt_seconds(hit.start_time), fmt_seconds(end)
    )


def moment_metadata(
    *,
    unique_id: str,
    video_no: str,
    video_name: str | None,
    start: float,
    end: float | None,
) -> dict[str, Any]:
    """Metadata every moment carries: ids, float seconds, HH:MM:SS and the source link."""
    stop = start if end is None else end
    return {
        "video_no": video_no,
        "video_name": video_name or "",
        "start_time": float(start),
        "end_time": float(stop),
        "start_timestamp": hhmmss(start),
        "end_timestamp": hhmmss(stop),
        "unique_id": unique_id,
        "source": source_link(unique_id, video_no, start, stop),
    }


def hit_metadata(hit: SearchHit, *, unique_id: str, search_type: str) -> dict[str, Any]:
    """Metadata of a search hit (the moment's metadata plus score and search type). An untimed
    hit has no times, its ``source`` names the video without a ``?t=`` range, and
    ``timed: False`` says so."""
    if hit.start_time is None:
        return {
            "video_no": hit.video_no,
            "video_name": hit.video_name or "",
            "unique_id": unique_id,
            "source": f"memories://{unique_id}/{hit.video_no}",
            "timed": False,
            "score": hit.score,
            "search_type": search_type,
        }
    meta = moment_metadata(
        unique_id=unique_id,
        video_no=hit.video_no,
        video_name=hit.video_name,
        start=hit.start_time,
        end=hit.end_time,
    )
    meta["score"] = hit.score
    meta["search_type"] = search_type
    return meta


# --------------------------------------------------------------------------- transcripts
def transcript_segments(transcript: Transcript, track: Track) -> list[TimedText]:
    """Non-empty segments of a transcript as ``TimedText`` of ``track``, in time order."""
    out = [
        TimedText(
            start=s.start_time,
            end=s.end_time if s.end_time is not None else s.start_time,
            text=s.text.strip(),
            track=track,
        )
        for s in transcript.segments
        if s.text.strip()
    ]
    return sorted(out, key=lambda t: (t.start, t.end))


def summary_segments(summary: Summary) -> list[TimedText]:
    """Chapters of a summary as ``TimedText`` (title kept apart from the description)."""
    out = [
        TimedText(
            start=i.start_time,
            end=i.end_time if i.end_time is not None else i.start_time,
            text=i.description.strip(),
            track="summary",
            title=i.title.strip(),
        )
        for i in summary.items
        if i.description.strip() or i.title.strip()
    ]
    return sorted(out, key=lambda t: (t.start, t.end))


_TRACK_ORDER = {"visual": 0, "audio": 1, "summary": 2}


def merge_tracks(*tracks: Iterable[TimedText]) -> list[TimedText]:
    """All segments of several tracks in one timeline: by start, then end, then visual before
    speech, so what is seen reads before what is said at the same moment."""
    merged = [t for track in tracks for t in track]
    return sorted(merged, key=lambda t: (t.start, t.end, _TRACK_ORDER[t.track]))


def group_moments(segments: Sequence[TimedText]) -> list[Window]:
    """Segments sharing the same (start, end) span grouped together: the audio and visual text
    of one moment become one unit when the API cut both tracks at the same times."""
    groups: dict[tuple[float, float], list[TimedText]] = {}
    for seg in segments:
        groups.setdefault((seg.start, seg.end), []).append(seg)
    return [Window(start=s, end=e, segments=tuple(g)) for (s, e), g in groups.items()]


def window_segments(
    segments: Sequence[TimedText], window_seconds: float, *, clip: bool = False
) -> list[Window]:
    """Fixed time windows ``[k*w, (k+1)*w)``; a segment belongs to the window its start falls
    in (so no text is duplicated or cut). Empty windows are skipped; a window's end is the
    latest end of its segments, never past the content (``clip``: nor past ``(k+1)*w``, the
    LangChain loader's chunks, so consecutive chunks never overlap)."""
    if window_seconds <= 0:
        raise ValueError("window_seconds must be positive")
    buckets: dict[int, list[TimedText]] = {}
    for seg in segments:
        buckets.setdefault(int(seg.start // window_seconds), []).append(seg)
    windows = []
    for index in sorted(buckets):
        segs = tuple(sorted(buckets[index], key=lambda t: (t.start, t.end)))
        start, end = index * window_seconds, max(s.end for s in segs)
        if clip:
            end = max(min(end, (index + 1) * window_seconds), start)
        windows.append(Window(start=start, end=end, segments=segs))
    return windows


def render_lines(
    segments: Iterable[TimedText], *, labels: bool = True, ranges: bool = False
) -> str:
    """Segments as cite-able lines: ``[00:01:05] Visual: a goal is scored`` (``ranges``:
    ``[00:01:05-00:01:09] ...``, what the tools show so a model can cite the whole span)."""
    lines = []
    for seg in segments:
        body = f"{seg.title}: {seg.text}" if seg.title and seg.text else seg.title or seg.text
        label = f"{_LABELS[seg.track]}: " if labels else ""
        when = f"{hhmmss(seg.start)}-{hhmmss(seg.end)}" if ranges else hhmmss(seg.start)
        lines.append(f"[{when}] {label}{body}")
    return "\n".join(lines)
