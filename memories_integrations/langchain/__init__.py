"""memories.ai video memory for LangChain: retrievers, tools, a toolkit and a loader.

Importing this module needs ``langchain-core`` (``pip install memories-integrations[langchain]``);
the rest of the package does not.
"""

from memories_integrations._extras import require

require("langchain", "memories_integrations.langchain")

# ruff: noqa: E402 (the check above comes first: it names the extra to install)
from memories_integrations.langchain._documents import moment_source
from memories_integrations.langchain.approval import approval_interrupt_on, approval_middleware
from memories_integrations.langchain.document_loaders import MemoriesTranscriptLoader
from memories_integrations.langchain.retrievers import MemoriesHybridRetriever, MemoriesRetriever
from memories_integrations.langchain.toolkits import MemoriesToolkit
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

__all__ = [
    "MemoriesBaseTool",
    "MemoriesChatTool",
    "MemoriesDeleteVideosTool",
    "MemoriesHybridRetriever",
    "MemoriesListNamespacesTool",
    "MemoriesListVideosTool",
    "MemoriesRetriever",
    "MemoriesSearchTool",
    "MemoriesSummarizeTool",
    "MemoriesToolkit",
    "MemoriesTranscriptLoader",
    "MemoriesTranscriptTool",
    "MemoriesUploadTool",
    "MemoriesVideoStatusTool",
    "approval_interrupt_on",
    "approval_middleware",
    "moment_source",
]
