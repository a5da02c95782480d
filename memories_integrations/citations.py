"""Check the timestamps an answer cites against the moments the API actually returned.

The public home of these names; the code lives in ``memories_integrations.models.citations``.
"""

from memories_integrations.models.citations import (
    CitationReport,
    CitedTime,
    Reference,
    annotate_unsupported,
    as_references,
    describe,
    verify_citations,
)

__all__ = [
    "CitationReport",
    "CitedTime",
    "Reference",
    "annotate_unsupported",
    "as_references",
    "describe",
    "verify_citations",
]
