"""An upload's path swapped for a symlink while the upload waits for its rate-limit slot
(issue 21 item 1): the upload tools open the file once, at the check, and send that file.

The swap happens inside the limiter's slot booking (a ``SlotStore`` that swaps, then grants the
slot at once): exactly the window between the path check and the send. The server is a capturing
``httpx.MockTransport``, so the test reads the bytes that would have left the machine.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations._tools.arguments import UploadArgs
from memories_integrations._transport.retry import RateLimiter
from memories_integrations.mcp._config import ServerConfig
from memories_integrations.mcp.tools import TOOLS, ToolContext

from ._helpers import NO_RETRY, case_name

ORIGINAL = b"\x00\x00\x00\x18ftypmp42" + b"ORIGINAL-VIDEO" * 64
SECRET = b"\x00\x00\x00\x18ftypmp42" + b"OUTSIDE-SECRET" * 64
UPLOADED = {"videoNo": "VI9", "videoName": "clip", "videoStatus": "UNPARSE", "uploadTime": "1"}


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("upload swap", request))


class SwapOnBooking:
    """A slot store that runs ``swap`` while the upload books its slot, then grants it."""

    def __init__(self, swap: Callable[[], None]) -> None:
        self.swap, self.booked = swap, 0

    def book(self, key: str, interval: float, max_wait: float) -> float:
        if key == "upload":
            self.booked += 1
            self.swap()
        return 0.0


class Capture:
    """Bodies of the upload requests that reached the "server"."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.bodies.append(request.read())
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": UPLOADED})


@pytest.fixture
def layout(tmp_path: Path) -> Iterator[tuple[Path, Path, Callable[[], None]]]:
    """(allowed folder, its clip.mp4, swap): the swap replaces clip.mp4 by a link outside."""
    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    allowed.mkdir()
    outside.mkdir()
    clip, secret = allowed / "clip.mp4", outside / "secret.mp4"
    clip.write_bytes(ORIGINAL)
    secret.write_bytes(SECRET)

    def swap() -> None:
        clip.unlink()
        clip.symlink_to(secret)

    yield allowed, clip, swap


def _sent_safely(capture: Capture, outcome: str | BaseException) -> None:
    """The original bytes went out, or the upload was refused with a typed error; never the
    outside file."""
    assert all(SECRET not in body for body in capture.bodies)
    if isinstance(outcome, BaseException):
        assert isinstance(outcome, e.MemoriesError), repr(outcome)
        assert capture.bodies == []
    else:
        assert len(capture.bodies) == 1 and ORIGINAL in capture.bodies[0]


def _sync_client(capture: Capture, slots: SwapOnBooking) -> MemoriesClient:
    return MemoriesClient(
        api_key="sk-swap-test",
        http_client=httpx.Client(transport=httpx.MockTransport(capture)),
        rate_limiter=RateLimiter(slots=slots),
        retry=NO_RETRY,
    )


def _async_client(capture: Capture, slots: SwapOnBooking) -> AsyncMemoriesClient:
    return AsyncMemoriesClient(
        api_key="sk-swap-test",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(capture)),
        rate_limiter=RateLimiter(slots=slots),
        retry=NO_RETRY,
    )


def _outcome(run: Callable[[], Any]) -> str | BaseException:
    try:
        return str(run())
    except Exception as exc:  # the tool's own error, or an exception it let through
        return exc


def test_langchain_upload_tool_sends_the_checked_file(layout: Any) -> None:
    from memories_integrations.langchain import MemoriesUploadTool

    allowed, clip, swap = layout
    capture, slots = Capture(), SwapOnBooking(swap)
    with _sync_client(capture, slots) as client:
        tool = MemoriesUploadTool(client=client, allowed_dirs=[allowed])
        outcome = _outcome(lambda: tool.invoke({"file_path": str(clip)}))
    assert slots.booked == 1 and clip.is_symlink()  # the swap really happened in the window
    _sent_safely(capture, outcome)


