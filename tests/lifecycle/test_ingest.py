"""Batch ingest: concurrency, QPS, per-item results, one bad item does not stop the batch."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations._transport.retry import Rate
from memories_integrations.callbacks import CallbackServer
from memories_integrations.errors import InvalidInputError, ProcessingError
from memories_integrations.ingest import IngestProgress, aingest, expand_sources, ingest
from memories_integrations.testing import EmulatorServer, sample_videos
from tests.conftest import TEST_RETRY


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


async def test_uploads_respect_the_client_limiter(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's default limiter (here with a fast upload rate) spaces the batch's uploads,
    and each wait is reported as the ``waiting`` stage with its length."""
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    videos = sample_videos()[:3]
    events: list[IngestProgress] = []
    async with AsyncMemoriesClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        retry=TEST_RETRY,
        rate_limiter=None,  # the default: per-minute groups, plus the overridden upload rate
        rate_limits={"upload": Rate(1, 0.3)},
    ) as aclient:
        results = await aingest(
            aclient, videos, concurrency=3, wait=False, on_progress=events.append
        )
    assert all(r.ok and r.status is VideoStatus.UNPARSE for r in results)
    times = sorted(entry.time for entry in emu.requests("/serve/api/v1/upload"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 0.29 for gap in gaps), gaps
    waits = sorted(e.wait_seconds for e in events if e.stage == "waiting")
    assert len(waits) == 2 and 0.25 < waits[0] < waits[1] < 0.8, waits
    stages = [e.stage for e in events if e.index == 2 and e.stage != "uploading"]
    assert stages[:2] == ["queued", "waiting"]


async def test_upload_qps_spaces_uploads_without_a_client_limiter(
    aclient: AsyncMemoriesClient, emu: EmulatorServer
) -> None:
    assert aclient.rate_limiter is None  # MEMORIES_RATE_LIMITER=off in tests/conftest.py
    started = time.monotonic()
    results = await aingest(aclient, sample_videos()[:3], concurrency=3, wait=False, upload_qps=4)
    assert all(r.ok for r in results)
    times = sorted(entry.time for entry in emu.requests("/serve/api/v1/upload"))
    assert all(b - a >= 0.2 for a, b in itertools.pairwise(times))
    assert time.monotonic() - started >= 0.45


def test_default_client_limiter_spaces_uploads_a_minute_apart(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ON by default for upload (current Rate-limits page: 1 per minute), so ingest adds no
    limiter of its own and a batch waits instead of spending its retries on 0429s."""
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as c:
        limiter = c.rate_limiter
        assert limiter is not None and limiter.limits("upload") and not limiter.limits("search")
        assert limiter.reserve("upload") == 0.0
        assert 60.0 < limiter.reserve("upload") <= 61.0  # the second upload waits a minute


def test_cli_progress_shows_the_upload_limit_wait() -> None:
    from rich.console import Console

    from memories_integrations.cli._output import Output
    from memories_integrations.cli._upload import BatchView

    out = Output(json_mode=False)
    out._err = Console(record=True, width=120, force_terminal=False)
    view = BatchView(out)
    with view:
        view.update(IngestProgress(0, "a.mp4", "queued"))
        view.update(IngestProgress(0, "a.mp4", "waiting", wait_seconds=42.4))
    text = out.err.export_text()
    assert "waiting for the upload limit" in text and "(42 s)" in text


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


async def test_an_item_timeout_starts_after_its_turn_for_the_upload_limit(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22 #2: the last item waits ~1 s for its upload slot; its encoding timeout (0.8 s,
    longer than encoding takes) starts after its upload, not when the batch started. Its
    upload's own request timeout (0.5 s) is shorter than that wait too."""
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    async with AsyncMemoriesClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        retry=TEST_RETRY,
        timeout=0.5,
        rate_limit_wait=0,  # the client fails fast; the batch passes its own bound (None)
        rate_limits={"upload": Rate(1, 0.5)},
    ) as aclient:
        results = await aingest(
            aclient, sample_videos()[:3], concurrency=3, timeout=0.8, initial_interval=0.05
        )
    assert [r.error for r in results] == [None, None, None]
    assert all(r.status is VideoStatus.PARSE for r in results)
    assert max(r.seconds for r in results) > 1.0  # the last one queued past its timeout


async def test_rate_limit_wait_bounds_each_item_of_a_batch(
    emu: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    async with AsyncMemoriesClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        retry=TEST_RETRY,
        rate_limits={"upload": Rate(1, 30)},
    ) as aclient:
        results = await aingest(aclient, sample_videos()[:2], wait=False, rate_limit_wait=0)
    assert sorted(type(r.error).__name__ for r in results) == ["NoneType", "RateLimitWaitError"]
    assert len(emu.requests("/serve/api/v1/upload")) == 1


@pytest.mark.parametrize(
    ("settings", "param"),
    [
        ({"initial_interval": 0}, "initial_interval"),
        ({"initial_interval": 5, "max_interval": 1}, "max_interval"),
        ({"timeout": -1}, "timeout"),
    ],
)
def test_bad_wait_settings_fail_before_the_first_upload(
    client: MemoriesClient, emu: EmulatorServer, settings: dict[str, float], param: str
) -> None:
    uploads = len(emu.requests("/serve/api/v1/upload"))
    with pytest.raises(InvalidInputError) as raised:
        ingest(client, sample_videos()[:1], **settings)  # type: ignore[arg-type]
    assert raised.value.param == param
    assert len(emu.requests("/serve/api/v1/upload")) == uploads  # nothing sent, nothing lost
    # Without a wait they are not used, so not checked: the upload goes ahead.
    assert ingest(client, sample_videos()[:1], wait=False, **settings)[0].error is None  # type: ignore[arg-type]
