"""Keyframe images of search hits, downloaded once and kept in a byte store of the cache.

Framework-neutral: the LangChain and LlamaIndex adapters turn a ``Keyframe`` into their own
image blocks / nodes. Downloads go through the client's ``download(bucket, blob, dest)``, so
they respect its rate limiter (group "download", 12/min documented). The images are kept in a
``CacheStore``-style byte store: by default a size-bounded, hardened folder (``DiskStore``,
whose files adapters can hand over by path), or any cache store (``MemoryStore``, or
``RedisStore`` shared by every worker: ``KeyframeCache(store=client.cache.store)``). A hit
without a keyframe pointer, or a download that fails, gives a ``Keyframe`` with a ``note``
instead of an image: callers degrade to text.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from memories_integrations import errors
from memories_integrations._tools.keyframe_disk import (
    MAX_KEYFRAME_BYTES,
    NOT_AN_IMAGE,
    SUFFIXES,
    DiskStore,
    oversized,
    read_image,
    sniff_mime_type,
)

if TYPE_CHECKING:
    from memories_integrations._client._async.client import AsyncMemoriesClient
    from memories_integrations._client._sync.client import MemoriesClient

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_KEYFRAME_BYTES",
    "ByteStore",
    "DiskStore",
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
#: The most keyframes one call may ask for (each is one rate-limited download).
MAX_KEYFRAMES = 10


class ByteStore(Protocol):
    """What keyframes need of a cache store: bytes by key (``CacheStore`` has more)."""

    def get(self, key: str) -> bytes | None: ...

    def set(
        self, key: str, value: bytes, *, ttl: float | None = None, tags: Iterable[str] = ()
    ) -> None: ...


@dataclass(frozen=True)
class KeyframePointer:
    """Where one moment's keyframe is stored, and a label for notes (``VI1 @ 00:00:02``)."""

    bucket: str | None
    blob: str | None
    label: str


@dataclass(frozen=True)
class Keyframe:
    """A keyframe image (``mime_type`` set, and ``path`` when its store is a folder, else
    ``data``) or why there is none (``note``)."""

    bucket: str | None
    blob: str | None
    label: str
    path: Path | None = None
    mime_type: str | None = None
    note: str | None = None
    data: bytes | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.path is not None or self.data is not None

    def read_bytes(self) -> bytes:
        """The image: its bytes, or its file read without following a link (a cache entry
        swapped for a symlink after the lookup is refused) and at most ``MAX_KEYFRAME_BYTES``."""
        if self.data is not None:
            return self.data
        if self.path is None:
            raise errors.MemoriesError(f"no keyframe image: {self.note}")
        if not self.path.exists():
            raise FileNotFoundError(self.path)  # evicted meanwhile
        data = read_image(self.path)
        if data is None:
            raise errors.MemoriesError(f"keyframe of {self.label} is not a usable image")
        return data

    def base64(self) -> str:
        return base64.b64encode(self.read_bytes()).decode("ascii")


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
    """Keyframes keyed by bucket/blob in a byte store.

    ``KeyframeCache(directory, max_bytes=...)``: files in a folder (``DiskStore``, the default,
    in ``default_directory()``). ``KeyframeCache(store=...)``: any cache store, e.g. the
    client's ``client.cache.store`` (a ``RedisStore`` shares keyframes between workers);
    keyframes from it carry their bytes instead of a path.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        store: ByteStore | None = None,
    ) -> None:
        if store is not None and directory is not None:
            raise errors.InvalidInputError(
                "pass directory= (a folder) or store= (a cache store), not both", param="store"
            )
        disk = DiskStore(directory or default_directory(), max_bytes=max_bytes)
        self.store: ByteStore = store if store is not None else disk

    def __repr__(self) -> str:
        return f"KeyframeCache({self.store!r})"

    @property
    def directory(self) -> Path | None:
        """The folder of a disk store (None for another store)."""
        return self.store.directory if isinstance(self.store, DiskStore) else None

    def key(self, bucket: str, blob: str) -> str:
        return "keyframe:" + hashlib.sha256(f"{bucket}\0{blob}".encode()).hexdigest()[:40]

    def cached(self, pointer: KeyframePointer) -> Keyframe | None:
        """The keyframe from the store, a note when there is no pointer, else None."""
        if not pointer.bucket or not pointer.blob:
            note = f"no keyframe for {pointer.label} (the search hit has none)"
            return Keyframe(pointer.bucket, pointer.blob, pointer.label, note=note)
        key = self.key(pointer.bucket, pointer.blob)
        if isinstance(self.store, DiskStore):
            path = self.store.path(key)
            if path is None:
                return None
            mime = next((m for m, s in SUFFIXES.items() if s == path.suffix), None)
            return Keyframe(pointer.bucket, pointer.blob, pointer.label, path, mime)
        data = self.store.get(key)
        mime = sniff_mime_type(data[:16]) if data else None
        if data is None or mime is None or len(data) > MAX_KEYFRAME_BYTES:
            return None  # absent, or not an image: downloaded again (and overwritten)
        return Keyframe(pointer.bucket, pointer.blob, pointer.label, mime_type=mime, data=data)

    def keep(self, pointer: KeyframePointer, downloaded: Path) -> Keyframe:
        """Store a finished download (then removed); not an image, a link, or over
        ``MAX_KEYFRAME_BYTES``: MemoriesError, nothing kept."""
        assert pointer.bucket and pointer.blob
        try:
            data = read_image(downloaded)
            if data is None:
                size = downloaded.lstat().st_size if downloaded.exists() else 0
                if size > MAX_KEYFRAME_BYTES:
                    raise oversized(size)
                raise errors.MemoriesError(NOT_AN_IMAGE)
            self.store.set(self.key(pointer.bucket, pointer.blob), data, tags=["keyframes"])
        finally:
            downloaded.unlink(missing_ok=True)
        found = self.cached(pointer)
        if found is None:  # a store that keeps nothing (evicted at once): the bytes as they are
            mime = sniff_mime_type(data[:16])
            return Keyframe(pointer.bucket, pointer.blob, pointer.label, mime_type=mime, data=data)
        return found

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
    """One ``Keyframe`` per pointer, in order; downloads only what the cache lacks (each to a
    private temporary folder, then into the cache's store)."""
    out = []
    for pointer in pointers:
        found = cache.cached(pointer)
        if found is None:
            assert pointer.bucket and pointer.blob  # cached() answers pointer-less ones
            try:
                with tempfile.TemporaryDirectory(prefix="memories-keyframe-") as tmp:
                    target = Path(tmp) / "frame.download"
                    downloaded = client.download(
                        pointer.bucket, pointer.blob, target, max_bytes=MAX_KEYFRAME_BYTES
                    )  # an oversized "keyframe" stops downloading at the cap
                    found = cache.keep(pointer, downloaded)
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
                with tempfile.TemporaryDirectory(prefix="memories-keyframe-") as tmp:
                    target = Path(tmp) / "frame.download"
                    downloaded = await client.download(
                        pointer.bucket, pointer.blob, target, max_bytes=MAX_KEYFRAME_BYTES
                    )  # an oversized "keyframe" stops downloading at the cap
                    found = cache.keep(pointer, downloaded)
            except (errors.MemoriesError, OSError) as exc:
                found = cache.failed(pointer, exc)
        out.append(found)
    return out
