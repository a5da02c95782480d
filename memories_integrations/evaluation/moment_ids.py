"""Moments as text ids (the retrievers' ``source`` links), for evaluators that only pass ids:
``memories://<unique_id>/<video_no>?t=<start>-<end>``."""

from __future__ import annotations

import re

from memories_integrations._tools.documents import source_link
from memories_integrations.errors import InvalidInputError
from memories_integrations.evaluation.dataset import Window
from memories_integrations.evaluation.metrics import Moment

__all__ = ["moment_id", "parse_moment", "parse_window"]

_LINK = re.compile(
    r"^memories://(?P<ns>[^/]*)/(?P<video>[^?]+)\?t=(?P<start>[\d.]+)-(?P<end>[\d.]+)$"
)


def moment_id(video_no: str, start: float, end: float, unique_id: str = "default") -> str:
    """The id of a labelled window, in the form the retrievers' ``source`` metadata has."""
    return source_link(unique_id, video_no, start, end)


def _parts(text: str) -> tuple[str, float, float]:
    match = _LINK.match(text.strip())
    if match is None:
        raise InvalidInputError(
            f"not a moment id {text!r}: expected memories://<unique_id>/<video_no>?t=<start>-<end>",
            param="id",
        )
    return match["video"], float(match["start"]), float(match["end"])


def parse_moment(text: str, score: float | None = None) -> Moment:
    video, start, end = _parts(text)
    return Moment(video_no=video, start=start, end=end, score=score)


def parse_window(text: str) -> Window:
    video, start, end = _parts(text)
    return Window(video=video, start=start, end=end)
