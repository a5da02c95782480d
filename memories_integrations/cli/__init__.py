"""The ``memories`` command line (also ``python -m memories_integrations``).

Exit codes: 0 ok, 1 aborted by the user, 2 usage / bad input, 3 authentication or account
problem, 4 not found, 5 server or transport error, 6 processing failed or wait timed out.
"""

from memories_integrations.cli._app import main
from memories_integrations.cli._errors import (
    EXIT_ABORTED,
    EXIT_AUTH,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_PROCESSING,
    EXIT_SERVER,
    EXIT_USAGE,
    exit_code_for,
)

__all__ = [
    "EXIT_ABORTED",
    "EXIT_AUTH",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_PROCESSING",
    "EXIT_SERVER",
    "EXIT_USAGE",
    "exit_code_for",
    "main",
]
