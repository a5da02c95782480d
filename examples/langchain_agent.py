"""A LangGraph tool loop over the memories.ai toolkit, driven by a scripted chat model.

The scripted model stands in for a real LLM (swap in e.g. ChatOpenAI and drop the script):
it searches, reads the video number from the search citations, asks the video chat about
that video, then answers. Tools run in LangGraph's own ToolNode; their artifacts (Documents,
chat references) come back on the ToolMessages.

Run: python examples/langchain_agent.py   (offline unless MEMORIES_API_KEY is set)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableLambda
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from memories_integrations.langchain import MemoriesToolkit
from memories_integrations.testing import live_or_emulator


class ScriptedChatModel(BaseChatModel):
    """Each turn is a function of the conversation so far."""

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


def last_tool_text(messages: list[BaseMessage]) -> str:
    return str([m for m in messages if isinstance(m, ToolMessage)][-1].content)


def search(_: list[BaseMessage]) -> AIMessage:
    args = {"query": "a goal is scored", "top_k": 2}
    return AIMessage("", tool_calls=[{"name": "memories_search", "args": args, "id": "1"}])


def chat(messages: list[BaseMessage]) -> AIMessage:
    match = re.search(r"\bVI\d+\b", last_tool_text(messages))
    if match is None:
        return AIMessage("I found no matching moment in your videos.")
    args = {"video_nos": [match.group(0)], "prompt": "Who scores and how?"}
    return AIMessage(
        "", tool_calls=[{"name": "memories_chat_with_videos", "args": args, "id": "2"}]
    )


def answer(messages: list[BaseMessage]) -> AIMessage:
    return AIMessage("Here is what your video shows:\n" + last_tool_text(messages))


def build_agent(tools: list[Any], model: BaseChatModel) -> Any:
    bound = model.bind_tools(tools)
    graph = StateGraph(MessagesState)
    graph.add_node("model", RunnableLambda(lambda s: {"messages": [bound.invoke(s["messages"])]}))
    graph.add_node("tools", ToolNode(tools))
    graph.add_edge(START, "model")
    graph.add_conditional_edges("model", tools_condition)
    graph.add_edge("tools", "model")
    return graph.compile()


def main() -> None:
    with live_or_emulator() as conn:
        # Read-only by default; allow_upload=True / allow_delete=True opt in to more.
        toolkit = MemoriesToolkit(**conn)
        tools = toolkit.get_tools()
        print("Tools:", ", ".join(t.name for t in tools), "\n")

        agent = build_agent(tools, ScriptedChatModel(turns=[search, chat, answer]))
        result = agent.invoke({"messages": [("user", "Find the goal in my soccer videos")]})
        for message in result["messages"]:
            if isinstance(message, ToolMessage):
                kind = type(message.artifact).__name__
                print(f"--- tool {message.name} (artifact: {kind})\n{message.content}\n")
        print("--- final answer\n" + str(result["messages"][-1].content))

        # Errors come back as tool results the model can read, not as crashes:
        status = next(t for t in tools if t.name == "memories_video_status")
        print("\n--- error handling:", status.invoke({"video_no": "task-123"}))


if __name__ == "__main__":
    main()
