"""Ctrl-C during a batch upload: created videos, and those that may have been created."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from memories_integrations._client.ingest import IngestProgress
from memories_integrations.cli import _upload, main
from memories_integrations.cli._errors import EXIT_INTERRUPTED
from memories_integrations.models import VideoStatus


def _interrupted_batch(sources: list[str], **kwargs: Any) -> list[Any]:
    """One video created, one interrupted after its body was sent, one still queued."""
    hook = kwargs["on_progress"]
    done, sent, queued = sources
    hook(IngestProgress(0, done, "encoding", video_no="VI123", status=VideoStatus.UNPARSE))
    hook(IngestProgress(1, sent, "uploading", bytes_sent=2048, bytes_total=2048))
    hook(IngestProgress(2, queued, "queued"))
    raise KeyboardInterrupt


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(
        _upload, "ingest", lambda client, sources, **kw: _interrupted_batch(sources, **kw)
    )
    paths = [tmp_path / f"{name}.mp4" for name in ("done", "sent", "queued")]
    for path in paths:
        path.write_bytes(b"x" * 2048)
    return [str(p) for p in paths]


def test_interrupt_says_what_is_known(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["upload", *files, "--api-key", "k", "--base-url", "http://127.0.0.1:9"])
    out = capsys.readouterr()
    assert code == EXIT_INTERRUPTED
    assert "VI123" in out.out  # created
    assert "maybe created" in out.out and "memories list --name sent" in out.out
    assert "queued.mp4" not in out.out  # never sent: nothing to look for
    assert "1 video(s) created" in out.err and "1 more may have been created" in out.err


def test_interrupt_in_json(files: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    main(["upload", *files, "--json", "--api-key", "k", "--base-url", "http://127.0.0.1:9"])
    report = json.loads(capsys.readouterr().out)
    assert [c["video_no"] for c in report["created"]] == ["VI123"]
    assert [Path(m["source"]).name for m in report["maybe"]] == ["sent.mp4"]
