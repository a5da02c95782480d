"""``python -m memories_integrations.testing`` (and ``memories emulator``): serve the emulator
in the foreground and print the environment that points the client, the CLI, the MCP server and
the README's snippets at it."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TextIO

from memories_integrations.testing.config import DEFAULT_API_KEY, EmulatorConfig

DESCRIPTION = """Serve a local, strict emulator of the memories.ai v1 API on this machine.

Offline recipe:
  memories emulator --preload-samples --no-rate-limits
  # in another shell, paste the export lines it prints, then e.g.
  memories search "someone chops onions"
"""


def add_options(parser: argparse.ArgumentParser, *, api_key: bool = True) -> None:
    """The emulator's options (shared by ``memories emulator``, whose global --api-key is the
    emulator's key: ``api_key=False`` leaves that option out)."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port to listen on (8765; 0 picks a free port)"
    )
    if api_key:
        parser.add_argument(
            "--api-key",
            default=DEFAULT_API_KEY,
            help=f"the API key the emulator accepts (default {DEFAULT_API_KEY!r})",
        )
    parser.add_argument(
        "--encoding-delay",
        type=float,
        default=2.0,
        help="seconds a new video stays UNPARSE before it is ready (default 2)",
    )
    parser.add_argument(
        "--preload-samples",
        action="store_true",
        help="start with the bundled sample videos already uploaded and ready",
    )
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="do not enforce the documented rate limits (upload 1/min, chat 2/min, ...); "
        "the printed environment then turns the client's own pacing off too",
    )
    parser.add_argument(
        "--extra-latency",
        type=float,
        default=0.0,
        help="seconds of delay added to every API request (default 0)",
    )
    parser.add_argument(
        "--duplicate-callbacks",
        action="store_true",
        help="deliver every encoding callback twice (tests at-least-once handling)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="shifts the generated ids (same seed, same ids)"
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        help="uvicorn's log level (default info)",
    )


def config_from(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        api_key=args.api_key,
        encoding_delay=args.encoding_delay,
        rate_limits=not args.no_rate_limits,  # ON by default here, for fidelity
        extra_latency=args.extra_latency,
        duplicate_callbacks=args.duplicate_callbacks,
        seed=args.seed,
        preload_samples=args.preload_samples,
    )


def environment(base_url: str, config: EmulatorConfig) -> dict[str, str]:
    """The variables that point a client (and every snippet) at this emulator."""
    env = {"MEMORIES_BASE_URL": base_url}
    if not config.rate_limits:  # nothing to pace: the client's limiter would only slow it
        env["MEMORIES_RATE_LIMITER"] = "off"
    env["MEMORIES_API_KEY"] = config.api_key  # last: a reader of the banner may stop here
    return env


def print_banner(base_url: str, config: EmulatorConfig, stream: TextIO) -> None:
    stream.write(f"memories.ai emulator: base URL {base_url}  api key {config.api_key}\n")
    stream.write(
        f"rate limits {'on' if config.rate_limits else 'off'}; "
        f"{'sample videos preloaded; ' if config.preload_samples else ''}"
        "admin API at /_emulator/\n"
    )
    stream.write("# paste into the shell that runs the client, the CLI or a snippet:\n")
    for name, value in environment(base_url, config).items():
        stream.write(f"export {name}={shlex.quote(value)}\n")
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m memories_integrations.testing",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_options(parser)
    return serve(parser.parse_args(argv))


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from memories_integrations.testing.app import create_app
    from memories_integrations.testing.server import bind_socket, uvicorn_config

    config = config_from(args)
    sock = bind_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print_banner(f"http://{host}:{port}", config, sys.stdout)
    uvicorn.Server(uvicorn_config(create_app(config), log_level=args.log_level)).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
