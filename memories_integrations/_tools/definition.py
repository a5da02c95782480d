"""How one tool operation is declared: ``@operation(...)`` over its ``run`` function.

Each operation is declared once, in ``_tools/_async/operations.py``: its argument model,
result model, description for the model, annotations and an async ``run``.
``scripts/unasync.py`` turns that module into ``_tools/_sync/operations.py`` (the same
declarations over sync ``run``s), and ``registry`` pairs the two into one ``Operation`` per
tool name, which the LangChain tools, the LlamaIndex tool spec and the MCP server are built
from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from memories_integrations._tools.arguments import ToolArgs
from memories_integrations._tools.outcome import Outcome

__all__ = ["Annotations", "Declared", "Shape", "operation"]

Run = TypeVar("Run", bound=Callable[..., Any])
Shape = Callable[[Any, Outcome], dict[str, Any]]
"""Builds an operation's structured result (``result`` model data) from its arguments and
``Outcome``."""


@dataclass(frozen=True)
class Annotations:
    """What a tool does to the library (MCP tool annotations, approval presets)."""

    read_only: bool
    destructive: bool = False
    idempotent: bool = True
    """Calling again with the same arguments changes nothing more."""
    spends: bool = False
    """Costs credits each call (encoding, a chat answer)."""

    @property
    def needs_approval(self) -> bool:
        """The human-approval preset: destructive and spending tools."""
        return self.destructive or self.spends


READ = Annotations(read_only=True)


@dataclass(frozen=True)
class Declared(Generic[Run]):
    """One declaration: the facts of the operation and its ``run`` (sync or async)."""

    name: str
    title: str
    description: str
    """What the model reads to choose the tool and its arguments."""
    args: type[ToolArgs]
    result: type[BaseModel]
    shape: Shape
    annotations: Annotations
    run: Run


def _extra(a: Any, outcome: Outcome) -> dict[str, Any]:
    return outcome.extra


def operation(
    name: str,
    *,
    title: str,
    description: str,
    args: type[ToolArgs],
    result: type[BaseModel],
    annotations: Annotations = READ,
    shape: Shape = _extra,
) -> Callable[[Run], Declared[Run]]:
    """Declare ``run`` as operation ``name`` (``shape``: its structured result, by default
    the outcome's ``extra``)."""

    def declare(run: Run) -> Declared[Run]:
        return Declared(name, title, description, args, result, shape, annotations, run)

    return declare
