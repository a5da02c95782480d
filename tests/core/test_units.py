"""Sizes in error messages are human-readable (issue 22, item 10): one helper, every layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from memories_integrations import MemoriesClient, errors
from memories_integrations._tools.keyframes import (
    MAX_KEYFRAME_BYTES,
    KeyframeCache,
    KeyframePointer,
)
from memories_integrations._transport.limits import too_large
from memories_integrations._units import human_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1.0 KiB"),
        (1536, "1.5 KiB"),
        (1024 * 1024 - 1, "1.0 MiB"),  # rounds up a unit rather than "1024.0 KiB"
        (8 * 1024**2, "8.0 MiB"),
        (20 * 1024**2, "20.0 MiB"),
        (3 * 1024**3 + 200 * 1024**2, "3.2 GiB"),
        (5 * 1024**4, "5.0 TiB"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_exact_adds_the_byte_count_only_when_rounded() -> None:
    assert human_size(8 * 1024**2, exact=True) == "8.0 MiB (8388608 bytes)"
    assert human_size(512, exact=True) == "512 bytes"


def test_response_cap_error_names_the_size() -> None:
    error = too_large("the response body", 8 * 1024**2, "/serve/api/v1/search")
    assert "exceeds the limit of 8.0 MiB (8388608 bytes)" in str(error)


def test_oversized_image_is_refused_in_mib_before_any_request(tmp_path: Path) -> None:
    image = tmp_path / "query.png"
    with image.open("wb") as fh:  # sparse: 21 MiB without writing them
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.truncate(21 * 1024**2)
    client = MemoriesClient(api_key="sk-test", base_url="http://127.0.0.1:9")  # nothing listens
    with pytest.raises(errors.InvalidInputError) as info:
        client.search_by_image(image)
    assert f"file is 21.0 MiB, over the 20.0 MiB limit: {image}" in str(info.value)
    assert "bytes" not in info.value.message


def test_oversized_keyframe_is_refused_in_mib(tmp_path: Path) -> None:
    cache = KeyframeCache(tmp_path / "cache")
    download = tmp_path / "frame.download"
    with download.open("wb") as fh:
        fh.write(b"\xff\xd8\xff")
        fh.truncate(MAX_KEYFRAME_BYTES + 1024**2)
    pointer = KeyframePointer("bucket", "blob", "00:00:01")
    with pytest.raises(errors.MemoriesError, match=r"keyframe is 5\.0 MiB, over the 4\.0 MiB cap"):
        cache.keep(pointer, download)
