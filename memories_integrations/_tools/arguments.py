"""Framework-neutral argument models of the memories.ai agent tools, one per tool.

The LangChain tools, the LlamaIndex tool spec (and any other front end, e.g. an MCP server) use
these models as their schema, so every framework shows a model the same enums, bounds and
descriptions. Agents send sloppy input: a string where a list is expected, "5" for 5, "by_clip"
for "BY_CLIP"; the validators here accept those and turn anything else into a clear error that
lists the allowed values (``parse_args`` raises it as ``errors.InvalidInputError``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar, get_args, get_origin

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic import model_validator as _model_validator
from typing_extensions import Self

from memories_integrations import errors
from memories_integrations._endpoints.validation import MAX_VIDEO_NOS
from memories_integrations._tools.ranges import parse_time

__all__ = [
    "ARGUMENT_MODELS",
    "ChatArgs",
    "DeleteVideosArgs",
    "ListNamespacesArgs",
    "ListVideosArgs",
    "SearchArgs",
    "SearchToolArgs",
    "SearchType",
    "SummarizeArgs",
    "SummaryType",
    "ToolArgs",
    "TranscriptArgs",
    "TranscriptTrack",
    "UploadArgs",
    "VideoStatus",
    "VideoStatusArgs",
    "as_list",
    "input_error",
    "legacy_names",
    "parse_args",
]

SearchType = Literal["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE"]
TranscriptTrack = Literal["audio", "visual", "both"]
SummaryType = Literal["CHAPTER", "TOPIC"]
VideoStatus = Literal["UNPARSE", "PARSE", "PARSE_ERROR"]

_VIDEO_NO = "The video number, like 'VI...' (from search results or memories_list_videos)."
_VIDEO_NOS = "Video numbers like 'VI...' (a list; one number alone is also accepted)."


def as_list(value: Any) -> Any:
    """A string where a list is expected: a JSON list ('["VI1","VI2"]'), comma-separated
    numbers ("VI1, VI2") or one item ("VI1"). Never the string's characters."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list):
            return parsed
    return [part.strip() for part in text.split(",") if part.strip()]


class _ChoiceError(ValueError):
    """An unknown enum value (keeps the field's name for the error's ``param``)."""

    def __init__(self, field: str, allowed: Sequence[str], value: object) -> None:
        self.field = field
        super().__init__(f"{field} must be one of {', '.join(allowed)}; got {value!r}")


def _choice(value: Any, allowed: Sequence[str], field: str) -> Any:
    """Case-insensitive match of an enum value; unknown values name every allowed one."""
    if value is None or not isinstance(value, str):
        return value
    for option in allowed:
        if value.strip().lower() == option.lower():
            return option
    raise _ChoiceError(field, allowed, value)


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list or any(_is_list(a) for a in get_args(annotation))


def _literal_options(annotation: Any) -> tuple[str, ...]:
    """The allowed strings of a ``Literal[...]`` (or ``Literal[...] | None``) annotation."""
    args = get_args(annotation)
    if args and all(isinstance(a, str) for a in args):
        return tuple(args)
    for arg in args:
        options = _literal_options(arg)
        if options:
            return options
    return ()


class ToolArgs(BaseModel):
    """Base of the argument models: lax coercion of agent input, aliases for older names."""

    # Agents sometimes add keys of their own; ignoring them beats failing the whole call.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    @_model_validator(mode="before")
    @classmethod
    def _coerce(cls, data: Any) -> Any:
        # Literal fields: case-insensitive match, and an error naming the allowed values
        # (pydantic's own message hides them behind "literal_error"). List fields: one string
        # becomes a list (never its characters). Numbers in strings ("5") pydantic handles.
        if not isinstance(data, Mapping):
            return data
        out = dict(data)
        for name, field in cls.model_fields.items():
            keys = [name]
            if isinstance(field.validation_alias, AliasChoices):
                keys = [str(k) for k in field.validation_alias.choices]
            options = _literal_options(field.annotation)
            for key in (k for k in keys if k in out):
                if options:
                    out[key] = _choice(out[key], options, name)
                elif _is_list(field.annotation):
                    out[key] = as_list(out[key])
        return out


