"""Every MCP tool declares an ``outputSchema`` (from the registry's result model) and its
``structuredContent`` validates against it, checked through the mcp SDK's client (in memory:
the stdio and HTTP transports have their own tests)."""

from __future__ import annotations

from typing import Any

import anyio
import jsonschema  # type: ignore[import-untyped]  # no stubs installed
import pytest
from mcp import types
from mcp.shared.exceptions import McpError

from memories_integrations._tools.registry import OPERATIONS
from memories_integrations.mcp import ServerConfig
from memories_integrations.testing import EmulatorServer

from .conftest import memory_session


def _text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


async def test_every_tool_result_matches_its_output_schema(emulator: EmulatorServer) -> None:
    with anyio.fail_after(60):
        config = ServerConfig(allow_upload=True, allow_delete=True)
        async with memory_session(emulator, config) as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == set(OPERATIONS)
            for tool in tools.values():
                assert tool.outputSchema == OPERATIONS[tool.name].output_schema(), tool.name
            page = await session.call_tool("memories_list_videos", {})
            assert page.structuredContent is not None, _text(page)
            video_no = next(
                v["video_no"] for v in page.structuredContent["videos"] if v["status"] == "PARSE"
            )
            calls: dict[str, dict[str, Any]] = {
                "memories_search": {"query": "chopping onions", "top_k": 2},
                "memories_video_status": {"video_no": video_no},
                "memories_list_videos": {},
                "memories_get_transcript": {"video_no": video_no, "track": "both"},
                "memories_summarize_video": {"video_no": video_no},
                "memories_chat_with_videos": {"video_nos": [video_no], "prompt": "What is cut?"},
                "memories_list_namespaces": {},
                "memories_upload_video": {"url": "https://example.com/clip.mp4"},
            }
            results = {}
            for name, args in calls.items():
                result = await session.call_tool(name, args)
                assert not result.isError, (name, _text(result))
                assert result.structuredContent is not None, name
                schema = tools[name].outputSchema
                assert schema is not None
                jsonschema.validate(result.structuredContent, schema)
                results[name] = result.structuredContent
            new = results["memories_upload_video"]["video_no"]
            gone = await session.call_tool("memories_delete_videos", {"video_nos": [new]})
            assert gone.structuredContent == {"deleted": [new]}
            schema = tools["memories_delete_videos"].outputSchema
            assert schema is not None
            jsonschema.validate(gone.structuredContent, schema)


async def test_server_offers_prompts_for_the_common_tasks(emulator: EmulatorServer) -> None:
    with anyio.fail_after(30):
        async with memory_session(emulator, ServerConfig()) as session:
            listed = {p.name for p in (await session.list_prompts()).prompts}
            assert listed == {"find_moment", "summarize_video", "answer_with_moments"}
            got = await session.get_prompt("find_moment", {"description": "onions are chopped"})
            content = got.messages[0].content
            assert isinstance(content, types.TextContent)
            assert "onions are chopped" in content.text and "memories_search" in content.text
            answer = await session.get_prompt("answer_with_moments", {"question": "What?"})
            assert isinstance(answer.messages[0].content, types.TextContent)
            assert "cite" in answer.messages[0].content.text
            with pytest.raises(McpError):
                await session.get_prompt("summarize_video", {})
