"""A hostile keyframe cache folder and oversized keyframes (issue 21 items 2 and 9)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from memories_integrations._tools.keyframes import (
    MAX_KEYFRAME_BYTES,
    DiskStore,
    KeyframeCache,
    KeyframePointer,
    fetch_keyframes,
)

from ._helpers import case_name

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
POINTER = KeyframePointer("bucket", "blob.jpg", "VI1 @ 00:00:02")


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("keyframe-cache", request))


class FakeClient:
    """``download`` writes ``body`` to the target, as the real client does."""

    def __init__(self, body: bytes) -> None:
        self.body, self.calls = body, 0

    def download(self, bucket: str, blob: str, dest: Path, **_: object) -> Path:
        self.calls += 1
        dest.write_bytes(self.body)
        return dest


def entry(cache: KeyframeCache, suffix: str) -> Path:
    assert isinstance(cache.store, DiskStore) and cache.directory is not None
    cache.directory.mkdir(parents=True, exist_ok=True)
    stem = cache.store.stem(cache.key(POINTER.bucket or "", POINTER.blob or ""))
    return cache.directory / (stem + suffix)


@pytest.mark.parametrize("suffix", [".jpg", ".download"])
def test_planted_symlink_is_never_served(tmp_path: Path, suffix: str) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(JPEG + b"SECRET")
    cache = KeyframeCache(tmp_path / "cache")
    entry(cache, suffix).symlink_to(secret)
    client = FakeClient(JPEG)
    [frame] = fetch_keyframes(client, [POINTER], cache)  # type: ignore[arg-type]
    assert client.calls == 1 and frame.ok and b"SECRET" not in frame.read_bytes()
    assert not frame.path or not frame.path.is_symlink()


@pytest.mark.parametrize("content", [b"", b"partial", JPEG[:2]], ids=["empty", "junk", "cut"])
def test_incomplete_entries_are_misses(tmp_path: Path, content: bytes) -> None:
    cache = KeyframeCache(tmp_path / "cache")
    entry(cache, ".jpg").write_bytes(content)
    entry(cache, ".download").write_bytes(JPEG)  # a leftover partial download
    assert cache.cached(POINTER) is None
    assert not entry(cache, ".jpg").exists()  # the incomplete entry is removed


def test_cache_folder_0700_and_files_0600(tmp_path: Path) -> None:
    cache = KeyframeCache(tmp_path / "cache")
    [frame] = fetch_keyframes(FakeClient(JPEG), [POINTER], cache)  # type: ignore[arg-type]
    assert frame.path is not None and cache.directory is not None
    assert stat.S_IMODE(os.stat(cache.directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(frame.path).st_mode) == 0o600


def test_oversized_keyframe_is_skipped_with_a_note(tmp_path: Path) -> None:
    cache = KeyframeCache(tmp_path / "cache")
    big = JPEG + b"\x00" * MAX_KEYFRAME_BYTES
    [frame] = fetch_keyframes(FakeClient(big), [POINTER], cache)  # type: ignore[arg-type]
    assert not frame.ok and frame.note and "cap" in frame.note
    assert cache.directory is not None and not cache.directory.exists()
