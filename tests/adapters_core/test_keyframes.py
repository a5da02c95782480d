"""The keyframe cache (LRU by bytes, safe names), the emulator's JPEG keyframes, and the
empty-search text naming a non-default namespace."""

from __future__ import annotations

import io
import os
from pathlib import Path

import httpx
import pytest
from PIL import Image

from memories_integrations import errors
from memories_integrations._tools.formatting import no_hits_text
from memories_integrations._tools.operations import ToolOptions, run_tool
from memories_integrations.cache import MemoryStore
from memories_integrations.keyframes import (
    DiskStore,
    KeyframeCache,
    KeyframePointer,
    sniff_mime_type,
)
from memories_integrations.testing import EmulatorServer
from memories_integrations.testing.corpus import SAMPLES_DIR

from .helpers import live_emulator

__all__ = ["live_emulator"]

JPEG = (SAMPLES_DIR / "keyframes" / "generic.jpg").read_bytes()


def test_emulator_serves_a_jpeg_per_sample_moment(live_emulator: EmulatorServer) -> None:
    with httpx.Client(base_url=live_emulator.base_url) as http:
        http.headers["Authorization"] = live_emulator.api_key
        hits = http.post(
            "/serve/api/v1/search",
            json={"search_param": "someone chops onions", "search_type": "BY_CLIP", "top_k": 2},
        ).json()["data"]
        bodies = []
        for hit in hits:
            r = http.get(
                "/serve/api/v1/download",
                params={"bucket": hit["keyframe_bucket"], "blob": hit["keyframe_blob"]},
            )
            assert r.headers["content-type"] == "image/jpeg"
            assert Image.open(io.BytesIO(r.content)).format == "JPEG"
            bodies.append(r.content)
        assert len(bodies) == 2 and bodies[0] != bodies[1]  # each moment its own frame
        video = hits[0]["videoNo"]
        missing = http.get(
            "/serve/api/v1/download",
            params={"bucket": hits[0]["keyframe_bucket"], "blob": f"{video}/999.jpg"},
        ).json()
        assert missing["code"] == "0001"


def test_keyframes_ship_in_the_package() -> None:
    frames = sorted((SAMPLES_DIR / "keyframes").rglob("*.jpg"))
    assert len(frames) == 21  # 4 samples x 5 moments + the generic frame
    assert all(sniff_mime_type(p.read_bytes()[:16]) == "image/jpeg" for p in frames)
    assert max(p.stat().st_size for p in frames) < 16 * 1024


def test_cache_names_are_safe_and_eviction_is_lru_by_bytes(tmp_path: Path) -> None:
    cache = KeyframeCache(tmp_path, max_bytes=2 * len(JPEG) + 10)
    assert isinstance(cache.store, DiskStore)
    stored = []
    for i, blob in enumerate(["../../etc/passwd", "a/b.jpg", "c.jpg"]):
        pointer = KeyframePointer("bucket", blob, f"[{i}]")
        download = tmp_path.parent / f"download-{i}"
        download.write_bytes(JPEG)
        frame = cache.keep(pointer, download)
        assert frame.mime_type == "image/jpeg" and frame.path is not None
        assert frame.path.parent == tmp_path and frame.path.suffix == ".jpg"
        assert not download.exists()  # moved into the store
        os.utime(frame.path, (1000 + i, 1000 + i))
        stored.append(frame.path)
        if i == 1:
            again = cache.cached(KeyframePointer("bucket", "../../etc/passwd", "[0]"))
            assert again is not None and again.path == stored[0]  # used: now newest
    # Three files do not fit: the least recently used ("a/b.jpg") went, not the first one.
    assert [p.exists() for p in stored] == [True, False, True]
    assert cache.cached(KeyframePointer("bucket", "a/b.jpg", "[1]")) is None


def test_cache_refuses_a_non_image_and_bad_size(tmp_path: Path) -> None:
    cache = KeyframeCache(tmp_path / "frames")
    download = tmp_path / "download"
    download.write_bytes(b"<html>not an image</html>")
    with pytest.raises(errors.MemoriesError, match="not an image"):
        cache.keep(KeyframePointer("b", "x", "[1]"), download)
    assert not download.exists() and not (tmp_path / "frames").exists()
    with pytest.raises(errors.InvalidInputError, match="max_bytes"):
        KeyframeCache(tmp_path, max_bytes=0)
    with pytest.raises(errors.InvalidInputError, match="not both"):
        KeyframeCache(tmp_path, store=MemoryStore())


def test_default_directory_is_settable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MEMORIES_KEYFRAME_CACHE", str(tmp_path / "frames"))
    assert KeyframeCache().directory == tmp_path / "frames"


def test_empty_search_names_a_non_default_namespace(live_emulator: EmulatorServer) -> None:
    assert "namespace" not in no_hits_text("q", "BY_CLIP")
    text = no_hits_text("q", "BY_CLIP", "team-a")
    assert "Only the namespace 'team-a' was searched" in text
    assert "memories_list_namespaces" in text
    from memories_integrations import MemoriesClient

    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as c:
        options = ToolOptions(unique_id="team-a", namespace="team-a")
        outcome = run_tool(c, "memories_search", {"query": "someone chops onions"}, options)
    assert outcome.records == [] and "'team-a'" in outcome.text
