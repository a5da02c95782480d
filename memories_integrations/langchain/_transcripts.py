"""Audio transcripts and visual captions as one timeline, plus SRT / VTT / window rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools.documents import TimedText, Track, Window, window_segments
from memories_integrations._tools.tracks import Tracks, afetch_tracks, fetch_tracks
from memories_integrations.models import Transcript, hhmmss

__all__ = [
    "Cue",
    "TranscriptSource",
    "afetch",
    "fetch",
    "render_lines",
    "to_srt",
    "to_vtt",
    "windows",
]

TranscriptSource = Literal["audio", "visual", "both"]

#: One timed piece of text of one track ("audio" speech or "visual" caption).
Cue = TimedText


def _cues(transcript: Transcript | None, track: Track) -> list[Cue]:
    if transcript is None:
        return []
    segments = sorted(transcript.segments, key=lambda s: s.start_time)
    cues = []
    for i, seg in enumerate(segments):
        text = " ".join(seg.text.split())
        if not text:
            continue
        end = seg.end_time
        if end is None:  # no end sent: assume it lasts until the next segment starts
            end = segments[i + 1].start_time if i + 1 < len(segments) else seg.start_time
        cues.append(Cue(seg.start_time, max(end, seg.start_time), text, track))
    return cues


def timeline(tracks: Tracks) -> list[Cue]:
    """Both tracks merged by start time (visual first on ties: the scene, then the words)."""
    cues = _cues(tracks.visual, "visual") + _cues(tracks.audio, "audio")
    return sorted(cues, key=lambda c: (c.start, c.track != "visual", c.end))


def fetch(
    client: MemoriesClient, video_no: str, source: TranscriptSource, unique_id: str | None
) -> list[Cue]:
    audio, visual = source != "visual", source != "audio"
    return timeline(fetch_tracks(client, video_no, audio=audio, visual=visual, unique_id=unique_id))


async def afetch(
    client: AsyncMemoriesClient,
    video_no: str,
    source: TranscriptSource,
    unique_id: str | None,
    *,
    paced: bool = False,
) -> list[Cue]:
    audio, visual = source != "visual", source != "audio"
    tracks = await afetch_tracks(
        client, video_no, audio=audio, visual=visual, unique_id=unique_id, paced=paced
    )
    return timeline(tracks)


def _label(cue: Cue, labelled: bool) -> str:
    return f"[{cue.track}] {cue.text}" if labelled else cue.text


def render_lines(cues: Sequence[Cue], labelled: bool) -> str:
    """``[00:00:02-00:00:04] text`` per cue: readable, and cites times a model can repeat."""
    return "\n".join(f"[{hhmmss(c.start)}-{hhmmss(c.end)}] {_label(c, labelled)}" for c in cues)


def _clock(t: float, sep: str) -> str:
    ms = round(max(t, 0.0) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: Sequence[Cue], labelled: bool) -> str:
    blocks = [
        f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{_label(c, labelled)}\n"
        for i, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: Sequence[Cue], labelled: bool) -> str:
    blocks = [
        f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{_label(c, labelled)}\n" for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def windows(cues: Sequence[Cue], chunk_seconds: float) -> list[Window]:
    """Cues grouped into fixed windows [n*chunk, (n+1)*chunk) by start time (the core's
    windowing, each window's end clipped to its bound and to the last cue)."""
    return window_segments(cues, chunk_seconds, clip=True)
