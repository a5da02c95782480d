"""The search tool: find timestamped moments in the private video library."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.documents import Document
from pydantic import BaseModel, Field

from ..._async_client import AsyncMemoriesClient
from ..._client import MemoriesClient
from ...models import SearchHit
from .._documents import cite_all, rank_documents
from ..retrievers import SearchType
from ._base import MemoriesBaseTool

__all__ = ["MemoriesSearchInput", "MemoriesSearchTool"]


class MemoriesSearchInput(BaseModel):
    query: str = Field(
        description="What to look for, in plain English, e.g. 'someone chops onions' or "
        "'the speaker announces the price'."
    )
    search_type: SearchType = Field(
        default="BY_CLIP",
        description="BY_CLIP: visual moments (default). BY_AUDIO: what is said. BY_CAPTION: "
        "caption text. BY_VIDEO: whole videos. BY_IMAGE: the uploaded image library.",
    )
    k: int = Field(default=5, ge=1, le=50, description="How many moments to return (1-50).")
    video_nos: list[str] | None = Field(
        default=None, description="Only search these videos (video numbers like 'VI...')."
    )
    tag: str | None = Field(default=None, description="Only search videos with this tag.")


class MemoriesSearchTool(MemoriesBaseTool):
    """Semantic search over the private library; returns citations plus Documents."""

    name: str = "memories_search"
    description: str = (
        "Search the user's private memories.ai video library for moments matching a "
        "description. Returns numbered moments as 'video_no (name) @ start-end, score: text'. "
        "Only fully encoded videos (status PARSE) are searchable. Cite the video_no and time "
        "range of every moment you use; if nothing is found, say so instead of guessing. "
        "Use the returned video_no values with the transcript, summary and chat tools."
    )
    args_schema: type[BaseModel] = MemoriesSearchInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    score_threshold: float | None = None
    """Drop moments scoring below this (0..1)."""

    def _present(
        self, hits: list[SearchHit], query: str, search_type: str, k: int
    ) -> tuple[str, list[Document]]:
        docs = rank_documents(
            hits,
            search_type=search_type,
            unique_id=self._clients().unique_id,
            score_threshold=self.score_threshold,
        )[:k]
        if not docs:
            return (
                f"No moments found for {query!r} ({search_type}). Say that nothing matched, "
                "or try other words, another search_type, or check the videos are encoded "
                "(memories_list_videos).",
                [],
            )
        return self._cut(cite_all(docs)), docs

    def _call(  # type: ignore[override]
        self,
        client: MemoriesClient,
        *,
        query: str,
        search_type: str = "BY_CLIP",
        k: int = 5,
        **filters: Any,
    ) -> tuple[str, list[Document]]:
        hits = client.search(
            query, search_type=search_type, top_k=k, unique_id=self.unique_id, **filters
        )
        return self._present(hits, query, search_type, k)

    async def _acall(  # type: ignore[override]
        self,
        client: AsyncMemoriesClient,
        *,
        query: str,
        search_type: str = "BY_CLIP",
        k: int = 5,
        **filters: Any,
    ) -> tuple[str, list[Document]]:
        hits = await client.search(
            query, search_type=search_type, top_k=k, unique_id=self.unique_id, **filters
        )
        return self._present(hits, query, search_type, k)
