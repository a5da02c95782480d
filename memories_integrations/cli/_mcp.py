"""``memories mcp``: serve the library to MCP clients (stdio by default, or --http)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from memories_integrations.cli._errors import EXIT_INTERRUPTED, EXIT_OK
from memories_integrations.cli._output import Output

Add = Callable[..., argparse.ArgumentParser]


def mcp(args: argparse.Namespace, out: Output) -> int:
    # Imported here: only this command needs the MCP SDK (the `mcp` extra).
    import anyio

    from memories_integrations._client._async.client import AsyncMemoriesClient
    from memories_integrations._transport.auth import api_key_from_env
    from memories_integrations.mcp import ServerConfig, resolve_dirs, run_http, run_stdio

    key = args.api_key or api_key_from_env()
    secret = key if isinstance(key, str) else key.get_secret_value() if key else ""
    # Limits not given keep ServerConfig's defaults, which are every tool front end's.
    limits = {"max_wait_seconds": args.max_wait, "max_output_chars": args.max_output_chars}
    config = ServerConfig(
        allow_upload=args.allow_upload,
        allow_delete=args.allow_delete,
        allowed_dirs=resolve_dirs(args.allowed_dir or ()),
        poll_interval=args.poll_interval,
        transport="http" if args.http else "stdio",
        secrets=(secret,) if secret else (),
        **{k: v for k, v in limits.items() if v is not None},
    )
    kwargs: dict[str, Any] = {"api_key": args.api_key, "base_url": args.base_url}
    if args.unique_id:
        kwargs["unique_id"] = args.unique_id

    async def serve() -> None:
        async with AsyncMemoriesClient(**kwargs) as client:  # a missing key fails here
            if args.http:
                await run_http(
                    client,
                    config,
                    host=args.host,
                    port=args.port,
                    allowed_hosts=args.allowed_host or (),
                    allowed_origins=args.allowed_origin or (),
                )
            else:
                await run_stdio(client, config)

    if not args.http and sys.stdin.isatty():  # started by hand, not by an MCP client
        sys.stderr.write(
            "memories mcp speaks MCP (JSON-RPC) on stdin/stdout: start it from an MCP client "
            "(see the README's config snippets), or use --http. Ctrl-C exits.\n"
        )
        sys.stderr.flush()
    if not args.http:
        # Ctrl-C ends a stdio server at once. The default would cancel the event loop's task,
        # which then waits for the SDK's stdin reader, a worker thread blocked in a read that
        # nothing cancels (a second Ctrl-C). asyncio only installs its own handler when
        # SIGINT still has Python's default one, so this one stays.
        signal.signal(signal.SIGINT, _exit_now)
    anyio.run(serve)
    return EXIT_OK


def _exit_now(signum: int, frame: object) -> None:
    sys.stderr.write("interrupted\n")
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)  # stdout is the protocol: nothing buffered there to lose


def register(add: Add) -> None:
    p = add(
        "mcp",
        "serve the library to MCP clients (Claude Desktop, IDE agents, langchain-mcp-adapters)",
        mcp,
    )
    p.add_argument("--http", action="store_true", help="streamable HTTP on /mcp instead of stdio")
    p.add_argument(
        "--host", default="127.0.0.1", help="HTTP: address to bind (default 127.0.0.1 only)"
    )
    p.add_argument("--port", type=int, default=8000, help="HTTP: port (default 8000)")
    p.add_argument(
        "--allowed-host",
        action="append",
        metavar="HOST",
        help="HTTP: a Host header to accept besides the bound address (repeat; e.g. a DNS "
        "name clients use); others are refused",
    )
    p.add_argument(
        "--allowed-origin",
        action="append",
        metavar="ORIGIN",
        help="HTTP: a browser Origin to accept (repeat; e.g. https://app.example.com); "
        "others are refused",
    )
    p.add_argument("--allow-upload", action="store_true", help="add the upload tool")
    p.add_argument("--allow-delete", action="store_true", help="add the delete tool (destructive)")
    p.add_argument(
        "--allowed-dir",
        action="append",
        metavar="DIR",
        help="a directory local files may be uploaded from (repeat; default: none, "
        "so only URLs can be uploaded)",
    )
    p.add_argument(
        "--max-wait",
        type=float,
        default=None,
        help="longest wait for encoding after an upload, in seconds (default 300)",
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        default=1.0,
        help="seconds between the first status checks while waiting (default 1), longer after",
    )
    p.add_argument(
        "--max-output-chars",
        type=int,
        default=None,
        help="longer tool text is cut, with a note (default 4000)",
    )
