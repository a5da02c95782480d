"""``DiskStore``: keyframe images as files in a private folder, a byte store of the cache.

It has the ``get``/``set`` of a ``CacheStore`` (``_client/cache_store.py``) and, for adapters
that hand a model a file, ``path``. It is hardened for a folder others may write to (issue 21):
file names are a hash of the key (never a server-chosen path); the folder is made 0700 and
files 0600; only complete entries count (a regular file, never a link, 1 byte to
``MAX_KEYFRAME_BYTES``, whose first bytes are the image type its suffix names) and anything else
under a key is removed; files are written to a temporary name and renamed, so a reader never
sees half a file. At most ``max_bytes`` in total: least recently used files out first (a hit
refreshes a file's modification time; the one just stored is kept even when it alone is larger).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path

from memories_integrations import errors
from memories_integrations._units import human_size

__all__ = ["MAX_KEYFRAME_BYTES", "SUFFIXES", "DiskStore", "sniff_mime_type"]

#: Largest single keyframe kept or sent to a model (a real one is tens of KB).
MAX_KEYFRAME_BYTES = 4 * 1024 * 1024
SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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


def oversized(size: int) -> errors.MemoriesError:
    """The error of a keyframe over ``MAX_KEYFRAME_BYTES`` (refused, nothing kept)."""
    return errors.MemoriesError(
        f"the keyframe is {human_size(size)}, over the {human_size(MAX_KEYFRAME_BYTES)} cap"
    )


NOT_AN_IMAGE = "the keyframe download is not an image"


def read_image(path: Path) -> bytes | None:
    """The image at ``path`` when it is a complete one: read without following a link, at
    most ``MAX_KEYFRAME_BYTES``, its first bytes an image type; else None."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        data = fh.read(MAX_KEYFRAME_BYTES + 1)
    ok = 0 < len(data) <= MAX_KEYFRAME_BYTES and sniff_mime_type(data[:16]) is not None
    return data if ok else None


class DiskStore:
    """Image files under ``directory``, at most ``max_bytes`` in total (see the module doc)."""

    def __init__(self, directory: str | os.PathLike[str], *, max_bytes: int) -> None:
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
            raise errors.InvalidInputError(
                f"max_bytes must be a positive integer; got {max_bytes!r}", param="max_bytes"
            )
        self.directory = Path(directory).expanduser()
        self.max_bytes = max_bytes
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"DiskStore({str(self.directory)!r}, max_bytes={self.max_bytes})"

    def stem(self, key: str) -> str:
        """The file name of ``key`` without its suffix."""
        return hashlib.sha256(key.encode()).hexdigest()[:40]

    def path(self, key: str) -> Path | None:
        """The complete entry of ``key`` (marked as just used), or None; anything else found
        under the key (a planted link, an empty or cut file) is removed."""
        stem = self.stem(key)
        for mime, suffix in SUFFIXES.items():
            path = self.directory / (stem + suffix)
            data = read_image(path)
            if data is not None and sniff_mime_type(data[:16]) == mime:
                with contextlib.suppress(OSError):
                    os.utime(path)  # the LRU clock
                return path
            if path.is_symlink() or path.exists():
                with contextlib.suppress(OSError):
                    path.unlink()
        return None

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        return read_image(path) if path is not None else None

    def set(
        self, key: str, value: bytes, *, ttl: float | None = None, tags: Iterable[str] = ()
    ) -> None:
        """Keep an image (``ttl`` and ``tags`` do not apply: keyframes never change). Not an
        image, or over ``MAX_KEYFRAME_BYTES``: MemoriesError, nothing written."""
        if len(value) > MAX_KEYFRAME_BYTES:
            raise oversized(len(value))
        mime = sniff_mime_type(value[:16])
        if mime is None:
            raise errors.MemoriesError(NOT_AN_IMAGE)
        if not self.directory.is_dir():
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        final = self.directory / (self.stem(key) + SUFFIXES[mime])
        partial = self.directory / f".{self.stem(key)}.{uuid.uuid4().hex[:8]}.download"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(value)
            os.replace(partial, final)  # replaces a planted link itself, never its target
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        self.evict(keep=final)

    def evict(self, keep: Path | None = None) -> None:
        """Remove least recently used files until the total is at most ``max_bytes``."""
        with self._lock:
            files = []
            for path in self.directory.iterdir():
                if path.name.startswith(".") or path.suffix not in SUFFIXES.values():
                    continue  # partial writes and foreign files are not ours to count
                with contextlib.suppress(OSError):
                    st = path.lstat()
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
