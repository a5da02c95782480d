"""What every tool operation returns and the settings it runs with (no client code here).

``Outcome`` is the framework-neutral result (the text for the model, the moments as
``Record``s, extra facts); ``ToolOptions`` carries an adapter's per-tool settings. Both sit
below the operations and the media helpers, so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations._tools.keyframes import KeyframeCache
from memories_integrations._tools.paths import CWD, AllowedDirs

__all__ = [
    "DEFAULT_MAX_CHARS",
    "DEFAULT_MAX_WAIT",
    "Outcome",
    "Record",
    "ToolOptions",
]

# Every front end's defaults (LangChain, LlamaIndex, MCP): one place, so they cannot drift.
DEFAULT_MAX_CHARS = 4000
"""Characters of tool text a model reads at most."""
DEFAULT_MAX_WAIT = 300.0
"""Seconds an upload tool waits for encoding when asked to wait."""


@dataclass(frozen=True)
class Record:
    """One structured moment: a stable id, its text and ``moment_metadata``-style metadata."""

    id: str
    text: str
    metadata: dict[str, Any]


@dataclass
class Outcome:
    """A tool's result: ``text`` for the model, ``records`` (moments) and ``extra`` data."""

    text: str
    records: list[Record] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    records_key: str | None = None
    """Set when the structured result is ``extra`` with the records under this key (chat:
    ``references``, transcript: ``segments``), not the bare records."""


@dataclass(frozen=True)
class ToolOptions:
    """Per-tool settings an adapter passes in (its fields / constructor arguments)."""

    unique_id: str | None = None
    """Namespace sent with each request (None: the client's)."""
    namespace: str = "default"
    """Namespace written into ids and links (the resolved ``unique_id``)."""
    max_chars: int = DEFAULT_MAX_CHARS
    score_threshold: float | None = None
    allowed_dirs: AllowedDirs = (CWD,)
    max_wait_seconds: float = DEFAULT_MAX_WAIT
    poll_interval: float = 2.0
    include_keyframes: int = 0
    """Keyframe images of the best N hits when the call does not say (search only)."""
    keyframe_cache: KeyframeCache | None = None
    """Where keyframes are kept (None: ``keyframes.default_cache()``)."""
    current_label: str = "used by these tools"
    """How the namespace list marks ``namespace`` (an MCP server says "this server")."""
    open_local_file: Callable[[str], IO[bytes]] | None = None
    """Checks an upload's local path and opens it once (None: ``paths.open_upload_path`` with
    ``allowed_dirs``); the file is uploaded from that descriptor, then closed."""
    on_progress: Callable[[WaitProgress], None] | None = None
    """Told of each status check while an upload waits for encoding."""
    upload_progress: Callable[[int, int], None] | None = None
    """Told (bytes sent, total bytes) while a local file uploads (a URL import sends none)."""
