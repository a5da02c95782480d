"""``MemoriesToolSpec``: memories.ai video memory as LlamaIndex agent tools.

Each tool is a ``MemoriesFunctionTool`` whose ``fn_schema`` is the shared argument model
(``_adapters.arguments``), so ``to_openai_tool()`` carries every enum, bound and full description
(LlamaIndex's docstring parsing keeps only the first line of each ``Args:`` entry). Input is
coerced the way agents send it (``video_nos="VI1"`` becomes ``["VI1"]``); unknown enum values
fail with the allowed ones listed.

Errors: a ``MemoriesError`` (bad input, unknown video, API failure) becomes a ``ToolOutput`` with
``is_error=True`` whose content is the message plus a recovery hint. With ``raise_errors=True``
the error is raised instead (same type, its message keeps the hint); agents turn it into an
error output as well. Other exceptions (bugs) always propagate.

``raw_output`` holds the structured result: ``NodeWithScore``s of the moments found (search);
with ``citation_format="search_result"`` ``{"search_results": [dict], "nodes": [NodeWithScore]}``
(the Anthropic ``search_result`` blocks as plain dicts); for chat ``{"content", "session_id",
"citations", "references": [NodeWithScore]}`` (``citations``:
the ``citations.CitationReport`` of the answer's timestamps); for a transcript ``{"video_no",
"track", "start", "end", "next_start", "segments": [NodeWithScore]}``; else a dict of the facts
shown (status, list, summary, namespaces, upload, delete).
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, get_args

from llama_index.core.base.llms.types import CitableBlock, ContentBlock, ImageBlock, TextBlock
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.tools import FunctionTool, ToolMetadata, ToolOutput
from llama_index.core.tools.tool_spec.base import BaseToolSpec
from pydantic import BaseModel, SecretStr

from memories_integrations import errors
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._endpoints import validation as v
from memories_integrations._tools import registry
from memories_integrations._tools.approval import Approver, aapprove, approve
from memories_integrations._tools.clients import ClientResolver
from memories_integrations._tools.hints import error_text
from memories_integrations._tools.keyframes import Keyframe, KeyframeCache
from memories_integrations._tools.media import CitationFormat, search_result_blocks
from memories_integrations._tools.outcome import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_WAIT,
    Outcome,
    Record,
    ToolOptions,
)
from memories_integrations._tools.paths import CWD
from memories_integrations._tools.registry import OPERATIONS, operation_for
from memories_integrations.llama_index.retrievers import (
    EXCLUDED_EMBED_METADATA_KEYS,
    EXCLUDED_LLM_METADATA_KEYS,
    video_source,
)

__all__ = ["LEGACY_NAMES", "MemoriesFunctionTool", "MemoriesToolSpec", "with_hint"]

#: Names of the 0.x release (deprecated: removed in the next release) -> today's name, and
#: how their positional arguments were called.
LEGACY_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "search_videos": ("memories_search", ("query", "top_k", "search_type", "video_nos")),
    "upload_video": ("memories_upload_video", ("source",)),
    "video_status": ("memories_video_status", ("video_no",)),
    "list_videos": ("memories_list_videos", ("page", "name_contains")),
    "get_transcript": ("memories_get_transcript", ("video_no", "track")),
    "summarize_video": ("memories_summarize_video", ("video_no", "summary_type")),
    "chat_about_videos": ("memories_chat_with_videos", ("video_nos", "question", "session_id")),
    "delete_video": ("memories_delete_videos", ("video_no",)),
}


def with_hint(exc: errors.MemoriesError) -> errors.MemoriesError:
    """A copy of ``exc`` (same type, so ``except NotFoundError`` still works) whose message
    carries the recovery hint: what ``raise_errors=True`` raises."""
    clone = copy.copy(exc)
    clone.message = error_text(exc)
    Exception.__init__(clone, clone._render())
    return clone


def _legacy_kwargs(old: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    names = LEGACY_NAMES[old][1]
    out = {**dict(zip(names, args, strict=False)), **kwargs}
    if old == "delete_video" and "video_no" in out:
        out["video_nos"] = [out.pop("video_no")]
    if old == "upload_video":
        out.setdefault("wait", True)  # the old tool always waited (bounded)
    return out


def _warn(old: str) -> None:
    new = LEGACY_NAMES[old][0]
    warnings.warn(
        f"MemoriesToolSpec tool {old!r} is now {new!r}; the old name goes away in the next release",
        DeprecationWarning,
        stacklevel=3,
    )


def _gated(names: Sequence[str]) -> tuple[str, ...]:
    """``needs_approval`` checked as LangChain's ``approval_middleware()`` checks its tools: an
    unknown name (a typo would turn the gate off) is refused; a 0.x name maps to today's."""
    if isinstance(names, str):
        names = [names]  # one name, never its characters
    out = []
    for name in names:
        if name in LEGACY_NAMES:
            _warn(name)
            name = LEGACY_NAMES[name][0]
        if name not in OPERATIONS:
            raise errors.InvalidInputError(
                f"needs_approval: unknown tool {name!r}; tools are: {', '.join(OPERATIONS)}",
                param="needs_approval",
            )
        out.append(name)
    return tuple(out)


