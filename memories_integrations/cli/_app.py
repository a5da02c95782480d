"""Argument parsing, client construction and the error -> exit code boundary."""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Callable, Sequence

from memories_integrations._extras import EXTRAS, install_hint, missing
from memories_integrations._version import __version__
from memories_integrations.cli._errors import (
    EXIT_USAGE,
    Aborted,
    NotFound,
    UsageError,
    exit_code_for,
)
from memories_integrations.cli._output import Output
from memories_integrations.errors import MemoriesError

Handler = Callable[[argparse.Namespace, Output], int]

EPILOG = """exit codes: 0 ok, 1 aborted, 2 usage/bad input, 3 auth/account, 4 not found,
5 server/transport error, 6 processing failed or wait timed out.
The API key comes from --api-key or MEMORIES_API_KEY; it is never printed."""


def _common(*, top: bool) -> argparse.ArgumentParser:
    # The top-level copy holds the defaults; a sub-command's copy (SUPPRESS) only overrides the
    # top-level value when given, so the options work before or after the sub-command name.
    # Two copies, not one: parsers built with parents= share the action objects, and
    # set_defaults() on the top parser would then give the sub-command's copy a default too,
    # overwriting an option given before the sub-command name.
    unset: object = None if top else argparse.SUPPRESS
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="machine-readable output (one JSON document on stdout)",
    )
    common.add_argument(
        "--base-url",
        default=unset,
        help="API base URL (default: MEMORIES_BASE_URL or the real API)",
    )
    common.add_argument("--api-key", default=unset, help="API key (default: MEMORIES_API_KEY)")
    common.add_argument(
        "--unique-id",
        default=unset,
        help="namespace of the library (default: 'default')",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="log requests and rate-limit waits on stderr",
    )
    return common


# The modules that define sub-commands, each with ``register(add)``; a new sub-command module
# is one more name here.
COMMAND_MODULES = ("_upload", "_commands", "_demo", "_mcp", "_doctor", "_eval")


def build_parser() -> argparse.ArgumentParser:
    common = _common(top=False)
    parser = argparse.ArgumentParser(
        prog="memories",
        description="memories.ai video memory from the command line.",
        epilog=EPILOG,
        parents=[_common(top=True)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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

    for name in COMMAND_MODULES:
        importlib.import_module(f"memories_integrations.cli.{name}").register(add)
    return parser


# Sub-commands that print without rich (the others need the cli extra, or --json).
PLAIN_COMMANDS = frozenset({"emulator", "mcp"})


def _extra_of(module: str | None) -> str | None:
    root = (module or "").split(".")[0]
    return next(
        (x for x, mods in EXTRAS.items() if any(m.split(".")[0] == root for m in mods)), None
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits 2 on usage errors
    out = Output(json_mode=bool(args.json))
    if not out.json and args.command not in PLAIN_COMMANDS and missing("cli"):
        out.error(
            f"memories {args.command} prints tables and progress with rich, from the 'cli' "
            f"extra: {install_hint('cli')}; or add --json"
        )
        return EXIT_USAGE
    if args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args, out)
    except (MemoriesError, UsageError, Aborted, NotFound) as exc:
        out.error(str(exc))
        return exit_code_for(exc)
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except ImportError as exc:
        extra = _extra_of(exc.name)
        hint = install_hint(extra or "all")
        out.error(str(exc) if "needs the" in str(exc) else f"{exc}: {hint}")
        return EXIT_USAGE
