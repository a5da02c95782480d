"""memories.ai video memory for LangChain: retrievers, tools, a toolkit and a loader.

Importing this module needs ``langchain-core`` (``pip install memories-integrations[langchain]``);
the rest of the package does not.
"""

from ._documents import moment_source
from .approval import approval_interrupt_on, approval_middleware
from .document_loaders import MemoriesTranscriptLoader
from .retrievers import MemoriesHybridRetriever, MemoriesRetriever
from .toolkits import MemoriesToolkit
from .tools import (
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
