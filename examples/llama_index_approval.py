"""Human approval before destructive and spending tools, LlamaIndex flavour.

``MemoriesToolSpec(approver=...)`` asks the approver ``(tool name, arguments)`` before
``memories_delete_videos``, ``memories_upload_video`` or ``memories_chat_with_videos`` runs;
anything but ``True`` refuses the call (the agent gets an ``is_error`` output telling it not to
retry) and nothing is sent. The approver may be async: ask a person in a UI, a chat, a ticket.

A scripted LLM (in place of a real function-calling model) asks to delete the first video.

Run: python examples/llama_index_approval.py [--yes]   (offline unless MEMORIES_API_KEY is
set; against the live API, --yes really deletes a video)
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Mapping, Sequence
from typing import Any, cast

from llama_index.core.agent.workflow import AgentOutput, FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, MessageRole, ToolCallBlock
from llama_index.core.llms.mock import MockFunctionCallingLLM

from memories_integrations import MemoriesClient
from memories_integrations.llama_index import MemoriesToolSpec
from memories_integrations.testing import live_or_emulator


def deleting_llm(video_no: str) -> MockFunctionCallingLLM:
    def respond(messages: Sequence[ChatMessage], **kwargs: Any) -> ChatMessage:
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            args = {"video_nos": [video_no]}
            block = ToolCallBlock(
                tool_call_id="1", tool_name="memories_delete_videos", tool_kwargs=args
            )
            return ChatMessage(role=MessageRole.ASSISTANT, blocks=[block])
        return ChatMessage(role=MessageRole.ASSISTANT, content=results[-1])

    return MockFunctionCallingLLM(response_generator=respond)


async def main(approve: bool) -> None:
    async def reviewer(name: str, args: Mapping[str, Any]) -> bool:
        print(f"APPROVAL ASKED: {name}({dict(args)}) -> {'yes' if approve else 'no'}")
        return approve

    with live_or_emulator() as connection:
        with MemoriesClient(**connection) as client:
            video_no = client.list_videos().videos[0].video_no
        spec = MemoriesToolSpec(**connection, allow_delete=True, approver=reviewer)
        agent = FunctionAgent(tools=spec.to_tool_list(), llm=deleting_llm(video_no))
        result = cast(AgentOutput, await agent.run(user_msg="Delete my first video"))
        print("agent:", result.response.content)


if __name__ == "__main__":
    asyncio.run(main(approve="--yes" in sys.argv))
