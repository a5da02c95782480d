"""Every cassette says what it was recorded against and looks like traffic to the real hosts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from memories_integrations.testing.cassettes import RECORDED_AGAINST_HEADER

CASSETTES = sorted((Path(__file__).resolve().parents[1] / "cassettes").rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert len(CASSETTES) > 100


@pytest.mark.parametrize("path", CASSETTES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_cassette_names_its_source_and_hides_the_emulator(path: Path) -> None:
    text = path.read_text("utf-8")
    # The emulator's loopback origin (URI and Host header) is rewritten to the real hosts, so a
    # cassette recorded against it and one recorded live look alike.
    assert "127.0.0.1" not in text and "localhost" not in text
    for interaction in yaml.safe_load(text)["interactions"]:
        headers = {k.lower(): v for k, v in interaction["response"]["headers"].items()}
        (against,) = headers[RECORDED_AGAINST_HEADER]
        assert against == "live memories.ai API" or against.startswith(
            "memories_integrations.testing emulator "
        )
        request_host = {k.lower(): v for k, v in interaction["request"]["headers"].items()}
        assert request_host.get("host", ["api.memories.ai"])[0] in {
            "api.memories.ai",
            "mavi-backend.memories.ai",
        }
