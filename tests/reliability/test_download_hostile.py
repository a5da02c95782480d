"""Downloads against hostile answers (issue 12): nothing but the complete file ever lands at
``dest``, an existing file survives every failure, and every failure is a typed error."""

from __future__ import annotations

import json
import pickle
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations._transport.retry import RetryPolicy

KEY = "sk-download-secret-key"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64
OLD = b"the file that was here before"
FAST = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02, jitter=False)
Handler = Callable[[httpx.Request], httpx.Response]


class _Broken(httpx.SyncByteStream, httpx.AsyncByteStream):
    """Sends ``head`` then fails like a dropped connection."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        raise httpx.ReadError("connection reset by peer")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.head
        raise httpx.ReadError("connection reset by peer")


def _file(body: bytes = VIDEO, **headers: str) -> httpx.Response:
    sent = {"content-type": "application/octet-stream"}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    return httpx.Response(200, headers=sent, stream=httpx.ByteStream(body))


def _envelope(code: str, msg: str, ctype: str = "application/json") -> httpx.Response:
    body = json.dumps({"code": code, "msg": msg, "data": None, "success": False}).encode()
    return httpx.Response(200, headers={"content-type": ctype}, stream=httpx.ByteStream(body))


class Recorder:
    def __init__(self, *answers: httpx.Response) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _client(handler: Handler) -> MemoriesClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return MemoriesClient(api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, retry=FAST)


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    path = tmp_path / "clip.mp4"
    path.write_bytes(OLD)
    return path


def _leftovers(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.parent.iterdir() if p.name != dest.name)


def _state(dest: Path) -> tuple[bytes, list[str]]:
    return dest.read_bytes(), _leftovers(dest)


Download = Callable[[MemoriesClient, Path], Path]
BOTH: list[Download] = [
    lambda c, d: c.download_video("VI1", d),
    lambda c, d: c.download("emulator-videos", "VI1.mp4", d),
]


@pytest.mark.parametrize("download", BOTH, ids=["download_video", "download"])
def test_success_replaces_dest_atomically(download: Download, dest: Path) -> None:
    rec = Recorder(_file(content_length=str(len(VIDEO))))
    assert download(_client(rec), dest) == dest
    assert dest.read_bytes() == VIDEO and _leftovers(dest) == []
    request = rec.requests[0]
    assert request.headers["authorization"] == KEY
    if request.method == "POST":  # Download-video page: JSON {video_no, unique_id}
        assert json.loads(request.content) == {"video_no": "VI1", "unique_id": "default"}
    else:
        assert request.url.params["bucket"] == "emulator-videos"


@pytest.mark.parametrize("download", BOTH, ids=["download_video", "download"])
@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (lambda: _envelope("0001", "video not found: VI1"), e.NotFoundError),
        (lambda: _envelope("0402", "Insufficient balance"), e.InsufficientCreditsError),
        # An envelope labelled as a file is still an envelope.
        (lambda: _envelope("9009", "denied", "application/octet-stream"), e.PermissionDeniedError),
        (lambda: _envelope("0000", "success"), e.ResponseParseError),
        (
            lambda: httpx.Response(
                200,
                headers={"content-type": "text/html; charset=utf-8"},
                stream=httpx.ByteStream(b"<!DOCTYPE html><html>Sign in</html>"),
            ),
            e.ResponseParseError,
        ),
        (
            lambda: httpx.Response(
                200,
                headers={"content-type": "application/octet-stream"},
                stream=httpx.ByteStream(b"<html><body>proxy error</body></html>"),
            ),
            e.ResponseParseError,
        ),
        (lambda: _file(b""), e.ResponseParseError),
        (lambda: httpx.Response(404, stream=httpx.ByteStream(b"not here")), e.NotFoundError),
    ],
    ids=[
        "not-found",
        "credits",
        "mislabelled",
        "success-json",
        "html",
        "html-sniffed",
        "empty",
        "404",
    ],
)
def test_error_answers_are_typed_and_never_saved(
    download: Download, dest: Path, answer: Callable[[], httpx.Response], error: type[Exception]
) -> None:
    with pytest.raises(error):
        download(_client(Recorder(answer())), dest)
    assert dest.read_bytes() == OLD and _leftovers(dest) == []


@pytest.mark.parametrize("download", BOTH, ids=["download_video", "download"])
def test_short_body_against_content_length(download: Download, dest: Path) -> None:
    # The header promises more than arrives (a proxy that cut the body off).
    answer = _file(VIDEO[:100], content_length=str(len(VIDEO)))
    with pytest.raises(
        e.APIConnectionError, match=rf"after 100 bytes of 16\.0 KiB \({len(VIDEO)} bytes\)"
    ):
        download(_client(Recorder(answer)), dest)
    assert dest.read_bytes() == OLD and _leftovers(dest) == []


@pytest.mark.parametrize("download", BOTH, ids=["download_video", "download"])
def test_broken_stream_is_typed_and_keeps_dest(download: Download, dest: Path) -> None:
    answer = httpx.Response(
        200, headers={"content-type": "video/mp4"}, stream=_Broken(VIDEO[:1000])
    )
    with pytest.raises(e.APIConnectionError, match="broke off") as info:
        download(_client(Recorder(answer)), dest)
    assert not isinstance(info.value, httpx.HTTPError)
    assert KEY.encode() not in pickle.dumps(info.value)
    assert dest.read_bytes() == OLD and _leftovers(dest) == []


def test_rate_limit_and_server_errors_are_retried(dest: Path) -> None:
    rec = Recorder(
        _envelope("0429", "Request has exceeded the limit."),
        httpx.Response(503, stream=httpx.ByteStream(b"busy")),
        _file(),
    )
    assert _client(rec).download_video("VI1", dest) == dest
    assert len(rec.requests) == 3 and dest.read_bytes() == VIDEO


@pytest.mark.parametrize("download", BOTH, ids=["download_video", "download"])
def test_bad_dest_is_rejected_before_sending(download: Download, tmp_path: Path) -> None:
    rec = Recorder(_file())
    client = _client(rec)
    for bad in (tmp_path, tmp_path / "missing" / "clip.mp4", tmp_path / "f.txt" / "clip.mp4"):
        (tmp_path / "f.txt").write_text("a file, not a folder")
        with pytest.raises(e.InvalidInputError, match="dest"):
            download(client, bad)
    with pytest.raises(e.InvalidInputError):
        client.download_video("VI1", 42)  # type: ignore[arg-type]
    assert rec.requests == []


async def test_async_download_failures_keep_dest(dest: Path) -> None:
    answers = [
        httpx.Response(200, headers={"content-type": "video/mp4"}, stream=_Broken(VIDEO[:10])),
        _envelope("0001", "video not found: VI1"),
        _file(),
    ]
    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: answers.pop(0)))
    async with AsyncMemoriesClient(
        api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, retry=FAST
    ) as client:
        with pytest.raises(e.APIConnectionError):
            await client.download_video("VI1", dest)
        with pytest.raises(e.NotFoundError):
            await client.download("b", "VI1.mp4", dest)
        assert _state(dest) == (OLD, [])
        assert await client.download_video("VI1", dest) == dest
        with pytest.raises(e.InvalidInputError):
            await client.download_video("VI1", dest.parent)
    assert _state(dest) == (VIDEO, [])
    await http.aclose()


def _truncating_server(promised: int, sent: bytes) -> tuple[str, threading.Thread, Any]:
    """A real socket that answers 200 with Content-Length ``promised``, sends ``sent``, and
    hangs up: what a dying upstream does."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head = (
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {promised}\r\n\r\n"
            )
            conn.sendall(head.encode() + sent)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{port}", thread, listener


def test_hostile_server_hangs_up_midway(dest: Path) -> None:
    base_url, thread, listener = _truncating_server(len(VIDEO), VIDEO[:500])
    try:
        with (
            httpx.Client(trust_env=False) as http,
            MemoriesClient(api_key=KEY, base_url=base_url, http_client=http, retry=FAST) as c,
            pytest.raises(e.APIConnectionError) as info,
        ):
            c.download_video("VI1", dest)
    finally:
        thread.join(timeout=5)
        listener.close()
    assert not isinstance(info.value, httpx.HTTPError)
    assert dest.read_bytes() == OLD and _leftovers(dest) == []
