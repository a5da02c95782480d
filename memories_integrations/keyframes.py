"""Keyframe images of search hits, downloaded once and kept in a byte store of the cache.

The public home of these names; the code lives in ``memories_integrations._tools.keyframes``.
"""

from memories_integrations._tools.keyframes import (
    DEFAULT_MAX_BYTES,
    ByteStore,
    DiskStore,
    Keyframe,
    KeyframeCache,
    KeyframePointer,
    afetch_keyframes,
    default_cache,
    default_directory,
    fetch_keyframes,
    sniff_mime_type,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
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
