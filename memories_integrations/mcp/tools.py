"""The MCP tools: the LangChain toolkit's names, the shared argument models, text + structure.

Every tool but upload runs the shared operation (``_adapters.operations.arun_tool``), as the
LangChain and LlamaIndex tools do: the text a model reads, the chat's citation check and the
transcript's ranges are computed there once. MCP adds ``structuredContent`` (the same facts as
data: the moments, their times and ``memories://`` links), annotations and titles. Upload stays
here: its local files obey ``--allowed-dir`` and its wait reports MCP progress.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from mcp import types
from pydantic import BaseModel

from memories_integrations import errors as e
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations._tools import arguments
from memories_integrations._tools import formatting as fmt
from memories_integrations._tools.arguments import SearchArgs, ToolArgs, UploadArgs
from memories_integrations._tools.outcome import ToolOptions
from memories_integrations._tools.presenting import metadata_dict
from memories_integrations._tools.registry import OPERATIONS, Operation
from memories_integrations._tools.results import VideoResult, dump
from memories_integrations.mcp._config import ServerConfig
from memories_integrations.models import UploadResult, VideoMetadata, VideoStatus

__all__ = ["TOOLS", "NoArgs", "ToolContext", "ToolOutput", "ToolSpec", "tools_for"]

Structured = dict[str, Any]
ToolOutput = tuple[str, Structured]
Progress = Callable[[float, float | None, str], Awaitable[None]]


#: Tools without arguments (list namespaces): the shared model, as for every other tool.
NoArgs = arguments.ListNamespacesArgs


@dataclass
class ToolContext:
    """What a tool call gets: the client, the server's options and a progress reporter."""

    client: AsyncMemoriesClient
    config: ServerConfig
    progress: Progress