def test_langchain_upload_tool_async_sends_the_checked_file(layout: Any) -> None:
    from memories_integrations.langchain import MemoriesUploadTool

    allowed, clip, swap = layout
    capture, slots = Capture(), SwapOnBooking(swap)

    async def run() -> Any:
        async with _async_client(capture, slots) as client:
            tool = MemoriesUploadTool(async_client=client, allowed_dirs=[allowed])
            return await tool.ainvoke({"file_path": str(clip)})

    outcome = _outcome(lambda: asyncio.run(run()))
    assert slots.booked == 1 and clip.is_symlink()
    _sent_safely(capture, outcome)


def test_llama_index_upload_tool_sends_the_checked_file(layout: Any) -> None:
    from memories_integrations.llama_index import MemoriesToolSpec

    allowed, clip, swap = layout
    capture, slots = Capture(), SwapOnBooking(swap)
    with _sync_client(capture, slots) as client:
        spec = MemoriesToolSpec(client=client, allowed_dirs=[allowed])
        outcome = _outcome(lambda: spec.run("memories_upload_video", file_path=str(clip)))
    assert slots.booked == 1 and clip.is_symlink()
    _sent_safely(capture, outcome)


def test_mcp_upload_tool_sends_the_checked_file(layout: Any) -> None:
    allowed, clip, swap = layout
    capture, slots = Capture(), SwapOnBooking(swap)
    config = ServerConfig(allow_upload=True, allowed_dirs=(allowed.resolve(),))
    upload = next(t for t in TOOLS if t.name == "memories_upload_video")

    async def progress(done: float, total: float | None, message: str) -> None:
        return None

    async def run() -> Any:
        async with _async_client(capture, slots) as client:
            ctx = ToolContext(client, config, progress)
            return await upload.handler(ctx, UploadArgs(file_path=str(clip)))

    outcome = _outcome(lambda: asyncio.run(run()))
    assert slots.booked == 1 and clip.is_symlink()
    _sent_safely(capture, outcome)


def test_a_folder_on_the_way_swapped_for_a_link_is_refused(tmp_path: Path) -> None:
    """O_NOFOLLOW guards only the last component: the opened descriptor's real path is checked
    too, so a swapped parent folder cannot lead outside."""
    from memories_integrations._tools.paths import open_checked

    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    (allowed / "sub").mkdir(parents=True)
    outside.mkdir()
    (allowed / "sub" / "clip.mp4").write_bytes(ORIGINAL)
    (outside / "clip.mp4").write_bytes(SECRET)
    checked = (allowed / "sub" / "clip.mp4").resolve()
    os.rename(allowed / "sub", tmp_path / "moved")
    (allowed / "sub").symlink_to(outside)  # after the check, before the open
    with pytest.raises(e.InvalidInputError, match="changed while it was checked"):
        open_checked(checked, (allowed.resolve(),))


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_only_a_regular_file_is_opened(tmp_path: Path, kind: str) -> None:
    """A FIFO planted under the name would block the open forever without O_NONBLOCK."""
    from memories_integrations._tools.paths import open_upload_path

    target = tmp_path / "clip.mp4"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    with pytest.raises(e.InvalidInputError, match="not a regular file"):
        open_upload_path(str(target), [tmp_path])


def test_client_uploads_an_open_file_under_its_name(tmp_path: Path) -> None:
    """The client takes an already-open binary file: its name names the part, every attempt
    sends it from the start, and it is left open for the caller."""
    clip = tmp_path / "holiday.mp4"
    clip.write_bytes(ORIGINAL)
    capture = Capture()
    http = httpx.Client(transport=httpx.MockTransport(capture))
    with MemoriesClient(api_key="sk-x", http_client=http) as client, clip.open("rb") as fh:
        fh.read(5)  # a moved position is not where the upload starts
        client.upload(fh)
        assert not fh.closed
    [body] = capture.bodies
    assert b'filename="holiday.mp4"' in body and ORIGINAL in body
    with clip.open("r") as text, pytest.raises(e.InvalidInputError, match="binary"):
        MemoriesClient(api_key="sk-x", http_client=http).upload(text)  # type: ignore[arg-type]
