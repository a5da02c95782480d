"""Row 5: import cost, each statement timed inside a fresh interpreter (median of several);
statements are run round-robin so machine load affects them alike.

The client row is a ratio to ``import httpx, pydantic`` (issue 10: <= 1.3x), measured side by side
in the same rounds, and checks that the client pulls in none of ``CLIENT_FORBIDDEN``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from _common import Row, child_env, median

TARGET_MS = 150.0
FORBIDDEN = ("langchain", "langchain_core", "llama_index", "starlette", "uvicorn", "mcp")
# The CLI's rich (and click, pygments) are not the client's; httpx's own CLI imports them when
# installed, so they count only if the client loads them beyond ``import httpx, pydantic``.
CLIENT_FORBIDDEN = (*FORBIDDEN, "rich", "click", "pygments")
CLIENT_TARGET = 1.3
BARE = "import memories_integrations"
DEPS = "import httpx, pydantic"
# pydantic 2 loads BaseModel's machinery lazily, so `import pydantic` alone does not pay for it;
# any client with response models does. Reported beside the ratio as the practical floor.
FLOOR = "import httpx; from pydantic import BaseModel"
STATEMENTS = {
    "import_bare": BARE,
    "import_deps": DEPS,
    "import_floor": FLOOR,
    "import_client": "from memories_integrations import MemoriesClient",
    "import_langchain": "import memories_integrations.langchain",
    "import_llama_index": "import memories_integrations.llama_index",
}
_PROBE = """
import json, sys, time
start = time.perf_counter()
{stmt}
elapsed = time.perf_counter() - start
roots = sorted({{name.split(".")[0] for name in sys.modules}})
print(json.dumps({{"ms": elapsed * 1e3, "modules": roots}}))
"""


def _once(stmt: str) -> tuple[float, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(stmt=stmt)],
        check=True,
        capture_output=True,
        text=True,
        env=child_env(),
    )
    data = json.loads(out.stdout)
    return float(data["ms"]), list(data["modules"])


def run(*, quick: bool) -> list[Row]:
    # The adapters pull in whole frameworks (seconds each on a loaded 2-core box): fewer runs.
    reps = (
        {"import_bare": 3, "import_client": 3, "import_deps": 3, "import_floor": 3}
        if quick
        else {"import_bare": 15, "import_client": 15, "import_deps": 15, "import_floor": 15}
    )
    default_reps = 1 if quick else 5
    times: dict[str, list[float]] = {key: [] for key in STATEMENTS}
    leaked: set[str] = set()
    client_modules: set[str] = set()
    deps_modules: set[str] = set()
    for i in range(max(reps.values())):
        for key, stmt in STATEMENTS.items():
            if i >= reps.get(key, default_reps):
                continue
            ms, modules = _once(stmt)
            times[key].append(ms)
            if key == "import_bare":
                leaked |= set(modules) & set(FORBIDDEN)
            if key == "import_client":
                client_modules |= set(modules)
            if key == "import_deps":
                deps_modules |= set(modules)
    client_leaked = (client_modules - deps_modules) & set(CLIENT_FORBIDDEN)
    bare = median(times["import_bare"])
    rows = [
        Row(
            "import_bare",
            "`import memories_integrations` (fresh interpreter)",
            f"<= {TARGET_MS:.0f} ms, no framework/emulator modules",
            bare,
            "ms",
            bare <= TARGET_MS and not leaked,
            "imports: "
            + (", ".join(sorted(leaked)) if leaked else f"none of {', '.join(FORBIDDEN)}"),
        )
    ]
    client, deps = median(times["import_client"]), median(times["import_deps"])
    floor = median(times["import_floor"])
    ratio = client / deps
    rows.append(
        Row(
            "import_client",
            f"`{STATEMENTS['import_client']}` vs `{DEPS}` (fresh interpreters)",
            f"<= {CLIENT_TARGET:.1f}x, no CLI/framework modules beyond httpx's",
            ratio,
            "x",
            ratio <= CLIENT_TARGET and not client_leaked,
            f"{client:.0f} ms vs {deps:.0f} ms (`{FLOOR}`: {floor / deps:.2f}x); imports "
            + (
                ", ".join(sorted(client_leaked))
                if client_leaked
                else f"none of {', '.join(CLIENT_FORBIDDEN)}"
            ),
            extra={"client_ms": client, "deps_ms": deps, "floor_ms": floor},
        )
    )
    for key in ("import_langchain", "import_llama_index"):
        rows.append(Row(key, f"`{STATEMENTS[key]}`", "report", median(times[key]), "ms", None))
    return rows


if __name__ == "__main__":
    for row in run(quick=False):
        print(row)
