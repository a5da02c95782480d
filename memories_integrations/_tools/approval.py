"""Human approval before the destructive and spending tools run (``registry.NEEDS_APPROVAL``).

Frameworks with their own mechanism use it (LangChain 1.x ``HumanInTheLoopMiddleware``: see
``memories_integrations.langchain.approval_middleware``); elsewhere (LlamaIndex, scripts) an
adapter asks an ``Approver`` callback with the tool's name and arguments before any request.
A refusal is a ``PermissionDeniedError`` whose hint tells the model not to retry.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any

from memories_integrations import errors
from memories_integrations._tools import registry

__all__ = ["APPROVAL_REASONS", "Approver", "aapprove", "approval_reason", "approve"]

#: Told to the person asked: why this tool needs a yes.
APPROVAL_REASONS: dict[str, str] = {
    "memories_delete_videos": "permanently deletes videos from the library",
    "memories_upload_video": "uploads a local file or URL and spends encoding credits",
    "memories_chat_with_videos": "spends chat credits",
}

#: Asked before a gated tool runs: ``(tool name, arguments)`` -> True to let it run. May be a
#: coroutine function on async paths (e.g. one that waits for a person's answer).
Approver = Callable[[str, Mapping[str, Any]], bool | Awaitable[bool]]
Args = Mapping[str, Any]
Gated = Collection[str]
GATED: Gated = registry.NEEDS_APPROVAL


def approval_reason(name: str) -> str:
    return f"{name} {APPROVAL_REASONS.get(name, 'needs approval')}"


def _ask(approver: Approver | None, name: str, args: Args, gated: Gated) -> object:
    """The approver's answer, or True when the call is not gated (or no approver is set)."""
    return True if approver is None or name not in gated else approver(name, dict(args))


def _settle(name: str, answer: object) -> None:
    # Only a real True approves: a truthy "no" from a sloppy UI must not delete anything.
    if answer is not True:
        raise errors.PermissionDeniedError(
            f"a person did not approve {name} ({APPROVAL_REASONS.get(name, 'gated tool')}); "
            "nothing was done"
        )


def approve(approver: Approver | None, name: str, args: Args, gated: Gated = GATED) -> None:
    """Ask ``approver`` about a gated call (sync paths); raise unless it says yes."""
    answer = _ask(approver, name, args, gated)
    if inspect.isawaitable(answer):
        close = getattr(answer, "close", None)
        if close is not None:
            close()  # never awaited here: close it so Python does not warn
        raise errors.InvalidInputError(
            "an async approver needs the async path (acall / arun / an async agent)",
            param="approver",
        )
    _settle(name, answer)


async def aapprove(approver: Approver | None, name: str, args: Args, gated: Gated = GATED) -> None:
    """Ask ``approver`` (sync or async) about a gated call; raise unless it says yes."""
    answer = _ask(approver, name, args, gated)
    _settle(name, await answer if inspect.isawaitable(answer) else answer)
