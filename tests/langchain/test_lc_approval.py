"""The human-approval preset: a LangChain 1.x agent pauses before deleting a video and deletes
it only once a person approves (against a live emulator)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from memories_integrations import MemoriesClient, errors
from memories_integrations.langchain import MemoriesToolkit, approval_middleware
from memories_integrations.testing import EmulatorServer

from ._scripted import ScriptedChatModel

VIDEO = "VI700000000000000002"


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def _delete(_: list[BaseMessage]) -> AIMessage:
    call = {"name": "memories_delete_videos", "args": {"video_nos": [VIDEO]}, "id": "d1"}
    return AIMessage("", tool_calls=[call])


def _answer(messages: list[BaseMessage]) -> AIMessage:
    last = [m for m in messages if isinstance(m, ToolMessage)][-1]
    return AIMessage(f"Done: {last.content}")


def _agent(emulator: EmulatorServer) -> tuple[Any, MemoriesClient]:
    client = MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url)
    tools = MemoriesToolkit(client=client, allow_delete=True).get_tools()
    model = ScriptedChatModel(turns=[_delete, _answer])
    agent = create_agent(
        model, tools, middleware=[approval_middleware()], checkpointer=InMemorySaver()
    )
    return agent, client


def _exists(client: MemoriesClient) -> bool:
    # A deleted video answers data: null (not ready), as an unknown one does.
    return client.get_metadata(VIDEO).ready


def test_delete_pauses_until_approved(emulator: EmulatorServer) -> None:
    agent, client = _agent(emulator)
    config: Any = {"configurable": {"thread_id": "approve"}}
    paused = agent.invoke({"messages": [("user", f"Delete {VIDEO}")]}, config)
    [interrupt] = paused["__interrupt__"]
    [request] = interrupt.value["action_requests"]
    assert request["name"] == "memories_delete_videos" and request["args"]["video_nos"] == [VIDEO]
    assert "permanently deletes" in request["description"]
    assert _exists(client)  # paused: nothing deleted yet
    done = agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config)
    assert not _exists(client)
    assert done["messages"][-1].content == f"Done: Deleted 1 video(s): {VIDEO}."


def test_rejected_delete_never_runs(emulator: EmulatorServer) -> None:
    agent, client = _agent(emulator)
    config: Any = {"configurable": {"thread_id": "reject"}}
    agent.invoke({"messages": [("user", f"Delete {VIDEO}")]}, config)
    no = {"type": "reject", "message": "Keep it."}
    done = agent.invoke(Command(resume={"decisions": [no]}), config)
    assert _exists(client)
    assert "Keep it." in str(done["messages"][-1].content)


def test_preset_gates_destructive_and_spending_tools() -> None:
    gated = approval_middleware().interrupt_on
    assert set(gated) == {
        "memories_delete_videos",
        "memories_upload_video",
        "memories_chat_with_videos",
    }
    with pytest.raises(errors.InvalidInputError, match="memories_nope"):
        approval_middleware(tools=["memories_nope"])
