"""MemoriesChatEngine against the live emulator: turns keep the session, reset starts anew."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from memories_integrations.llama_index import (
    MemoriesChatEngine,
    MemoriesQueryEngine,
    MemoriesRetriever,
)
from memories_integrations.testing import EmulatorServer

COOKING = "VI700000000000000001"


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def _engine(emu: EmulatorServer) -> MemoriesChatEngine:
    retriever = MemoriesRetriever(api_key=emu.api_key, base_url=emu.base_url)
    return MemoriesChatEngine(MemoriesQueryEngine(retriever, video_nos=[COOKING]))


def test_turns_keep_the_session_and_reset_starts_a_new_one(emulator: EmulatorServer) -> None:
    engine = _engine(emulator)
    first = engine.chat("what is chopped?")
    session = engine.session_id
    assert session and first.source_nodes and "cooking_demo" in first.response
    engine.chat("and then?")
    assert engine.session_id == session and len(engine.chat_history) == 4
    engine.reset()
    assert engine.session_id is None and engine.chat_history == []
    engine.chat("what is chopped?")
    assert engine.session_id not in (None, session)


def test_stream_chat_yields_the_answer_and_its_sources(emulator: EmulatorServer) -> None:
    engine = _engine(emulator)
    whole = _engine(emulator).chat("what is chopped?")
    streamed = engine.stream_chat("what is chopped?")
    assert "".join(streamed.response_gen) == whole.response
    assert [n.node.node_id for n in streamed.source_nodes] == [
        n.node.node_id for n in whole.source_nodes
    ]
    assert engine.session_id is not None


async def test_achat_and_astream_chat(emulator: EmulatorServer) -> None:
    engine = _engine(emulator)
    whole = await engine.achat("what is chopped?")
    session = engine.session_id
    streamed = await engine.astream_chat("and then?")
    text = "".join([t async for t in streamed.async_response_gen()])
    assert '"and then?"' in text and whole.source_nodes and streamed.source_nodes
    assert engine.session_id == session
