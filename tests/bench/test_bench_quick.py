"""Smoke test of the benchmarks: ``bench/run.py --quick --json`` runs and yields every row.

Never asserts timings (they depend on the machine). Deselect with ``-m "not bench"``.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "overhead_sync",
    "overhead_async",
    "adapter_langchain",
    "adapter_langchain_cpu",
    "adapter_langchain_own",
    "adapter_llama_index",
    "adapter_llama_index_cpu",
    "adapter_llama_index_own",
    "ingest_async",
    "upload_rss",
    "upload_throughput",
    "import_bare",
    "import_client",
    "import_langchain",
    "import_llama_index",
    "suite_time",
    "bulk_floor",
    "bulk_vs_sequential_1qps",
    "bulk_vs_sequential_fast",
    "hybrid_latency",
    "shared_quota",
    "shared_quota_per_process",
    "rag_cache_hit_rate",
    "rag_cache_speedup",
}


@pytest.mark.bench
@pytest.mark.timeout(300)
@pytest.mark.skipif(
    bool(os.environ.get("MEMORIES_BENCH_INNER")), reason="running inside bench/run.py"
)
def test_quick_run_reports_every_row() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=280,
    )
    assert out.returncode == 0, out.stderr[-4000:]
    rows = json.loads(out.stdout)["rows"]
    assert {row["key"] for row in rows} == EXPECTED
    for row in rows:
        assert isinstance(row["measured"], float) and math.isfinite(row["measured"]), row
