"""End to end: a LangGraph agent calls the search and chat tools; an LCEL RAG chain uses the
retriever. Both replay cassettes recorded against the emulator."""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompt_values import PromptValue
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnableParallel, RunnablePassthrough
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition

from memories_integrations.langchain import MemoriesRetriever, MemoriesToolkit

from ._scripted import ScriptedChatModel
from .conftest import COOKING

pytestmark = pytest.mark.vcr


def _last_tool(messages: list[BaseMessage]) -> ToolMessage:
    tool_messages = [m for m in messages if isinstance(m, ToolMessage)]
    assert tool_messages, "expected a tool result before this turn"
    return tool_messages[-1]


def _search(_: list[BaseMessage]) -> AIMessage:
    args = {"query": "someone chopping onions", "top_k": 2}
    return AIMessage("", tool_calls=[{"name": "memories_search", "args": args, "id": "c1"}])


def _chat_about_found_video(messages: list[BaseMessage]) -> AIMessage:
    # Like a model would: take the video number from the search citations.
    match = re.search(r"\b(VI\d+)\b", str(_last_tool(messages).content))
    assert match, "search returned no citation"
    args = {"video_nos": [match.group(1)], "prompt": "What is being chopped?"}
    return AIMessage(
        "", tool_calls=[{"name": "memories_chat_with_videos", "args": args, "id": "c2"}]
    )


def _answer(messages: list[BaseMessage]) -> AIMessage:
    return AIMessage(f"From the video: {_last_tool(messages).content}")


def _agent(connection: dict[str, Any]) -> tuple[Any, ScriptedChatModel]:
    """The usual LangGraph tool loop: model -> ToolNode -> model ... until no tool calls."""
    tools = MemoriesToolkit(
        **connection, include=["memories_search", "memories_chat_with_videos"]
    ).get_tools()
    model = ScriptedChatModel(turns=[_search, _chat_about_found_video, _answer])
    bound = model.bind_tools(tools)

    async def acall_model(state: MessagesState) -> dict[str, Any]:
        return {"messages": [await bound.ainvoke(state["messages"])]}

    call_model = RunnableLambda(
        lambda state: {"messages": [bound.invoke(state["messages"])]}, afunc=acall_model
    )
    graph = StateGraph(MessagesState)
    graph.add_node("model", call_model)
    graph.add_node("tools", ToolNode(tools))
    graph.add_edge(START, "model")
    graph.add_conditional_edges("model", tools_condition)
    graph.add_edge("tools", "model")
    return graph.compile(), model


def _check_run(messages: list[BaseMessage], model: ScriptedChatModel) -> None:
    assert model.bound_tools == ["memories_search", "memories_chat_with_videos"]
    search, chat = [m for m in messages if isinstance(m, ToolMessage)]
    assert search.status == "success" and chat.status == "success"
    # Artifacts come back through the framework's ToolNode, next to the compact text.
    assert all(isinstance(d, Document) for d in search.artifact)
    assert [d.metadata["video_no"] for d in search.artifact] == [COOKING, COOKING]
    assert "onion" in search.artifact[0].page_content
    assert f"{COOKING} (cooking_demo) @ 00:00:02-00:00:04" in str(search.content)
    assert chat.artifact["session_id"]
    refs = chat.artifact["references"]
    assert refs and all(d.metadata["video_no"] == COOKING for d in refs)
    assert "Cited moments" in str(chat.content)
    final = messages[-1].content
    assert isinstance(final, str) and final.startswith("From the video:")


def test_agent_calls_search_then_chat(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    agent, model = _agent(connection)
    result = agent.invoke({"messages": [("user", "Find where onions are chopped")]})
    _check_run(result["messages"], model)


async def test_agent_calls_search_then_chat_async(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    agent, model = _agent(connection)
    result = await agent.ainvoke({"messages": [("user", "Find where onions are chopped")]})
    _check_run(result["messages"], model)


def _format(docs: list[Document]) -> str:
    return "\n".join(
        f"[{d.metadata['video_no']} @ {d.metadata['start_timestamp']}] {d.page_content}"
        for d in docs
    )


def _prompt_text(prompt: PromptValue) -> str:
    return prompt.to_string()


def _rag_chain(connection: dict[str, Any]) -> Any:
    retriever = MemoriesRetriever(**connection, k=2, search_type="BY_AUDIO")
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer from these video moments:\n{context}"), ("user", "{question}")]
    )
    llm = GenericFakeChatModel(messages=iter(["Salt the water, then add the spaghetti."]))
    answer = prompt | RunnableParallel(
        answer=llm | StrOutputParser(), prompt=RunnableLambda(_prompt_text)
    )
    return {"context": retriever | _format, "question": RunnablePassthrough()} | answer


def test_lcel_rag_chain(connection: dict[str, Any], sample_library: dict[str, str]) -> None:
    out = _rag_chain(connection).invoke("how much salt goes in the boiling water")
    assert out["answer"] == "Salt the water, then add the spaghetti."
    # The retrieved speech reached the model's prompt, with its citation.
    assert f"[{COOKING} @ 00:00:06] Salt the boiling water generously" in out["prompt"]


async def test_lcel_rag_chain_async(
    connection: dict[str, Any], sample_library: dict[str, str]
) -> None:
    out = await _rag_chain(connection).ainvoke("how much salt goes in the boiling water")
    assert f"[{COOKING} @ 00:00:06] Salt the boiling water generously" in out["prompt"]
