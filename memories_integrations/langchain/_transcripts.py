"""Audio transcripts and visual captions as one timeline, plus SRT / VTT / window rendering."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .._async_client import AsyncMemoriesClient
from .._client import MemoriesClient
from ..models import Transcript, hhmmss

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


@dataclass(frozen=True)
class Cue:
    """One timed piece of text from one channel ("audio" speech or "visual" caption)."""

    start: float
    end: float
    channel: str
    text: str


def _cues(transcript: Transcript | None, channel: str) -> list[Cue]:
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
        cues.append(Cue(seg.start_time, max(end, seg.start_time), channel, text))
    return cues


def timeline(audio: Transcript | None, visual: Transcript | None) -> list[Cue]:
    """Both channels merged by start time (visual first on ties: the scene, then the words)."""
    cues = _cues(visual, "visual") + _cues(audio, "audio")
    return sorted(cues, key=lambda c: (c.start, c.channel != "visual", c.end))


def fetch(
    client: MemoriesClient, video_no: str, source: TranscriptSource, unique_id: str | None
) -> list[Cue]:
    audio = visual = None
    if source != "visual":
        audio = client.get_audio_transcription(video_no, unique_id=unique_id)
    if source != "audio":
        visual = client.get_video_caption(video_no, unique_id=unique_id)
    return timeline(audio, visual)


async def afetch(
    client: AsyncMemoriesClient, video_no: str, source: TranscriptSource, unique_id: str | None
) -> list[Cue]:
    audio_call = (
        client.get_audio_transcription(video_no, unique_id=unique_id)
        if source != "visual"
        else None
    )
    visual_call = (
        client.get_video_caption(video_no, unique_id=unique_id) if source != "audio" else None
    )
    calls = [c for c in (audio_call, visual_call) if c is not None]
    results = list(await asyncio.gather(*calls))
    audio = results.pop(0) if audio_call is not None else None
    visual = results.pop(0) if visual_call is not None else None
    return timeline(audio, visual)


def _label(cue: Cue, labelled: bool) -> str:
    return f"[{cue.channel}] {cue.text}" if labelled else cue.text


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


def windows(cues: Sequence[Cue], chunk_seconds: float) -> list[tuple[float, float, list[Cue]]]:
    """Cues grouped into fixed windows [n*chunk, (n+1)*chunk) by start time; empty windows
    are skipped. Returns (window start, window end clipped to the last cue, cues)."""
    groups: dict[int, list[Cue]] = {}
    for cue in cues:
        groups.setdefault(int(cue.start // chunk_seconds), []).append(cue)
    out = []
    for n in sorted(groups):
        members = groups[n]
        start = n * chunk_seconds
        end = min((n + 1) * chunk_seconds, max(c.end for c in members))
        out.append((start, max(end, start), members))
    return out