def _to_node(record: Record) -> NodeWithScore:
    node = TextNode(
        id_=record.id,
        text=record.text,
        metadata=dict(record.metadata),
        excluded_embed_metadata_keys=list(EXCLUDED_EMBED_METADATA_KEYS),
        excluded_llm_metadata_keys=list(EXCLUDED_LLM_METADATA_KEYS),
        relationships=video_source(
            str(record.metadata.get("unique_id", "")), str(record.metadata["video_no"])
        ),
    )
    score = record.metadata.get("score")
    return NodeWithScore(node=node, score=score if isinstance(score, float) else None)


def _citable(result: dict[str, Any]) -> CitableBlock:
    """A ``search_result`` dict as LlamaIndex's citable block (which Claude's integration
    sends as a ``search_result``)."""
    texts = [TextBlock(text=c["text"]) for c in result["content"]]
    return CitableBlock(title=result["title"], source=result["source"], content=texts)


def _keyframe_blocks(frames: Sequence[Keyframe]) -> list[ContentBlock]:
    """One labelled image per keyframe still in the cache."""
    blocks: list[ContentBlock] = []
    for frame in frames:
        try:
            data = frame.read_bytes()
        except OSError:  # evicted meanwhile: the text already cites the moment
            continue
        blocks.append(TextBlock(text=f"Keyframe of {frame.label}:"))
        blocks.append(ImageBlock(image=data, image_mimetype=frame.mime_type))
    return blocks


def _raw(outcome: Outcome) -> Any:
    if outcome.records_key:  # chat, transcript: their facts, the moments under one key
        return {**outcome.extra, outcome.records_key: [_to_node(r) for r in outcome.records]}
    if outcome.records:
        return [_to_node(r) for r in outcome.records]
    return outcome.extra or outcome.text


class MemoriesFunctionTool(FunctionTool):
    """A ``FunctionTool`` over one memories.ai operation: schema from the shared argument
    model, errors marked ``is_error=True`` with a hint, structured ``raw_output``."""

    def __init__(self, spec: MemoriesToolSpec, name: str) -> None:
        self._spec = spec
        self._name = name

        def sync(**kwargs: Any) -> Outcome:
            return spec._outcome(name, kwargs)

        async def async_(**kwargs: Any) -> Outcome:
            return await spec._aoutcome(name, kwargs)

        op = OPERATIONS[name]
        metadata = ToolMetadata(name=name, description=op.description, fn_schema=op.args)
        super().__init__(fn=sync, async_fn=async_, metadata=metadata)

    def _result(self, kwargs: dict[str, Any], outcome: Outcome) -> ToolOutput:
        # The text first, always: ToolOutput.content (what ReAct agents and str() read) joins
        # only the TextBlocks, so citable blocks alone would read as an empty result there.
        blocks: list[ContentBlock] = [TextBlock(text=outcome.text)]
        raw = _raw(outcome)
        search = self._name == "memories_search"
        if search and self._spec.citation_format == "search_result" and outcome.records:
            results = search_result_blocks(outcome.records)
            blocks += [_citable(r) for r in results]
            raw = {"search_results": results, "nodes": raw}
        # Search with keyframes: then one labelled image per moment.
        blocks += _keyframe_blocks(outcome.extra.get("keyframes", []))
        return ToolOutput(
            blocks=blocks,
            tool_name=self._name,
            raw_input={"args": (), "kwargs": kwargs},
            raw_output=raw,
        )

    def _failure(self, kwargs: dict[str, Any], exc: errors.MemoriesError) -> ToolOutput:
        text = error_text(exc)
        if self._spec.raise_errors:
            raise with_hint(exc) from exc
        return ToolOutput(
            content=text,
            tool_name=self._name,
            raw_input={"args": (), "kwargs": kwargs},
            raw_output=text,
            is_error=True,
            exception=exc,
        )

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        try:
            return self._result(kwargs, self._spec._outcome(self._name, kwargs))
        except errors.MemoriesError as exc:
            return self._failure(kwargs, exc)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        try:
            return self._result(kwargs, await self._spec._aoutcome(self._name, kwargs))
        except errors.MemoriesError as exc:
            return self._failure(kwargs, exc)


