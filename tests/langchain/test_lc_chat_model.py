"""ChatMemories: langchain-tests' standard chat-model suites (integration: the live emulator)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from memories_integrations.langchain import ChatMemories
from memories_integrations.testing import EmulatorServer


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


class TestChatMemoriesUnit(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[ChatMemories]:
        return ChatMemories

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"api_key": "sk-test", "base_url": "http://127.0.0.1:9"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return ({"MEMORIES_API_KEY": "sk-env"}, {}, {})

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False


class TestChatMemoriesIntegration(ChatModelIntegrationTests):
    _emu: EmulatorServer

    @pytest.fixture(autouse=True)
    def _connect(self, emulator: EmulatorServer) -> None:
        type(self)._emu = emulator

    @property
    def chat_model_class(self) -> type[ChatMemories]:
        return ChatMemories

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"api_key": self._emu.api_key, "base_url": self._emu.base_url}

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False

    @property
    def returns_usage_metadata(self) -> bool:
        return False

    @property
    def supports_image_inputs(self) -> bool:
        return False


COOKING = "VI700000000000000001"


def _model(emu: EmulatorServer, **kwargs: Any) -> ChatMemories:
    return ChatMemories(api_key=emu.api_key, base_url=emu.base_url, **kwargs)


def test_continues_its_own_session_and_sends_only_the_new_turn(emulator: EmulatorServer) -> None:
    model = _model(emulator, video_nos=[COOKING])
    first = model.invoke("what is chopped?")
    second = model.invoke([HumanMessage("what is chopped?"), first, HumanMessage("and then?")])
    assert second.response_metadata["session_id"] == first.response_metadata["session_id"]
    # The emulator echoes the prompt it got: only the new turn, no folded history.
    assert '"and then?"' in second.text and "Conversation so far" not in second.text


def test_foreign_history_starts_a_session_with_the_history_folded_in(
    emulator: EmulatorServer,
) -> None:
    model = _model(emulator, video_nos=[COOKING])
    first = model.invoke("hello")
    foreign = AIMessage("an answer from another model")
    answer = model.invoke([HumanMessage("what is chopped?"), foreign, HumanMessage("and then?")])
    assert answer.response_metadata["session_id"] != first.response_metadata["session_id"]
    assert "Conversation so far" in answer.text and "another model" in answer.text


def test_citations_reasoning_and_unsupported_times(emulator: EmulatorServer) -> None:
    model = _model(emulator, video_nos=[COOKING])
    answer = model.invoke("what is chopped at 09:59?")
    meta = answer.response_metadata
    assert meta["citations"], "the cooking demo answer cites moments"
    first = meta["citations"][0]
    assert first["video_no"] == COOKING and first["start"].count(":") == 2
    assert first["url"].startswith(f"memories://default/{COOKING}?t=")
    assert "09:59" in meta["unsupported_citations"]  # echoed, but no moment at 09:59
    kinds = [b["type"] for b in answer.content_blocks]
    assert "reasoning" in kinds and "text" in kinds
    text_block = next(b for b in answer.content_blocks if b["type"] == "text")
    urls = [a["url"] for a in text_block.get("annotations", [])]
    assert urls == [c["url"] for c in meta["citations"]]


async def test_astream_gives_the_same_answer_as_ainvoke(emulator: EmulatorServer) -> None:
    model = _model(emulator, video_nos=[COOKING])
    whole = await model.ainvoke("what is chopped?")
    chunks = [c async for c in model.astream("what is chopped?")]
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    assert merged.text == whole.text
    assert [c["url"] for c in merged.response_metadata["citations"]] == [
        c["url"] for c in whole.response_metadata["citations"]
    ]
    assert any(b["type"] == "reasoning" for b in merged.content_blocks)


async def test_personal_chat_over_the_whole_namespace(emulator: EmulatorServer) -> None:
    model = _model(emulator)  # no video_nos: every video of the namespace
    whole = await model.ainvoke("what is chopped?")
    streamed = "".join([c.text async for c in model.astream("what is chopped?")])
    assert "cooking_demo" in whole.text and streamed == whole.text
    assert whole.response_metadata["citations"]
