"""Base class of every memories.ai tool: credentials, error translation, output limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.tools import BaseTool, ToolException
from langchain_core.tools.base import ToolExceptionHandlerOutput
from pydantic import Field

from ... import errors as e
from ..._async_client import AsyncMemoriesClient
from ..._client import MemoriesClient
from .._clients import MemoriesClientMixin
from .._documents import truncate

__all__ = ["MemoriesBaseTool", "to_tool_exception"]

# What an agent should do about each failure kind (the message alone rarely says).
_HINTS: tuple[tuple[type[e.MemoriesError], str], ...] = (
    (
        e.NotFoundError,
        "Check the id: video numbers look like 'VI...' and come from search results or "
        "memories_list_videos (an upload/import task id is not a video_no).",
    ),
    (e.InvalidInputError, "Fix the arguments and try again."),
    (e.InvalidRequestError, "The API rejected the arguments; fix them and try again."),
    (
        e.AuthenticationError,
        "The memories.ai API key is missing or invalid; a person has to fix it.",
    ),
    (e.InsufficientCreditsError, "The memories.ai account is out of credits."),
    (e.PermissionDeniedError, "This API key is not allowed to do that."),
    (e.RateLimitError, "Too many requests: wait a little, then retry once."),
    (e.ConflictError, "Already done (e.g. the video was deleted before)."),
    (e.ProcessingError, "The video failed to encode; it cannot be searched."),
    (e.APIConnectionError, "memories.ai could not be reached; retry later."),
)


def to_tool_exception(exc: e.MemoriesError) -> ToolException:
    """A readable message for the model: what failed and what to do next. Never a key."""
    hint = next((h for cls, h in _HINTS if isinstance(exc, cls)), "")
    code = f" (code {exc.code})" if exc.code else ""
    return ToolException(f"memories.ai error{code}: {exc.message}. {hint}".strip())


class MemoriesBaseTool(MemoriesClientMixin, BaseTool):
    """Runs ``_call`` / ``_acall`` with the right client; API errors become ToolException."""

    handle_tool_error: bool | str | Callable[[ToolException], ToolExceptionHandlerOutput] | None = (
        True
    )
    """Errors are shown to the model as the tool result (so it can recover) by default."""
    max_output_chars: int = Field(default=4000, ge=200)
    """Text for the model longer than this is cut, with a note saying so."""

    def _call(self, client: MemoriesClient, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def _acall(self, client: AsyncMemoriesClient, **kwargs: Any) -> Any:
        raise NotImplementedError

    def _run(self, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any) -> Any:
        try:
            return self._call(self._clients().sync(), **kwargs)
        except e.MemoriesError as exc:
            raise to_tool_exception(exc) from exc

    async def _arun(
        self, run_manager: AsyncCallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> Any:
        try:
            return await self._acall(self._clients().async_(), **kwargs)
        except e.MemoriesError as exc:
            raise to_tool_exception(exc) from exc

    def _cut(self, text: str) -> str:
        return truncate(text, self.max_output_chars)
