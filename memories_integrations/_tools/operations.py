"""What each agent tool does, once for every framework (a short index of where it lives).

``run_tool`` / ``arun_tool`` take a tool name, the raw agent input and ``ToolOptions``; they
validate the input (coercing agent habits, see ``arguments``), call the API and return an
``Outcome``: the text for the model plus the structured moments (``Record``), which each
adapter wraps in its own Document / node type. API errors propagate as
``errors.MemoriesError``; adapters turn them into their framework's error result with a hint.

The operations are declared in ``_async/operations.py`` (sync twin generated) and paired in
``registry``; the answers are shaped in ``presenting``; ``Outcome`` and ``ToolOptions`` are in
``outcome``.
"""

from __future__ import annotations

from memories_integrations._tools.outcome import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_WAIT,
    Outcome,
    Record,
    ToolOptions,
)
from memories_integrations._tools.presenting import (
    chat_records,
    hit_record,
    metadata_dict,
    rank_hits,
)
from memories_integrations._tools.registry import arun_tool, run_tool

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_WAIT",
    "Outcome",
    "Record",
    "ToolOptions",
    "arun_tool",
    "chat_records",
    "hit_record",
    "metadata_dict",
    "rank_hits",
    "run_tool",
]
