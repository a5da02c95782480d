"""Row 6: test time of the offline suite (pytest's own "in N s", i.e. session time without
interpreter start-up), run the way CI runs it: replay-only cassettes, sockets disabled (the
pyproject defaults), benchmark smoke test deselected so it cannot recurse into this script.

Quick mode only collects tests/bench: running the suite would not fit CI's quick budget.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from _common import ROOT, Row, child_env

TARGET_S = 60.0
# Set for the inner pytest: the bench smoke test skips itself when it sees this.
INNER_ENV = "MEMORIES_BENCH_INNER"
_DURATION = re.compile(r"in ([0-9.]+)s")
_COUNTS = re.compile(r"(\d+) (passed|failed|error|errors|skipped|tests? collected)")


def run(*, quick: bool) -> list[Row]:
    cmd = [sys.executable, "-m", "pytest", "-q", "-m", "not bench", "-p", "no:randomly"]
    if quick:
        # Collect the smallest directory: proves the command and the parsing, in seconds.
        cmd += ["--collect-only", "tests/bench"]
    env = child_env()
    env[INNER_ENV] = "1"
    start = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    tail = (out.stdout.strip().splitlines() or [""])[-1]
    match = _DURATION.search(tail)
    seconds = float(match.group(1)) if match else wall
    counts = ", ".join(f"{n} {what}" for n, what in _COUNTS.findall(tail)) or tail[:80]
    what = "collection only (quick)" if quick else "offline suite"
    return [
        Row(
            "suite_time",
            f"pytest {what}, {os.cpu_count()} cores",
            f"< {TARGET_S:.0f} s test time",
            seconds,
            "s",
            None if quick else seconds < TARGET_S and out.returncode == 0,
            f"{counts}; exit {out.returncode}; {wall:.1f} s wall incl. start-up",
            {"wall_s": wall, "exit_code": float(out.returncode)},
        )
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
