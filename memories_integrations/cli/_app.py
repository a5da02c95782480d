"""Argument parsing, client construction and the error -> exit code boundary."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence

from memories_integrations._version import __version__
from memories_integrations.cli._errors import EXIT_USAGE, Aborted, UsageError, exit_code_for
from memories_integrations.cli._output import Output
from memories_integrations.errors import MemoriesError

Handler = Callable[[argparse.Namespace, Output], int]

EPILOG = """exit codes: 0 ok, 1 aborted, 2 usage/bad input, 3 auth/account, 4 not found,
5 server/transport error, 6 processing failed or wait timed out.
The API key comes from --api-key or MEMORIES_API_KEY; it is never printed."""


def _common() -> argparse.ArgumentParser:
    # SUPPRESS: a sub-command's copy only overrides the top-level value when given, so the
    # options work before or after the sub-command name.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="machine-readable output (one JSON document on stdout)",
    )
    common.add_argument(
        "--base-url",
        default=argparse.SUPPRESS,
        help="API base URL (default: MEMORIES_BASE_URL or the real API)",
    )
    common.add_argument(
        "--api-key", default=argparse.SUPPRESS, help="API key (default: MEMORIES_API_KEY)"
    )
    common.add_argument(
        "--unique-id",
        default=argparse.SUPPRESS,
        help="namespace of the library (default: 'default')",
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    return common


def build_parser() -> argparse.ArgumentParser:
    from memories_integrations.cli import _commands, _demo, _doctor, _eval, _mcp, _upload

    common = _common()
    parser = argparse.ArgumentParser(
        prog="memories",
        description="memories.ai video memory from the command line.",
        epilog=EPILOG,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(json=False, base_url=None, api_key=None, unique_id=None, verbose=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[common],
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.set_defaults(handler=handler)
        return p

    _upload.register(add)
    _commands.register(add)
    _demo.register(add)
    _mcp.register(add)
    _doctor.register(add)
    _eval.register(add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    out = Output(json_mode=bool(args.json))
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args, out)
    except (MemoriesError, UsageError, Aborted) as exc:
        out.error(str(exc))
        return exit_code_for(exc)
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except ImportError as exc:
        out.error(f"{exc}: install the extras with pip install 'memories-integrations[all]'")
        return EXIT_USAGE
