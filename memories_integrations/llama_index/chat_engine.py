"""``MemoriesChatEngine``: a multi-turn memories.ai video chat as a LlamaIndex chat engine.

The memories.ai session keeps the conversation server-side: each turn sends only the new
message in that session; ``reset()`` starts a new one. ``source_nodes`` are the cited moments
as the retriever's nodes (see ``query_engine.cited_nodes``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Generator
from threading import Thread

from llama_index.core.base.llms.types import ChatMessage, ChatResponse, MessageRole
from llama_index.core.chat_engine.types import (
    AgentChatResponse,
    BaseChatEngine,
    StreamingAgentChatResponse,
)
from llama_index.core.memory import ChatMemoryBuffer
from llama_index.core.schema import NodeWithScore

from memories_integrations._transport.streaming import ChatAggregator
from memories_integrations.llama_index.query_engine import MemoriesQueryEngine, cited_nodes
from memories_integrations.models import ChatResponse as MemoriesAnswer

__all__ = ["MemoriesChatEngine"]


class MemoriesChatEngine(BaseChatEngine):
    """Chat with videos over turns; ``session_id`` is the memories.ai session in use."""

    def __init__(self, query_engine: MemoriesQueryEngine) -> None:
        self.query_engine = query_engine
        self.session_id: str | None = None
        self._memory = ChatMemoryBuffer.from_defaults()

    @property
    def chat_history(self) -> list[ChatMessage]:
        return self._memory.get_all()

    def reset(self) -> None:
        self.session_id = None
        self._memory.reset()

    def _finish(self, message: str, answer: MemoriesAnswer) -> list[NodeWithScore]:
        self.session_id = answer.session_id or self.session_id
        self._memory.put(ChatMessage(role=MessageRole.USER, content=message))
        self._memory.put(ChatMessage(role=MessageRole.ASSISTANT, content=answer.content))
        return cited_nodes(self.query_engine.retriever, answer, [])

    def chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        answer = self.query_engine.answer(message, self.session_id)
        return AgentChatResponse(
            response=answer.content, source_nodes=self._finish(message, answer)
        )

    async def achat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> AgentChatResponse:
        answer = await self.query_engine.aanswer(message, self.session_id)
        return AgentChatResponse(
            response=answer.content, source_nodes=self._finish(message, answer)
        )

    def stream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        sources: list[NodeWithScore] = []
        engine = self.query_engine

        def deltas() -> Generator[ChatResponse, None, None]:
            client = engine.retriever._clients.sync()
            kwargs = engine._chat_kwargs(self.session_id)
            if engine.video_nos:
                events = client.chat_stream(engine.video_nos, message, **kwargs)
            else:
                events = client.chat_personal_stream(message, **kwargs)
            folded = ChatAggregator()
            for event in events:
                folded.add(event)
                if event.type == "content" and event.content:
                    yield _delta(folded, event.content)
            self.session_id = folded.result().session_id or self.session_id
            sources.extend(cited_nodes(engine.retriever, folded.result(), []))

        # The user turn goes in now; the library thread writes the answer when the stream ends.
        self._memory.put(ChatMessage(role=MessageRole.USER, content=message))
        response = StreamingAgentChatResponse(chat_stream=deltas(), source_nodes=sources)
        Thread(target=response.write_response_to_history, args=(self._memory,)).start()
        return response

    async def astream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        sources: list[NodeWithScore] = []
        engine = self.query_engine

        async def deltas() -> AsyncGenerator[ChatResponse, None]:
            client = engine.retriever._clients.async_()
            kwargs = engine._chat_kwargs(self.session_id)
            if engine.video_nos:
                events = client.chat_stream(engine.video_nos, message, **kwargs)
            else:
                events = client.chat_personal_stream(message, **kwargs)
            folded = ChatAggregator()
            async for event in events:
                folded.add(event)
                if event.type == "content" and event.content:
                    yield _delta(folded, event.content)
            self.session_id = folded.result().session_id or self.session_id
            sources.extend(cited_nodes(engine.retriever, folded.result(), []))

        self._memory.put(ChatMessage(role=MessageRole.USER, content=message))
        response = StreamingAgentChatResponse(achat_stream=deltas(), source_nodes=sources)
        response.awrite_response_to_history_task = asyncio.create_task(
            response.awrite_response_to_history(self._memory)
        )
        return response


def _delta(folded: ChatAggregator, delta: str) -> ChatResponse:
    text = "".join(folded.parts)
    return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)
