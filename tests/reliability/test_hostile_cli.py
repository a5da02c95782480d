"""The CLI against hostile server text and Ctrl-C (issue 12).

Server text reaches the terminal as plain text: rich markup ("[/]") is printed, not parsed, and
terminal escape sequences (title change, clear screen) lose their control characters. Ctrl-C
during ``memories upload --wait`` still reports every video already created, in the chosen
output format, and exits 130.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from memories_integrations.cli import _commands
from memories_integrations.cli._app import main
from memories_integrations.models import (
    ContentEvent,
    RefEvent,
    TranscriptSegment,
    VideoMetadata,
    VideoStatus,
)
from memories_integrations.models.transcripts import Transcript
from memories_integrations.testing import EmulatorServer

from ._helpers import case_name

HOSTILE = "a [/] b [bold]x[/bold] \x1b]0;pwned\x07\x1b[2J\x1b[31mred\x9b1m\x00 done"
CONTROL = ("\x1b", "\x07", "\x9b", "\x00")


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("cli", request))


class FakeClient:
    """Answers like a server that puts markup and escape sequences in its text."""

    def __enter__(self) -> FakeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def get_metadata(self, video_no: str, **kwargs: Any) -> VideoMetadata:
        # chat --video checks the video exists
        return VideoMetadata(video_no=video_no, status=VideoStatus.PARSE)

    def chat_stream(self, video_nos: Any, prompt: str, **kwargs: Any) -> Iterator[Any]:
        yield ContentEvent(content=HOSTILE[:20])
        yield ContentEvent(content=HOSTILE[20:])
        yield RefEvent.model_validate(
            {
                "ref": [
                    {
                        "video": {"video_no": "VI1", "video_name": HOSTILE},
                        "refItems": [{"videoNo": "VI1", "startTime": 1, "text": HOSTILE}],
                    }
                ]
            }
        )

    def search(self, query: str, **kwargs: Any) -> list[Any]:
        from memories_integrations.models import SearchHit

        return [SearchHit(video_no="VI1", video_name=HOSTILE, start_time=1, caption=HOSTILE)]

    def get_audio_transcription(self, video_no: str) -> Transcript:
        return Transcript(video_no=video_no, segments=[TranscriptSegment(text=HOSTILE)])


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_commands, "make_client", lambda args: FakeClient())


@pytest.mark.parametrize(
    "argv",
    [
        ["chat", "--video", "VI1", "what happens?"],
        ["search", "a goal"],
        ["transcript", "VI1"],
    ],
    ids=["chat", "search", "transcript"],
)
def test_server_text_is_printed_plain(
    argv: list[str], fake: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--api-key", "k", *argv]) == 0
    printed = capsys.readouterr()
    for char in CONTROL:
        assert char not in printed.out and char not in printed.err
    assert "[/]" in printed.out  # markup shown as text, not parsed (no MarkupError)


def test_error_text_is_printed_plain(capsys: pytest.CaptureFixture[str]) -> None:
    from memories_integrations.cli._output import Output

    Output(json_mode=False).error(HOSTILE)
    err = capsys.readouterr().err
    assert "[/]" in err and not any(char in err for char in CONTROL)


# -- Ctrl-C ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def slow_emu() -> Iterator[EmulatorServer]:
    """Encoding never finishes within the test: ``--wait`` waits until interrupted."""
    with EmulatorServer(encoding_delay=3600, rate_limits=False) as server:
        yield server


def _videos(tmp_path: Path, n: int) -> list[str]:
    paths = []
    for i in range(n):
        path = tmp_path / f"clip{i}.mp4"
        path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(4096))
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("mode", ["default", "--json", "--no-progress"])
def test_ctrl_c_during_upload_wait_reports_created_videos(
    mode: str, slow_emu: EmulatorServer, tmp_path: Path
) -> None:
    slow_emu.reset()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEMORIES_")}
    env.update(NO_COLOR="1", COLUMNS="200", MEMORIES_RATE_LIMITER="off")
    flags = [] if mode == "default" else [mode]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "memories_integrations",
            "upload",
            "--wait",
            *flags,
            "--base-url",
            slow_emu.base_url,
            "--api-key",
            slow_emu.api_key,
            *_videos(tmp_path, 2),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # both uploads answered, then polling
            if len(slow_emu.requests("/serve/api/v1/get_metadata")) >= 2:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the uploads never started waiting")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    with_client_nos = _created_video_nos(slow_emu)
    assert len(with_client_nos) == 2
    if mode == "--json":
        doc = json.loads(out)  # still exactly one JSON document
        assert doc["error"] == "interrupted"
        assert sorted(c["video_no"] for c in doc["created"]) == with_client_nos
    else:
        for video_no in with_client_nos:
            assert video_no in out
        assert "interrupted" in err


def _created_video_nos(server: EmulatorServer) -> list[str]:
    from memories_integrations import MemoriesClient

    with MemoriesClient(api_key=server.api_key, base_url=server.base_url) as client:
        return sorted(v.video_no for v in client.list_videos(size=50).videos)