class MemoriesToolSpec(BaseToolSpec):
    """Search, upload, inspect, summarise and chat about videos stored in memories.ai.

    ``to_tool_list()`` gives one ``MemoriesFunctionTool`` per tool, named like the LangChain
    tools (``memories_search``, ``memories_list_videos``...), each with a sync and a native
    async implementation. ``memories_delete_videos`` is only offered when ``allow_delete=True``.
    ``allowed_dirs``: local directories ``memories_upload_video`` may read (default: the
    current working directory; ``None`` = any path). ``approver``: the human-approval preset,
    asked ``(tool name, arguments)`` before each tool of ``needs_approval`` (default: delete,
    upload, chat) runs; anything but ``True`` refuses the call (an ``is_error`` output telling
    the model not to retry) before any request. It may be async (then use the async paths).
    ``citation_format="search_result"``: search also returns one ``CitableBlock`` per moment
    (Anthropic ``search_result`` blocks, so Claude cites natively) after its numbered text.

    >>> spec = MemoriesToolSpec(api_key="...")
    >>> tools = spec.to_tool_list()
    """

    if TYPE_CHECKING:  # set below from the registry (and LEGACY_NAMES); typed here
        memories_search: Callable[..., str]
        amemories_search: Callable[..., Awaitable[str]]
        memories_video_status: Callable[..., str]
        amemories_video_status: Callable[..., Awaitable[str]]
        memories_list_videos: Callable[..., str]
        amemories_list_videos: Callable[..., Awaitable[str]]
        memories_get_transcript: Callable[..., str]
        amemories_get_transcript: Callable[..., Awaitable[str]]
        memories_summarize_video: Callable[..., str]
        amemories_summarize_video: Callable[..., Awaitable[str]]
        memories_chat_with_videos: Callable[..., str]
        amemories_chat_with_videos: Callable[..., Awaitable[str]]
        memories_list_namespaces: Callable[..., str]
        amemories_list_namespaces: Callable[..., Awaitable[str]]
        memories_upload_video: Callable[..., str]
        amemories_upload_video: Callable[..., Awaitable[str]]
        memories_delete_videos: Callable[..., str]
        amemories_delete_videos: Callable[..., Awaitable[str]]
        search_videos: Callable[..., str]
        asearch_videos: Callable[..., Awaitable[str]]
        upload_video: Callable[..., str]
        aupload_video: Callable[..., Awaitable[str]]
        video_status: Callable[..., str]
        avideo_status: Callable[..., Awaitable[str]]
        list_videos: Callable[..., str]
        alist_videos: Callable[..., Awaitable[str]]
        get_transcript: Callable[..., str]
        aget_transcript: Callable[..., Awaitable[str]]
        summarize_video: Callable[..., str]
        asummarize_video: Callable[..., Awaitable[str]]
        chat_about_videos: Callable[..., str]
        achat_about_videos: Callable[..., Awaitable[str]]
        delete_video: Callable[..., str]
        adelete_video: Callable[..., Awaitable[str]]

    def __init__(
        self,
        *,
        client: MemoriesClient | None = None,
        async_client: AsyncMemoriesClient | None = None,
        api_key: SecretStr | str | None = None,
        base_url: str | None = None,
        unique_id: str | None = None,
        allow_delete: bool = False,
        raise_errors: bool = False,
        allowed_dirs: Sequence[str | os.PathLike[str]] | None = (CWD,),
        upload_max_wait: float = DEFAULT_MAX_WAIT,
        poll_interval: float = 2.0,
        max_chars: int = DEFAULT_MAX_CHARS,
        approver: Approver | None = None,
        needs_approval: Sequence[str] = registry.NEEDS_APPROVAL,
        include_keyframes: int = 0,
        keyframe_cache: KeyframeCache | None = None,
        citation_format: CitationFormat = "text",
    ) -> None:
        if citation_format not in get_args(CitationFormat):
            raise errors.InvalidInputError(
                f"citation_format must be one of {', '.join(get_args(CitationFormat))}; "
                f"got {citation_format!r}",
                param="citation_format",
            )
        self.citation_format = citation_format
        # Search's keyframe images of the best N moments when the call does not say (0-10).
        self.include_keyframes = v.int_range(
            include_keyframes, 0, 10, param="include_keyframes", endpoint=""
        )
        self.keyframe_cache = keyframe_cache
        self._clients = ClientResolver(
            client=client, async_client=async_client, api_key=api_key, base_url=base_url
        )
        self.unique_id = unique_id or self._clients.unique_id
        self.allow_delete = allow_delete
        self.raise_errors = raise_errors
        self.allowed_dirs = allowed_dirs
        self.upload_max_wait = upload_max_wait
        self.poll_interval = poll_interval
        self.max_chars = max_chars
        self.approver = approver
        self.needs_approval = _gated(needs_approval)
        names = [*registry.READ_ONLY, *registry.WRITE] + (
            list(registry.DESTRUCTIVE) if allow_delete else []
        )
        self.spec_functions: list[str | tuple[str, str]] = list(names)

    def __repr__(self) -> str:
        return f"MemoriesToolSpec(unique_id={self.unique_id!r}, allow_delete={self.allow_delete})"

    # ------------------------------------------------------------------ running
    def _options(self) -> ToolOptions:
        return ToolOptions(
            unique_id=self.unique_id,
            namespace=self.unique_id,
            max_chars=self.max_chars,
            allowed_dirs=self.allowed_dirs,
            max_wait_seconds=self.upload_max_wait,
            poll_interval=self.poll_interval,
            include_keyframes=self.include_keyframes,
            keyframe_cache=self.keyframe_cache,
        )

    def _check(self, name: str) -> None:
        # Also guards direct calls: leaving the tool out of spec_functions is not enough.
        if name in registry.DESTRUCTIVE and not self.allow_delete:
            raise errors.PermissionDeniedError(
                "deleting videos is disabled for this agent "
                "(enable: MemoriesToolSpec(allow_delete=True))"
            )

    def _outcome(self, name: str, kwargs: dict[str, Any]) -> Outcome:
        self._check(name)
        approve(self.approver, name, kwargs, self.needs_approval)
        return OPERATIONS[name].run(self._clients.sync(), kwargs, self._options())

    async def _aoutcome(self, name: str, kwargs: dict[str, Any]) -> Outcome:
        self._check(name)
        await aapprove(self.approver, name, kwargs, self.needs_approval)
        # A client per running loop: a second asyncio.run gets a fresh one.
        return await OPERATIONS[name].arun(self._clients.async_(), kwargs, self._options())

    def run(self, name: str, **kwargs: Any) -> str:
        """Run tool ``name`` and return the text the model would see (errors as text with a
        hint, or raised with ``raise_errors=True``)."""
        output = self._tool(name).call(**kwargs)
        return str(output.content)

    async def arun(self, name: str, **kwargs: Any) -> str:
        output = await self._tool(name).acall(**kwargs)
        return str(output.content)

    def _tool(self, name: str) -> MemoriesFunctionTool:
        if name in LEGACY_NAMES:
            _warn(name)
            name = LEGACY_NAMES[name][0]
        return MemoriesFunctionTool(self, operation_for(name).name)

    # ------------------------------------------------------------------ tools
    def to_tool_list(
        self,
        spec_functions: Sequence[str | tuple[str, str]] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        """The tools; ``spec_functions`` may pick some by name (old names warn)."""
        tools: list[FunctionTool] = []
        for entry in spec_functions or self.spec_functions:
            name = entry[0] if isinstance(entry, tuple) else entry
            tool = self._tool(name)
            if func_to_metadata_mapping and name in func_to_metadata_mapping:
                tool._metadata = func_to_metadata_mapping[name]
            tools.append(tool)
        return tools

    async def to_tool_list_async(
        self,
        spec_functions: Sequence[str | tuple[str, str]] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[FunctionTool]:
        return self.to_tool_list(spec_functions, func_to_metadata_mapping)

    # ------------------------------------------------------------------ BaseToolSpec helpers
    def get_fn_schema_from_fn_name(
        self, fn_name: str, spec_functions: list[str | tuple[str, str]] | None = None
    ) -> type[BaseModel] | None:
        """The registry's argument model of ``fn_name`` (or its async twin ``a<name>``)."""
        op = OPERATIONS.get(fn_name) or OPERATIONS.get(fn_name[1:])
        return op.args if op is not None else None

    def get_metadata_from_fn_name(
        self, fn_name: str, spec_functions: list[str | tuple[str, str]] | None = None
    ) -> ToolMetadata | None:
        op = OPERATIONS.get(fn_name) or OPERATIONS.get(fn_name[1:])
        if op is None:
            return None
        return ToolMetadata(name=op.name, description=op.description, fn_schema=op.args)

    def _text(self, name: str, kwargs: dict[str, Any]) -> str:
        return str(MemoriesFunctionTool(self, name).call(**kwargs).content)

    async def _atext(self, name: str, kwargs: dict[str, Any]) -> str:
        return str((await MemoriesFunctionTool(self, name).acall(**kwargs)).content)


def _method(name: str) -> Callable[..., str]:
    def run(self: MemoriesToolSpec, **kwargs: Any) -> str:
        return self.run(name, **kwargs)

    run.__name__ = name
    run.__doc__ = OPERATIONS[name].description
    return run


def _amethod(name: str) -> Callable[..., Awaitable[str]]:
    async def arun(self: MemoriesToolSpec, **kwargs: Any) -> str:
        return await self.arun(name, **kwargs)

    arun.__name__ = f"a{name}"
    arun.__doc__ = OPERATIONS[name].description
    return arun


def _legacy(old: str) -> Callable[..., str]:
    new = LEGACY_NAMES[old][0]

    def legacy(self: MemoriesToolSpec, *args: Any, **kwargs: Any) -> str:
        _warn(old)
        return self._text(new, _legacy_kwargs(old, args, kwargs))

    legacy.__name__ = old
    legacy.__doc__ = f"Deprecated: use {new}."
    return legacy


def _alegacy(old: str) -> Callable[..., Awaitable[str]]:
    new = LEGACY_NAMES[old][0]

    async def alegacy(self: MemoriesToolSpec, *args: Any, **kwargs: Any) -> str:
        _warn(old)
        return await self._atext(new, _legacy_kwargs(old, args, kwargs))

    alegacy.__name__ = f"a{old}"
    alegacy.__doc__ = f"Deprecated: use a{new}."
    return alegacy


# Every registry operation is a real method of the spec, with its async twin (what
# BaseToolSpec's helpers look up); the 0.x names are explicit deprecated methods.
for _name in OPERATIONS:
    setattr(MemoriesToolSpec, _name, _method(_name))
    setattr(MemoriesToolSpec, f"a{_name}", _amethod(_name))
for _old in LEGACY_NAMES:
    setattr(MemoriesToolSpec, _old, _legacy(_old))
    setattr(MemoriesToolSpec, f"a{_old}", _alegacy(_old))
