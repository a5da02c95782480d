"""Fixtures of the Redis cache store tests (the server: ``redis_url`` in tests/conftest.py)."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix of this test alone: tests never see each other's entries."""
    return f"test:{uuid.uuid4().hex[:8]}:"
