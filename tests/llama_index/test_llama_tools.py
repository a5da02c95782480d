"""MemoriesToolSpec on recorded traffic: every tool sync and async, and a scripted agent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, cast

import pytest
from llama_index.core.agent.workflow import AgentOutput, FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.tools import FunctionTool

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.llama_index import MemoriesToolSpec
from memories_integrations.testing import sample_videos

pytestmark = pytest.mark.vcr


def tools_of(spec: MemoriesToolSpec) -> dict[str, FunctionTool]:
    return {t.metadata.name or "": t for t in spec.to_tool_list()}


def test_tools_sync(memories_client: MemoriesClient, library: dict[str, str]) -> None:
    tools = tools_of(MemoriesToolSpec(client=memories_client, allow_delete=True))
    cooking = library["cooking_demo"]

    listed = tools["list_videos"].call(name_contains="cooking").content
    assert f"'cooking_demo': video_no {cooking}, PARSE" in listed
    status = tools["video_status"].call(video_no=cooking).content
    assert "PARSE, ready and searchable" in status and "Duration 00:00:10" in status
    found = tools["search_videos"].call(query="boiling spaghetti", top_k=2).content
    assert f"(video_no {cooking}) 00:00:06-00:00:08" in found
    speech = tools["get_transcript"].call(video_no=cooking).content
    assert speech.startswith(f"Audio transcript of video {cooking}:\n[00:00:00] ")
    seen = tools["get_transcript"].call(video_no=cooking, track="visual").content
    assert "chef" in seen and seen != speech
    summary = tools["summarize_video"].call(video_no=cooking).content
    assert summary.count("\n[00:00:0") == 5
    answer = tools["chat_about_videos"].call(video_nos=[cooking], question="What is cooked?")
    assert "Cited moments:" in answer.content and f"video_no {cooking} at 00:00:" in answer.content
    session = re.search(r"session_id for follow-ups: (\S+)", answer.content)
    assert session is not None
    follow = tools["chat_about_videos"].call(
        video_nos=[cooking], question="And the sauce?", session_id=session.group(1)
    )
    assert f"session_id for follow-ups: {session.group(1)}" in follow.content
    missing = tools["video_status"].call(video_no="VI000000000000000404").content
    assert missing.startswith("Error:") and "list_videos" in missing
    assert tools["delete_video"].call(video_no=cooking).content == f"Deleted video {cooking}."
    assert "not found" in tools["video_status"].call(video_no=cooking).content.lower()


def test_upload_waits_until_encoded(memories_client: MemoriesClient) -> None:
    spec = MemoriesToolSpec(client=memories_client, poll_interval=0.05, upload_max_wait=10)
    sample = next(p for p in sample_videos() if p.stem == "soccer_match")
    text = tools_of(spec)["upload_video"].call(source=str(sample)).content
    assert "(a video id, not a task id)" in text and "searchable now" in text
    video_no = re.search(r"video_no (\S+)", text)
    assert video_no is not None
    assert "PARSE" in spec.video_status(video_no.group(1))


async def test_tools_async(
    async_memories_client: AsyncMemoriesClient, library: dict[str, str]
) -> None:
    spec = MemoriesToolSpec(async_client=async_memories_client, poll_interval=0.05)
    tools = tools_of(spec)
    keynote = library["product_keynote"]
    assert keynote in (await tools["list_videos"].acall()).content
    assert "PARSE" in (await tools["video_status"].acall(video_no=keynote)).content
    found = (await tools["search_videos"].acall(query="new phone on stage", top_k=1)).content
    assert f"video_no {keynote}" in found
    assert "[00:00:00]" in (await tools["get_transcript"].acall(video_no=keynote)).content
    assert "Summary of video" in (await tools["summarize_video"].acall(video_no=keynote)).content
    chat = await tools["chat_about_videos"].acall(video_nos=[keynote], question="What launched?")
    assert "Cited moments:" in chat.content
    sample = next(p for p in sample_videos() if p.stem == "product_keynote")
    uploaded = (await tools["upload_video"].acall(source=str(sample))).content
    assert "searchable now" in uploaded


def scripted_llm() -> MockFunctionCallingLLM:
    """An LLM that plans like a real one: check a guessed id, recover by listing, search the
    video it found, ask about it, then answer citing the tool outputs it read."""

    def call(name: str, **kwargs: Any) -> ChatMessage:
        block = ToolCallBlock(tool_call_id=f"call-{name}", tool_name=name, tool_kwargs=kwargs)
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])

    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            return call("video_status", video_no="VI000000000000000404")
        if len(results) == 1:
            assert results[0].startswith("Error:")  # the tool explained instead of crashing
            return call("list_videos", name_contains="soccer")
        video_no = re.search(r"video_no (\S+),", results[1])
        assert video_no is not None
        if len(results) == 2:
            return call("search_videos", query="a goal is scored", video_nos=[video_no.group(1)])
        if len(results) == 3:
            return call("chat_about_videos", video_nos=[video_no.group(1)], question="Who scored?")
        best = results[2].splitlines()[1]
        return ChatMessage(role=MessageRole.ASSISTANT, content=f"Best moment: {best}")

    return MockFunctionCallingLLM(response_generator=respond)


async def test_function_agent_runs_the_tools(
    memories_client: MemoriesClient,
    async_memories_client: AsyncMemoriesClient,
    library: dict[str, str],
) -> None:
    spec = MemoriesToolSpec(client=memories_client, async_client=async_memories_client)
    agent = FunctionAgent(tools=spec.to_tool_list(), llm=scripted_llm())
    handler = agent.run(user_msg="When is a goal scored in my soccer video?")
    result = cast(AgentOutput, await handler)
    text = str(result.response.content)
    assert text.startswith("Best moment: 1. 'soccer_match'")
    assert f"(video_no {library['soccer_match']}) 00:00:0" in text
    assert [c.tool_name for c in result.tool_calls][-1:] == ["chat_about_videos"]
