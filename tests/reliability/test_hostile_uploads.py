"""Uploads whose file changes while it is sent, and how much was sent when a connection broke
(issue 12). Against the emulator on loopback (real h11 framing), no cassette."""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from memories_integrations import MemoriesClient
from memories_integrations import errors as e
from memories_integrations.ingest import IngestProgress, ingest
from memories_integrations.testing import EmulatorServer

from ._helpers import NO_RETRY, SSL, case_name, emulator_client

CHUNK = 64 * 1024  # httpx reads upload files in 64 KiB chunks
SIZE = 8 * CHUNK


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("uploads", request))


def _video(path: Path) -> Path:
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(SIZE - 12))
    return path


def _grow(path: Path) -> None:
    with path.open("ab") as fh:
        fh.write(b"\x00" * CHUNK)


def _shrink(path: Path) -> None:
    os.truncate(path, CHUNK)


@pytest.mark.parametrize("change", [_grow, _shrink], ids=["grows", "shrinks"])
def test_file_changing_during_upload_is_a_typed_error(
    fresh: EmulatorServer, tmp_path: Path, change: Callable[[Path], None]
) -> None:
    video = _video(tmp_path / "clip.mp4")
    changed: list[bool] = []

    def on_progress(done: int, total: int) -> None:
        if not changed:
            changed.append(True)
            change(video)

    with emulator_client(fresh, retry=NO_RETRY) as client:
        with pytest.raises(e.FileChangedError) as info:
            client.upload(video, progress=on_progress)
        assert client.list_videos().total_count == 0  # no truncated or padded video was stored
    assert "clip.mp4" in str(info.value) and isinstance(info.value, e.MemoriesError)


def test_one_bad_item_never_stops_an_ingest_batch(fresh: EmulatorServer, tmp_path: Path) -> None:
    good_a, bad, good_b = (_video(tmp_path / f"{n}.mp4") for n in ("a", "bad", "b"))
    grown: list[bool] = []

    def on_progress(event: IngestProgress) -> None:
        if event.source.endswith("bad.mp4") and event.bytes_sent and not grown:
            grown.append(True)
            _grow(bad)

    with emulator_client(fresh, retry=NO_RETRY, rate_limiter=False) as client:
        results = ingest(client, [good_a, bad, good_b], wait=False, on_progress=on_progress)
    assert [Path(r.source).name for r in results] == ["a.mp4", "bad.mp4", "b.mp4"]
    assert results[0].error is None and results[2].error is None
    assert results[0].video_no and results[2].video_no
    assert isinstance(results[1].error, e.FileChangedError)


# -- "part of the upload" vs "the upload" ---------------------------------------------------
class _CutServer:
    """Reads ``read_bytes`` of a request (or all of it), then closes without an answer."""

    def __init__(self, read_bytes: int | None) -> None:
        self.read_bytes = read_bytes
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.settimeout(2)
            got, head = 0, b""
            while True:
                data = conn.recv(65536)
                if not data:
                    return
                got += len(data)
                head += data[: max(0, 4096 - len(head))]
                if self.read_bytes is not None and got >= self.read_bytes:
                    break
                length = _content_length(head)
                end = head.find(b"\r\n\r\n")
                if self.read_bytes is None and length and end >= 0 and got >= end + 4 + length:
                    break
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=5)


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


@pytest.fixture
def big_video(tmp_path: Path) -> Path:
    path = tmp_path / "big.mp4"  # far more than loopback socket buffers hold
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (24 * 1024 * 1024))
    return path


def _upload_against(server: _CutServer, video: Path) -> e.UploadOutcomeUnknownError:
    with (
        httpx.Client(verify=SSL) as http,
        MemoriesClient(
            api_key="test-key",
            base_url=f"http://127.0.0.1:{server.port}",
            http_client=http,
            retry=NO_RETRY,
            timeout=5,
        ) as client,
        pytest.raises(e.UploadOutcomeUnknownError) as info,
    ):
        client.upload(video)
    return info.value


def test_outcome_unknown_after_part_of_the_upload(big_video: Path) -> None:
    server = _CutServer(read_bytes=256 * 1024)
    try:
        error = _upload_against(server, big_video)
    finally:
        server.close()
    assert "after part of the upload was sent" in str(error)
    assert re.search(r"sent \(\d+\.\d [KM]iB of 24\.0 MiB\)", str(error)), str(error)


def test_outcome_unknown_after_the_whole_upload(tmp_path: Path) -> None:
    server = _CutServer(read_bytes=None)  # reads the whole request, then hangs up
    try:
        error = _upload_against(server, _video(tmp_path / "clip.mp4"))
    finally:
        server.close()
    assert "after the upload was sent" in str(error)
    assert "part of" not in str(error)
