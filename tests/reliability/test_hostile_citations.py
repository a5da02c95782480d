"""Hostile answers to the citation checker: huge numbers, reversed ranges, huge one-line
answers (issue 21 items 6, 11, 15)."""

from __future__ import annotations

import time

import pytest

from memories_integrations.models.citations import (
    MAX_CHECKED,
    CitationReport,
    Reference,
    annotate_unsupported,
    verify_citations,
)

REFS = [Reference(video_no="VI1234", start=0.0, end=30.0, video_name="demo")]


@pytest.mark.parametrize(
    "answer",
    ["1" * 5000 + "m 5s", "9" * 400 + "h 1m 5s", "at " + "7" * 5000 + " seconds"],
    ids=["minutes", "hours", "seconds"],
)
def test_huge_numbers_are_unsupported_not_a_crash(answer: str) -> None:
    report = verify_citations(answer, REFS)
    assert report.citations and not report.all_supported
    assert "[unverified:" in annotate_unsupported(answer, report)


def test_reversed_range_is_unsupported() -> None:
    report = verify_citations("VI1234 shows it at 10-5 seconds", REFS)
    assert [c.text for c in report.citations] == ["10-5 seconds"]
    assert not report.citations[0].supported


def test_forward_range_still_supported() -> None:
    assert verify_citations("VI1234 shows it at 5-10 seconds", REFS).all_supported


def _check_and_annotate(answer: str) -> tuple[float, CitationReport, str]:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    report = verify_citations(answer, REFS)
    out = annotate_unsupported(answer, report)
    return time.process_time() - started, report, out


def test_one_line_megabyte_answer_is_linear() -> None:
    line = "demo VI1234 at 00:05, "
    small, _, _ = _check_and_annotate(line * 6_000)
    took, report, _ = _check_and_annotate(line * 48_000)  # ~1 MB, one line, ~48k times
    assert took < 10
    assert took < 20 * max(small, 0.01)  # 8x the input: linear ~8x the time, quadratic ~64x
    assert report.citations[0].supported and report.citations[0].video_no == "VI1234"


def test_annotate_many_unsupported_is_linear() -> None:
    small, _, _ = _check_and_annotate("at 09:59 " * 5_000)
    took, _, out = _check_and_annotate("at 09:59 " * 40_000)
    assert took < 10
    assert took < 20 * max(small, 0.01)  # 8x the input: linear ~8x the time, quadratic ~64x
    assert out.count("[unverified: 09:59]") == 40_000


def test_citations_past_the_cap_are_not_claimed_supported() -> None:
    answer = "at 00:05 " * (MAX_CHECKED + 3)
    report = verify_citations(answer, REFS)
    assert len(report.supported) == MAX_CHECKED
    assert all(not c.supported for c in report.citations[MAX_CHECKED:])
