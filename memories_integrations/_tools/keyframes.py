"""Keyframe images of search hits, downloaded once and kept in a size-bounded disk cache.

Framework-neutral: the LangChain and LlamaIndex adapters turn a ``Keyframe`` into their own
image blocks / nodes. Downloads go through the client's ``download(bucket, blob, dest)``, so
they respect its rate limiter (group "download", 12/min documented) and write atomically (a
temporary file renamed over the target). A hit without a keyframe pointer, or a download that
fails, gives a ``Keyframe`` with a ``note`` instead of a path: callers degrade to text.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import stat
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from memories_integrations import errors
from memories_integrations._units import human_size

if TYPE_CHECKING:
    from memories_integrations._client._async.client import AsyncMemoriesClient
    from memories_integrations._client._sync.client import MemoriesClient

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_KEYFRAME_BYTES",
    "Keyframe",
    "KeyframeCache",
    "KeyframePointer",
    "afetch_keyframes",
    "default_cache",
    "default_directory",
    "fetch_keyframes",
    "sniff_mime_type",
]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: Largest single keyframe kept or sent to a model (a real one is tens of KB); larger ones
#: are skipped with a note.
MAX_KEYFRAME_BYTES = 4 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: The most keyframes one call may ask for (each is one rate-limited download).
MAX_KEYFRAMES = 10
_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}


@dataclass(frozen=True)
class KeyframePointer:
    """Where one moment's keyframe is stored, and a label for notes (``VI1 @ 00:00:02``)."""

    bucket: str | None
    blob: str | None
    label: str


@dataclass(frozen=True)
class Keyframe:
    """A downloaded keyframe (``path`` and ``mime_type`` set) or why there is none (``note``)."""

    bucket: str | None
    blob: str | None
    label: str
    path: Path | None = None
    mime_type: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.path is not None

    def read_bytes(self) -> bytes:
        """The image, read without following a link (a cache entry swapped for a symlink
        after the lookup is refused) and at most ``MAX_KEYFRAME_BYTES``."""
        if self.path is None:
            raise errors.MemoriesError(f"no keyframe image: {self.note}")
        fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_KEYFRAME_BYTES + 1)
        if len(data) > MAX_KEYFRAME_BYTES or sniff_mime_type(data[:16]) is None:
            raise errors.MemoriesError(f"keyframe of {self.label} is not a usable image")
        return data

    def base64(self) -> str:
        return base64.b64encode(self.read_bytes()).decode("ascii")


