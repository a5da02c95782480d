"""In-memory server state: videos, images, text memories, chat sessions, scraper tasks,
deterministic ids."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from memories_integrations.testing.corpus import Content, Segment, public_library

UNPARSE = "UNPARSE"
PARSE = "PARSE"
PARSE_ERROR = "PARSE_ERROR"
PUBLIC_NS = ("__public__", "__public__")

VIDEO_BUCKET = "emulator-videos"
SAMPLE_BUCKET = "emulator-samples"
KEYFRAME_BUCKET = "emulator-keyframes"
IMAGE_BUCKET = "emulator-images"

Namespace = tuple[str, str]  # (api key of the owning account, unique_id)


@dataclass
class Video:
    video_no: str
    ns: Namespace
    name: str
    content: Content
    size: int
    create_ms: int
    status: str = UNPARSE
    cause: str | None = None
    pending_cause: str | None = None  # becomes ``cause`` when processing ends
    callback: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    task_id: str | None = None
    platform: str | None = None
    parsed_ms: int | None = None

    @property
    def public(self) -> bool:
        return self.ns == PUBLIC_NS

    @property
    def visual(self) -> tuple[Segment, ...]:
        return self.content.visual

    @property
    def audio(self) -> tuple[Segment, ...]:
        return self.content.audio

    @property
    def blob(self) -> str:
        return f"{self.video_no}.mp4"

    def keyframe_blob(self, start: float) -> str:
        return f"{self.video_no}/{int(start)}.jpg"


@dataclass
class Image:
    image_no: str
    ns: Namespace
    name: str
    sha256: str
    size: int
    create_ms: int
    tags: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class TextMemory:
    """One ``{role, content}`` item of ``memories/add`` and what came with it."""

    memory_id: str
    ns: Namespace
    role: str
    content: str
    memories_at: str | None
    create_ms: int
    tags: list[str] = field(default_factory=list)
    latitude: str | None = None
    longitude: str | None = None


@dataclass
class Session:
    session_id: str
    ns: Namespace
    title: str
    video_nos: list[str]
    created_ms: int
    messages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Task:
    task_id: str
    ns: Namespace
    kind: str
    platform: str
    sources: list[str]
    callback: str | None
    owner: str = ""
    status: str = "DOWNLOADING"
    video_nos: list[str] = field(default_factory=list)


class Ids:
    """Counter-based ids: the same config and request sequence always yields the same ids."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._counters: dict[str, int] = {}

    def _next(self, kind: str) -> int:
        n = self._counters.get(kind, 0) + 1
        self._counters[kind] = n
        return n

    def _digits(self, base: int, kind: str) -> str:
        return str(base + self.seed * 1_000_000_000 + self._next(kind))

    def video(self) -> str:
        return "VI" + self._digits(700_000_000_000_000_000, "video")

    def public_video(self) -> str:
        return "PI-" + self._digits(910_000_000_000_000_000, "public")

    def image(self) -> str:
        # Digits only: upload_img answers the id as an int64.
        return self._digits(800_000_000_000_000_000, "image")

    def memory(self) -> str:
        return self._digits(600_000_000_000_000_000, "memory")

    def session(self) -> str:
        return self._digits(600_000_000_000_000_000, "session")

    def task(self) -> str:
        return str(
            uuid.uuid5(
                uuid.NAMESPACE_URL, f"memories-emulator:{self.seed}:task:{self._next('task')}"
            )
        )

    def token(self, kind: str) -> str:
        n = self._next(kind)
        return uuid.uuid5(uuid.NAMESPACE_URL, f"memories-emulator:{self.seed}:{kind}:{n}").hex


class Store:
    """All mutable API state. Guarded by ``lock`` (handlers run in the server loop thread,
    the Python admin API in the caller's thread)."""

    def __init__(self, seed: int) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.clock_offset = 0.0
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.ids = Ids(self.seed)
            self.videos: dict[str, Video] = {}
            self.deleted: set[str] = set()
            self.images: dict[str, Image] = {}
            self.sessions: dict[str, Session] = {}
            self.tasks: dict[str, Task] = {}
            self.memories: list[TextMemory] = []
            self.builtin_public = [
                Video(vid, PUBLIC_NS, c.title, c, 0, 0, status=PARSE, platform=platform)
                for vid, platform, c in public_library()
            ]

    # -- time ------------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.clock_offset

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    # -- videos ----------------------------------------------------------------------------
    def add_video(
        self,
        ns: Namespace,
        name: str,
        content: Content,
        size: int,
        *,
        cause: str | None = None,
        callback: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        task_id: str | None = None,
        platform: str | None = None,
    ) -> Video:
        with self.lock:
            video_no = self.ids.public_video() if ns == PUBLIC_NS else self.ids.video()
            video = Video(
                video_no=video_no,
                ns=ns,
                name=name,
                content=content,
                size=size,
                create_ms=self.now_ms(),
                pending_cause=cause,
                callback=callback,
                metadata=dict(metadata or {}),
                tags=list(tags or content.tags),
                task_id=task_id,
                platform=platform,
            )
            self.videos[video_no] = video
            return video

    def video(self, ns: Namespace, video_no: str) -> Video | None:
        with self.lock:
            v = self.videos.get(video_no)
            return v if v is not None and v.ns == ns else None

    def videos_in(self, ns: Namespace) -> list[Video]:
        """Videos of a namespace, newest first."""
        with self.lock:
            vs = [v for v in self.videos.values() if v.ns == ns]
        return sorted(vs, key=lambda v: (v.create_ms, v.video_no), reverse=True)

    def public_videos(self) -> list[Video]:
        """The built-in public library plus videos imported by ``*_public`` scrapers."""
        with self.lock:
            return self.builtin_public + [v for v in self.videos.values() if v.ns == PUBLIC_NS]

    def finish(self, video: Video) -> bool:
        """UNPARSE -> PARSE / PARSE_ERROR. Returns False when it already happened."""
        with self.lock:
            if video.status != UNPARSE or video.video_no not in self.videos:
                return False
            if video.pending_cause:
                video.status, video.cause = PARSE_ERROR, video.pending_cause
            else:
                video.status = PARSE
            video.parsed_ms = self.now_ms()
            return True

    def delete(self, ns: Namespace, video_nos: list[str]) -> list[str]:
        """Delete the numbers the namespace holds; returns those it did not (already deleted,
        unknown or another namespace's), which are left alone."""
        with self.lock:
            kept = [n for n in video_nos if self.video(ns, n) is None]
            for n in video_nos:
                if n not in kept:
                    self.videos.pop(n, None)
                    self.deleted.add(n)
            return kept
