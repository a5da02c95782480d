"""The human-approval preset of MemoriesToolSpec: a gated tool asks ``approver`` first and does
nothing (an ``is_error`` output) unless it says yes (against a live emulator)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, cast

import pytest
from llama_index.core.agent.workflow import AgentOutput, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from memories_integrations import MemoriesClient
from memories_integrations.llama_index import MemoriesToolSpec
from memories_integrations.testing import EmulatorServer

VIDEO = "VI700000000000000003"


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def _exists(emulator: EmulatorServer) -> bool:
    with MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url) as client:
        # A deleted video answers data: null (not ready), as an unknown one does.
        return client.get_metadata(VIDEO).ready


def _deleting_llm() -> MockFunctionCallingLLM:
    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            block = ToolCallBlock(
                tool_call_id="d1",
                tool_name="memories_delete_videos",
                tool_kwargs={"video_nos": VIDEO},
            )
            return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])
        return ChatMessage(role=MessageRole.ASSISTANT, content=f"Result: {results[0]}")

    return MockFunctionCallingLLM(response_generator=respond)


async def _run(spec: MemoriesToolSpec) -> ToolCallResult:
    agent = FunctionAgent(tools=spec.to_tool_list(), llm=_deleting_llm())
    result = cast(AgentOutput, await agent.run(user_msg=f"Delete {VIDEO}"))
    [call] = cast(list[ToolCallResult], result.tool_calls)
    return call


async def test_refused_delete_is_an_error_and_deletes_nothing(emulator: EmulatorServer) -> None:
    asked: list[tuple[str, dict[str, Any]]] = []

    def person(name: str, args: Mapping[str, Any]) -> bool:
        asked.append((name, dict(args)))
        return False

    spec = MemoriesToolSpec(
        api_key=emulator.api_key, base_url=emulator.base_url, allow_delete=True, approver=person
    )
    call = await _run(spec)
    assert asked == [("memories_delete_videos", {"video_nos": VIDEO})]
    assert call.tool_output.is_error and "did not approve" in str(call.tool_output.content)
    assert "do not retry" in str(call.tool_output.content)
    assert _exists(emulator)


async def test_async_approval_lets_it_run(emulator: EmulatorServer) -> None:
    async def person(name: str, args: Mapping[str, Any]) -> bool:
        return name == "memories_delete_videos" and args["video_nos"] == VIDEO

    spec = MemoriesToolSpec(
        api_key=emulator.api_key, base_url=emulator.base_url, allow_delete=True, approver=person
    )
    call = await _run(spec)
    assert not call.tool_output.is_error and not _exists(emulator)


def test_read_only_tools_are_not_asked_and_sync_refuses_an_async_approver(
    emulator: EmulatorServer,
) -> None:
    async def person(name: str, args: Mapping[str, Any]) -> bool:
        raise AssertionError("never awaited on the sync path")

    spec = MemoriesToolSpec(
        api_key=emulator.api_key, base_url=emulator.base_url, allow_delete=True, approver=person
    )
    tools = {t.metadata.name: t for t in spec.to_tool_list()}
    assert VIDEO in str(tools["memories_list_videos"].call().content)  # not gated
    out = tools["memories_delete_videos"].call(video_nos=[VIDEO])
    assert out.is_error and "async approver" in str(out.content) and _exists(emulator)
