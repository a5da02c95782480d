"""All memories.ai tools as one toolkit, read-only unless write/delete is switched on."""

from __future__ import annotations

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import Field

from memories_integrations._tools.definition import Annotations
from memories_integrations._tools.outcome import DEFAULT_MAX_CHARS
from memories_integrations._tools.registry import OPERATIONS
from memories_integrations.langchain._clients import MemoriesClientMixin
from memories_integrations.langchain.tools import (
    MemoriesBaseTool,
    MemoriesChatTool,
    MemoriesDeleteVideosTool,
    MemoriesListNamespacesTool,
    MemoriesListVideosTool,
    MemoriesSearchTool,
    MemoriesSummarizeTool,
    MemoriesTranscriptTool,
    MemoriesUploadTool,
    MemoriesVideoStatusTool,
)

__all__ = ["MemoriesToolkit"]

#: One tool class per registry operation, in the registry's order.
TOOL_CLASSES: tuple[type[MemoriesBaseTool], ...] = (
    MemoriesSearchTool,
    MemoriesVideoStatusTool,
    MemoriesListVideosTool,
    MemoriesTranscriptTool,
    MemoriesSummarizeTool,
    MemoriesChatTool,
    MemoriesListNamespacesTool,
    MemoriesUploadTool,
    MemoriesDeleteVideosTool,
)


def _kind(cls: type[MemoriesBaseTool]) -> Annotations:
    return OPERATIONS[cls._operation].annotations


# Grouped by the registry's annotations: what each tool does to the library.
READ_TOOLS = tuple(c for c in TOOL_CLASSES if _kind(c).read_only)
WRITE_TOOLS = tuple(c for c in TOOL_CLASSES if not _kind(c).read_only and not _kind(c).destructive)
DESTRUCTIVE_TOOLS = tuple(c for c in TOOL_CLASSES if _kind(c).destructive)


def _name(cls: type[MemoriesBaseTool]) -> str:
    return cls._operation


class MemoriesToolkit(MemoriesClientMixin, BaseToolkit):
    """memories.ai tools sharing one set of credentials.

    Read-only by default (search, status, list, transcript, summarize, chat, namespaces).
    ``allow_upload``
    adds the upload tool; ``allow_delete`` adds the delete tool (destructive: never on by
    default). ``include`` / ``exclude`` pick tools by name among the allowed ones.

    Example:
        .. code-block:: python

            toolkit = MemoriesToolkit(allow_upload=True, exclude=["memories_summarize_video"])
            tools = toolkit.get_tools()
    """

    allow_upload: bool = False
    """Add the upload tool (writes to the library)."""
    allow_delete: bool = False
    """Add the delete tool (permanently removes videos)."""
    include: list[str] | None = None
    """Only these tools (by name)."""
    exclude: list[str] = Field(default_factory=list)
    """Leave these tools out (by name)."""
    max_output_chars: int = Field(default=DEFAULT_MAX_CHARS, ge=200)
    """Passed to every tool: longer text for the model is truncated with a note."""

    def _allowed(self) -> list[type[MemoriesBaseTool]]:
        classes = list(READ_TOOLS)
        if self.allow_upload:
            classes += WRITE_TOOLS
        if self.allow_delete:
            classes += DESTRUCTIVE_TOOLS
        return classes

    def _check_names(self, allowed: list[type[MemoriesBaseTool]]) -> None:
        every = {_name(c) for c in READ_TOOLS + WRITE_TOOLS + DESTRUCTIVE_TOOLS}
        for name in [*(self.include or []), *self.exclude]:
            if name not in every:
                raise ValueError(f"unknown tool {name!r}; tools are: {', '.join(sorted(every))}")
        gated = set(self.include or []) - {_name(c) for c in allowed}
        if gated:
            raise ValueError(
                f"{', '.join(sorted(gated))} needs allow_upload=True / allow_delete=True"
            )

    def get_tools(self) -> list[BaseTool]:
        allowed = self._allowed()
        self._check_names(allowed)
        # One sync client for every tool (created now: no I/O); async clients stay lazy.
        shared = self._client_kwargs()
        if self.client is None and self.api_key is not None:
            shared["client"] = self._clients().sync()
        tools: list[BaseTool] = []
        for cls in allowed:
            name = _name(cls)
            if (self.include is not None and name not in self.include) or name in self.exclude:
                continue
            tools.append(cls(max_output_chars=self.max_output_chars, **shared))
        return tools
