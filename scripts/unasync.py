"""Generate the sync client from the async one, as httpcore does.

The async code is the one source: every ``<layer>/_async/*.py`` of the package becomes
``<layer>/_sync/*.py`` by the word substitutions below. What a substitution cannot express is
a hand-written pair whose names differ only by the ``Async`` prefix (``_transport/flavors.py``,
``_client/conversions.py``, the raw-response forwards in ``_client/compose.py``).

    python scripts/unasync.py           # regenerate
    python scripts/unasync.py --check   # exit 1 if a generated file is stale (CI runs this)

Edit the files under ``_async/``, never the generated ones.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PACKAGE = "memories_integrations"


def pairs(root: Path) -> list[tuple[Path, Path]]:
    """(source, generated) folders: every ``_async/`` of the package beside its ``_sync/``."""
    return [(src, src.with_name("_sync")) for src in sorted((root / PACKAGE).rglob("_async"))]


HEADER = "# Generated from {source} by scripts/unasync.py: edit that file, not this one.\n"

# Applied in order to every line; each pattern carries its own word boundaries.
SUBS: list[tuple[str, str]] = [
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAwaitable\[(\w+)\]", r"\1"),  # Callable[[], Awaitable[R]] -> Callable[[], R]
    (r"\bAwaitable, ", ""),  # ... and its import
    (r"\bAsync([A-Z]\w*)", r"\1"),  # AsyncTransport -> Transport, httpx.AsyncClient -> Client
    (r"\bAsynchronous\b", "Synchronous"),
    (r"\basync (def|with|for)\b", r"\1"),
    (r"\bawait ", ""),
    (r"\baclose\b", "close"),
    (r"\baiter_(\w+)", r"iter_\1"),
    (r"\b__a(enter|exit|iter|next)__\b", r"__\1__"),
    (r"\bimport asyncio\b", "import time"),
    (r"\basyncio\.sleep\b", "time.sleep"),
    (r"\bwait_async\b", "wait"),  # the callback subscription's blocking twin
    (r"\bafetch_keyframes\b", "fetch_keyframes"),  # the tool core's keyframe download
    (r"\._async\b", "._sync"),
]
COMPILED = [(re.compile(pattern), repl) for pattern, repl in SUBS]


def unasync_text(text: str) -> tuple[str, set[int]]:
    """The sync twin of one async source text, and which substitutions it used."""
    used: set[int] = set()
    lines = []
    for line in text.splitlines(keepends=True):
        for index, (regex, repl) in enumerate(COMPILED):
            new = regex.sub(repl, line)
            if new != line:
                used.add(index)
            line = new
        lines.append(line)
    return "".join(lines), used


def planned_outputs(root: Path) -> tuple[dict[Path, str], set[int]]:
    """Every generated path with the text it must hold."""
    outputs: dict[Path, str] = {}
    used: set[int] = set()
    for src, dst in pairs(root):
        for path in sorted(src.glob("*.py")):
            out = dst / path.name
            text, file_used = unasync_text(path.read_text(encoding="utf-8"))
            used |= file_used
            relative = path.relative_to(root / PACKAGE).as_posix()
            outputs[out] = HEADER.format(source=relative) + text
    return outputs, used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    outputs, used = planned_outputs(args.root)
    unused = [SUBS[i][0] for i in range(len(SUBS)) if i not in used]
    if unused:  # a rule nothing needs is a rule that hides a mistake
        print(f"unused substitutions: {unused}", file=sys.stderr)
        return 1
    generated_dirs = {out.parent for out in outputs if out.parent.name == "_sync"}
    strays = [
        path
        for directory in generated_dirs
        for path in sorted(directory.glob("*.py"))
        if path not in outputs
    ]
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text("utf-8") != text]
    if args.check:
        for path in stale + strays:
            what = "stray (no async source)" if path in strays else "stale"
            print(f"{path.relative_to(args.root)}: {what}", file=sys.stderr)
        if stale or strays:
            print("run: python scripts/unasync.py", file=sys.stderr)
            return 1
        return 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path.relative_to(args.root)}")
    for path in strays:
        path.unlink()
        print(f"removed {path.relative_to(args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
