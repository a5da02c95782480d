"""A real Valkey server for the Redis cache store tests (see ``tests/redis_server.py``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.redis_server import RedisServerUnavailable, running_redis_server


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    try:
        with running_redis_server() as url:
            yield url
    except RedisServerUnavailable as exc:
        pytest.skip(f"no Redis/Valkey server: {exc}")


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix of this test alone: tests never see each other's entries."""
    return f"test:{uuid.uuid4().hex[:8]}:"
