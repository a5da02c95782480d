"""get_metadata answering ``data: []`` / ``null`` (issue 21 item 15): a typed "not ready"
answer, not a made-up record; the wait still reads it as still encoding."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from memories_integrations import MemoriesClient
from memories_integrations.models import MetadataNotReady, VideoStatus

from ._helpers import case_name
from .hostile import HostileServer, answer, envelope


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("metadata", request))


@pytest.mark.parametrize("data", [[], None, {}], ids=["list", "null", "object"])
def test_empty_metadata_is_not_ready(data: object) -> None:
    with HostileServer(answer(envelope(data))) as server:
        client = MemoriesClient(api_key="k", base_url=server.base_url, timeout=5)
        meta = client.get_metadata("VI1")
    assert isinstance(meta, MetadataNotReady) and meta.ready is False
    assert meta.status is VideoStatus.UNPARSE and meta.video_no == "VI1"


def test_a_real_record_is_ready() -> None:
    record = {"video_no": "VI1", "status": "PARSE", "duration": 12}
    with HostileServer(answer(envelope(record))) as server:
        client = MemoriesClient(api_key="k", base_url=server.base_url, timeout=5)
        meta = client.get_metadata("VI1")
    assert meta.ready is True and not isinstance(meta, MetadataNotReady)
