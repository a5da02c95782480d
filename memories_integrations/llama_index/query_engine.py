"""``MemoriesQueryEngine``: memories.ai video chat as a LlamaIndex query engine.

The answer comes from the video chat; ``source_nodes`` are the moments it cited, as the
retriever's nodes: a cited moment a search for the same query also found carries that hit's
node and score, any other one a node made by the same mapping (``score=None``: chat gives none).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import RESPONSE_TYPE, Response, StreamingResponse
from llama_index.core.callbacks import CallbackManager
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeWithScore, QueryBundle

from memories_integrations.llama_index.retrievers import MemoriesRetriever
from memories_integrations.models import ChatResponse, RefItem, SearchHit

__all__ = ["MemoriesQueryEngine", "cited_nodes"]


def cited_nodes(
    retriever: MemoriesRetriever, answer: ChatResponse, found: list[NodeWithScore]
) -> list[NodeWithScore]:
    """The answer's cited moments as the retriever's nodes (one per node id, in citation order)."""
    names = {r.video.video_no: r.video.video_name for r in answer.references}
    out: dict[str, NodeWithScore] = {}
    for item in answer.moments:
        match = next((n for n in found if _overlaps(n, item)), None)
        if match is None:
            match = NodeWithScore(node=retriever.to_node(_as_hit(item, names)), score=None)
        out.setdefault(match.node.node_id, match)
    return list(out.values())


def _overlaps(found: NodeWithScore, item: RefItem) -> bool:
    meta = found.node.metadata
    end = item.end_time if item.end_time is not None else item.start_time
    hit_start: float = meta["start_time"]
    hit_end: float = meta["end_time"] if meta.get("end_time") is not None else hit_start
    return bool(
        meta.get("video_no") == item.video_no and hit_start <= end and item.start_time <= hit_end
    )


def _as_hit(item: RefItem, names: dict[str, str | None]) -> SearchHit:
    text = item.text or ""
    return SearchHit(
        video_no=item.video_no or "",
        video_name=names.get(item.video_no or ""),
        start_time=item.start_time,
        end_time=item.end_time,
        audio_ts=text if item.type == "audio_ts" else None,
        caption=text if item.type != "audio_ts" else None,
    )


class MemoriesQueryEngine(BaseQueryEngine):
    """Answer a question with memories.ai video chat (``video_nos=`` or the whole namespace).

    >>> engine = MemoriesQueryEngine(MemoriesRetriever(api_key=...), video_nos=["VI..."])
    >>> response = engine.query("what is chopped?")
    >>> [(n.metadata["start_timestamp"], n.score) for n in response.source_nodes]
    """

    def __init__(
        self,
        retriever: MemoriesRetriever,
        *,
        video_nos: list[str] | None = None,
        streaming: bool = False,
        score_sources: bool = True,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        self.retriever = retriever
        self.video_nos = list(video_nos) if video_nos else None
        self.streaming = streaming
        # Scores come from one search for the same query (it counts against the 1/s limit).
        self.score_sources = score_sources
        super().__init__(callback_manager=callback_manager)

    def _get_prompt_modules(self) -> PromptMixinType:
        return {}

    def _chat_kwargs(self, session_id: str | None) -> dict[str, Any]:
        return {"session_id": session_id, "unique_id": self.retriever.namespace}

    def answer(self, prompt: str, session_id: str | None = None) -> ChatResponse:
        client = self.retriever._clients.sync()
        if self.video_nos:
            return client.chat(self.video_nos, prompt, **self._chat_kwargs(session_id))
        return client.chat_personal(prompt, **self._chat_kwargs(session_id))

    async def aanswer(self, prompt: str, session_id: str | None = None) -> ChatResponse:
        client = self.retriever._clients.async_()
        if self.video_nos:
            return await client.chat(self.video_nos, prompt, **self._chat_kwargs(session_id))
        return await client.chat_personal(prompt, **self._chat_kwargs(session_id))

    def _response(self, query: str, answer: ChatResponse) -> Response:
        found = self.retriever.retrieve(query) if self.score_sources and answer.moments else []
        return Response(
            answer.content,
            source_nodes=cited_nodes(self.retriever, answer, found),
            metadata={"session_id": answer.session_id},
        )

    def _query(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        if self.streaming:
            return self._stream(query_bundle.query_str)
        return self._response(query_bundle.query_str, self.answer(query_bundle.query_str))

    async def _aquery(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        query = query_bundle.query_str
        if self.streaming:
            return self._stream(query)
        answer = await self.aanswer(query)
        found = (
            await self.retriever.aretrieve(query) if self.score_sources and answer.moments else []
        )
        return Response(
            answer.content,
            source_nodes=cited_nodes(self.retriever, answer, found),
            metadata={"session_id": answer.session_id},
        )

    def _stream(self, query: str) -> StreamingResponse:
        # The nodes are known once the stream ended: the list fills in place then.
        sources: list[NodeWithScore] = []
        metadata: dict[str, Any] = {}

        def tokens() -> Generator[str, None, None]:
            from memories_integrations._transport.streaming import ChatAggregator

            client = self.retriever._clients.sync()
            kwargs = self._chat_kwargs(None)
            if self.video_nos:
                events = client.chat_stream(self.video_nos, query, **kwargs)
            else:
                events = client.chat_personal_stream(query, **kwargs)
            folded = ChatAggregator()
            for event in events:
                folded.add(event)
                if event.type == "content" and event.content:
                    yield event.content
            answer = folded.result()
            found = self.retriever.retrieve(query) if self.score_sources and answer.moments else []
            sources.extend(cited_nodes(self.retriever, answer, found))
            metadata["session_id"] = answer.session_id

        return StreamingResponse(response_gen=tokens(), source_nodes=sources, metadata=metadata)
