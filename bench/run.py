"""Run every benchmark of issue #7 and print one table (``python bench/run.py [--quick]``).

Full run: a few minutes; writes bench/RESULTS.md. ``--quick``: small sizes and few rounds so CI
can prove the scripts work (< 60 s); timings from it mean little. ``--json`` prints the rows as
JSON instead of the table. The emulator runs in its own process, shared by the rows.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import adapters
import bulk_load
import import_cost
import ingest
import overhead
import rag_cache
import shared_quota
import suite_time
import upload_memory
from _common import BENCH_DIR, Emulator, Row, emulator

RowRunner = Callable[[Emulator, bool], list[Row]]
# (issue row, title, runner, keys it yields: used to report a crashed benchmark's rows)
ROWS: list[tuple[int, str, RowRunner, list[str]]] = [
    (
        1,
        "per-call overhead",
        lambda e, q: overhead.run(e, quick=q),
        ["overhead_sync", "overhead_async"],
    ),
    (
        2,
        "adapter overhead",
        lambda e, q: adapters.run(e, quick=q),
        ["adapter_langchain", "adapter_llama_index"],
    ),
    (3, "async ingest", lambda e, q: ingest.run(e, quick=q), ["ingest_async"]),
    (
        4,
        "streaming upload memory",
        lambda e, q: upload_memory.run(e, quick=q),
        ["upload_rss", "upload_throughput"],
    ),
    (
        5,
        "import cost",
        lambda e, q: import_cost.run(quick=q),
        ["import_bare", "import_client", "import_langchain", "import_llama_index"],
    ),
    (6, "test-suite time", lambda e, q: suite_time.run(quick=q), ["suite_time"]),
    (
        7,
        "adapter bulk loading and hybrid latency (issue 13)",
        lambda e, q: bulk_load.run(e, quick=q),
        ["bulk_floor", "bulk_vs_sequential_1qps", "bulk_vs_sequential_fast", "hybrid_latency"],
    ),
    (
        8,
        "one quota for every worker (issue 23)",
        lambda e, q: shared_quota.run(e, quick=q),
        ["shared_quota", "shared_quota_per_process"],
    ),
    (
        9,
        "RAG replay through the response cache (issue 23)",
        lambda e, q: rag_cache.run(e, quick=q),
        ["rag_cache_hit_rate", "rag_cache_speedup"],
    ),
]


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.machine()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "error"
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:.1f} {unit}" if value >= 10 else f"{value:.2f} {unit}"


def table(rows: list[tuple[int, Row]]) -> str:
    lines = ["| # | figure | target | measured | met? | detail |", "|---|---|---|---|---|---|"]
    for number, row in rows:
        met = {True: "yes", False: "**no**", None: "n/a"}[row.met]
        lines.append(
            f"| {number} | {row.figure} | {row.target} | {fmt(row.measured, row.unit)} | {met} "
            f"| {row.detail} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small and fast (CI smoke run)")
    parser.add_argument("--json", action="store_true", help="print rows as JSON")
    parser.add_argument("--only", type=int, nargs="*", help="issue row numbers to run")
    parser.add_argument("--write", action="store_true", help="write RESULTS.md (default: full)")
    args = parser.parse_args()

    started, load_before = time.time(), os.getloadavg()
    results: list[tuple[int, Row]] = []
    failed = False
    with emulator() as emu:
        for number, title, runner, keys in ROWS:
            if args.only and number not in args.only:
                continue
            print(f"[bench] row {number}: {title} ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                rows = runner(emu, args.quick)
            except Exception as exc:
                traceback.print_exc()
                failed = True
                rows = [Row(k, title, "", math.nan, "", False, f"error: {exc!r}") for k in keys]
            print(f"[bench]   {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            results.extend((number, row) for row in rows)
    load = f"load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after"
    header = (
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))} "
        f"({'quick' if args.quick else 'full'} run, {time.time() - started:.0f} s); "
        f"{machine()}; {load}."
    )
    if args.json:
        print(
            json.dumps(
                {"header": header, "rows": [{"row": n, **r.as_dict()} for n, r in results]},
                indent=2,
            )
        )
    else:
        print(header + "\n\n" + table(results))
    if args.write or not (args.quick or args.only):
        write_results(header, table(results))
    return 1 if failed else 0


def write_results(header: str, body: str) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH_DIR
    ).stdout.strip()
    text = (
        "# Benchmark results (issue #7)\n\n"
        f"{header} Commit {commit or 'unknown'} plus working tree.\n\n"
        "Reproduce: `python bench/run.py` (full, writes this file) or "
        "`python bench/run.py --quick` (CI smoke run). Ratios are medians of per-round ratios, "
        "rounds interleaved A/B; the emulator runs in a separate process on loopback.\n\n"
        f"{body}\n"
    )
    (BENCH_DIR / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    sys.exit(main())
