"""A failing MCP tool call names the URL it tried (issue 22 #8): base URL + endpoint path, never
a query or the key. Driven through the mcp SDK's client: the server in memory for the calls the
server refuses, `memories mcp` over stdio (configured by its environment) for the dead one."""

from __future__ import annotations

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import McpError
from pydantic import AnyUrl

from memories_integrations.mcp import ServerConfig
from memories_integrations.testing import EmulatorServer

from .conftest import CALL_TIMEOUT, free_port, memory_session, server_command, server_env


def _text(result: types.CallToolResult) -> str:
    return "".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def test_a_refused_call_names_the_url_bad_input_none(emulator: EmulatorServer) -> None:
    base = str(emulator.base_url).rstrip("/")
    with anyio.fail_after(45):
        config = ServerConfig(secrets=(str(emulator.api_key),))  # as `memories mcp` sets it
        async with memory_session(emulator, config) as session:
            missing = await session.call_tool("memories_video_status", {"video_no": "VI404nope"})
            bad = await session.call_tool("memories_search", {"query": "x", "search_type": "NOPE"})
            with pytest.raises(McpError) as unreadable:
                await session.read_resource(AnyUrl("memories://default/VI404nope"))
    assert missing.isError
    url = f"{base}/serve/api/v1/get_metadata"
    assert f"(tried {url})" in _text(missing), _text(missing)
    assert missing.structuredContent is not None
    assert missing.structuredContent["error"]["url"] == url
    assert str(emulator.api_key) not in _text(missing)
    assert f"(tried {base}/serve/api/v1/" in unreadable.value.error.message  # resources too
    assert bad.isError and "tried " not in _text(bad)  # refused before any request
    assert bad.structuredContent is not None and "url" not in bad.structuredContent["error"]


async def test_an_unreachable_server_is_named(emulator: EmulatorServer) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    # No retries: the message is the point, not three back-offs against a closed port.
    env = {**server_env(emulator), "MEMORIES_BASE_URL": dead, "MEMORIES_MAX_RETRIES": "0"}
    command, *args = server_command()
    params = StdioServerParameters(command=command, args=args, env=env)
    with anyio.fail_after(60):
        async with (
            stdio_client(params) as (read, write),
            ClientSession(read, write, read_timeout_seconds=CALL_TIMEOUT) as session,
        ):
            await session.initialize()
            failed = await session.call_tool("memories_list_videos", {})
    assert failed.isError
    text = _text(failed)
    assert f"(tried {dead}/serve/api/v1/list_videos)" in text, text
    assert str(emulator.api_key) not in text and "?" not in text.split("tried ", 1)[1]
