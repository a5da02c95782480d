"""Run the fault-injection and hostile-case suites and print the tally::

    faults tried: N, survived: M
    hostile cases tried: N, survived: M

    python -m tests.reliability.tally          # fault and hostile tests only
    python -m tests.reliability.tally --all    # the whole reliability suite

The count itself is printed by tests/reliability/conftest.py (a pytest terminal-summary hook),
so a plain ``pytest tests/reliability`` prints it too. Exit status is pytest's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    # Hostile cases live in test_hostile*.py files (one per concern).
    targets = (
        [HERE] if "--all" in argv else [HERE / "test_faults.py", *HERE.glob("test_hostile*.py")]
    )
    rest = [a for a in argv if a != "--all"]
    return int(pytest.main([*map(str, sorted(targets)), "-q", "-p", "no:randomly", *rest]))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
