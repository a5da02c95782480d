"""Many short-lived event loops (issue 21 item 10): ``ainvoke`` / ``aretrieve`` from 300 fresh
``asyncio.run`` calls must not leave a socket per loop open, and one ``AsyncMemoriesClient``
reused across ``asyncio.run`` calls works (its transport keeps one httpx pool per running loop
and closes it when the loop ends). A caller's ``http_client=`` cannot move loops: that is a
typed ``EventLoopError`` saying why, not a bare ``RuntimeError``.

Against the emulator on loopback: real sockets, counted in ``/proc/self/fd``.
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient
from memories_integrations import errors as e
from memories_integrations.testing import EmulatorServer

from ._helpers import NO_RETRY, case_name

#: The issue used 300; a socket kept per loop shows as clearly in 50 (50 > SLACK), in a sixth
#: of the time.
LOOPS = 50
#: Sockets a run may still hold at the end (the last loop's pool is closed as well; a little
#: slack for the emulator's own accepted-but-not-yet-closed sockets).
SLACK = 10

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("event loops", request))


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=0.05, rate_limits=False) as server:
        yield server


def open_fds() -> int:
    gc.collect()
    return len(os.listdir("/proc/self/fd"))


def fresh_loops(run: Callable[[], Coroutine[Any, Any, Any]], times: int = LOOPS) -> int:
    """Open descriptors gained over ``times`` fresh ``asyncio.run(run())`` calls."""
    asyncio.run(run())  # warm up: imports, the sync twin, lazily opened files
    before = open_fds()
    for _ in range(times):
        asyncio.run(run())
    return open_fds() - before


def test_langchain_retriever_ainvoke_leaves_no_socket_per_loop(emulator: EmulatorServer) -> None:
    from memories_integrations.langchain import MemoriesRetriever

    retriever = MemoriesRetriever(k=1, api_key=emulator.api_key, base_url=emulator.base_url)
    assert fresh_loops(lambda: retriever.ainvoke("boiling spaghetti")) <= SLACK


def test_llama_index_retriever_aretrieve_leaves_no_socket_per_loop(
    emulator: EmulatorServer,
) -> None:
    from memories_integrations.llama_index import MemoriesRetriever

    retriever = MemoriesRetriever(
        similarity_top_k=1, api_key=emulator.api_key, base_url=emulator.base_url
    )
    assert fresh_loops(lambda: retriever.aretrieve("boiling spaghetti")) <= SLACK


def test_one_async_client_works_across_asyncio_runs(emulator: EmulatorServer) -> None:
    client = AsyncMemoriesClient(
        api_key=emulator.api_key, base_url=emulator.base_url, retry=NO_RETRY
    )
    runs = [asyncio.run(client.list_videos()) for _ in range(3)]
    assert [page.current_page for page in runs] == [1, 1, 1]  # the later runs work too
    assert fresh_loops(client.list_unique_ids, times=50) <= SLACK

    async def close() -> None:
        await client.aclose()

    asyncio.run(close())
    with pytest.raises(RuntimeError):  # closed means closed, in every loop
        asyncio.run(client.list_videos())


def test_one_async_client_serves_two_loops_at_once(emulator: EmulatorServer) -> None:
    """Two threads, each with its own running loop, share one client."""
    import threading

    client = AsyncMemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url)
    results: list[Any] = []

    def worker() -> None:
        async def many() -> None:
            for _ in range(5):
                results.append(await client.list_videos())

        asyncio.run(many())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 10


def test_a_callers_http_client_in_a_second_loop_is_a_typed_error(
    emulator: EmulatorServer,
) -> None:
    http = httpx.AsyncClient()
    client = AsyncMemoriesClient(
        api_key=emulator.api_key, base_url=emulator.base_url, http_client=http, retry=NO_RETRY
    )
    assert asyncio.run(client.list_videos()).current_page == 1  # its first loop: fine
    with pytest.raises(e.EventLoopError, match="event loop") as raised:
        asyncio.run(client.list_videos())  # its pooled connection belongs to the ended loop
    assert isinstance(raised.value, RuntimeError)  # what callers caught before still works
    assert "http_client=" in str(raised.value)
