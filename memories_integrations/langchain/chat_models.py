"""``ChatMemories``: memories.ai video chat as a LangChain chat model.

Scope: ``video_nos=[...]`` chats about those videos; without them, the whole namespace
(personal chat). Conversations: when the last AI message of the history came from this model
(its ``response_metadata["session_id"]``), only the human turns after it are sent, in that
session; otherwise a new session starts with the earlier turns folded into the prompt.

Output: thinking events become ``reasoning`` content blocks, the answer a ``text`` block whose
``annotations`` are the cited moments (``citation`` blocks with a ``memories://`` deep link);
``response_metadata["citations"]`` lists them too (video_no, HH:MM:SS range, link), and
``response_metadata["unsupported_citations"]`` the times the answer cites that no returned
moment covers (the verified-citation check).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from memories_integrations._tools.documents import source_link
from memories_integrations._transport.streaming import ChatAggregator
from memories_integrations.langchain._clients import MemoriesClientMixin
from memories_integrations.models import ChatEvent, ChatResponse, RefItem
from memories_integrations.models.citations import verify_citations

__all__ = ["ChatMemories"]

MODEL_NAME = "memories-video-chat"
_REASONING, _TEXT = 0, 1  # content-block indexes, so streamed chunks merge into two blocks


class ChatMemories(MemoriesClientMixin, BaseChatModel):
    """Chat with videos in memories.ai (``video_nos=``) or with a whole namespace."""

    video_nos: list[str] | None = None
    """Videos to chat about; None: every video of the namespace (personal chat)."""
    model_name: str = Field(default=MODEL_NAME, alias="model")
    timeout: float | None = None
    """Seconds the whole answer may take (default: the client's stream timeout)."""

    @property
    def _llm_type(self) -> str:
        return "memories-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "video_nos": self.video_nos}

    # ------------------------------------------------------------------ requests
    def _request(self, messages: list[BaseMessage]) -> tuple[str, str | None]:
        """The prompt to send and the session to continue (None: a new one)."""
        last_ai = next(
            (
                i
                for i in range(len(messages) - 1, -1, -1)
                if isinstance(messages[i], AIMessage)
                and messages[i].response_metadata.get("model_name") == self.model_name
                and messages[i].response_metadata.get("session_id")
            ),
            None,
        )
        if last_ai is not None:
            session = str(messages[last_ai].response_metadata["session_id"])
            turns = [m for m in messages[last_ai + 1 :] if not isinstance(m, AIMessage)]
            return "\n\n".join(m.text for m in turns), session
        *history, last = messages
        if not history:
            return last.text, None
        # The API keeps history per session only: fold the earlier turns into the prompt.
        lines = [f"{_speaker(m)}: {m.text}" for m in history if m.text]
        return "Conversation so far:\n" + "\n".join(lines) + f"\n\nUser: {last.text}", None

    def _kwargs(self, session: str | None) -> dict[str, Any]:
        return {"session_id": session, "unique_id": self._namespace(), "timeout": self.timeout}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        prompt, session = self._request(messages)
        client = self._clients().sync()
        if self.video_nos:
            answer = client.chat(self.video_nos, prompt, **self._kwargs(session))
        else:
            answer = client.chat_personal(prompt, **self._kwargs(session))
        return self._result(answer)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        prompt, session = self._request(messages)
        client = self._clients().async_()
        if self.video_nos:
            answer = await client.chat(self.video_nos, prompt, **self._kwargs(session))
        else:
            answer = await client.chat_personal(prompt, **self._kwargs(session))
        return self._result(answer)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        prompt, session = self._request(messages)
        client = self._clients().sync()
        if self.video_nos:
            events = client.chat_stream(self.video_nos, prompt, **self._kwargs(session))
        else:
            events = client.chat_personal_stream(prompt, **self._kwargs(session))
        state = _StreamState()
        for event in events:
            chunk = state.chunk(event)
            if chunk is not None:
                if run_manager and chunk.text:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk
        yield self._last_chunk(state)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        prompt, session = self._request(messages)
        client = self._clients().async_()
        if self.video_nos:
            events = client.chat_stream(self.video_nos, prompt, **self._kwargs(session))
        else:
            events = client.chat_personal_stream(prompt, **self._kwargs(session))
        state = _StreamState()
        async for event in events:
            chunk = state.chunk(event)
            if chunk is not None:
                if run_manager and chunk.text:
                    await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk
        yield self._last_chunk(state)

    # ------------------------------------------------------------------ answers
    def _metadata(self, answer: ChatResponse) -> dict[str, Any]:
        moments = answer.moments
        report = verify_citations(answer.content, answer.references)
        return {
            "model_name": self.model_name,
            "model_provider": "memories",
            "session_id": answer.session_id,
            "citations": _unique(self._citation(m) for m in moments),
            "unsupported_citations": [c.text for c in report.unsupported],
        }

    def _citation(self, item: RefItem) -> dict[str, Any]:
        end = item.end_time if item.end_time is not None else item.start_time
        return {
            "video_no": item.video_no,
            "start": item.start_timestamp,
            "end": item.end_timestamp,
            "start_seconds": item.start_time,
            "end_seconds": end,
            "url": source_link(self._namespace(), item.video_no or "", item.start_time, end),
        }

    def _annotations(self, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "type": "citation",
                "url": c["url"],
                "title": f"{c['video_no']} @ {c['start']}-{c['end']}",
            }
            for c in citations
        ]

    def _result(self, answer: ChatResponse) -> ChatResult:
        meta = self._metadata(answer)
        blocks: list[str | dict[str, Any]] = [
            {"type": "reasoning", "reasoning": _thinking_text(t.title, t.content)}
            for t in answer.thinkings
        ]
        blocks.append(
            {
                "type": "text",
                "text": answer.content,
                "annotations": self._annotations(meta["citations"]),
            }
        )
        message = AIMessage(content=blocks, response_metadata=meta)
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _last_chunk(self, state: _StreamState) -> ChatGenerationChunk:
        answer = state.answer()
        meta = self._metadata(answer)
        block = {
            "type": "text",
            "text": "",
            "index": _TEXT,
            "annotations": self._annotations(meta["citations"]),
        }
        return ChatGenerationChunk(
            message=AIMessageChunk(content=[block], response_metadata=meta, chunk_position="last")
        )

    def _namespace(self) -> str:
        return self._clients().unique_id


class _StreamState:
    """Folds a stream's events into the whole answer while chunks go out."""

    def __init__(self) -> None:
        self._folded = ChatAggregator()

    def chunk(self, event: ChatEvent) -> ChatGenerationChunk | None:
        self._folded.add(event)
        block: dict[str, Any]
        if event.type == "thinking":
            text = _thinking_text(event.title, event.content)
            block = {"type": "reasoning", "reasoning": text + "\n", "index": _REASONING}
        elif event.type == "content" and event.content:
            block = {"type": "text", "text": event.content, "index": _TEXT}
        else:
            return None
        return ChatGenerationChunk(message=AIMessageChunk(content=[block]))

    def answer(self) -> ChatResponse:
        return self._folded.result()


def _unique(citations: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One citation per deep link (a keyframe and a range of the same moment often repeat)."""
    seen: dict[str, dict[str, Any]] = {}
    for c in citations:
        seen.setdefault(c["url"], c)
    return list(seen.values())


def _thinking_text(title: str | None, content: str) -> str:
    return f"{title}: {content}" if title else content


def _speaker(message: BaseMessage) -> str:
    return "Assistant" if isinstance(message, AIMessage) else "User"
