"""LlamaIndex integration: memories.ai videos as documents, a retriever and agent tools.

Importing this module needs ``llama-index-core`` (the ``llama-index`` extra); the rest of the
package never imports it.
"""

from .readers import MemoriesVideoReader
from .retrievers import MemoriesRetriever
from .tools import MemoriesToolSpec

__all__ = ["MemoriesRetriever", "MemoriesToolSpec", "MemoriesVideoReader"]
