"""LangChain tools over a memories.ai video library (each a ``BaseTool`` with an args schema)."""

from ._base import MemoriesBaseTool, to_tool_exception
from .content import (
    MemoriesChatInput,
    MemoriesChatTool,
    MemoriesSummarizeInput,
    MemoriesSummarizeTool,
    MemoriesTranscriptInput,
    MemoriesTranscriptTool,
)
from .library import (
    MemoriesDeleteVideosInput,
    MemoriesDeleteVideosTool,
    MemoriesListNamespacesInput,
    MemoriesListNamespacesTool,
    MemoriesListVideosInput,
    MemoriesListVideosTool,
    MemoriesUploadInput,
    MemoriesUploadTool,
    MemoriesVideoStatusInput,
    MemoriesVideoStatusTool,
)
from .search import MemoriesSearchInput, MemoriesSearchTool

__all__ = [
    "MemoriesBaseTool",
    "MemoriesChatInput",
    "MemoriesChatTool",
    "MemoriesDeleteVideosInput",
    "MemoriesDeleteVideosTool",
    "MemoriesListNamespacesInput",
    "MemoriesListNamespacesTool",
    "MemoriesListVideosInput",
    "MemoriesListVideosTool",
    "MemoriesSearchInput",
    "MemoriesSearchTool",
    "MemoriesSummarizeInput",
    "MemoriesSummarizeTool",
    "MemoriesTranscriptInput",
    "MemoriesTranscriptTool",
    "MemoriesUploadInput",
    "MemoriesUploadTool",
    "MemoriesVideoStatusInput",
    "MemoriesVideoStatusTool",
    "to_tool_exception",
]
