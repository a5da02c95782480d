"""One ``Operation`` per tool name: the declaration, with its sync and async ``run``.

``_async/operations.py`` declares each operation once; its generated twin
``_sync/operations.py`` gives the sync ``run``. The LangChain tools, the LlamaIndex tool spec
and the MCP server read everything they show a model (name, title, description, argument
schema, result schema, annotations) from ``OPERATIONS`` and run ``run`` / ``arun``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from memories_integrations import _secrets, errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools._async import operations as async_ops
from memories_integrations._tools._sync import operations as sync_ops
from memories_integrations._tools.arguments import ToolArgs, parse_args
from memories_integrations._tools.definition import Annotations, Shape
from memories_integrations._tools.outcome import Outcome, Record, ToolOptions
from memories_integrations._tools.results import dump

__all__ = [
    "DESTRUCTIVE",
    "NEEDS_APPROVAL",
    "OPERATIONS",
    "READ_ONLY",
    "SPENDING",
    "WRITE",
    "Operation",
    "arun_tool",
    "operation_for",
    "run_tool",
]


def _scrubbed(outcome: Outcome) -> Outcome:
    """What a tool returns (the text a model reads, the records and extra data the frameworks
    pass on as artifacts) never holds a registered key, even one the server echoed."""
    return dataclasses.replace(
        outcome,
        text=_secrets.scrub(outcome.text),
        records=[
            Record(r.id, _secrets.scrub(r.text), _secrets.scrub_data(r.metadata))
            for r in outcome.records
        ],
        extra=_secrets.scrub_data(outcome.extra),
    )


SyncRun = Callable[[MemoriesClient, Any, ToolOptions], Outcome]
AsyncRun = Callable[[AsyncMemoriesClient, Any, ToolOptions], Awaitable[Outcome]]


@dataclass(frozen=True)
class Operation:
    """A tool operation as every front end sees it."""

    name: str
    title: str
    description: str
    args: type[ToolArgs]
    result: type[BaseModel]
    annotations: Annotations
    shape: Shape
    run_sync: SyncRun
    run_async: AsyncRun

    def parse(self, raw: Mapping[str, Any] | ToolArgs) -> ToolArgs:
        """Agent input checked (``InvalidInputError`` before any network call)."""
        if isinstance(raw, ToolArgs) and issubclass(self.args, type(raw)):
            return raw  # already parsed, maybe by a base model (an MCP search has no keyframes)
        return parse_args(self.args, raw)

    def run(
        self, client: MemoriesClient, raw: Mapping[str, Any] | ToolArgs, options: ToolOptions
    ) -> Outcome:
        return _scrubbed(self.run_sync(client, self.parse(raw), options))

    async def arun(
        self,
        client: AsyncMemoriesClient,
        raw: Mapping[str, Any] | ToolArgs,
        options: ToolOptions,
    ) -> Outcome:
        return _scrubbed(await self.run_async(client, self.parse(raw), options))

    def structured(self, args: ToolArgs, outcome: Outcome) -> dict[str, Any]:
        """The structured result, checked against ``result`` (an MCP ``structuredContent``)."""
        return dump(self.result, self.shape(args, outcome))

    def output_schema(self) -> dict[str, Any]:
        return self.result.model_json_schema()


def _pair() -> dict[str, Operation]:
    syncs = {d.name: d for d in sync_ops.DECLARED}
    out = {}
    for d in async_ops.DECLARED:
        twin = syncs[d.name]
        out[d.name] = Operation(
            d.name, d.title, d.description, d.args, d.result, d.annotations,
            d.shape, twin.run, d.run,
        )  # fmt: skip
    return out


OPERATIONS: dict[str, Operation] = _pair()
"""Tool name -> operation, in the order the tools are offered."""


def _named(keep: Callable[[Annotations], bool]) -> tuple[str, ...]:
    return tuple(name for name, op in OPERATIONS.items() if keep(op.annotations))


# Tool groups, read from the annotations (the toolkits' allow_* switches, approval presets).
READ_ONLY = _named(lambda a: a.read_only)
WRITE = _named(lambda a: not a.read_only and not a.destructive)
DESTRUCTIVE = _named(lambda a: a.destructive)
#: Tools that cost credits each call (encoding an upload, a chat answer).
SPENDING = _named(lambda a: a.spends)
#: The human-approval preset: destructive and spending tools, the heaviest first (deleting, then
#: writing, then reading).
NEEDS_APPROVAL = tuple(
    sorted(
        _named(lambda a: a.needs_approval),
        key=lambda name: (
            not OPERATIONS[name].annotations.destructive,
            OPERATIONS[name].annotations.read_only,
        ),
    )
)


def operation_for(name: str) -> Operation:
    op = OPERATIONS.get(name)
    if op is None:
        raise errors.InvalidInputError(
            f"unknown tool {name!r}; tools are: {', '.join(OPERATIONS)}", param="name"
        )
    return op


def run_tool(
    client: MemoriesClient, name: str, raw: Mapping[str, Any] | ToolArgs, options: ToolOptions
) -> Outcome:
    """Run tool ``name`` synchronously (input checked before any network call)."""
    return operation_for(name).run(client, raw, options)


async def arun_tool(
    client: AsyncMemoriesClient,
    name: str,
    raw: Mapping[str, Any] | ToolArgs,
    options: ToolOptions,
) -> Outcome:
    """Run tool ``name`` natively async (input checked before any network call)."""
    return await operation_for(name).arun(client, raw, options)
