"""Batch ingest: upload many files / URLs concurrently and wait for each to be ready.

The public home of these names; the code lives in ``memories_integrations._client.ingest``.
"""

from memories_integrations._client.ingest import (
    IngestProgress,
    IngestResult,
    aingest,
    expand_sources,
    ingest,
)

__all__ = [
    "IngestProgress",
    "IngestResult",
    "aingest",
    "expand_sources",
    "ingest",
]
