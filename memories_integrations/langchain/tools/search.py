"""The search tool: find timestamped moments in the private video library."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Literal

from langchain_core.documents import Document
from pydantic import Field, field_validator

from memories_integrations._endpoints import validation as v
from memories_integrations._tools.arguments import SearchToolArgs
from memories_integrations._tools.keyframes import Keyframe, KeyframeCache
from memories_integrations._tools.media import CitationFormat, search_result_blocks
from memories_integrations._tools.outcome import Outcome, ToolOptions
from memories_integrations.langchain.tools._base import MemoriesBaseTool, to_documents

__all__ = ["MemoriesSearchInput", "MemoriesSearchTool"]

#: The shared argument model (one definition for every framework).
MemoriesSearchInput = SearchToolArgs


class MemoriesSearchTool(MemoriesBaseTool):
    """Semantic search over the private memories.ai video library.

    Returns numbered citations for the model and, as the artifact, one ``Document`` per moment
    (the same Documents ``MemoriesRetriever`` gives).

    Setup:
        .. code-block:: bash

            pip install "memories-integrations[langchain]"
            export MEMORIES_API_KEY="sk-..."

    Instantiate:
        .. code-block:: python

            from memories_integrations.langchain import MemoriesSearchTool

            tool = MemoriesSearchTool(score_threshold=0.3)

    Invoke:
        .. code-block:: python

            tool.invoke({"query": "someone chops onions", "top_k": 3})
            # as a tool call, the artifact holds the Documents:
            message = tool.invoke({"type": "tool_call", "id": "1", "name": tool.name,
                                   "args": {"query": "someone chops onions"}})
            message.artifact[0].metadata["source"]  # memories://default/VI...?t=12-20
    """

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    score_threshold: float | None = None
    """Drop moments scoring below this (0..1)."""
    include_keyframes: int = Field(default=0, ge=0, le=10)
    """Keyframe images of the best N moments, as image content blocks, when the call does not
    pass ``include_keyframes`` itself (0: text only)."""
    keyframe_cache: KeyframeCache | None = None
    """Where downloaded keyframes are kept (None: the per-user default cache)."""
    citation_format: CitationFormat = "text"
    """``"search_result"``: one Anthropic ``search_result`` block per moment (Claude cites
    them natively) instead of the numbered text."""

    _operation: ClassVar[str] = "memories_search"

    @field_validator("score_threshold")
    @classmethod
    def _check_threshold(cls, value: float | None) -> float | None:
        return v.score_threshold(value)

    def _options(self) -> ToolOptions:
        return dataclasses.replace(
            super()._options(),
            score_threshold=self.score_threshold,
            include_keyframes=self.include_keyframes,
            keyframe_cache=self.keyframe_cache,
        )

    def _present(self, outcome: Outcome) -> tuple[str | list[Any], list[Document]]:
        docs = to_documents(outcome.records)
        frames: list[Keyframe] = outcome.extra.get("keyframes", [])
        if not frames and (self.citation_format == "text" or not outcome.records):
            return outcome.text, docs
        blocks: list[Any] = []
        if self.citation_format == "search_result" and outcome.records:
            blocks += search_result_blocks(outcome.records)
            notes = outcome.extra.get("keyframe_notes", [])
            if notes:
                blocks.append({"type": "text", "text": "\n".join(notes)})
        else:
            blocks.append({"type": "text", "text": outcome.text})
        # Standard LangChain image blocks (langchain_core.messages.content.ImageContentBlock).
        for frame in frames:
            try:
                data = frame.base64()
            except OSError:  # evicted meanwhile: the text already cites the moment
                continue
            blocks.append({"type": "text", "text": f"Keyframe of {frame.label}:"})
            blocks.append({"type": "image", "base64": data, "mime_type": frame.mime_type})
        return blocks, docs
