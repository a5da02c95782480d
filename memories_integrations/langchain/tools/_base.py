"""Base class of every memories.ai tool: credentials, error translation, output limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from langchain_core._api import warn_deprecated
from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.documents import Document
from langchain_core.tools import BaseTool, ToolException
from langchain_core.tools.base import ToolExceptionHandlerOutput
from pydantic import BaseModel, Field, ValidationError, model_validator

from memories_integrations import errors as e
from memories_integrations._tools.arguments import input_error, legacy_names
from memories_integrations._tools.hints import error_text
from memories_integrations._tools.outcome import DEFAULT_MAX_CHARS, Outcome, Record, ToolOptions
from memories_integrations._tools.paths import CWD
from memories_integrations._tools.registry import operation_for
from memories_integrations.langchain._clients import MemoriesClientMixin
from memories_integrations.langchain._events import (
    AsyncEvents,
    Events,
    ProgressEvents,
    tool_run_config,
)

__all__ = ["CWD", "MemoriesBaseTool", "to_documents", "to_tool_exception"]

#: The release in which the older argument names (``k``, ``source``, ...) became aliases.
ALIASES_DEPRECATED_SINCE = "0.1.0"


def to_tool_exception(exc: e.MemoriesError) -> ToolException:
    """A readable message for the model: what failed and what to do next. Never a key."""
    return ToolException(error_text(exc))


class MemoriesBaseTool(MemoriesClientMixin, BaseTool):
    """Runs its registry operation (``_tools.registry``) with the right client; API errors
    become ToolException with a recovery hint."""

    # Filled from the operation before validation (see _defaults_from_operation); the empty
    # defaults only tell type checkers a tool is built without them.
    name: str = ""
    description: str = ""
    handle_tool_error: bool | str | Callable[[ToolException], ToolExceptionHandlerOutput] | None = (
        True
    )
    """Errors are shown to the model as the tool result (so it can recover) by default."""
    max_output_chars: int = Field(default=DEFAULT_MAX_CHARS, ge=200)
    """Text for the model longer than this is cut, with a note saying so."""

    _operation: ClassVar[str]
    """The registry operation this tool runs; its name, description and argument model are
    the tool's (a caller may still rename or re-describe one tool)."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "_operation" in cls.__dict__:
            operation_for(cls._operation)  # a name the registry lacks fails at import

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_operation(cls, data: Any) -> Any:
        name = getattr(cls, "_operation", None)
        if name is None or not isinstance(data, dict):
            return data  # a subclass without an operation states its own fields
        op = operation_for(name)
        return {"name": op.name, "description": op.description, "args_schema": op.args, **data}

    def _parse_input(
        self, tool_input: str | dict[str, Any], tool_call_id: str | None
    ) -> str | dict[str, Any]:
        # Schema errors read like every other bad input: a ToolException with a hint (shown to
        # the model by handle_tool_error), caused by an InvalidInputError.
        if isinstance(tool_input, dict):
            self._warn_legacy_names(tool_input)
        try:
            return super()._parse_input(tool_input, tool_call_id)
        except ValidationError as exc:
            given = self.args_schema
            schema = (
                given if isinstance(given, type) and issubclass(given, BaseModel) else BaseModel
            )
            error = input_error(schema, exc)
            raise to_tool_exception(error) from error

    def _warn_legacy_names(self, tool_input: dict[str, Any]) -> None:
        """An older argument name still works, with LangChain's deprecation warning."""
        schema = self.args_schema
        if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
            return
        for old, new in legacy_names(schema, tool_input).items():
            warn_deprecated(
                ALIASES_DEPRECATED_SINCE,
                message=f"The argument `{old}` of the tool `{self.name}` was deprecated in "
                f"memories-integrations {ALIASES_DEPRECATED_SINCE}. Use `{new}` instead.",
            )

    def _options(self) -> ToolOptions:
        return ToolOptions(
            unique_id=self.unique_id,
            namespace=self._clients().unique_id,
            max_chars=self.max_output_chars,
        )

    def _with_events(self, options: ToolOptions, events: ProgressEvents) -> ToolOptions:
        """``options`` with the hooks of this tool's long waits reporting to ``events``
        (custom events of the tool's run); a tool without long waits keeps them as they are."""
        return options

    def _present(self, outcome: Outcome) -> Any:
        """What the tool returns (text, or text and artifact for content_and_artifact)."""
        return outcome.text

    def _run(self, run_manager: CallbackManagerForToolRun | None = None, **kwargs: Any) -> Any:
        options = self._options()
        if (config := tool_run_config(run_manager)) is not None:
            options = self._with_events(options, Events(config))
        try:
            client = self._clients().sync()
            outcome = operation_for(self._operation).run(client, kwargs, options)
            return self._present(outcome)
        except e.MemoriesError as exc:
            raise to_tool_exception(exc) from exc

    async def _arun(
        self, run_manager: AsyncCallbackManagerForToolRun | None = None, **kwargs: Any
    ) -> Any:
        options, events = self._options(), None
        if (config := tool_run_config(run_manager)) is not None:
            events = AsyncEvents(config)
            options = self._with_events(options, events)
        try:
            client = self._clients().async_()
            operation = operation_for(self._operation)
            outcome = await operation.arun(client, kwargs, options)
            return self._present(outcome)
        except e.MemoriesError as exc:
            raise to_tool_exception(exc) from exc
        finally:
            if events is not None:
                await events.flush()


def to_documents(records: list[Record]) -> list[Document]:
    return [Document(id=r.id, page_content=r.text, metadata=dict(r.metadata)) for r in records]