def sniff_mime_type(head: bytes) -> str | None:
    """The image type from its first bytes (a server's content type is not trusted)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def default_directory() -> Path:
    """``$MEMORIES_KEYFRAME_CACHE``, else the per-user cache folder of the platform."""
    if configured := os.environ.get("MEMORIES_KEYFRAME_CACHE"):
        return Path(configured).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "memories-integrations" / "keyframes"


class KeyframeCache:
    """Keyframe files keyed by bucket/blob, at most ``max_bytes`` in total.

    File names are a hash of bucket and blob (never a server-chosen path). A hit refreshes the
    file's modification time; when the total grows past ``max_bytes`` the least recently used
    files are removed (the one just stored is kept even when it alone is larger).
    """

    def __init__(
        self, directory: str | os.PathLike[str] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise errors.InvalidInputError(
                f"max_bytes must be a positive integer; got {max_bytes!r}", param="max_bytes"
            )
        self.directory = Path(directory).expanduser() if directory else default_directory()
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeyframeCache({str(self.directory)!r}, max_bytes={self.max_bytes})"

    def key(self, bucket: str, blob: str) -> str:
        return hashlib.sha256(f"{bucket}\0{blob}".encode()).hexdigest()[:40]

    def lookup(self, bucket: str, blob: str) -> Path | None:
        """The cached file of bucket/blob (marked as just used), or None. Only complete
        entries count: a regular file (never a link), named by an image suffix, 1 byte to
        ``MAX_KEYFRAME_BYTES``, whose first bytes are that image type. Anything else under
        the key (a planted link, a leftover ``.download``, an empty file) is a miss and is
        removed."""
        key = self.key(bucket, blob)
        for mime, suffix in _SUFFIXES.items():
            path = self.directory / (key + suffix)
            try:
                fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
            except OSError:
                if path.is_symlink():
                    path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                head = fh.read(16)
            if (
                stat.S_ISREG(st.st_mode)
                and 0 < st.st_size <= MAX_KEYFRAME_BYTES
                and sniff_mime_type(head) == mime
            ):
                with contextlib.suppress(OSError):
                    os.utime(path)  # the LRU clock
                return path
            with contextlib.suppress(OSError):
                path.unlink()
        return None

    def target(self, bucket: str, blob: str) -> Path:
        """Where a download of bucket/blob goes before its type is known (the folder is
        made 0700; a stale ``.download`` or a link there is removed first)."""
        if not self.directory.is_dir():
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.directory / (self.key(bucket, blob) + ".download")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return path

    def store(self, downloaded: Path) -> tuple[Path, str]:
        """Name a finished download by its sniffed image type (0600); not an image, a link,
        or over ``MAX_KEYFRAME_BYTES``: removed, raised."""
        try:
            fd = os.open(downloaded, os.O_RDONLY | _NOFOLLOW)
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                mime = sniff_mime_type(fh.read(16)) if stat.S_ISREG(st.st_mode) else None
        except OSError:
            mime, st = None, None
        if st is not None and st.st_size > MAX_KEYFRAME_BYTES:
            downloaded.unlink(missing_ok=True)
            raise errors.MemoriesError(
                f"the keyframe is {human_size(st.st_size)}, over the "
                f"{human_size(MAX_KEYFRAME_BYTES)} cap"
            )
        if mime is None:
            downloaded.unlink(missing_ok=True)
            raise errors.MemoriesError("the keyframe download is not an image")
        os.chmod(downloaded, 0o600)
        final = downloaded.with_suffix(_SUFFIXES[mime])
        os.replace(downloaded, final)
        self.evict(keep=final)
        return final, mime

    def evict(self, keep: Path | None = None) -> None:
        """Remove least recently used files until the total is at most ``max_bytes``."""
        with self._lock:
            files = []
            for path in self.directory.iterdir():
                if path.name.startswith(".") or path.suffix not in _SUFFIXES.values():
                    continue  # partial downloads and foreign files are not ours to count
                with contextlib.suppress(OSError):
                    st = path.stat()
                    files.append((st.st_mtime, st.st_size, path))
            total = sum(size for _, size, _ in files)
            for _, size, path in sorted(files, key=lambda f: f[0]):
                if total <= self.max_bytes:
                    break
                if path == keep:
                    continue
                with contextlib.suppress(OSError):
                    path.unlink()
                    total -= size

    def cached(self, pointer: KeyframePointer) -> Keyframe | None:
        """The keyframe from the cache, a note when there is no pointer, else None."""
        if not pointer.bucket or not pointer.blob:
            note = f"no keyframe for {pointer.label} (the search hit has none)"
            return Keyframe(pointer.bucket, pointer.blob, pointer.label, note=note)
        path = self.lookup(pointer.bucket, pointer.blob)
        if path is None:
            return None
        mime = next((m for m, s in _SUFFIXES.items() if s == path.suffix), None)
        return Keyframe(pointer.bucket, pointer.blob, pointer.label, path, mime)

    def failed(self, pointer: KeyframePointer, exc: Exception) -> Keyframe:
        reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        note = f"keyframe of {pointer.label} could not be downloaded ({reason})"
        return Keyframe(pointer.bucket, pointer.blob, pointer.label, note=note)


_default: KeyframeCache | None = None


def default_cache() -> KeyframeCache:
    """One shared cache in ``default_directory()`` (created on first use)."""
    global _default
    if _default is None:
        _default = KeyframeCache()
    return _default


def fetch_keyframes(
    client: MemoriesClient, pointers: Sequence[KeyframePointer], cache: KeyframeCache
) -> list[Keyframe]:
    """One ``Keyframe`` per pointer, in order; downloads only what the cache lacks."""
    out = []
    for pointer in pointers:
        found = cache.cached(pointer)
        if found is None:
            assert pointer.bucket and pointer.blob  # cached() answers pointer-less ones
            try:
                target = cache.target(pointer.bucket, pointer.blob)
                path, mime = cache.store(client.download(pointer.bucket, pointer.blob, target))
                found = Keyframe(pointer.bucket, pointer.blob, pointer.label, path, mime)
            except (errors.MemoriesError, OSError) as exc:
                found = cache.failed(pointer, exc)
        out.append(found)
    return out


async def afetch_keyframes(
    client: AsyncMemoriesClient, pointers: Sequence[KeyframePointer], cache: KeyframeCache
) -> list[Keyframe]:
    """``fetch_keyframes`` with the async client (one download at a time: the limiter's pace)."""
    out = []
    for pointer in pointers:
        found = cache.cached(pointer)
        if found is None:
            assert pointer.bucket and pointer.blob
            try:
                target = cache.target(pointer.bucket, pointer.blob)
                downloaded = await client.download(pointer.bucket, pointer.blob, target)
                path, mime = cache.store(downloaded)
                found = Keyframe(pointer.bucket, pointer.blob, pointer.label, path, mime)
            except (errors.MemoriesError, OSError) as exc:
                found = cache.failed(pointer, exc)
        out.append(found)
    return out
