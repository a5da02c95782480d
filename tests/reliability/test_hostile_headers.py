"""Issue 12, "Hangs": response headers dripped a byte at a time are bounded by the call's
total deadline too, not only the body (every read is fast, so no read timeout trips); and the
read methods take a per-call ``timeout=`` that is that call's total deadline."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from memories_integrations._transport.deadline_transport import DeadlineTransport

from .hostile import HostileServer, drip, drip_headers, envelope
from .test_hostile_transport import KEY, RETRY, run, timed

BODY = envelope([{"videoNo": "VI1", "startTime": "0", "endTime": "1", "score": 0.9}])


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_dripping_headers_cannot_outlast_the_timeout(flavor: str, hostile: Any) -> None:
    hostile("headers dripped 8 bytes per 0.1 s vs timeout=0.25")
    # ~1.3 s of headers: without the bound the call succeeds late and fails the asserts.
    with HostileServer(drip_headers(BODY, every=0.1, step=8)) as server:
        took, exc = timed(lambda: run(flavor, server.base_url, "search", "x", timeout=0.25))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert "total deadline of 0.25s" in str(exc)
    assert took < 2.0


def test_headers_within_the_deadline_still_arrive(flavor: str) -> None:
    """The bound is the deadline, not a shorter one: slow but timely headers are fine."""
    with HostileServer(drip_headers(BODY, every=0.002)) as server:
        hits = run(flavor, server.base_url, "search", "x", timeout=10)
    assert [hit.video_no for hit in hits] == ["VI1"]


def test_dripping_headers_bounded_with_a_callers_async_client(hostile: Any) -> None:
    """The async bound is a cancel scope: it holds for a caller's httpx.AsyncClient too."""
    hostile("headers dripped to a caller's httpx.AsyncClient")

    async def main() -> None:
        async with (
            httpx.AsyncClient() as shared,
            AsyncMemoriesClient(
                api_key=KEY, base_url=server.base_url, http_client=shared, retry=RETRY, timeout=0.25
            ) as client,
        ):
            await client.search("x")

    with HostileServer(drip_headers(BODY, every=0.1, step=8)) as server:
        took, exc = timed(lambda: asyncio.run(main()))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 2.0


def test_a_callers_sync_client_is_left_as_it_was() -> None:
    """The sync bound lives in the transport of the client's own httpx.Client; a caller's
    client is used as given (its headers then have httpx's per-read limits only)."""
    from memories_integrations._transport.deadline_transport import DeadlineTransport

    with httpx.Client() as shared:
        before = shared._transport  # read only, in a test
        with MemoriesClient(api_key=KEY, base_url="http://127.0.0.1:9", http_client=shared) as c:
            assert c._transport._http is shared
        assert shared._transport is before
        assert not isinstance(before, DeadlineTransport)
    with MemoriesClient(api_key=KEY, base_url="http://127.0.0.1:9") as own:
        assert isinstance(own._transport._http._transport, DeadlineTransport)


# -- per-call timeout= on the read methods ------------------------------------------------------
def test_per_call_timeout_bounds_a_sync_search() -> None:
    with HostileServer(drip(BODY, every=0.08)) as server:
        with MemoriesClient(api_key=KEY, base_url=server.base_url, retry=RETRY) as client:
            took, exc = timed(lambda: client.search("x", timeout=0.25))  # the client's is 60 s
            assert len(server.requests) == 1
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert "total deadline of 0.25s" in str(exc)
    assert took < 1.5


def test_per_call_timeout_bounds_an_async_read_method() -> None:
    async def main() -> None:
        async with AsyncMemoriesClient(
            api_key=KEY, base_url=server.base_url, retry=RETRY
        ) as client:
            await client.get_metadata("VI1", timeout=0.25)

    with HostileServer(drip_headers(BODY, every=0.08, step=4)) as server:
        took, exc = timed(lambda: asyncio.run(main()))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 1.5


@pytest.mark.parametrize("bad", [0, -1, float("nan"), "2", True])
def test_a_bad_per_call_timeout_is_refused_before_sending(bad: Any) -> None:
    with HostileServer(drip(BODY)) as server:
        with MemoriesClient(api_key=KEY, base_url=server.base_url) as client:
            with pytest.raises(errors.InvalidInputError, match="timeout"):
                client.list_sessions(timeout=bad)
        assert server.requests == []


def test_an_uploads_late_headers_leave_its_outcome_unknown(flavor: str, tmp_path: Path) -> None:
    """The body was sent when the deadline ends the wait for headers: the video may exist."""
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(1024))
    answer = envelope({"videoNo": "VI1", "videoName": "clip", "videoStatus": "UNPARSE"})
    with HostileServer(drip_headers(answer, every=0.08, step=4)) as server:
        took, exc = timed(
            lambda: run(flavor, server.base_url, "upload", video, call={"timeout": 0.25})
        )
        assert len(server.requests) == 1
    assert isinstance(exc, errors.UploadOutcomeUnknownError), exc
    assert "after the upload was sent" in str(exc)
    assert took < 1.5


_OWN_HANDLE_REQUEST = DeadlineTransport.__dict__["handle_request"]  # before conftest reroutes it


@pytest.mark.parametrize("answer", ["headers", "body"])
def test_the_own_sync_transport_bounds_dripped_answers(
    answer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``DeadlineTransport`` itself (not httpx's code, as the cassette fixture routes it): a
    header drip fails at the call's deadline, a plain answer decodes through it."""
    monkeypatch.setattr(DeadlineTransport, "handle_request", _OWN_HANDLE_REQUEST)
    if answer == "body":
        from .hostile import answer as plain

        with HostileServer(plain(BODY)) as server:
            with MemoriesClient(api_key=KEY, base_url=server.base_url, retry=RETRY) as client:
                assert [hit.video_no for hit in client.search("x", timeout=2)] == ["VI1"]
        return
    with HostileServer(drip_headers(BODY, every=0.2, step=8)) as server:
        with MemoriesClient(api_key=KEY, base_url=server.base_url, retry=RETRY) as client:
            took, exc = timed(lambda: client.search("x", timeout=0.5))
    assert isinstance(exc, errors.MemoriesTimeoutError), exc
    assert took < 2.5
