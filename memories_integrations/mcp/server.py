"""The MCP server (the SDK's low-level ``Server``): tools, resources, stdio and HTTP.

The low-level server, not FastMCP: FastMCP derives a tool's input schema from a function's
signature, while these tools must publish the shared pydantic argument models as they are, and
validate with them (their lax coercion of agent input runs before any JSON-schema check).
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Sequence
from typing import Any

from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.shared.exceptions import McpError
from pydantic import AnyUrl

from memories_integrations import errors as e
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._endpoints import auth as auth_api
from memories_integrations._tools import formatting as fmt
from memories_integrations._tools.arguments import parse_args
from memories_integrations._tools.hints import error_text, hint_for
from memories_integrations._version import __version__
from memories_integrations.mcp._config import ServerConfig
from memories_integrations.mcp._guard import LOOPBACK, Guard, host_rules
from memories_integrations.mcp.prompts import PROMPTS, get_prompt
from memories_integrations.mcp.resources import TEMPLATE, list_video_resources, read_video
from memories_integrations.mcp.tools import Progress, ToolContext, tools_for

__all__ = ["build_server", "run_http", "run_stdio"]

logger = logging.getLogger("memories_integrations.mcp")
_AUTH_PATHS = {auth_api.GET_ACCESS_TOKEN.path, auth_api.REFRESH_ACCESS_TOKEN.path}

INSTRUCTIONS = (
    "memories.ai video memory: search the user's private video library for timestamped "
    "moments, read transcripts and summaries, and ask questions about specific videos. "
    "Start with memories_search or memories_list_videos; cite video_no and times. "
    "Citations link to memories://<unique_id>/<video_no> resources."
)


def _tried_url(client: AsyncMemoriesClient, exc: e.MemoriesError) -> str | None:
    """The URL a failed call went to: the client's base URL and the endpoint path, without a
    query (nor, so, a key). None when nothing was sent (bad input, no key)."""
    if not exc.endpoint or isinstance(exc, (e.InvalidInputError, e.MissingAPIKeyError)):
        return None
    path = exc.endpoint.split("?", 1)[0]
    if "://" in path:  # already a URL (a download link)
        return path
    base = client.auth_base_url if path in _AUTH_PATHS else client.base_url
    return base.rstrip("/") + path


def _error_result(
    config: ServerConfig, exc: e.MemoriesError, url: str | None = None
) -> types.CallToolResult:
    """A failed call as a tool result the model can read and recover from (``isError``)."""
    text = config.scrub(error_text(exc, url=url))
    error = {
        "type": type(exc).__name__,
        "code": exc.code,
        "message": config.scrub(exc.message),
        "hint": hint_for(exc),
    }
    if url:
        error["url"] = config.scrub(url)
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=text)],
        structuredContent={"error": error},
        isError=True,
    )


def _scrub_data(config: ServerConfig, data: dict[str, Any]) -> dict[str, Any]:
    scrubbed: dict[str, Any] = config.scrub_data(data)
    return scrubbed


def _scrub_resources(config: ServerConfig, found: list[types.Resource]) -> list[types.Resource]:
    """Resources with their texts scrubbed; one whose link itself held a secret is left out
    (its scrubbed uri would point nowhere)."""
    out = []
    for resource in found:
        data = resource.model_dump(mode="json")
        clean = config.scrub_data(data)
        if clean["uri"] == data["uri"]:
            out.append(types.Resource.model_validate(clean))
    return out


def _scrub_contents(
    config: ServerConfig, contents: list[ReadResourceContents]
) -> list[ReadResourceContents]:
    return [
        ReadResourceContents(config.scrub(c.content), c.mime_type)
        if isinstance(c.content, str)
        else c
        for c in contents
    ]


def build_server(client: AsyncMemoriesClient, config: ServerConfig) -> Server[Any, Any]:
    """An MCP server offering ``client``'s library under ``config``'s permissions."""
    server: Server[Any, Any] = Server("memories", version=__version__, instructions=INSTRUCTIONS)
    tools = tools_for(config)

    def progress() -> Progress:
        """Progress notifications for the current request (a no-op without a token)."""
        ctx = server.request_context
        token = ctx.meta.progressToken if ctx.meta else None

        async def report(done: float, total: float | None, message: str) -> None:
            if token is None:
                return
            await ctx.session.send_progress_notification(
                token,
                done,
                total if total is not None and math.isfinite(total) else None,
                config.scrub(message),
                related_request_id=str(ctx.request_id),  # routes it to the HTTP request
            )

        return report

    async def list_tools() -> list[types.Tool]:
        return [spec.to_mcp() for spec in tools.values()]

    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        spec = tools.get(name)
        try:
            if spec is None:
                hidden = " (not enabled on this server)" if name.startswith("memories_") else ""
                raise e.InvalidInputError(
                    f"unknown tool {name!r}{hidden}; tools: {', '.join(tools)}", param="name"
                )
            args = parse_args(spec.args, arguments)
            text, data = await spec.handler(ToolContext(client, config, progress()), args)
        except e.MemoriesError as exc:
            return _error_result(config, exc, _tried_url(client, exc))
        except Exception as exc:  # a bug: say so without internals (or secrets)
            logger.exception("tool %s failed", name)
            return _error_result(config, e.MemoriesError(f"internal error ({type(exc).__name__})"))
        text = config.scrub(fmt.truncate(text, config.max_output_chars))
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=text)],
            structuredContent=_scrub_data(config, data),
            isError=False,
        )

    async def list_resources() -> list[types.Resource]:
        try:
            return _scrub_resources(config, await list_video_resources(client))
        except e.MemoriesError as exc:
            raise _mcp_error(config, exc, _tried_url(client, exc)) from None

    async def list_templates() -> list[types.ResourceTemplate]:
        return [TEMPLATE]

    async def read_resource(uri: AnyUrl) -> list[ReadResourceContents]:
        try:
            return _scrub_contents(config, await read_video(client, str(uri)))
        except e.MemoriesError as exc:
            raise _mcp_error(config, exc, _tried_url(client, exc)) from None

    async def list_prompts() -> list[types.Prompt]:
        return [p.prompt for p in PROMPTS.values()]

    async def prompt(name: str, arguments: dict[str, str] | None) -> types.GetPromptResult:
        try:
            return get_prompt(name, arguments)
        except e.MemoriesError as exc:
            raise _mcp_error(config, exc, _tried_url(client, exc)) from None

    # The SDK's registration decorators carry no type hints.
    server.list_prompts()(list_prompts)  # type: ignore[no-untyped-call]
    server.get_prompt()(prompt)  # type: ignore[no-untyped-call]
    server.list_tools()(list_tools)  # type: ignore[no-untyped-call]
    # validate_input=False: parse_args validates (and coerces sloppy agent input) instead.
    server.call_tool(validate_input=False)(call_tool)
    server.list_resources()(list_resources)  # type: ignore[no-untyped-call]
    server.list_resource_templates()(list_templates)  # type: ignore[no-untyped-call]
    server.read_resource()(read_resource)  # type: ignore[no-untyped-call]
    return server


def _mcp_error(config: ServerConfig, exc: e.MemoriesError, url: str | None = None) -> McpError:
    # Resources have no isError result: a JSON-RPC error carries the same text and hint.
    bad_params = isinstance(exc, (e.InvalidRequestError, e.InvalidInputError))
    code = types.INVALID_PARAMS if bad_params else types.INTERNAL_ERROR
    return McpError(types.ErrorData(code=code, message=config.scrub(error_text(exc, url=url))))


# ---------------------------------------------------------------------------------- transports
async def run_stdio(client: AsyncMemoriesClient, config: ServerConfig) -> None:
    """Serve one client over stdin/stdout until it disconnects."""
    from mcp.server.stdio import stdio_server

    server = build_server(client, config)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


class _ASGI:
    # A class, not a function: Starlette then routes raw ASGI calls to it.
    def __init__(self, manager: Any) -> None:
        self.manager = manager

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.manager.handle_request(scope, receive, send)


def http_app(
    client: AsyncMemoriesClient,
    config: ServerConfig,
    host: str,
    *,
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
) -> Any:
    """The Starlette app serving streamable HTTP on ``/mcp``. Host/Origin are checked on
    every bind address (see ``host_rules``), and malformed bodies answered 400, in front of
    the SDK; the SDK's own DNS-rebinding check gets the same lists."""
    from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
    from mcp.server.transport_security import TransportSecuritySettings
    from starlette.applications import Starlette
    from starlette.routing import Route

    rules = host_rules(host, allowed_hosts, allowed_origins)
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=list(rules.hosts),
        allowed_origins=list(rules.origins),
    )
    manager = StreamableHTTPSessionManager(
        app=build_server(client, config), security_settings=security
    )
    endpoint = Guard(_ASGI(manager), rules)
    return Starlette(routes=[Route("/mcp", endpoint=endpoint)], lifespan=lambda _: manager.run())


async def run_http(
    client: AsyncMemoriesClient,
    config: ServerConfig,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
) -> None:
    """Serve streamable HTTP on ``http://host:port/mcp`` until interrupted."""
    import uvicorn

    if host not in LOOPBACK:
        # Whoever reaches this port uses the server's API key: there is no client auth.
        sys.stderr.write(f"warning: serving memories.ai on {host}, not only this machine\n")
    app = http_app(
        client, config, host, allowed_hosts=allowed_hosts, allowed_origins=allowed_origins
    )
    uv = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    sys.stderr.write(f"memories MCP server on http://{host}:{port}/mcp\n")
    await uv.serve()
