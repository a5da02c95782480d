"""The MCP prompts: the common tasks, as messages that tell the model which tools to use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mcp import types

from memories_integrations import errors as e

__all__ = ["PROMPTS", "get_prompt"]


@dataclass(frozen=True)
class _Prompt:
    prompt: types.Prompt
    text: Callable[[Mapping[str, str]], str]


def _arg(name: str, description: str, required: bool = True) -> types.PromptArgument:
    return types.PromptArgument(name=name, description=description, required=required)


def _find(a: Mapping[str, str]) -> str:
    return (
        f"Find the moment in my video library where: {a['description']}. Use memories_search "
        "(try BY_AUDIO too if it is about what is said). Answer with the video_no and the time "
        "range of each match; if nothing matches, say so instead of guessing."
    )


def _summarise(a: Mapping[str, str]) -> str:
    return (
        f"Summarise video {a['video_no']}. Use memories_summarize_video (CHAPTER) and, if "
        "needed, memories_get_transcript. Give a short overview, then the chapters with their "
        "start times."
    )


def _answer(a: Mapping[str, str]) -> str:
    scope = f" in videos {a['video_nos']}" if a.get("video_nos") else ""
    return (
        f"Answer this question from my videos{scope}: {a['question']}. Search the moments "
        "first (memories_search), read transcripts where needed, and cite every fact as "
        "video_no @ start-end from the tool results. Do not cite times the tools did not return."
    )


PROMPTS: dict[str, _Prompt] = {
    p.prompt.name: p
    for p in (
        _Prompt(
            types.Prompt(
                name="find_moment",
                title="Find a moment",
                description="Find when something happens in the video library.",
                arguments=[_arg("description", "What happens, in plain English.")],
            ),
            _find,
        ),
        _Prompt(
            types.Prompt(
                name="summarize_video",
                title="Summarise a video",
                description="A chaptered summary of one video.",
                arguments=[_arg("video_no", "The video number, like 'VI...'.")],
            ),
            _summarise,
        ),
        _Prompt(
            types.Prompt(
                name="answer_with_moments",
                title="Answer with cited moments",
                description="Answer a question from the videos, citing each moment used.",
                arguments=[
                    _arg("question", "The question to answer."),
                    _arg("video_nos", "Only these videos (comma-separated).", required=False),
                ],
            ),
            _answer,
        ),
    )
}


def get_prompt(name: str, arguments: Mapping[str, str] | None) -> types.GetPromptResult:
    """The prompt ``name`` filled in; a missing required argument is an InvalidInputError."""
    found = PROMPTS.get(name)
    if found is None:
        raise e.InvalidInputError(
            f"unknown prompt {name!r}; prompts: {', '.join(PROMPTS)}", param="name"
        )
    given = {k: v.strip() for k, v in (arguments or {}).items() if v and v.strip()}
    for arg in found.prompt.arguments or []:
        if arg.required and arg.name not in given:
            raise e.InvalidInputError(f"prompt {name} needs {arg.name}", param=arg.name)
    message = types.PromptMessage(
        role="user", content=types.TextContent(type="text", text=found.text(given))
    )
    return types.GetPromptResult(description=found.prompt.description, messages=[message])
