"""memories.ai tools driven by a LlamaIndex FunctionAgent.

Runs offline: without MEMORIES_API_KEY it starts the local emulator, and a scripted LLM (which
plays the role of a real function-calling model) decides the tool calls. With a real LLM, pass
``llm=OpenAI(...)`` (or any function-calling LLM) instead.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Sequence
from typing import Any, cast

from llama_index.core.agent.workflow import AgentOutput, FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from memories_integrations.llama_index import MemoriesToolSpec


def scripted_llm() -> MockFunctionCallingLLM:
    """List the videos, search the soccer one, then answer citing video and time."""

    def call(name: str, **kwargs: Any) -> ChatMessage:
        block = ToolCallBlock(tool_call_id=f"call-{name}", tool_name=name, tool_kwargs=kwargs)
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])

    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            return call("memories_list_videos", video_name="soccer")
        if len(results) == 1:
            found = re.search(r"^(VI\S+) \|", results[0], re.M)  # "VI... | name | status"
            nos = [found.group(1)] if found else None
            return call("memories_search", query="a goal is scored", top_k=1, video_nos=nos)
        return ChatMessage(role=MessageRole.ASSISTANT, content=f"Answer: {results[-1]}")

    return MockFunctionCallingLLM(response_generator=respond)


async def run(spec: MemoriesToolSpec) -> None:
    agent = FunctionAgent(tools=spec.to_tool_list(), llm=scripted_llm())
    result = cast(
        AgentOutput, await agent.run(user_msg="When is a goal scored in my soccer video?")
    )
    for call in result.tool_calls:
        print(f"tool {call.tool_name}({call.tool_kwargs})")
    print(result.response.content)


def main() -> None:
    if os.environ.get("MEMORIES_API_KEY"):
        asyncio.run(run(MemoriesToolSpec()))
        return
    from memories_integrations.testing import EmulatorServer

    os.environ["MEMORIES_RATE_LIMITER"] = "off"  # a local emulator has no quotas to respect
    # The emulator starts with the bundled sample videos already encoded.
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        asyncio.run(run(MemoriesToolSpec(api_key=emu.api_key, base_url=emu.base_url)))


if __name__ == "__main__":
    main()
