"""Hostile callback senders (issue 12): forged, replayed, oversized, deeply nested or
contradictory deliveries, and listeners that fail. All in process or through the ASGI app."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable

import httpx
import pytest

from memories_integrations import VideoStatus
from memories_integrations.callbacks import (
    CallbackEvent,
    CallbackReceiver,
    ForgedCallbackError,
    InvalidCallbackError,
    callback_app,
)

from ._helpers import case_name


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("callbacks", request))


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def body(**payload: object) -> bytes:
    return json.dumps(payload).encode()


def token_of(url: str) -> str:
    return httpx.URL(url).params["token"]


async def post(receiver: CallbackReceiver, url: str, content: bytes) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=callback_app(receiver)), base_url="http://testserver"
    ) as http:
        return await http.post(url, content=content, headers={"content-type": "application/json"})


# -- memory ---------------------------------------------------------------------------------
def test_receiver_remembers_ids_and_statuses_only_and_is_bounded() -> None:
    receiver = CallbackReceiver(require_token=False, max_remembered=100)
    padding = "x" * 30_000  # a 60 KB payload, 1,000 times = 58 MB kept before the fix
    for i in range(1_000):
        receiver.handle(body(videoNo=f"VI{i}", status="PARSE", extra=padding, message=padding))
    remembered = receiver.events()
    assert len(remembered) == 100  # bounded
    assert [e.video_no for e in remembered] == [f"VI{i}" for i in range(900, 1_000)]  # LRU
    assert all(e.payload == {} and len(e.message or "") <= 500 for e in remembered)
    assert sum(sys.getsizeof(e.message or "") for e in remembered) < 100 * 1024


def test_recently_seen_duplicate_is_kept_longest() -> None:
    receiver = CallbackReceiver(require_token=False, max_remembered=2)
    receiver.handle(body(videoNo="VI1", status="PARSE"))
    receiver.handle(body(videoNo="VI2", status="PARSE"))
    assert receiver.handle(body(videoNo="VI1", status="PARSE")) is None  # seen again: newest
    receiver.handle(body(videoNo="VI3", status="PARSE"))
    assert [e.video_no for e in receiver.events()] == ["VI1", "VI3"]


async def test_oversized_body_is_413_and_the_cap_is_settable() -> None:
    receiver = CallbackReceiver("http://testserver/hook", max_body_bytes=1024)
    url = receiver.callback_url()
    big = body(videoNo="VI1", status="PARSE", pad="x" * 2000)
    assert (await post(receiver, url, big)).status_code == 413
    assert (await post(receiver, url, body(videoNo="VI1", status="PARSE"))).status_code == 200
    with pytest.raises(InvalidCallbackError):  # the cap also holds for handle() itself
        CallbackReceiver(require_token=False).handle(b"[" + b" " * 70_000 + b"]")


async def test_deeply_nested_body_is_400_not_500() -> None:
    receiver = CallbackReceiver("http://testserver/hook")
    response = await post(receiver, receiver.callback_url(), b"[" * 30_000 + b"]" * 30_000)
    assert response.status_code == 400
    assert "nested" in response.json()["error"]


# -- data loss ------------------------------------------------------------------------------
async def test_failing_listener_makes_the_sender_retry() -> None:
    receiver = CallbackReceiver("http://testserver/hook")
    heard: list[CallbackEvent] = []
    failures = [RuntimeError("database down")]

    def listener(event: CallbackEvent) -> None:
        if failures:
            raise failures.pop()
        heard.append(event)

    receiver.add_listener(listener)
    url = receiver.callback_url()
    first = await post(receiver, url, body(videoNo="VI1", status="PARSE"))
    assert first.status_code == 500  # not acknowledged: the sender retries
    assert receiver.events() == []  # not marked seen
    retry = await post(receiver, url, body(videoNo="VI1", status="PARSE"))
    assert retry.status_code == 200 and retry.json()["duplicate"] is False
    assert [e.video_no for e in heard] == ["VI1"]


def test_fail_then_failed_is_one_event() -> None:
    receiver = CallbackReceiver(require_token=False)
    first = receiver.handle(body(videoNo="VI1", status="FAIL"))
    second = receiver.handle(body(videoNo="VI1", status="FAILED"))
    assert first is not None and first.status is VideoStatus.PARSE_ERROR
    assert second is None and receiver.duplicates == 1
    assert len(receiver.events()) == 1


# -- forgery --------------------------------------------------------------------------------
def test_token_for_one_upload_is_refused_for_another() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    url_a, url_b = receiver.callback_url(), receiver.callback_url()
    receiver.bind(url_a, video_no="VIA")
    with pytest.raises(ForgedCallbackError, match="another upload"):
        receiver.handle(body(videoNo="VIB", status="PARSE"), token=token_of(url_a))
    assert receiver.handle(body(videoNo="VIA", status="PARSE"), token=token_of(url_a))
    # an unbound token is bound by its first delivery
    assert receiver.handle(body(videoNo="VIC", status="UNPARSE"), token=token_of(url_b))
    with pytest.raises(ForgedCallbackError):
        receiver.handle(body(videoNo="VID", status="PARSE"), token=token_of(url_b))


def test_import_token_is_bound_to_its_task() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    url = receiver.callback_url()
    receiver.bind(url, task_id="T1")
    token = token_of(url)
    assert receiver.handle(
        body(videoId="VI1", taskId="T1", status="INDEXING_SUCCEEDED"), token=token
    )
    assert receiver.handle(body(taskId="T1", status="SUCCEEDED"), token=token)
    with pytest.raises(ForgedCallbackError):
        receiver.handle(body(videoId="VI2", taskId="T2", status="INDEXING_SUCCEEDED"), token=token)


def test_token_expires() -> None:
    clock = Clock()
    receiver = CallbackReceiver("https://app.example.com/hook", token_ttl=60, clock=clock)
    token = token_of(receiver.callback_url())
    clock.now += 61
    with pytest.raises(ForgedCallbackError, match="expired"):
        receiver.handle(body(videoNo="VI1", status="PARSE"), token=token)
    assert not receiver.verify_token(token)


def test_status_change_after_final_status_is_refused() -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    token = token_of(receiver.callback_url())
    assert receiver.handle(body(videoNo="VI1", status="PARSE"), token=token)
    for flipped in ("FAIL", "UNPARSE"):  # a captured token replayed with another status
        with pytest.raises(InvalidCallbackError, match="final status"):
            receiver.handle(body(videoNo="VI1", status=flipped), token=token)
    assert [e.status for e in receiver.events()] == [VideoStatus.PARSE]


def test_upload_via_receiver_binds_its_token(tmp_path: object) -> None:
    receiver = CallbackReceiver("https://app.example.com/hook")
    url = receiver.callback_url()
    receiver.bind_issued(url, video_no="VI1")
    receiver.bind_issued("https://elsewhere.example.com/hook", video_no="VI1")  # not ours: no-op
    with pytest.raises(ForgedCallbackError):
        receiver.handle(body(videoNo="VI2", status="PARSE"), token=token_of(url))


@pytest.mark.parametrize("ttl", [float("inf"), float("nan"), float("-inf"), 1e300])
def test_unusable_token_ttl_is_refused(ttl: float) -> None:
    from memories_integrations.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="token_ttl"):
        CallbackReceiver("https://app.example.com/hook", token_ttl=ttl)


def test_final_status_guard_holds_for_events_in_flight() -> None:
    """PARSE and PARSE_ERROR for one video from two threads at once: one reaches listeners."""
    import threading

    receiver = CallbackReceiver("https://app.example.com/hook", require_token=False)
    inside, release = threading.Event(), threading.Event()
    heard: list[VideoStatus] = []

    def slow_listener(event: CallbackEvent) -> None:
        heard.append(event.status)
        inside.set()
        release.wait(5)

    receiver.add_listener(slow_listener)
    first = threading.Thread(target=receiver.handle, args=(body(videoNo="VI1", status="PARSE"),))
    first.start()
    assert inside.wait(5)
    try:
        with pytest.raises(InvalidCallbackError, match="final status"):
            receiver.handle(body(videoNo="VI1", status="PARSE_ERROR"))
    finally:
        release.set()
        first.join(5)
    assert heard == [VideoStatus.PARSE]
