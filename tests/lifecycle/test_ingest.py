"""Batch ingest: concurrency, QPS, per-item results, one bad item does not stop the batch."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations.callbacks import CallbackServer
from memories_integrations.errors import InvalidInputError, ProcessingError
from memories_integrations.ingest import IngestProgress, aingest, expand_sources, ingest
from memories_integrations.testing import EmulatorServer, sample_videos


@pytest.fixture
def batch_dir(tmp_path: Path, corrupt_video: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for path in sample_videos()[:2]:
        shutil.copy(path, folder / path.name)
    shutil.copy(corrupt_video, folder / "broken.mp4")
    (folder / "notes.txt").write_text("not a video")  # skipped: directories yield videos only
    return folder


def test_expand_sources(batch_dir: Path) -> None:
    found = expand_sources([batch_dir, "https://x.example/a.mp4", "missing.mov"])
    names = [Path(s).name for s in found]
    assert names == [*sorted(p.name for p in batch_dir.glob("*.mp4")), "a.mp4", "missing.mov"]


def test_batch_with_bad_items(
    client: MemoriesClient, emu: EmulatorServer, batch_dir: Path, tmp_path: Path
) -> None:
    wrong_type = tmp_path / "slides.pdf"
    wrong_type.write_bytes(b"%PDF")
    items: list[str | Path] = [
        batch_dir,
        str(tmp_path / "nope.mp4"),
        wrong_type,
        "https://cdn.example.com/beach.mp4",
    ]
    events: list[IngestProgress] = []
    results = ingest(
        client,
        items,
        concurrency=2,
        upload_qps=50,
        timeout=10,
        initial_interval=0.05,
        on_progress=events.append,
    )
    by_name = {Path(r.source).name: r for r in results}
    assert len(results) == 6
    for name in [p.name for p in sample_videos()[:2]] + ["beach.mp4"]:
        assert by_name[name].ok and by_name[name].status is VideoStatus.PARSE, by_name[name]
        assert client.get_metadata(by_name[name].video_no or "").status is VideoStatus.PARSE
    broken = by_name["broken.mp4"]
    assert isinstance(broken.error, ProcessingError)
    assert broken.video_no and broken.status is VideoStatus.PARSE_ERROR
    for name in ("nope.mp4", "slides.pdf"):
        assert isinstance(by_name[name].error, InvalidInputError)
        assert by_name[name].video_no is None
    # Only the four valid-looking items reached the API.
    assert len(emu.requests("/serve/api/v1/upload")) == 3
    assert len(emu.requests("/serve/api/v1/upload_url")) == 1
    stages = {(e.source, e.stage) for e in events}
    assert all((r.source, "queued") in stages for r in results)
    assert any(
        e.stage == "uploading" and e.bytes_total and e.bytes_sent == e.bytes_total for e in events
    )
    assert {e.source for e in events if e.stage == "failed"} == {
        r.source for r in results if not r.ok
    }
    assert by_name["beach.mp4"].to_dict()["status"] == "PARSE"


async def test_uploads_respect_documented_qps(
    aclient: AsyncMemoriesClient, emu: EmulatorServer
) -> None:
    videos = sample_videos()[:3]
    started = time.monotonic()
    results = await aingest(aclient, videos, concurrency=3, wait=False)
    elapsed = time.monotonic() - started
    assert all(r.ok and r.status is VideoStatus.UNPARSE for r in results)
    times = sorted(entry.time for entry in emu.requests("/serve/api/v1/upload"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.9 for gap in gaps), gaps  # 1 upload per second, as documented
    assert elapsed >= 1.9


async def test_concurrency_bound(aclient: AsyncMemoriesClient, emu: EmulatorServer) -> None:
    emu.add_fault(path="upload", delay=0.3, times=None)
    in_flight = peak = 0

    def track(event: IngestProgress) -> None:
        nonlocal in_flight, peak
        if event.stage == "uploading" and event.bytes_total == 0:
            in_flight += 1
            peak = max(peak, in_flight)
        elif event.stage in ("encoding", "failed", "ready"):  # wait=False: once per item
            in_flight -= 1

    results = await aingest(
        aclient, sample_videos(), concurrency=2, wait=False, upload_qps=100, on_progress=track
    )
    assert all(r.ok for r in results)
    assert peak == 2


def test_batch_with_callbacks(
    client: MemoriesClient, emu: EmulatorServer, callback_server: CallbackServer
) -> None:
    results = ingest(
        client,
        sample_videos(),
        upload_qps=50,
        timeout=10,
        initial_interval=5,
        via=callback_server.receiver,
    )
    assert all(r.ok and r.status is VideoStatus.PARSE for r in results)
    assert len(callback_server.receiver.events()) == len(results)
    assert max(r.seconds for r in results) < 4  # woken by callbacks, not the 5 s poll
