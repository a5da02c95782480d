"""The human-approval preset for LangChain 1.x agents: ``HumanInTheLoopMiddleware`` pausing
before the destructive and spending tools (``memories_delete_videos``,
``memories_upload_video``, ``memories_chat_with_videos``).

``HumanInTheLoopMiddleware`` lives in the ``langchain`` package (1.x), not in
``langchain-core``: ``pip install "langchain>=1"``. The agent needs a checkpointer; the run stops
with an interrupt listing the gated calls and goes on with
``Command(resume={"decisions": [...]})``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from memories_integrations._tools import registry
from memories_integrations._tools.approval import approval_reason

if TYPE_CHECKING:
    from langchain.agents.middleware import HumanInTheLoopMiddleware

__all__ = ["approval_interrupt_on", "approval_middleware"]

Decision = Literal["approve", "edit", "reject", "respond"]


def approval_interrupt_on(
    tools: Sequence[str] = registry.NEEDS_APPROVAL,
    allowed_decisions: Sequence[Decision] = ("approve", "reject"),
) -> dict[str, Any]:
    """The ``interrupt_on`` table of the preset: each gated tool, the decisions a reviewer may
    take, and why it is gated (shown to the reviewer)."""
    return {
        name: {
            "allowed_decisions": list(allowed_decisions),
            "description": f"Approval needed: {approval_reason(name)}",
        }
        for name in tools
    }


def approval_middleware(
    tools: Sequence[str] = registry.NEEDS_APPROVAL,
    allowed_decisions: Sequence[Decision] = ("approve", "reject"),
    **kwargs: Any,
) -> HumanInTheLoopMiddleware:
    """``HumanInTheLoopMiddleware`` gating ``tools`` (default: delete, upload, chat).

    Example:
        .. code-block:: python

            from langchain.agents import create_agent
            from langgraph.checkpoint.memory import InMemorySaver
            from langgraph.types import Command

            agent = create_agent(model, MemoriesToolkit(allow_delete=True).get_tools(),
                                 middleware=[approval_middleware()],
                                 checkpointer=InMemorySaver())
            config = {"configurable": {"thread_id": "1"}}
            agent.invoke({"messages": [("user", "Delete VI123")]}, config)  # pauses
            agent.invoke(Command(resume={"decisions": [{"type": "approve"}]}), config)

    ``kwargs`` go to the middleware (``description_prefix``, ``interrupt_mode``...).
    """
    try:
        from langchain.agents.middleware import HumanInTheLoopMiddleware
    except ImportError as exc:  # langchain-core alone has no agent middleware
        raise ImportError(
            'approval_middleware needs LangChain 1.x: pip install "langchain>=1"'
        ) from exc
    unknown = sorted(set(tools) - set(registry.OPERATIONS))
    if unknown:
        from memories_integrations import errors

        raise errors.InvalidInputError(
            f"unknown tool(s) {', '.join(unknown)}; tools are: {', '.join(registry.OPERATIONS)}",
            param="tools",
        )
    return HumanInTheLoopMiddleware(approval_interrupt_on(tools, allowed_decisions), **kwargs)
