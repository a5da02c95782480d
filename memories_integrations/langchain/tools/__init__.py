"""LangChain tools over a memories.ai video library (each a ``BaseTool`` with an args schema)."""

from memories_integrations.langchain.tools._base import MemoriesBaseTool, to_tool_exception
from memories_integrations.langchain.tools.content import (
    MemoriesChatInput,
    MemoriesChatTool,
    MemoriesSummarizeInput,
    MemoriesSummarizeTool,
    MemoriesTranscriptInput,
    MemoriesTranscriptTool,
)
from memories_integrations.langchain.tools.library import (
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
from memories_integrations.langchain.tools.search import MemoriesSearchInput, MemoriesSearchTool

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
