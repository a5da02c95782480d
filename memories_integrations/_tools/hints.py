"""What an agent should do about each failure kind: one table for every adapter.

The exception message alone rarely says whether to retry, fix the arguments or stop; the hint
does. Texts name the shared tool names (``memories_list_videos``...), which every adapter uses.
"""

from __future__ import annotations

from memories_integrations import errors as e

__all__ = ["HINTS", "error_text", "hint_for"]

#: First matching class wins: subclasses come before their bases.
HINTS: tuple[tuple[type[e.MemoriesError], str], ...] = (
    (
        e.NotFoundError,
        "Check the id: video numbers look like 'VI...' and come from search results or "
        "memories_list_videos (an upload/import task id is not a video_no).",
    ),
    (e.InvalidInputError, "Fix the arguments and try again."),
    (e.InvalidRequestError, "The API rejected the arguments; fix them and try again."),
    (e.MissingAPIKeyError, "No memories.ai API key is configured; a person has to set one."),
    (
        e.TokenStoreError,
        "The stored OAuth2 tokens cannot be read; a person has to fix or remove the token file.",
    ),
    (
        e.AuthenticationError,
        "The memories.ai API key is missing or invalid; a person has to fix it.",
    ),
    (
        e.InsufficientCreditsError,
        "The memories.ai account is out of credits; a person must top up.",
    ),
    (e.PermissionDeniedError, "This action is not allowed here; do not retry it."),
    (e.RateLimitError, "Too many requests: wait a little, then retry once."),
    (e.ConflictError, "Already done (e.g. the video was deleted before)."),
    (e.ProcessingError, "The video failed to encode; it cannot be searched."),
    (e.WaitTimeoutError, "Still processing: check memories_video_status later, do not redo it."),
    (e.APIConnectionError, "memories.ai could not be reached; retry later."),
    (e.ServerError, "memories.ai had a server error; retry once later."),
)


def hint_for(exc: e.MemoriesError) -> str:
    """The recovery hint of ``exc`` ("" when none applies)."""
    return next((hint for cls, hint in HINTS if isinstance(exc, cls)), "")


def error_text(exc: e.MemoriesError, *, url: str | None = None) -> str:
    """A readable tool result for the model: what failed (and the ``url`` tried, if given)
    and what to do next. Never a key (error messages never hold one: the client scrubs them)."""
    code = f" (code {exc.code})" if exc.code else ""
    message = exc.message.rstrip(".")
    tried = f" (tried {url})" if url else ""
    return f"memories.ai error{code}: {message}{tried}. {hint_for(exc)}".strip()
