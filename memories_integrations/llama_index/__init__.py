"""LlamaIndex integration: memories.ai videos as documents, a retriever and agent tools.

Importing this module needs ``llama-index-core`` (the ``llama-index`` extra); the rest of the
package never imports it.
"""

from memories_integrations._extras import require

require("llama-index", "memories_integrations.llama_index")

# ruff: noqa: E402 (the check above comes first: it names the extra to install)
from memories_integrations.llama_index.readers import MemoriesVideoReader
from memories_integrations.llama_index.retrievers import MemoriesRetriever
from memories_integrations.llama_index.tools import MemoriesToolSpec

__all__ = ["MemoriesRetriever", "MemoriesToolSpec", "MemoriesVideoReader"]
