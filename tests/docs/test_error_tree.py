"""The error tree drawn in docs/client.md is the real class tree of ``errors``."""

from __future__ import annotations

import re
from pathlib import Path

from memories_integrations import errors

PAGE = Path(__file__).resolve().parents[2] / "docs" / "client.md"


def _drawn_parents() -> dict[str, str]:
    block = PAGE.read_text(encoding="utf-8").split("```text\nMemoriesError\n", 1)[1]
    block = block.split("```", 1)[0]
    parents: dict[str, str] = {}
    stack = ["MemoriesError"]
    for line in block.splitlines():
        match = re.match(r"^([│ ]*)[├└]── (\w+)", line)
        assert match, line
        depth = len(match.group(1)) // 4
        del stack[depth + 1 :]
        parents[match.group(2)] = stack[depth]
        stack.append(match.group(2))
    return parents


def _real_parents() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in dir(errors):
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, errors.MemoriesError):
            if cls is errors.MemoriesError or cls.__module__ != errors.__name__:
                continue
            base = next(b for b in cls.__mro__[1:] if issubclass(b, errors.MemoriesError))
            found[cls.__name__] = base.__name__
    return found


def test_the_documented_error_tree_is_the_class_tree() -> None:
    assert _drawn_parents() == _real_parents()
