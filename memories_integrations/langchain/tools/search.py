"""The search tool: find timestamped moments in the private video library."""

from __future__ import annotations

from typing import ClassVar, Literal

from langchain_core.documents import Document
from pydantic import BaseModel, field_validator

from ... import _validation as v
from ..._adapters.arguments import SearchArgs
from ..._adapters.catalog import DESCRIPTIONS
from ..._adapters.operations import Outcome, ToolOptions
from ._base import MemoriesBaseTool, to_documents

__all__ = ["MemoriesSearchInput", "MemoriesSearchTool"]

#: The shared argument model (one definition for every framework).
MemoriesSearchInput = SearchArgs


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

    name: str = "memories_search"
    description: str = DESCRIPTIONS["memories_search"]
    args_schema: type[BaseModel] = MemoriesSearchInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    score_threshold: float | None = None
    """Drop moments scoring below this (0..1)."""

    _operation: ClassVar[str] = "memories_search"

    @field_validator("score_threshold")
    @classmethod
    def _check_threshold(cls, value: float | None) -> float | None:
        return v.score_threshold(value)

    def _options(self) -> ToolOptions:
        base = super()._options()
        return ToolOptions(
            unique_id=base.unique_id,
            namespace=base.namespace,
            max_chars=base.max_chars,
            score_threshold=self.score_threshold,
        )

    def _present(self, outcome: Outcome) -> tuple[str, list[Document]]:
        return outcome.text, to_documents(outcome.records)
