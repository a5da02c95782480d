"""CallbackReceiver, its ASGI app and wait_for_ready(via=...), fed by the emulator over loopback."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations.callbacks import (
    CallbackReceiver,
    CallbackServer,
    ForgedCallbackError,
    InvalidCallbackError,
    callback_app,
)
from memories_integrations.errors import ProcessingError
from memories_integrations.testing import EmulatorServer

from .conftest import metadata_polls


def body(**payload: object) -> bytes:
    return json.dumps(payload).encode()


def token_of(url: str) -> str:
    return httpx.URL(url).params["token"]


# -- receiver, in-process ---------------------------------------------------------------------
def test_valid_callback_is_parsed() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook?x=1")
    url = receiver.callback_url()
    assert url.startswith("https://app.example.com/hook?x=1&token=")
    event = receiver.handle(
        body(videoNo="VI1", clientId="ab12", status="PARSE"), token=token_of(url)
    )
    assert event is not None
    assert (event.video_no, event.status, event.client_id) == ("VI1", VideoStatus.PARSE, "ab12")


def test_tokens_are_unique_per_upload_and_verified() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    tokens = {token_of(receiver.callback_url()) for _ in range(50)}
    assert len(tokens) == 50 and all(receiver.verify_token(t) for t in tokens)
    other = CallbackReceiver("https://app.example.com/hook")
    assert not any(other.verify_token(t) for t in tokens)  # another secret: forged
    shared = CallbackReceiver(secret=b"k" * 32)
    assert CallbackReceiver(secret=b"k" * 32).verify_token(shared.new_token())


@pytest.mark.parametrize("token", [None, "", "abc", "abc.def", "a.b.c"])
def test_forged_callback_rejected(token: str | None) -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    with pytest.raises(ForgedCallbackError):
        receiver.handle(body(videoNo="VI1", status="PARSE"), token=token)
    assert receiver.events() == [] and receiver.rejected == 1


def test_tampered_token_rejected() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    nonce, expiry, sig = receiver.new_token().split(".")
    for tampered in (f"{nonce}x.{expiry}.{sig}", f"{nonce}.{int(expiry) + 10**6}.{sig}"):
        with pytest.raises(ForgedCallbackError):  # nonce or expiry changed: signature fails
            receiver.handle(body(videoNo="VI1", status="PARSE"), token=tampered)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2]",
        body(status="PARSE"),
        body(videoNo="VI1"),
        body(videoNo="VI1", status="BANANA"),
        b"x" * 70_000,
    ],
)
def test_invalid_payload_rejected(raw: bytes) -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    with pytest.raises(InvalidCallbackError):
        receiver.handle(raw, token=receiver.new_token())


def test_platform_task_payloads_accepted() -> None:
    receiver = CallbackReceiver(require_token=False)
    video = receiver.handle(body(videoId="VI9", taskId="T1", status="INDEXING_SUCCEEDED"))
    task = receiver.handle(body(taskId="T1", message="done", status="SUCCEEDED"))
    assert video is not None and (video.video_no, video.task_id) == ("VI9", "T1")
    assert video.status is VideoStatus.PARSE
    # A task's SUCCEEDED means "downloaded" (current docs), never ready.
    assert task is not None and task.is_task_summary and task.status is VideoStatus.UNPARSE
    assert not task.status.is_ready


def test_failure_spellings_normalised() -> None:
    receiver = CallbackReceiver(require_token=False)
    for n, spelling in enumerate(["FAIL", "FAILED", "ERROR", "PARSE_ERROR"]):
        event = receiver.handle(body(videoNo=f"VI{n}", status=spelling))
        assert event is not None and event.status is VideoStatus.PARSE_ERROR


def test_duplicate_delivered_once_to_waiters() -> None:
    receiver = CallbackReceiver(require_token=False)
    heard: list[str] = []
    receiver.add_listener(lambda ev: heard.append(ev.raw_status))
    with receiver.subscribe(video_no="VI1") as sub:
        assert receiver.handle(body(videoNo="VI1", status="PARSE")) is not None
        assert receiver.handle(body(videoNo="VI1", status="PARSE")) is None
        assert len(sub.wait(0)) == 1
        assert sub.wait(0) == []
    assert heard == ["PARSE"] and receiver.duplicates == 1


def test_subscription_replays_callbacks_that_raced_ahead() -> None:
    receiver = CallbackReceiver(require_token=False)
    receiver.handle(body(videoNo="VI1", status="PARSE"))
    with receiver.subscribe(video_no="VI1") as sub:
        assert [ev.video_no for ev in sub.wait(0)] == ["VI1"]
    with receiver.subscribe(video_no="VI2") as other:
        assert other.wait(0) == []


def test_sync_waiter_woken_from_another_thread() -> None:
    receiver = CallbackReceiver(require_token=False)
    with receiver.subscribe(video_no="VI1") as sub:
        timer = threading.Timer(0.05, receiver.handle, [body(videoNo="VI1", status="PARSE")])
        timer.start()
        started = time.monotonic()
        events = sub.wait(5)
        assert events and time.monotonic() - started < 2


async def test_async_waiter_woken_from_another_thread() -> None:
    receiver = CallbackReceiver(require_token=False)
    with receiver.subscribe(task_id="T1") as sub:
        threading.Timer(0.05, receiver.handle, [body(taskId="T1", status="SUCCEEDED")]).start()
        events = await asyncio.wait_for(sub.wait_async(5), 3)
        assert [ev.task_id for ev in events] == ["T1"]


# -- ASGI app -----------------------------------------------------------------------------
async def test_asgi_app_status_codes() -> None:
    receiver = CallbackReceiver("http://testserver/hook")
    url = receiver.callback_url()
    app = callback_app(receiver)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        ok = await http.post(url, json={"videoNo": "VI1", "status": "PARSE"})
        again = await http.post(url, json={"videoNo": "VI1", "status": "PARSE"})
        forged = await http.post("/hook?token=nope", json={"videoNo": "VI2", "status": "PARSE"})
        missing = await http.post("/hook", json={"videoNo": "VI2", "status": "PARSE"})
        bad = await http.post(url, json={"status": "PARSE"})
        get = await http.get(url)
    assert ok.status_code == 200 and ok.json() == {"ok": True, "duplicate": False}
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert forged.status_code == 403 and missing.status_code == 403
    assert bad.status_code == 400
    assert get.status_code == 405
    assert [ev.video_no for ev in receiver.events()] == ["VI1"]


# -- end to end with the emulator -------------------------------------------------------------
def test_emulator_callback_completes_wait_without_polling(
    client: MemoriesClient, emu: EmulatorServer, callback_server: CallbackServer, sample: Path
) -> None:
    receiver = callback_server.receiver
    # A long poll interval: only the callback can finish this wait quickly.
    started = time.monotonic()
    uploaded = client.upload(sample, via=receiver)
    meta = client.wait_for_ready(
        uploaded.video_no, timeout=10, initial_interval=5, max_interval=5, via=receiver
    )
    assert meta.status is VideoStatus.PARSE
    assert time.monotonic() - started < 3
    # At most one check before waiting and one confirming the callback: no polling loop. (Under
    # load encoding may already be done at the first check, which then ends the wait alone.)
    assert 1 <= metadata_polls(emu) <= 2
    delivered = _delivered(emu, uploaded.video_no)
    assert delivered and delivered[0]["http_status"] == 200
    assert "token=" in delivered[0]["url"]


def _delivered(emu: EmulatorServer, video_no: str) -> list[dict[str, Any]]:
    """The emulator's log of callbacks for ``video_no``; it logs right after our receiver
    answered, which can be a moment after the wait already returned."""
    deadline = time.monotonic() + 2
    while True:
        found = [c for c in emu.callbacks if c["payload"].get("videoNo") == video_no]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def test_duplicate_emulator_callbacks_accepted_once(
    client: MemoriesClient, emu: EmulatorServer, callback_server: CallbackServer, sample: Path
) -> None:
    emu.emulator.settings.duplicate_callbacks = True
    receiver = callback_server.receiver
    result = client.upload(sample, via=receiver, wait=True, wait_timeout=10)
    assert result.status is VideoStatus.PARSE
    deadline = time.monotonic() + 3
    while len(emu.callbacks) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [c["http_status"] for c in emu.callbacks] == [200, 200]
    assert len(receiver.events()) == 1 and receiver.duplicates == 1


def test_forged_callback_over_http_is_refused(callback_server: CallbackServer) -> None:
    receiver = callback_server.receiver
    with receiver.subscribe(video_no="VI1") as sub:
        r = httpx.post(callback_server.url, json={"videoNo": "VI1", "status": "PARSE"})
        r2 = httpx.post(
            callback_server.url + "?token=guess.guess", json={"videoNo": "VI1", "status": "PARSE"}
        )
        assert (r.status_code, r2.status_code) == (403, 403)
        assert sub.wait(0.1) == []


def test_failed_encoding_via_callback(
    client: MemoriesClient,
    emu: EmulatorServer,
    callback_server: CallbackServer,
    corrupt_video: Path,
) -> None:
    receiver = callback_server.receiver
    with pytest.raises(ProcessingError) as info:
        client.upload(corrupt_video, via=receiver, wait=True, wait_timeout=10)
    assert info.value.video_no
    delivered = _delivered(emu, info.value.video_no)
    assert [c["payload"]["status"] for c in delivered] == ["FAIL"]


def test_falls_back_to_polling_without_callback(
    client: MemoriesClient, emu: EmulatorServer, sample: Path
) -> None:
    receiver = CallbackReceiver("http://127.0.0.1:9/unused")  # nothing will ever call it
    uploaded = client.upload(sample)  # no callback URL given to the API
    meta = client.wait_for_ready(
        uploaded.video_no, timeout=10, initial_interval=0.05, max_interval=0.1, via=receiver
    )
    assert meta.status is VideoStatus.PARSE
    assert metadata_polls(emu) > 2 and emu.callbacks == []


async def test_async_wait_via_callback(
    aclient: AsyncMemoriesClient,
    emu: EmulatorServer,
    callback_server: CallbackServer,
    sample: Path,
) -> None:
    receiver = callback_server.receiver
    started = time.monotonic()
    result = await aclient.upload(sample, via=receiver, wait=True, wait_timeout=10)
    assert result.status is VideoStatus.PARSE
    assert time.monotonic() - started < 0.95  # the 1 s default poll never ran a second time
    assert metadata_polls(emu) == 2


def test_task_wait_via_callbacks(
    client: MemoriesClient, emu: EmulatorServer, callback_server: CallbackServer
) -> None:
    receiver = callback_server.receiver
    task = client.import_from_urls(
        ["https://www.tiktok.com/@chef/video/1"], callback_url=receiver.callback_url()
    )
    status = client.wait_for_ready(
        task_id=task.task_id, timeout=10, initial_interval=5, via=receiver
    )
    assert status.videos and all(v.status.is_ready for v in status.videos)
    kinds = {ev.raw_status for ev in receiver.events()}
    assert "INDEXING_SUCCEEDED" in kinds
