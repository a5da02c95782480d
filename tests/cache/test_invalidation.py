"""What an upload, import or finished encoding drops from the response cache (issue 23 §4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from memories_integrations import MemoriesClient
from memories_integrations._client.cache import ResponseCache
from memories_integrations.testing import EmulatorServer, sample_videos

SEARCH = "/serve/api/v1/search"


@pytest.fixture(scope="module")
def emu() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as server:
        yield server


@pytest.fixture
def client(emu: EmulatorServer) -> Iterator[MemoriesClient]:
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as c:
        c.cache = ResponseCache(search_ttl=600)
        yield c


def _image(tmp: Path) -> Path:
    path = tmp / "frame.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    return path


UPLOADS: dict[str, Callable[[MemoriesClient, str, Path], Any]] = {
    "upload": lambda c, ns, tmp: c.upload(sample_videos()[0], unique_id=ns),
    "upload_url": lambda c, ns, tmp: c.upload_url("https://example.com/v.mp4", unique_id=ns),
    "upload_images": lambda c, ns, tmp: c.upload_images([_image(tmp)], unique_id=ns),
    "import_from_urls": lambda c, ns, tmp: c.import_from_urls(
        ["https://www.tiktok.com/@chef/video/1"], unique_id=ns
    ),
    "import_from_creator": lambda c, ns, tmp: c.import_from_creator(
        "https://www.tiktok.com/@chef", count=1, unique_id=ns
    ),
    "import_from_hashtags": lambda c, ns, tmp: c.import_from_hashtags(
        ["cooking"], count=1, unique_id=ns
    ),
}


@pytest.mark.parametrize("kind", sorted(UPLOADS))
def test_an_upload_drops_the_namespace_search_results_only(
    kind: str, client: MemoriesClient, emu: EmulatorServer, tmp_path: Path
) -> None:
    client.search("onion")  # namespace "default"
    client.search("onion", unique_id="other")
    searches = len(emu.requests(SEARCH))
    client.search("onion")
    client.search("onion", unique_id="other")
    assert len(emu.requests(SEARCH)) == searches  # both kept
    UPLOADS[kind](client, "default", tmp_path)
    client.search("onion")
    assert len(emu.requests(SEARCH)) == searches + 1  # asked again after the upload
    client.search("onion", unique_id="other")
    assert len(emu.requests(SEARCH)) == searches + 1  # another namespace is untouched


def test_a_video_becoming_ready_drops_search_results_cached_while_it_encoded(
    client: MemoriesClient, emu: EmulatorServer
) -> None:
    uploaded = client.upload(sample_videos()[1], unique_id="fresh")
    client.search("onion", unique_id="fresh")  # cached before the video is searchable
    searches = len(emu.requests(SEARCH))
    client.wait_for_ready(uploaded.video_no, unique_id="fresh", timeout=10, initial_interval=0.05)
    client.search("onion", unique_id="fresh")
    assert len(emu.requests(SEARCH)) == searches + 1
