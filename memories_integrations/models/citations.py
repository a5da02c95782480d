"""Check the timestamps an answer cites against the moments the API actually returned.

A chat model (ours or the agent's) sometimes cites times no returned moment covers.
``verify_citations`` finds every time or range an answer cites — ``01:12``, ``1:01:12``,
``01:10-01:25``, ``1:10 to 1:25``, ``at 72 s``, ``72 seconds``, ``1m12s`` — and marks each as
supported when it lies inside (or within ``tolerance`` seconds of) a returned reference of the
video it names, or of any reference when it names none. ``annotate_unsupported`` flags the
others in the text a model reads (``[unverified: 03:10]``).

>>> report = verify_citations(answer.content, answer.references)
>>> [c.text for c in report.unsupported]
['03:10']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from memories_integrations import errors
from memories_integrations.models._base import hhmmss
from memories_integrations.models.references import ChatReference, RefItem

__all__ = [
    "CitationReport",
    "CitedTime",
    "Reference",
    "annotate_unsupported",
    "as_references",
    "describe",
    "verify_citations",
]


class Reference(BaseModel):
    """One returned moment a citation may rest on: ``video_no`` @ ``[start, end]`` seconds."""

    model_config = ConfigDict(frozen=True)

    video_no: str | None = None
    start: float
    end: float
    video_name: str | None = None


class CitedTime(BaseModel):
    """One time or range the answer cites, and whether a returned reference backs it."""

    model_config = ConfigDict(frozen=True)

    text: str
    """The matched text, e.g. ``"01:10-01:25"`` or ``"72 seconds"``."""
    span: tuple[int, int]
    """``answer_text[span[0]:span[1]] == text``."""
    start: float
    end: float
    """Seconds (``end == start`` for a single point in time)."""
    video_no: str | None = None
    """The video the answer names for it (same line, before it), else None."""
    supported: bool
    nearest: Reference | None = None
    """The closest reference of that video (of any video when none is named)."""
    distance: float | None = None
    """Seconds the citation reaches outside ``nearest`` (0 when inside)."""


class CitationReport(BaseModel):
    """Every cited time of an answer, in order of appearance."""

    model_config = ConfigDict(frozen=True)

    citations: list[CitedTime]
    tolerance: float

    @property
    def supported(self) -> list[CitedTime]:
        return [c for c in self.citations if c.supported]

    @property
    def unsupported(self) -> list[CitedTime]:
        return [c for c in self.citations if not c.supported]

    @property
    def all_supported(self) -> bool:
        return all(c.supported for c in self.citations)

    def summary(self) -> str:
        """One line for a model: how many cited times the references back."""
        total, bad = len(self.citations), len(self.unsupported)
        if not total:
            return "Timestamp check: the answer cites no times."
        if not bad:
            return f"Timestamp check: all {total} cited times match the returned moments."
        shown = ", ".join(c.text for c in self.unsupported)
        return (
            f"Timestamp check: {bad} of {total} cited times match no returned moment ({shown}); "
            "they are marked [unverified: ...]: do not present them as facts."
        )


# --------------------------------------------------------------------------- parsing
_NUM = r"\d+(?:\.\d+)?"
_SEC_UNIT = r"(?:s|secs?|seconds?)\b"
_DASH = "[-\u2013\u2014]"  # hyphen, en dash, em dash
_ATOM = re.compile(
    r"(?P<compound>\b(?:(?P<ch>\d+)\s*h(?:ours?|rs?)?\s*)?(?P<cm>\d+)\s*m(?:ins?|inutes?)?\s*"
    rf"(?P<cs>{_NUM})\s*{_SEC_UNIT})"
    r"|(?P<clock>\b(?:(?P<h>\d{1,2}):)?(?P<m>\d{1,2}):(?P<s>\d{2}(?:\.\d+)?)(?![\d:]))"
    rf"|(?P<secrange>\b(?P<r1>{_NUM})\s*(?:{_DASH}|to)\s*(?P<r2>{_NUM})\s*{_SEC_UNIT})"
    # Not a decade ("the 1990s", "2000s"): a year-like number with an attached "s".
    rf"|(?P<secs>\b(?!(?:1\d|20)\d0s\b)(?P<n>{_NUM})\s*{_SEC_UNIT})",
    re.IGNORECASE,
)
#: What may stand between the two ends of a range ("01:10-01:25", "1:10 to 1:25").
_BETWEEN = re.compile(rf"\s*(?:{_DASH}|to|until|through|and)\s*", re.IGNORECASE)
_VIDEO_NO = re.compile(r"\bVI\d{4,}\b")


def _seconds(match: re.Match[str]) -> tuple[float, float]:
    g = match.groupdict()
    if g["compound"]:
        value = int(g["ch"] or 0) * 3600 + int(g["cm"]) * 60 + float(g["cs"])
        return value, value
    if g["clock"]:
        value = int(g["h"] or 0) * 3600 + int(g["m"]) * 60 + float(g["s"])
        return value, value
    if g["secrange"]:
        return float(g["r1"]), float(g["r2"])
    return float(g["n"]), float(g["n"])


def _cited_times(text: str) -> list[tuple[int, int, float, float]]:
    """(start index, end index, start s, end s) of each cited time; ranges joined."""
    atoms = [(m.start(), m.end(), *_seconds(m)) for m in _ATOM.finditer(text)]
    out: list[tuple[int, int, float, float]] = []
    i = 0
    while i < len(atoms):
        a0, a1, s, e = atoms[i]
        if i + 1 < len(atoms):
            b0, b1, s2, e2 = atoms[i + 1]
            if _BETWEEN.fullmatch(text[a1:b0]) and s2 >= s:
                out.append((a0, b1, s, e2))
                i += 2
                continue
        out.append((a0, a1, s, e))
        i += 1
    return out


# --------------------------------------------------------------------------- references
def as_references(references: Iterable[Any]) -> list[Reference]:
    """``ChatReference``s (a chat's ``references``), ``RefItem``s (its ``moments``),
    ``Reference``s, or mappings with ``video_no`` / ``start_time`` / ``end_time`` (the metadata
    of this package's Documents and nodes) as ``Reference``s."""
    out: list[Reference] = []
    for ref in references:
        if isinstance(ref, Reference):
            out.append(ref)
        elif isinstance(ref, ChatReference):
            name = ref.video.video_name
            out += [_from_item(i, ref.video.video_no, name) for i in ref.ref_items]
        elif isinstance(ref, RefItem):
            out.append(_from_item(ref, None, None))
        elif isinstance(ref, Mapping):
            start = float(ref.get("start_time", ref.get("start", 0.0)) or 0.0)
            end = ref.get("end_time", ref.get("end"))
            out.append(
                Reference(
                    video_no=ref.get("video_no"),
                    start=start,
                    end=max(float(end), start) if end is not None else start,
                    video_name=ref.get("video_name"),
                )
            )
        else:
            raise errors.InvalidInputError(
                f"unsupported reference type {type(ref).__name__}", param="references"
            )
    return out


def _from_item(item: RefItem, video_no: str | None, name: str | None) -> Reference:
    end = item.end_time if item.end_time is not None else item.start_time
    return Reference(
        video_no=item.video_no or video_no,
        start=item.start_time,
        end=max(end, item.start_time),
        video_name=name,
    )


def _named_video(text: str, at: int, refs: list[Reference]) -> str | None:
    """The video named last before ``at`` on the same line: a video number, or the name of a
    referenced video (answers often say '"cooking_demo" at 00:06')."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    best: tuple[int, str] | None = None
    for m in _VIDEO_NO.finditer(before):
        best = (m.start(), m.group(0))
    for ref in refs:
        if ref.video_name and ref.video_no:
            pos = before.rfind(ref.video_name)
            if pos >= 0 and (best is None or pos > best[0]):
                best = (pos, ref.video_no)
    return best[1] if best else None


def _outside(start: float, end: float, ref: Reference) -> float:
    """How far ``[start, end]`` reaches outside ``ref`` (0 when inside)."""
    return max(ref.start - start, end - ref.end, 0.0)


def _covered(start: float, end: float, refs: list[Reference], tolerance: float) -> bool:
    """Inside the union of the references (each widened by ``tolerance``): a range across two
    adjacent moments is backed, one across a gap between them is not."""
    spans = sorted((r.start - tolerance, r.end + tolerance) for r in refs)
    lo, hi = spans[0] if spans else (0.0, -1.0)
    for s, e in spans[1:]:
        if s <= hi:
            hi = max(hi, e)
            continue
        if lo <= start and end <= hi:
            return True
        lo, hi = s, e
    return bool(spans) and lo <= start and end <= hi


def verify_citations(
    answer_text: str, references: Iterable[Any], *, tolerance: float = 2.0
) -> CitationReport:
    """Find every time the answer cites and check it against ``references`` (see
    ``as_references`` for what they may be). A citation naming a video (by number or by a
    referenced video's name, earlier on its line) must fall within ``tolerance`` seconds of a
    reference of that video; one naming none, of any reference."""
    if not isinstance(answer_text, str):
        raise errors.InvalidInputError("answer_text must be a string", param="answer_text")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise errors.InvalidInputError("tolerance must be seconds >= 0", param="tolerance")
    refs = as_references(references)
    cited = []
    for i0, i1, start, end in _cited_times(answer_text):
        video_no = _named_video(answer_text, i0, refs)
        pool = [r for r in refs if video_no is None or r.video_no == video_no]
        nearest = min(pool, key=lambda r: _outside(start, end, r), default=None)
        cited.append(
            CitedTime(
                text=answer_text[i0:i1],
                span=(i0, i1),
                start=start,
                end=end,
                video_no=video_no,
                supported=_covered(start, end, pool, float(tolerance)),
                nearest=nearest,
                distance=_outside(start, end, nearest) if nearest is not None else None,
            )
        )
    return CitationReport(citations=cited, tolerance=float(tolerance))


def annotate_unsupported(text: str, report: CitationReport) -> str:
    """``text`` with each unsupported citation replaced by ``[unverified: <it>]`` (``report``
    must come from ``verify_citations`` on this same text)."""
    out = text
    for c in sorted(report.unsupported, key=lambda c: c.span[0], reverse=True):
        i0, i1 = c.span
        if out[i0:i1] != c.text:
            raise errors.InvalidInputError("the report was made for another text", param="report")
        out = f"{out[:i0]}[unverified: {c.text}]{out[i1:]}"
    return out


def describe(c: CitedTime) -> str:
    """``01:10-01:25 (VI1): supported by VI1 @ 00:01:08-00:01:30``: one line per citation."""
    video = f" ({c.video_no})" if c.video_no else ""
    verdict = "supported" if c.supported else "UNSUPPORTED"
    if c.nearest is None:
        return f"{c.text}{video}: {verdict}, no reference of that video"
    n = c.nearest
    where = f"{n.video_no or '?'} @ {hhmmss(n.start)}-{hhmmss(n.end)}"
    return f"{c.text}{video}: {verdict}, nearest {where} ({c.distance:g} s outside)"