Handler = Callable[[ToolContext, Any], Awaitable[ToolOutput]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    title: str
    description: str
    args: type[ToolArgs]
    handler: Handler
    annotations: types.ToolAnnotations = field(default_factory=types.ToolAnnotations)
    result: type[BaseModel] | None = None
    """The structured result's model: the tool's ``outputSchema``."""

    def to_mcp(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            title=self.title,
            description=self.description,
            inputSchema=self.args.model_json_schema(),
            outputSchema=self.result.model_json_schema() if self.result else None,
            annotations=self.annotations,
        )


def _options(ctx: ToolContext) -> ToolOptions:
    # The client's own namespace (no per-call unique_id); texts capped like every result.
    return ToolOptions(
        namespace=ctx.client.unique_id,
        max_chars=ctx.config.max_output_chars,
        current_label="this server",
    )


def _shared(op: Operation) -> Handler:
    """A tool run by the registry's operation (the same text, checks and ranges as LangChain
    and LlamaIndex); its structured result is checked against the result model."""

    async def handler(ctx: ToolContext, a: ToolArgs) -> ToolOutput:
        outcome = await op.arun(ctx.client, a, _options(ctx))
        return outcome.text, op.structured(a, outcome)

    return handler


# ---------------------------------------------------------------------------------- upload
async def _upload(ctx: ToolContext, a: UploadArgs) -> ToolOutput:
    client, config = ctx.client, ctx.config
    if a.file_path is not None:
        with config.open_local_file(a.file_path) as file:  # what is sent is what was checked
            uploaded = await client.upload(file, tags=a.tags)
    else:
        uploaded = await client.upload_url(str(a.url), tags=a.tags)
    final = await _wait(ctx, uploaded, a) if a.wait else None
    if final is not None and final.status is VideoStatus.PARSE_ERROR:
        raise e.ProcessingError(
            f"uploaded as {uploaded.video_no}, but {fmt.describe_status(final)}",
            video_no=uploaded.video_no,
        )
    data = (
        metadata_dict(final)
        if final is not None
        else {
            "video_no": uploaded.video_no,
            "video_name": uploaded.video_name,
            "status": uploaded.status.value,
        }
    )
    return fmt.upload_text(uploaded, final, a.wait), dump(VideoResult, data)


async def _wait(ctx: ToolContext, uploaded: UploadResult, a: UploadArgs) -> VideoMetadata:
    """Wait (bounded by the server's limit) for encoding, reporting each check as MCP
    progress (elapsed seconds of the limit)."""
    limit = min(a.max_wait_seconds or math.inf, ctx.config.max_wait_seconds)
    video_no = uploaded.video_no
    # The client's progress hook is sync: it queues, the loop below sends.
    send, receive = anyio.create_memory_object_stream[WaitProgress](math.inf)
    outcome: list[VideoMetadata | e.MemoriesError] = []

    async def wait() -> None:
        with send:
            try:
                outcome.append(
                    await ctx.client.wait_for_ready(
                        video_no,
                        timeout=limit,
                        on_progress=send.send_nowait,
                        initial_interval=ctx.config.poll_interval,
                    )
                )
            except e.MemoriesError as exc:  # kept out of the task group's ExceptionGroup
                outcome.append(exc)

    await ctx.progress(0.0, limit, f"{video_no} uploaded; waiting for encoding")
    async with anyio.create_task_group() as tg, receive:
        tg.start_soon(wait)
        async for p in receive:
            note = f"{video_no}: {p.status.value} after {p.elapsed:.0f} s ({p.polls} checks)"
            await ctx.progress(min(p.elapsed, limit), limit, note)
    final = outcome[0]
    if isinstance(final, VideoMetadata):
        return final
    if not isinstance(final, (e.WaitTimeoutError, e.ProcessingError)):
        raise final
    return await ctx.client.get_metadata(video_no)  # timed out or failed: its status says which


# ---------------------------------------------------------------------------------- the set
def _annotations(op: Operation) -> types.ToolAnnotations:
    a = op.annotations
    return types.ToolAnnotations(
        readOnlyHint=a.read_only,
        destructiveHint=a.destructive,
        idempotentHint=a.idempotent,
        openWorldHint=True,  # every tool asks the same external service
    )


def _tool(name: str, args: type[ToolArgs] | None = None) -> ToolSpec:
    """A tool built from the registry: its title, description, models and annotations."""
    op = OPERATIONS[name]
    return ToolSpec(
        op.name, op.title, op.description, args or op.args, _shared(op), _annotations(op),
        op.result,
    )  # fmt: skip


READ_TOOLS: tuple[ToolSpec, ...] = (
    # SearchArgs, not the frameworks' SearchToolArgs: MCP's search returns no images.
    _tool("memories_search", SearchArgs),
    _tool("memories_video_status"),
    _tool("memories_list_videos"),
    _tool("memories_get_transcript"),
    _tool("memories_summarize_video"),
    _tool("memories_chat_with_videos"),
)
NAMESPACES_TOOL = _tool("memories_list_namespaces")
# Not the registry's text or handler: here local files come only from --allowed-dir
# directories, and the wait reports MCP progress; the model should know both.
UPLOAD_TOOL = dataclasses.replace(
    _tool("memories_upload_video"),
    description="Upload a video to the user's memories.ai library from a url or a local "
    "file_path (local files only from the directories this server was allowed). Returns the "
    "new video_no (not a task id). A video is searchable only after encoding finishes (status "
    "PARSE): pass wait=true to wait for that (progress is reported), or check "
    "memories_video_status later.",
    handler=_upload,
)
DELETE_TOOL = _tool("memories_delete_videos")
TOOLS: tuple[ToolSpec, ...] = (*READ_TOOLS, NAMESPACES_TOOL, UPLOAD_TOOL, DELETE_TOOL)


def tools_for(config: ServerConfig) -> dict[str, ToolSpec]:
    """The tools this server offers: read-only ones, plus writes only when switched on."""
    specs = [*READ_TOOLS, NAMESPACES_TOOL]
    if config.allow_upload:
        specs.append(UPLOAD_TOOL)
    if config.allow_delete:
        specs.append(DELETE_TOOL)
    return {s.name: s for s in specs}
