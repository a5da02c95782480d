"""MemoriesToolSpec on recorded traffic: every tool sync and async, and a scripted agent."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, cast

import pytest
from llama_index.core.agent.workflow import AgentOutput, FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.schema import NodeWithScore
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

    listed = tools["memories_list_videos"].call(video_name="cooking_demo").content
    assert f"{cooking} | cooking_demo | PARSE | 00:00:10" in listed
    status = tools["memories_video_status"].call(video_no=cooking).content
    assert "status PARSE. Encoded" in status and "duration 00:00:10" in status
    found = tools["memories_search"].call(query="boiling spaghetti", top_k=2)
    assert f"{cooking} (cooking_demo) @ 00:00:06-00:00:08" in found.content
    nodes = found.raw_output  # the structured moments, as the retriever gives them
    assert all(isinstance(n, NodeWithScore) for n in nodes) and len(nodes) <= 2
    assert nodes[0].node.metadata["source"].startswith(f"memories://default/{cooking}?t=")
    speech = tools["memories_get_transcript"].call(video_no=cooking).content
    assert speech.startswith(f"Transcript of {cooking} (audio):\n[00:00:00-")
    seen = tools["memories_get_transcript"].call(video_no=cooking, track="visual").content
    assert "chef" in seen and seen != speech
    summary = tools["memories_summarize_video"].call(video_no=cooking).content
    assert summary.count("\n[00:00:0") == 5
    answer = tools["memories_chat_with_videos"].call(video_nos=cooking, prompt="What is cooked?")
    assert (
        "Cited moments:" in answer.content
        and f"{cooking} (cooking_demo) @ 00:00:" in answer.content
    )
    cited = answer.raw_output["references"]
    assert cited and all(isinstance(n, NodeWithScore) for n in cited)
    assert answer.raw_output["citations"].all_supported  # the emulator cites what it returns
    session = re.search(r"session_id: (\S+)", answer.content)
    assert session is not None
    follow = tools["memories_chat_with_videos"].call(
        video_nos=[cooking], prompt="And the sauce?", session_id=session.group(1)
    )
    assert f"session_id: {session.group(1)}" in follow.content
    missing = tools["memories_video_status"].call(video_no="VI000000000000000404")
    assert missing.is_error and "memories_list_videos" in missing.content
    deleted = tools["memories_delete_videos"].call(video_nos=cooking)
    assert deleted.content == f"Deleted 1 video(s): {cooking}." and not deleted.is_error
    assert deleted.raw_output == {"deleted": [cooking]}  # the facts shown, as data
    gone = tools["memories_video_status"].call(video_no=cooking)
    assert gone.is_error and "not found" in gone.content.lower()


def test_upload_waits_until_encoded(memories_client: MemoriesClient) -> None:
    spec = MemoriesToolSpec(
        client=memories_client, poll_interval=0.05, upload_max_wait=10, allowed_dirs=None
    )
    sample = next(p for p in sample_videos() if p.stem == "soccer_match")
    out = tools_of(spec)["memories_upload_video"].call(file_path=str(sample), wait=True)
    assert "(a video id, not a task id)" in out.content and "status PARSE" in out.content
    assert out.raw_output["status"] == "PARSE"
    with pytest.warns(DeprecationWarning, match="'video_status' is now 'memories_video_status'"):
        assert "PARSE" in spec.video_status(out.raw_output["video_no"])


async def test_tools_async(
    async_memories_client: AsyncMemoriesClient, library: dict[str, str]
) -> None:
    spec = MemoriesToolSpec(async_client=async_memories_client, poll_interval=0.05)
    tools = tools_of(spec)
    keynote = library["product_keynote"]
    assert keynote in (await tools["memories_list_videos"].acall()).content
    assert "PARSE" in (await tools["memories_video_status"].acall(video_no=keynote)).content
    found = await tools["memories_search"].acall(query="new phone on stage", top_k="1")
    assert f"{keynote} (product_keynote) @" in found.content and len(found.raw_output) == 1
    transcript = await tools["memories_get_transcript"].acall(video_no=keynote, track="both")
    assert "[00:00:00-" in transcript.content and "Speech: " in transcript.content
    summary = await tools["memories_summarize_video"].acall(video_no=keynote)
    assert "Summary of" in summary.content
    chat = await tools["memories_chat_with_videos"].acall(video_nos=[keynote], prompt="Launch?")
    assert "Cited moments:" in chat.content
    sample = next(p for p in sample_videos() if p.stem == "product_keynote")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        uploaded = await spec.aupload_video(str(sample))  # the old name still waits
    assert "status PARSE" in uploaded


def scripted_llm() -> MockFunctionCallingLLM:
    """An LLM that plans like a real one: check a guessed id, recover by listing, search the
    video it found, ask about it, then answer citing the tool outputs it read."""

    def call(name: str, **kwargs: Any) -> ChatMessage:
        block = ToolCallBlock(tool_call_id=f"call-{name}", tool_name=name, tool_kwargs=kwargs)
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])

    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            return call("memories_video_status", video_no="VI000000000000000404")
        if len(results) == 1:
            assert "memories_list_videos" in results[0]  # the hint, so it can recover
            return call("memories_list_videos", video_name="soccer_match")
        video_no = re.search(r"^(VI\d+) \| soccer_match", results[1], re.M)
        assert video_no is not None
        if len(results) == 2:
            return call("memories_search", query="a goal is scored", video_nos=video_no.group(1))
        if len(results) == 3:
            return call("memories_chat_with_videos", video_nos=[video_no.group(1)], prompt="Who?")
        best = results[2].splitlines()[0]
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
    assert text.startswith(f"Best moment: [1] {library['soccer_match']} (soccer_match) @ 00:00:0")
    calls = cast(list[ToolCallResult], result.tool_calls)  # the results, at run time
    assert [c.tool_name for c in calls][-1:] == ["memories_chat_with_videos"]
    # The failed call is marked as an error for the agent and tracing, with the hint inside.
    failed = calls[0].tool_output
    assert failed.is_error and "memories_list_videos" in str(failed.content)
    assert not any(c.tool_output.is_error for c in calls[1:])
