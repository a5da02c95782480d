"""The batch progress view moves while it waits: a live countdown, a spinner while encoding."""

from __future__ import annotations

import io

from rich.console import Console

from memories_integrations._client.ingest import IngestProgress
from memories_integrations.cli._output import Output
from memories_integrations.cli._upload import BatchView
from memories_integrations.models import VideoStatus


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _view(clock: Clock) -> tuple[BatchView, io.StringIO]:
    out = Output(json_mode=False)
    sink = io.StringIO()
    out._err = Console(file=sink, width=160, force_terminal=False, color_system=None)
    return BatchView(out, clock=clock), sink


def test_the_rate_limit_countdown_counts_down_without_new_events() -> None:
    clock = Clock()
    view, _ = _view(clock)
    view.update(IngestProgress(0, "a.mp4", "waiting", wait_seconds=61.0))
    assert "(61 s)" in view.stage_of(0)
    clock.now += 10  # no new event: the next refresh shows the time left
    assert "(51 s)" in view.stage_of(0)
    clock.now += 100
    assert "(0 s)" in view.stage_of(0)


def test_encoding_shows_a_spinner_and_the_time_spent_encoding() -> None:
    clock = Clock()
    view, _ = _view(clock)
    view.update(IngestProgress(0, "a.mp4", "encoding", video_no="VI1", status=VideoStatus.UNPARSE))
    first = view.stage_of(0)
    assert "00:00:00" in first and "UNPARSE" in first
    clock.now += 65.35
    # a later poll with the same status keeps the start of the encoding stage
    view.update(IngestProgress(0, "a.mp4", "encoding", video_no="VI1", status=VideoStatus.UNPARSE))
    later = view.stage_of(0)
    assert "00:01:05" in later
    assert first.split()[0] != later.split()[0]  # the spinner frame moved


def test_the_view_renders_the_live_cells() -> None:
    clock = Clock()
    view, sink = _view(clock)
    with view:
        view.update(IngestProgress(0, "a.mp4", "waiting", wait_seconds=30.0))
        clock.now += 12
        view.progress.refresh()
    assert "waiting for the upload limit (18 s)" in sink.getvalue()
