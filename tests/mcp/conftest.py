"""The emulator, the `memories mcp` subprocess and an MCP client session over stdio or HTTP
(or, for tests of what the tools answer rather than of the process, in memory).

No cassettes: the server runs in a subprocess (vcrpy cannot see its requests), so every test
talks to a live emulator on loopback.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.memory import create_connected_server_and_client_session

from memories_integrations import AsyncMemoriesClient
from memories_integrations.mcp import ServerConfig, build_server
from memories_integrations.testing import EmulatorServer

CALL_TIMEOUT = timedelta(seconds=20)


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def server_env(emu: EmulatorServer) -> dict[str, str]:
    """The subprocess's environment: the emulator's URL and key, nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMORIES_")}
    env.update(MEMORIES_BASE_URL=str(emu.base_url), MEMORIES_API_KEY=str(emu.api_key))
    return env


def server_command(*flags: str) -> list[str]:
    return [sys.executable, "-m", "memories_integrations", "mcp", *flags]


@asynccontextmanager
async def stdio_session(
    emu: EmulatorServer, *flags: str, cwd: Path | None = None, **env: str
) -> AsyncIterator[ClientSession]:
    """`memories mcp FLAGS` over stdio, initialized; the process ends with the block."""
    command, *args = server_command(*flags)
    params = StdioServerParameters(command=command, args=args, env=server_env(emu) | env, cwd=cwd)
    async with (
        stdio_client(params) as (read, write),
        ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session,
    ):
        await session.initialize()
        yield session


@asynccontextmanager
async def memory_session(emu: EmulatorServer, config: ServerConfig) -> AsyncIterator[ClientSession]:
    """The server `memories mcp` builds, in this process over the SDK's in-memory streams:
    the same tools and answers without a process start (the stdio wiring has its own tests)."""
    async with (
        AsyncMemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as client,
        create_connected_server_and_client_session(
            build_server(client, config), read_timeout_seconds=CALL_TIMEOUT
        ) as session,
    ):
        yield session


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_stdio(emulator: EmulatorServer) -> AsyncIterator[ClientSession]:
    """One `memories mcp` (default flags) over stdio for the module's tests that only call it
    (mark them ``@pytest.mark.asyncio(loop_scope="module")``): a server start each costs more
    than the calls. A task of its own enters and leaves the session (anyio's scopes must be
    left by the task that entered them; a fixture's setup and teardown may run in two)."""
    ready: asyncio.Future[ClientSession] = asyncio.get_running_loop().create_future()
    done = asyncio.Event()

    async def hold() -> None:
        try:
            # The client's per-minute pacing (chat: 2/min) would make the module's later
            # chats wait for a slot of the one process; the emulator here enforces no limits.
            async with stdio_session(emulator, MEMORIES_RATE_LIMITER="off") as session:
                ready.set_result(session)
                await done.wait()
        except BaseException as exc:
            if not ready.done():
                ready.set_exception(exc)
            raise

    holder = asyncio.create_task(hold())
    try:
        yield await asyncio.wait_for(ready, 45)
    finally:
        done.set()
        await asyncio.wait_for(holder, 15)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def http_server(emulator: EmulatorServer) -> Iterator[str]:
    """`memories mcp --http` in a subprocess; yields its URL; terminated in teardown."""
    yield from _http_server(emulator, ())


def _http_server(emu: EmulatorServer, flags: Sequence[str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        server_command("--http", "--port", str(port), *flags),
        env=server_env(emu),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"memories mcp --http exited: {err}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("memories mcp --http did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stderr:
            proc.stderr.close()


@asynccontextmanager
async def http_session(url: str) -> AsyncIterator[ClientSession]:
    async with (
        httpx.AsyncClient(timeout=20) as http,
        streamable_http_client(url, http_client=http) as (read, write, _),
        ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session,
    ):
        await session.initialize()
        yield session
