"""Exit codes: one per failure kind a script may want to branch on."""

from __future__ import annotations

from memories_integrations import errors as e

EXIT_OK = 0
EXIT_ABORTED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_SERVER = 5
EXIT_PROCESSING = 6
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C


class UsageError(Exception):
    """Bad command-line input found after argument parsing (exit 2)."""


class Aborted(Exception):
    """The user declined a confirmation (exit 1)."""


class NotFound(Exception):
    """What the command was given does not exist (exit 4), found by the CLI itself."""


def exit_code_for(exc: BaseException) -> int:
    # Order matters: WaitTimeoutError is an APIConnectionError, NotFoundError an
    # InvalidRequestError. Client-side errors map like the server answer they stand for.
    if isinstance(exc, (e.WaitTimeoutError, e.ProcessingError)):
        return EXIT_PROCESSING
    if isinstance(exc, (e.NotFoundError, NotFound)):
        return EXIT_NOT_FOUND
    if isinstance(exc, (e.InvalidRequestError, e.InvalidInputError, UsageError)):
        return EXIT_USAGE
    if isinstance(
        exc,
        (
            e.AuthenticationError,
            e.MissingAPIKeyError,
            e.TokenStoreError,
            e.PermissionDeniedError,
            e.InsufficientCreditsError,
        ),
    ):
        return EXIT_AUTH
    if isinstance(exc, Aborted):
        return EXIT_ABORTED
    return EXIT_SERVER
