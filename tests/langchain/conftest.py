"""Fixtures for the LangChain tests: cassette location, a seeded library, connection params.

Cassette-backed tests replay from ``tests/cassettes/<module>/<test>.yaml``. When recording
against the emulator, the bundled sample videos are put into the "default" namespace
through the emulator's Python API (no HTTP, so nothing of the seeding lands in a cassette)
unless the emulator already preloaded them.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EMULATOR_SETTINGS

TESTS_DIR = Path(__file__).resolve().parent.parent

#: Video numbers of the samples in the seeded library (the emulator's ids are deterministic).
SAMPLE_VIDEOS = {
    "cooking_demo": "VI700000000000000001",
    "city_bike_ride": "VI700000000000000002",
    "product_keynote": "VI700000000000000003",
    "soccer_match": "VI700000000000000004",
}
COOKING = SAMPLE_VIDEOS["cooking_demo"]


@pytest.fixture
def memories_server(record_target: str) -> Iterator[Any]:
    """The shared fixture, minus settings this emulator version does not know yet (the
    ``preload_samples`` switch is being added; ``sample_library`` seeds by hand until then)."""
    if record_target != "emulator":
        yield None
        return
    from memories_integrations.testing import EmulatorConfig, EmulatorServer

    known = {f.name for f in dataclasses.fields(EmulatorConfig)}
    with EmulatorServer(**{k: v for k, v in EMULATOR_SETTINGS.items() if k in known}) as server:
        yield server


@pytest.fixture
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    module = Path(str(request.node.fspath)).stem
    return str(TESTS_DIR / "cassettes" / module)


def seed_samples(server: Any) -> dict[str, str]:
    """Put every bundled sample, encoded (PARSE), into the "default" namespace; return
    name -> video_no. A no-op when the emulator preloaded them already."""
    from memories_integrations.testing.corpus import samples
    from memories_integrations.testing.store import PARSE

    store = server.state
    ns = (server.api_key, "default")
    existing = {v.name: v.video_no for v in store.videos_in(ns) if v.status == PARSE}
    if not existing:
        for content in samples():
            name = os.path.splitext(content.sample_file or content.title)[0]
            video = store.add_video(ns, name, content, 1)
            store.finish(video)
            existing[name] = video.video_no
    return existing


@pytest.fixture
def sample_library(memories_server: Any) -> dict[str, str]:
    """The sample videos' numbers; seeds the emulator when recording against it."""
    if memories_server is not None:
        seeded = seed_samples(memories_server)
        # Cassettes and tests hard-code these numbers: fail loudly if the emulator changes them.
        assert seeded == SAMPLE_VIDEOS, f"sample video numbers changed: {seeded}"
    return dict(SAMPLE_VIDEOS)


@pytest.fixture
def connection(memories_base_url: str, memories_api_key: str) -> dict[str, Any]:
    """Constructor arguments that point a component at the recording target / replay."""
    return {"api_key": memories_api_key, "base_url": memories_base_url}
