"""Code blocks of the README and the docs site, as the snippet tests run them.

A fenced ``python`` block runs against the emulator, in page order, with one namespace per page
(as a reader runs them one after another). A block right after ``<!-- snippet: live -->`` needs
a live memories.ai key, and ``<!-- snippet: fragment -->`` marks an excerpt that does not run on
its own (a signature, a config shape): both are only compiled. Top-level ``await`` is allowed.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"<!--\s*snippet:\s*(live|fragment)\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass(frozen=True)
class Snippet:
    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    code: str
    marker: str | None  # "live", "fragment" or None (runs)

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def snippets(page: Path) -> list[Snippet]:
    """Every fenced block of one Markdown page, with the marker written just before it."""
    found: list[Snippet] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next(j for j in range(index + 1, len(lines)) if lines[j].startswith("```"))
        before = next((lines[j] for j in range(index - 1, -1, -1) if lines[j].strip()), "")
        marker = MARKER.search(before)
        code = "\n".join(lines[index + 1 : end]) + "\n"
        found.append(Snippet(page, index + 1, opening.group(1), code, marker and marker.group(1)))
        index = end + 1
    return found


def compile_snippet(snippet: Snippet) -> CodeType:
    code: CodeType = compile(
        snippet.code, snippet.name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True
    )
    return code


def run_snippet(snippet: Snippet, namespace: dict[str, object]) -> None:
    """Run one block in the page's namespace; a block with top-level await runs in a loop."""
    code = compile_snippet(snippet)
    result = eval(code, namespace)  # the project's own documentation
    if inspect.iscoroutine(result):
        asyncio.run(result)
