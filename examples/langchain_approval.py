"""Human approval before destructive and spending tools: a LangChain 1.x agent pauses before
``memories_delete_videos`` and deletes only after a person says yes.

The scripted model stands in for a real LLM (swap in e.g. ChatOpenAI): it asks to delete the
first video of the library. ``approval_middleware()`` is ``HumanInTheLoopMiddleware`` gating
delete, upload and chat; the agent needs a checkpointer to pause and resume.

Run: python examples/langchain_approval.py [--yes]   (offline unless MEMORIES_API_KEY is set;
against the live API, --yes really deletes a video)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from memories_integrations import MemoriesClient
from memories_integrations.langchain import MemoriesToolkit, approval_middleware
from memories_integrations.testing import live_or_emulator


class ScriptedChatModel(BaseChatModel):
    """Each turn is a function of the conversation so far (a real LLM's stand-in)."""

    turns: list[Callable[[list[BaseMessage]], AIMessage]]
    step: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        message = self.turns[self.step](messages)
        self.step += 1
        return ChatResult(generations=[ChatGeneration(message=message)])


def main(approve: bool) -> None:
    with live_or_emulator() as connection:
        client = MemoriesClient(**connection)
        video_no = client.list_videos().videos[0].video_no

        def delete(_: list[BaseMessage]) -> AIMessage:
            call = {"name": "memories_delete_videos", "args": {"video_nos": [video_no]}}
            return AIMessage("", tool_calls=[{**call, "id": "1"}])

        def answer(messages: list[BaseMessage]) -> AIMessage:
            return AIMessage(str([m for m in messages if isinstance(m, ToolMessage)][-1].content))

        agent = create_agent(
            ScriptedChatModel(turns=[delete, answer]),
            MemoriesToolkit(client=client, allow_delete=True).get_tools(),
            middleware=[approval_middleware()],
            checkpointer=InMemorySaver(),
        )
        config: Any = {"configurable": {"thread_id": "approval-demo"}}
        paused = agent.invoke({"messages": [("user", "Delete my first video")]}, config)
        for request in paused["__interrupt__"][0].value["action_requests"]:
            print(f"PAUSED: {request['name']}({request['args']}) - {request['description']}")
        decision = {"type": "approve"} if approve else {"type": "reject", "message": "No."}
        print(f"reviewer: {decision['type']}")
        done = agent.invoke(Command(resume={"decisions": [decision]}), config)
        print("agent:", done["messages"][-1].content)


if __name__ == "__main__":
    main(approve="--yes" in sys.argv)
