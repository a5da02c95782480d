"""``live_style_hits=True``: the emulator answers search hits as live answers were printed
(``"startTime": "null"``, no score), and the package's client reads them (issue 19 §3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memories_integrations import MemoriesClient
from memories_integrations.testing import EmulatorServer

from .conftest import V1, make_client


@pytest.fixture(scope="module")
def live_style() -> Iterator[EmulatorServer]:
    with EmulatorServer(
        encoding_delay=0.05, rate_limits=False, preload_samples=True, live_style_hits=True
    ) as server:
        yield server


def test_hits_have_null_times_and_no_score(live_style: EmulatorServer) -> None:
    with make_client(live_style.base_url, live_style.api_key) as raw:
        body = raw.post(
            f"{V1}/search", json={"search_param": "cooking pasta", "search_type": "BY_CLIP"}
        ).json()
    assert body["code"] == "0000" and body["data"], body
    for hit in body["data"]:
        assert (hit["startTime"], hit["endTime"]) == ("null", "null") and "score" not in hit


def test_the_client_reads_live_style_hits(live_style: EmulatorServer) -> None:
    with MemoriesClient(
        api_key=live_style.api_key, base_url=live_style.base_url, rate_limiter=False
    ) as client:
        hits = client.search("cooking pasta")
    assert hits and all(h.start_time is None and h.score is None for h in hits)
    assert hits.skipped == 0


def test_default_hits_keep_their_times() -> None:
    with EmulatorServer(encoding_delay=0.05, rate_limits=False, preload_samples=True) as server:
        with make_client(server.base_url, server.api_key) as raw:
            body = raw.post(
                f"{V1}/search", json={"search_param": "cooking pasta", "search_type": "BY_CLIP"}
            ).json()
    assert body["data"] and all(h["startTime"] != "null" and "score" in h for h in body["data"])
