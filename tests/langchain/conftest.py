"""Fixtures for the LangChain tests: cassette location, a seeded library, connection params.

Cassette-backed tests replay from ``tests/cassettes/langchain/<module>/<test>.yaml``. When
recording against the emulator, it starts with the bundled samples preloaded and encoded in the
"default" namespace (nothing of that setup lands in a cassette).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.adapters_core.helpers import live_emulator

__all__ = ["live_emulator"]  # a fixture of the shared helpers, for this folder's tests

#: Video numbers of the samples in the seeded library (the emulator's ids are deterministic).
SAMPLE_VIDEOS = {
    "cooking_demo": "VI700000000000000001",
    "city_bike_ride": "VI700000000000000002",
    "product_keynote": "VI700000000000000003",
    "soccer_match": "VI700000000000000004",
}
COOKING = SAMPLE_VIDEOS["cooking_demo"]


def preloaded_samples(server: Any) -> dict[str, str]:
    """name -> video_no of the samples the emulator preloaded (encoded) into "default"."""
    from memories_integrations.testing.store import PARSE

    ns = (server.api_key, "default")
    return {v.name: v.video_no for v in server.state.videos_in(ns) if v.status == PARSE}


@pytest.fixture
def sample_library(memories_server: Any) -> dict[str, str]:
    """The sample videos' numbers (checked against the emulator when recording)."""
    if memories_server is not None:
        seeded = preloaded_samples(memories_server)
        # Cassettes and tests hard-code these numbers: fail loudly if the emulator changes them.
        assert seeded == SAMPLE_VIDEOS, f"sample video numbers changed: {seeded}"
    return dict(SAMPLE_VIDEOS)


@pytest.fixture
def connection(memories_base_url: str, memories_api_key: str) -> dict[str, Any]:
    """Constructor arguments that point a component at the recording target / replay."""
    return {"api_key": memories_api_key, "base_url": memories_base_url}
