"""The package's import graph: no cycles (type-only and lazy imports count) and the layer order.

Layers, bottom to top (see the README's layout section): a module imports only its own layer or
lower ones. ``testing/`` (the emulator) imports nothing of the package but a few L0 modules.
The public facades at the top re-export one layer and belong to it; code inside the package
imports the layer module, never the facade.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = "memories_integrations"
ROOT = Path(__file__).resolve().parents[2] / PACKAGE

LAYERS: dict[str, int] = {
    "errors": 0,
    "_version": 0,
    "_secrets": 0,  # the registry of live secrets that errors and reports scrub
    "_extras": 0,  # the ImportError naming an optional extra
    "_units": 0,  # sizes for people in messages
    "_loopback": 0,  # the uvicorn server of the emulator and CallbackServer (stops at once)
    "models": 1,
    "_endpoints": 2,
    "_transport": 3,
    "auth": 3,  # facade of _transport.auth
    "_lifecycle": 4,
    "callbacks": 4,  # facade of _lifecycle
    "_client": 5,
    "ingest": 5,  # facade of _client.ingest
    "cache": 5,  # facade of _client.cache*
    "_tools": 6,
    "citations": 1,  # facade of models.citations
    "keyframes": 6,  # facade of _tools.keyframes
    "langchain": 7,
    "llama_index": 7,
    "mcp": 7,
    "evaluation": 7,  # moment-level retrieval evaluation over the frameworks' retrievers
    "cli": 8,
    "__main__": 8,
    "__init__": 9,  # the package facade re-exports everything
    "testing": 9,  # may be used by the top (cli demo); checked on its own below
}
FACADES = {"auth", "cache", "callbacks", "citations", "ingest", "keyframes"}
TESTING_MAY_IMPORT = {"errors", "_version", "_secrets", "_loopback", "testing"}
# Offline demos outside the CLI that start the emulator (``memories eval --demo``, the example).
STARTS_THE_EMULATOR = {"evaluation.demo"}


# Each client converts into its twin (``to_sync`` / ``to_async``): the two client modules reach
# each other through the hand-written pair in ``_client/conversions.py``, imported lazily.
TWINS: set[tuple[str, str]] = {
    ("_client.conversions", "_client._async.client"),
    ("_client.conversions", "_client._sync.client"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py")) if "__pycache__" not in p.parts}


def imported(source: str, name: str, known: set[str], *, is_package: bool = False) -> set[str]:
    """Every package module the source of ``name`` imports, wherever the statement stands
    (module level, ``if TYPE_CHECKING:``, inside a function)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            stem = node.module or ""
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                stem = ".".join([PACKAGE, *base, *([stem] if stem else [])])
            # ``from pkg import name``: the submodule when it is one, else pkg itself.
            subs = [f"{stem}.{alias.name}" for alias in node.names]
            targets = [t for t in subs if t[len(PACKAGE) + 1 :] in known] or [stem]
        for target in targets:
            if target == PACKAGE:
                found.add("__init__")
            elif target.startswith(PACKAGE + "."):
                rel = target[len(PACKAGE) + 1 :]
                while rel and rel not in known:
                    rel = rel.rpartition(".")[0]
                if rel:
                    found.add(rel)
    return found - {name}


@functools.cache  # parsed once for the three tests that read it (none changes it)
def graph() -> dict[str, frozenset[str]]:
    mods = modules()
    known = set(mods)
    return {
        name: frozenset(
            imported(
                path.read_text(encoding="utf-8"), name, known, is_package=path.name == "__init__.py"
            )
        )
        for name, path in mods.items()
    }


def layer_of(module: str) -> tuple[str, int]:
    top = module.split(".")[0]
    return top, LAYERS[top]


def edges() -> list[tuple[str, str]]:
    return sorted((a, b) for a, targets in graph().items() for b in targets)


def test_every_top_level_module_has_a_layer() -> None:
    missing = {m.split(".")[0] for m in graph()} - set(LAYERS)
    assert not missing, f"give these a layer in LAYERS: {sorted(missing)}"


def test_no_module_imports_a_higher_layer() -> None:
    bad = []
    for a, b in edges():
        if a == "__init__":
            continue
        (top_a, la), (top_b, lb) = layer_of(a), layer_of(b)
        if top_a == "testing":
            if top_b not in TESTING_MAY_IMPORT:
                bad.append(f"{a} -> {b} (the emulator imports no client code)")
        elif top_b == "testing":
            if top_a != "cli" and a not in STARTS_THE_EMULATOR:
                bad.append(f"{a} -> {b} (only the CLI and the offline demos start the emulator)")
        elif lb > la:
            bad.append(f"{a} (L{la}) -> {b} (L{lb})")
        elif top_b in FACADES and top_a != top_b:
            bad.append(f"{a} -> {b} (import the layer module, not the public facade)")
    assert not bad, "imports against the layer order:\n" + "\n".join(bad)


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while (w := stack.pop()) != v:
                group.add(w)
            if group:
                groups.append(group | {v})

    for v in sorted(g):
        if v not in index:
            visit(v)
    return [path_through(g, group) for group in groups]


def path_through(g: dict[str, set[str]], group: set[str]) -> list[str]:
    """A shortest cycle from the group's first module back to itself, inside the group."""
    start = min(group)
    paths = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop(0)
        for nxt in sorted(g[node] & group):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                todo.append(nxt)
    raise AssertionError(group)


def test_no_import_cycles() -> None:
    # The package facade lazily re-exports everything; it closes no cycle a module could see.
    g = {
        a: {b for b in targets if b != "__init__" and (a, b) not in TWINS}
        for a, targets in graph().items()
        if a != "__init__"
    }
    found = [" -> ".join(c) for c in cycles(g)]
    assert not found, "import cycles:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("source", "expect"),
    [
        ("from memories_integrations import errors as e\n", {"errors"}),
        (
            "def f():\n    from memories_integrations._client._async import client\n",
            {"_client._async.client"},
        ),
        (
            "if TYPE_CHECKING:\n    from memories_integrations.models import ChatEvent\n",
            {"models"},
        ),
        ("from ..errors import MemoriesError\n", {"errors"}),
    ],
)
def test_the_scanner_sees_lazy_type_only_and_relative_imports(
    source: str, expect: set[str]
) -> None:
    assert imported(source, "_tools.probe", set(modules())) == expect
