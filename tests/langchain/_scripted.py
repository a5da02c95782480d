"""A scripted chat model for agent tests: each turn is a function of the conversation so far,
so a later turn can use what an earlier tool returned (like a real model would)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

Turn = Callable[[list[BaseMessage]], AIMessage]


class ScriptedChatModel(BaseChatModel):
    turns: list[Turn]
    bound_tools: list[str] = Field(default_factory=list)
    calls: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        # Remember what the agent offered; the script decides which tool to call.
        self.bound_tools = [getattr(t, "name", str(t)) for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.calls >= len(self.turns):
            raise AssertionError("the agent asked the model for more turns than scripted")
        message = self.turns[self.calls](messages)
        self.calls += 1
        return ChatResult(generations=[ChatGeneration(message=message)])