M = TypeVar("M", bound=ToolArgs)


def legacy_names(model: type[BaseModel], raw: Mapping[str, Any]) -> dict[str, str]:
    """The older argument names ``raw`` uses, each with its current name (``{"k": "top_k"}``):
    an adapter warns about them the way its framework does."""
    found: dict[str, str] = {}
    for name, field in model.model_fields.items():
        if isinstance(field.validation_alias, AliasChoices):
            for key in field.validation_alias.choices:
                if isinstance(key, str) and key != name and key in raw:
                    found[key] = name
    return found


def parse_args(model: type[M], raw: Mapping[str, Any] | M) -> M:
    """Validate agent input; any problem becomes one ``InvalidInputError`` naming each field."""
    if isinstance(raw, model):
        return raw
    try:
        return model.model_validate(dict(raw))
    except ValidationError as exc:
        raise input_error(model, exc) from None


def input_error(model: type[BaseModel], exc: ValidationError) -> errors.InvalidInputError:
    """One readable ``InvalidInputError`` for a failed validation of ``model``."""
    problems, params = [], []
    for err in exc.errors():
        cause = (err.get("ctx") or {}).get("error")
        field = cause.field if isinstance(cause, _ChoiceError) else None
        loc = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        problems.append(f"{loc}: {message}" if loc else message)
        params.append(field or (str(err["loc"][0]) if err["loc"] else None))
    return errors.InvalidInputError(
        f"invalid {model.__name__} arguments: " + "; ".join(problems), param=params[0]
    )


# ---------------------------------------------------------------------------------- models
class SearchArgs(ToolArgs):
    # No min_length on texts: the client's check says "must be a non-empty string" (and
    # rejects whitespace, which a length bound would let through).
    query: str = Field(
        description="What to look for, in plain English, e.g. 'someone chops onions' or "
        "'the speaker announces the price'.",
    )
    search_type: SearchType = Field(
        default="BY_CLIP",
        description="BY_CLIP: visual moments (default). BY_AUDIO: what is said. BY_CAPTION: "
        "caption text. BY_VIDEO: whole videos. BY_IMAGE: the uploaded image library.",
    )
    # "k" is the LangChain tool's earlier name, kept as an alias.
    top_k: int = Field(
        default=5,
        ge=1,
        le=50,
        validation_alias=AliasChoices("top_k", "k"),
        description="How many moments to return (1-50).",
    )
    video_nos: list[str] | None = Field(
        default=None,
        max_length=MAX_VIDEO_NOS,
        description="Only search these videos. " + _VIDEO_NOS,
    )
    tag: str | None = Field(default=None, description="Only search videos with this tag.")


class SearchToolArgs(SearchArgs):
    """The LangChain / LlamaIndex search tool's arguments: ``SearchArgs`` plus keyframes (the
    MCP server's search has no image output, so it keeps ``SearchArgs``)."""

    # None: the tool's own setting (its include_keyframes field, default 0).
    include_keyframes: int | None = Field(
        default=None,
        ge=0,
        le=10,
        description="Also return the keyframe image of the best N moments (0-10), to look "
        "at what is shown. Default: none.",
    )


class VideoStatusArgs(ToolArgs):
    video_no: str = Field(description=_VIDEO_NO)


class ListVideosArgs(ToolArgs):
    page: int = Field(default=1, ge=1, description="Page number, from 1.")
    size: int = Field(default=20, ge=1, le=100, description="Videos per page (1-100).")
    status: VideoStatus | None = Field(
        default=None,
        description="Only videos with this status: PARSE (encoded, searchable), UNPARSE "
        "(still encoding) or PARSE_ERROR (failed).",
    )
    # "name_contains" is the LlamaIndex tool's earlier name, kept as an alias.
    video_name: str | None = Field(
        default=None,
        validation_alias=AliasChoices("video_name", "name_contains"),
        description="Only videos with this name.",
    )


