"""``memories upload a.mp4 b.mp4`` says "waiting for the upload limit" while the client's limiter
paces the batch (issue 11 item 4), through the real CLI path: argv -> make_client -> ingest ->
the limiter's wait hook -> the progress bars."""

from __future__ import annotations

import functools
import itertools

import pytest

from memories_integrations import MemoriesClient
from memories_integrations._transport.retry import Rate
from memories_integrations.cli import _commands, _upload, main
from memories_integrations.ingest import IngestProgress
from memories_integrations.testing import EmulatorServer, sample_videos


def test_batch_upload_shows_the_upload_limit_wait(
    emu: EmulatorServer,
    conn: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The default limiter (tests/conftest.py turns it off), with upload at 1 per 0.6 s instead
    # of the documented 1 per minute so the test stays short; the emulator does not limit.
    # Two files: the second is held back.
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    monkeypatch.setattr(
        _commands,
        "MemoriesClient",
        functools.partial(MemoriesClient, rate_limits={"upload": Rate(1, 0.6)}),
    )
    shown: list[tuple[int, str, str]] = []  # (item, stage, the text its bar shows)
    update = _upload.BatchView.update

    def spy(view: _upload.BatchView, event: IngestProgress) -> None:
        update(view, event)
        shown.append((event.index, event.stage, view.stage_of(event.index)))

    monkeypatch.setattr(_upload.BatchView, "update", spy)
    before = len(emu.requests("/serve/api/v1/upload"))
    files = [str(p) for p in sample_videos()[:2]]

    assert main(["upload", *files, "--concurrency", "2", *conn]) == 0
    out = capsys.readouterr().out

    # Every file uploaded (the table on stdout), the uploads paced by the client's limiter.
    assert all(p.rsplit("/", 1)[-1] in out for p in files), out
    times = [r.time for r in emu.requests("/serve/api/v1/upload")[before:]]
    assert len(times) == 2
    assert all(b - a >= 0.5 for a, b in itertools.pairwise(sorted(times))), times
    # The item held back said so on its bar, with the seconds left; its bytes went after the
    # wait (ingest reports "uploading" once before the client's send waits its turn).
    waiting = [(i, text) for i, stage, text in shown if stage == "waiting"]
    assert len({i for i, _ in waiting}) == 1, shown
    assert all("waiting for the upload limit" in text and " s)" in text for _, text in waiting)
    for index, _ in waiting:
        stages = [stage for i, stage, _ in shown if i == index]
        assert "uploading" in stages[stages.index("waiting") :], stages
