"""Content the emulator "understands": bundled samples, synthetic content, the public library.

Nothing here is a hard-coded search answer: every video gets timestamped caption and transcript
segments, and searches rank those segments (see ``search.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).parent / "samples"
VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp")


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Content:
    """What the emulator pretends to have extracted from a video."""

    title: str
    duration: float
    visual: tuple[Segment, ...]
    audio: tuple[Segment, ...]
    width: int = 64
    height: int = 36
    fps: float = 10.0
    tags: tuple[str, ...] = ()
    sample_file: str | None = None
    topic: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def sample_videos() -> list[Path]:
    """Paths of the bundled sample videos (tiny valid MP4s with an audio track)."""
    return sorted(SAMPLES_DIR.glob("*.mp4"))


def _segments(raw: list[dict[str, Any]]) -> tuple[Segment, ...]:
    return tuple(Segment(float(s["start"]), float(s["end"]), str(s["text"])) for s in raw)


@cache
def samples() -> tuple[Content, ...]:
    data = json.loads((SAMPLES_DIR / "corpus.json").read_text(encoding="utf-8"))
    out = []
    for s in data["samples"]:
        out.append(
            Content(
                title=s["title"],
                duration=float(s["duration"]),
                visual=_segments(s["visual"]),
                audio=_segments(s["audio"]),
                width=int(s["width"]),
                height=int(s["height"]),
                fps=float(s["fps"]),
                tags=tuple(s["tags"]),
                sample_file=s["file"],
                topic=s["topic"],
                extra={"sha256": s["sha256"]},
            )
        )
    return tuple(out)


@cache
def background_texts() -> tuple[str, ...]:
    """Segment texts of the bundled corpus; used as the IDF background of every ranking."""
    texts: list[str] = []
    for c in samples():
        texts.extend(s.text for s in c.visual + c.audio)
    for theme in _THEMES:
        texts.extend(t.format(subject="it") for t in theme[1] + theme[2])
    return tuple(texts)


def match_sample(sha256: str | None, filename: str | None) -> Content | None:
    """Sample whose bytes hash to ``sha256``; else one whose file name equals the basename."""
    if sha256:
        for c in samples():
            if c.extra.get("sha256") == sha256:
                return c
    if filename:
        base = filename.rsplit("/", 1)[-1].split("?", 1)[0].lower()
        for c in samples():
            if c.sample_file == base:
                return c
    return None


# (topic, visual templates, audio templates); {subject} comes from the video's name.
_THEMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "dog park",
        (
            "A golden retriever runs across a grassy dog park chasing a tennis ball ({subject}).",
            "Two dogs play tug of war with a rope toy while their owners watch from a bench.",
            "A small terrier jumps over a puddle and shakes off water near the park fence.",
            "An owner throws a frisbee and the dog catches it mid-air.",
            "The dogs drink from a water bowl in the shade of a big oak tree.",
        ),
        (
            "We're at the dog park today, talking about {subject}.",
            "Look at them go, they love this rope toy.",
            "Careful with that puddle, buddy!",
            "Nice catch! Good dog!",
            "Time for some water and a rest in the shade.",
        ),
    ),
    (
        "beach",
        (
            "Waves roll onto a sandy beach at sunset as surfers paddle out ({subject}).",
            "Children build a sandcastle with buckets and spades near the water.",
            "A volleyball match is played on the sand between two teams.",
            "Seagulls fly over a wooden pier while people walk along the shore.",
            "The sun sets over the ocean, turning the sky orange and pink.",
        ),
        (
            "A perfect evening at the beach for {subject}.",
            "That sandcastle is getting huge, add a tower!",
            "Great spike! That's match point.",
            "Watch out for the seagulls, they want your fries.",
            "What a sunset over the ocean tonight.",
        ),
    ),
    (
        "mountain hike",
        (
            "Hikers with backpacks climb a rocky trail through a pine forest ({subject}).",
            "A wooden sign marks the trail junction near a mountain stream.",
            "The group crosses a rope bridge over a rushing waterfall.",
            "A panoramic view from the summit shows snowy peaks and a valley below.",
            "The hikers eat sandwiches on a rock at the top of the mountain.",
        ),
        (
            "Starting the hike early to beat the heat, this one is about {subject}.",
            "Left at the junction, the stream should be close.",
            "Hold the rope, the waterfall makes the bridge slippery.",
            "We made it to the summit, look at those peaks!",
            "Lunch with a view, best sandwich ever.",
        ),
    ),
    (
        "street food market",
        (
            "A crowded night market with food stalls lit by string lights ({subject}).",
            "A vendor grills skewers of chicken over charcoal as smoke rises.",
            "Noodles are tossed in a wok with vegetables and soy sauce.",
            "A customer pays with a phone and receives a bowl of dumplings.",
            "Friends share desserts at a plastic table in the busy market.",
        ),
        (
            "Welcome to the night market, tonight's theme is {subject}.",
            "Smell that charcoal, these skewers are the best in town.",
            "Fresh noodles straight out of the wok.",
            "Dumplings are ready, let's dig in.",
            "And to finish, some sweet desserts.",
        ),
    ),
    (
        "home workout",
        (
            "A person rolls out a yoga mat in a living room and starts stretching ({subject}).",
            "They do push-ups and squats while a timer counts down on a phone.",
            "A plank position is held for thirty seconds with a steady breath.",
            "Jumping jacks and burpees raise the heart rate in a quick circuit.",
            "The workout ends with a cool-down stretch and a glass of water.",
        ),
        (
            "Let's warm up together, today's workout is all about {subject}.",
            "Ten push-ups, then ten squats, keep your back straight.",
            "Hold the plank, breathe, you've got this.",
            "Last round of burpees, push through!",
            "Great job, stretch it out and drink some water.",
        ),
    ),
    (
        "science lab",
        (
            "A scientist in a lab coat pours blue liquid into a glass beaker ({subject}).",
            "A microscope shows cells dividing on a laboratory monitor.",
            "A chemical reaction bubbles and changes the solution's color to green.",
            "Students take notes as the teacher explains the experiment on a whiteboard.",
            "Safety goggles and gloves are removed and the bench is cleaned.",
        ),
        (
            "Today's experiment in the lab: {subject}.",
            "Under the microscope you can see the cells dividing.",
            "Watch the color change, that's the reaction happening.",
            "Write down your observations in your notebook.",
            "Always clean your bench when the experiment is done.",
        ),
    ),
)

_NAME_WORDS = re.compile(r"[A-Za-z0-9]+")


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def synthetic(name: str) -> Content:
    """Deterministic content for an unknown upload, derived from its name."""
    stem = name.rsplit("/", 1)[-1].split("?", 1)[0]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    words = [w.lower() for w in _NAME_WORDS.findall(stem)] or ["untitled"]
    subject = " ".join(words)
    h = _digest(name)
    topic, visual_t, audio_t = _THEMES[h % len(_THEMES)]
    seg_len = 4 + (h >> 8) % 5  # 4..8 s per scene
    visual = tuple(
        Segment(i * seg_len, (i + 1) * seg_len, t.format(subject=subject))
        for i, t in enumerate(visual_t)
    )
    audio = tuple(
        Segment(i * seg_len, (i + 1) * seg_len, t.format(subject=subject))
        for i, t in enumerate(audio_t)
    )
    return Content(
        title=stem or "untitled",
        duration=float(seg_len * len(visual_t)),
        visual=visual,
        audio=audio,
        width=1280,
        height=720,
        fps=30.0,
        tags=(topic.replace(" ", "_"),),
        topic=topic,
    )


# Container signatures accepted as "a real video" (the documented broken-file rule).
def is_broken(head: bytes, filename: str) -> str | None:
    """Return a failure cause when the upload should end in PARSE_ERROR, else None.

    Rule: a file is broken when its name contains "corrupt" (case-insensitive) or its first
    bytes are not a recognised container: ISO-BMFF/MP4/MOV (box type ``ftyp``, ``moov``,
    ``mdat``, ``free``, ``skip`` or ``wide`` at offset 4), Matroska/WebM (EBML ``1A45DFA3``)
    or AVI (``RIFF....AVI ``).
    """
    if "corrupt" in filename.lower():
        return "Video file is corrupt and could not be decoded"
    if len(head) >= 8 and head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide"):
        return None
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return None
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return None
    return "Unrecognised video container: the file is not a valid video"


PUBLIC_PLATFORMS = ("TIKTOK", "YOUTUBE", "INSTAGRAM")


@cache
def public_library() -> tuple[tuple[str, str, Content], ...]:
    """The built-in public library: (PI- id, platform, content); platforms round-robin."""
    contents = list(samples()) + [synthetic(f"{t[0]} highlights.mp4") for t in _THEMES]
    out = []
    for i, c in enumerate(contents):
        vid = f"PI-{900_000_000_000_000_001 + i}"
        out.append((vid, PUBLIC_PLATFORMS[i % len(PUBLIC_PLATFORMS)], c))
    return tuple(out)
