"""Helpers shared by the reliability tests (no fixtures here: see conftest.py)."""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy
from memories_integrations.testing import EmulatorServer

FAST_RETRY = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.05, jitter=False)
NO_RETRY = RetryPolicy(max_retries=0)
TIMEOUT = 2.0
V1 = "/serve/api/v1"
SEARCH = f"{V1}/search"
UPLOAD = f"{V1}/upload"
CHAT = f"{V1}/chat"
CHAT_STREAM = f"{V1}/chat_stream"

# httpx builds a new SSL context (~0.1 s) for every client it creates; the emulator is plain
# http, but sharing one context keeps a hundred short-lived test clients cheap.
SSL = ssl.create_default_context()


@contextlib.contextmanager
def emulator_client(server: EmulatorServer, **kwargs: Any) -> Iterator[MemoriesClient]:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", TIMEOUT)
    with (
        httpx.Client(verify=SSL) as http,
        MemoriesClient(
            api_key=server.api_key, base_url=server.base_url, http_client=http, **kwargs
        ) as client,
    ):
        yield client


@contextlib.asynccontextmanager
async def async_emulator_client(
    server: EmulatorServer, **kwargs: Any
) -> AsyncIterator[AsyncMemoriesClient]:
    kwargs.setdefault("retry", FAST_RETRY)
    kwargs.setdefault("timeout", TIMEOUT)
    async with (
        httpx.AsyncClient(verify=SSL) as http,
        AsyncMemoriesClient(
            api_key=server.api_key, base_url=server.base_url, http_client=http, **kwargs
        ) as client,
    ):
        yield client


def logged(server: EmulatorServer, path: str, *, at_least: int = 0) -> list[Any]:
    """Request-log entries of ``path``, once nothing is in flight.

    A dropped or timed-out request is logged by the emulator only when its handler finishes,
    which can be just after the client has given up: wait for ``at_least`` entries and for the
    emulator to finish every request it received, so that a retry the client should NOT have
    made shows up too (the client has returned: any request it sent has arrived).
    """
    deadline = time.monotonic() + 3
    while (
        len(server.requests(path)) < at_least or server.in_flight
    ) and time.monotonic() < deadline:
        time.sleep(0.005)
    return server.requests(path)


def fired(server: EmulatorServer, path: str) -> list[str]:
    """Fault kinds the emulator applied to ``path`` (proves the fault was really injected)."""
    return [e.fault for e in server.requests(path) if e.fault]


def case_name(prefix: str, request: Any) -> str:
    """A hostile case's tally name, from its test's name: ``prefix: words of the name``."""
    name = str(request.node.originalname)
    return f"{prefix}: " + name.removeprefix("test_").replace("_", " ")
