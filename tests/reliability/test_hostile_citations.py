"""Hostile answers to the citation checker: huge numbers, reversed ranges, huge one-line
answers (issue 21 items 6, 11, 15)."""

from __future__ import annotations

import time

import pytest

from memories_integrations.models.citations import (
    MAX_CHECKED,
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


def test_one_line_megabyte_answer_is_linear() -> None:
    answer = "demo VI1234 at 00:05, " * 48_000  # ~1 MB, one line, ~48k times
    started = time.monotonic()
    report = verify_citations(answer, REFS)
    annotate_unsupported(answer, report)
    assert time.monotonic() - started < 10
    assert report.citations[0].supported and report.citations[0].video_no == "VI1234"


def test_annotate_many_unsupported_is_linear() -> None:
    answer = "at 09:59 " * 175_000
    started = time.monotonic()
    report = verify_citations(answer, REFS)
    out = annotate_unsupported(answer, report)
    assert time.monotonic() - started < 10
    assert out.count("[unverified: 09:59]") == 175_000


def test_citations_past_the_cap_are_not_claimed_supported() -> None:
    answer = "at 00:05 " * (MAX_CHECKED + 3)
    report = verify_citations(answer, REFS)
    assert len(report.supported) == MAX_CHECKED
    assert all(not c.supported for c in report.citations[MAX_CHECKED:])