class TranscriptArgs(ToolArgs):
    video_no: str = Field(description=_VIDEO_NO)
    # "source" is the LangChain tool's earlier name, kept as an alias.
    track: TranscriptTrack = Field(
        default="audio",
        validation_alias=AliasChoices("track", "source"),
        description="audio: what is said (speech to text). visual: descriptions of what is "
        "shown. both: the two merged by time.",
    )
    start: float | None = Field(
        default=None,
        description="Only the part from this time on: seconds (72) or 'HH:MM:SS' / 'MM:SS' "
        "('00:01:12'). Use the next_start a cut-off transcript gave to read on.",
    )
    end: float | None = Field(
        default=None,
        description="Only the part before this time: seconds or 'HH:MM:SS' / 'MM:SS'.",
    )
    max_chars: int | None = Field(
        default=None,
        ge=200,
        description="Longest text to return; the transcript stops at a whole segment and "
        "says where to continue (next_start). Default: the tool's limit.",
    )

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: Any, info: ValidationInfo) -> float | None:
        # Agents send times the way they read them ("01:12"): seconds before validation.
        return parse_time(value, info.field_name or "time")

    @_model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError(f"end ({self.end:g} s) must be after start ({self.start:g} s)")
        return self


class SummarizeArgs(ToolArgs):
    video_no: str = Field(description=_VIDEO_NO)
    summary_type: SummaryType = Field(
        default="CHAPTER",
        description="CHAPTER: scene-by-scene chapters with times. TOPIC: the main topics.",
    )


class ChatArgs(ToolArgs):
    video_nos: list[str] = Field(
        min_length=1,
        max_length=MAX_VIDEO_NOS,
        description="Videos to ask about (encoded videos). " + _VIDEO_NOS,
    )
    # "question" is the LlamaIndex tool's earlier name, kept as an alias.
    prompt: str = Field(
        validation_alias=AliasChoices("prompt", "question"),
        description="The question or instruction about these videos, in English.",
    )
    session_id: str | None = Field(
        default=None,
        description="Continue an earlier conversation: the session_id a previous call returned.",
    )


class UploadArgs(ToolArgs):
    file_path: str | None = Field(
        default=None, description="Path of a local video file (.mp4, .mov, .mkv, .avi)."
    )
    url: str | None = Field(
        default=None, description="Direct download URL of a video (http/https, m3u8 allowed)."
    )
    tags: list[str] | None = Field(default=None, description="Tags to filter searches by later.")
    wait: bool = Field(
        default=False,
        description="Wait until encoding finishes (status PARSE) before returning, up to "
        "max_wait_seconds. Without waiting, check memories_video_status before searching.",
    )
    max_wait_seconds: float | None = Field(
        default=None, gt=0, description="Longest time to wait when wait is true (seconds)."
    )

    @_model_validator(mode="before")
    @classmethod
    def _split_source(cls, data: Any) -> Any:
        # The LlamaIndex tool's earlier single "source" argument: a URL or a local path.
        if isinstance(data, Mapping) and "source" in data:
            out = dict(data)
            source = str(out.pop("source")).strip()
            is_url = source.lower().startswith(("http://", "https://"))
            out.setdefault("url" if is_url else "file_path", source)
            return out
        return data

    @_model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.file_path is None) == (self.url is None):
            raise ValueError("give exactly one of file_path or url")
        return self


class DeleteVideosArgs(ToolArgs):
    video_nos: list[str] = Field(
        min_length=1,
        max_length=MAX_VIDEO_NOS,
        description="Video numbers to delete permanently. " + _VIDEO_NOS,
    )


class ListNamespacesArgs(ToolArgs):
    """No arguments: the namespaces (``unique_id`` values) of the account."""


#: Tool name -> its argument model (the names every adapter uses).
ARGUMENT_MODELS: dict[str, type[ToolArgs]] = {
    "memories_search": SearchToolArgs,
    "memories_video_status": VideoStatusArgs,
    "memories_list_videos": ListVideosArgs,
    "memories_get_transcript": TranscriptArgs,
    "memories_summarize_video": SummarizeArgs,
    "memories_chat_with_videos": ChatArgs,
    "memories_list_namespaces": ListNamespacesArgs,
    "memories_upload_video": UploadArgs,
    "memories_delete_videos": DeleteVideosArgs,
}
