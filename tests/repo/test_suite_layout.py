"""Facts the suite's own configuration relies on (tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
BENCH_MARK = re.compile(r"mark\s*\.\s*" + "bench" + r"\b")


def test_bench_tests_live_only_in_tests_bench() -> None:
    """``pytest -m bench`` collects tests/bench alone, so a bench test elsewhere never runs."""
    elsewhere = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if "bench" not in path.relative_to(TESTS).parts[:1]
        and path != Path(__file__).resolve()
        and BENCH_MARK.search(path.read_text(encoding="utf-8"))
    ]
    assert elsewhere == []
    assert any(BENCH_MARK.search(p.read_text(encoding="utf-8")) for p in TESTS.glob("bench/*.py"))
