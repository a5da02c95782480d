"""The client's rate-limit table (current Rate-limits page), its defaults and overrides."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations._endpoints import chat, imports, library, search, videos
from memories_integrations._endpoints.base import Endpoint
from memories_integrations._transport.limits import DEFAULT_RATE_LIMIT_WAIT
from memories_integrations._transport.retry import (
    CURRENT_RATE_LIMITS,
    DOCUMENTED_QPS,
    RATE_WAIT_HOOK,
    Rate,
    RateLimiter,
    RetryPolicy,
    SlotTooFar,
    build_limiter,
)
from memories_integrations.errors import (
    InvalidInputError,
    MemoriesTimeoutError,
    RateLimitWaitError,
)
from memories_integrations.testing import EmulatorServer

KEY = "sk-test-rate-limits"
ENV = "MEMORIES_RATE_LIMITER"


@pytest.fixture
def default_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """tests/conftest.py turns the limiter off for the suite; these tests need the default."""
    monkeypatch.delenv(ENV, raising=False)
    yield


def test_table_is_the_current_page() -> None:
    minute = 60.0
    expected = {
        "upload": (1, minute),
        "search": (1, 1.0),
        "chat": (2, minute),
        "marketer_chat": (2, minute),
        "video_transcription": (1, 1.0),
        "audio_transcription": (1, 1.0),
        "summary": (1, 1.0),
        "task_status": (1, 1.0),
        "download": (12, minute),
        "list_videos": (5, 1.0),
        "list_sessions": (5, 1.0),
        "delete": (5, 1.0),
    }
    assert {g: (r.count, r.per_seconds) for g, r in CURRENT_RATE_LIMITS.items()} == expected
    assert DOCUMENTED_QPS["upload"] == pytest.approx(1 / 60)  # still importable, per second
    assert DOCUMENTED_QPS["download"] == pytest.approx(0.2)


def _endpoints() -> dict[str, Endpoint]:
    found: dict[str, Endpoint] = {}
    for module in (chat, imports, library, search, videos):
        for value in vars(module).values():
            if isinstance(value, Endpoint):
                found[value.name] = value
    return found


def test_each_endpoint_has_its_group() -> None:
    groups = {name: ep.rate_group for name, ep in _endpoints().items()}
    for name in ("upload", "upload_url", "upload_img"):
        assert groups[name] == "upload"
    assert groups["search"] == groups["search_audio_transcripts"] == "search"
    assert groups["chat"] == groups["chat_stream"] == groups["chat_personal"] == "chat"
    assert groups["marketer_chat"] == groups["marketer_chat_stream"] == "marketer_chat"
    assert groups["get_video_transcription"] == "video_transcription"
    assert groups["get_audio_transcription"] == "audio_transcription"
    assert groups["generate_summary"] == "summary"
    assert groups["get_video_ids_by_task_id"] == "task_status"
    assert groups["download"] == groups["download_video"] == "download"
    assert groups["list_videos"] == "list_videos"
    assert groups["list_sessions"] == "list_sessions"
    assert groups["delete_videos"] == "delete"
    assert groups["scraper_url"] is None  # not on the page: not 1 per minute like upload
    known = set(CURRENT_RATE_LIMITS)
    assert all(g is None or g in known for g in groups.values()), groups


def test_default_limits_only_the_per_minute_groups(default_env: None) -> None:
    client = MemoriesClient(api_key=KEY)
    limiter = client.rate_limiter
    assert limiter is not None
    assert {g for g in CURRENT_RATE_LIMITS if limiter.limits(g)} == {
        "upload",
        "chat",
        "marketer_chat",
        "download",
    }
    # Headroom is 10% but at most 1 s: 61 s between uploads, 5.5 s between downloads.
    assert limiter.interval("upload") == pytest.approx(61.0)
    assert limiter.interval("download") == pytest.approx(5.5)
    assert client.to_async().rate_limiter is limiter  # the twin shares the quota


def test_true_limits_every_group_and_false_none(default_env: None) -> None:
    every = MemoriesClient(api_key=KEY, rate_limiter=True).rate_limiter
    assert every is not None and all(every.limits(g) for g in CURRENT_RATE_LIMITS)
    assert every.interval("search") == pytest.approx(1.1)
    assert MemoriesClient(api_key=KEY, rate_limiter=False).rate_limiter is None


def test_overrides(default_env: None) -> None:
    limiter = MemoriesClient(
        api_key=KEY, rate_limits={"search": 5, "upload": None, "chat": Rate(4, 60)}
    ).rate_limiter
    assert limiter is not None
    assert limiter.interval("search") == pytest.approx(0.22)  # a named group is limited
    assert not limiter.limits("upload")  # None lifts a limit
    assert limiter.interval("chat") == pytest.approx(16.0)
    assert limiter.limits("download")  # the other defaults stay


@pytest.mark.parametrize(
    ("setting", "upload", "search"),
    [("off", False, False), ("all", True, True), ("per-minute", True, False)],
)
def test_environment_switch(
    monkeypatch: pytest.MonkeyPatch, setting: str, upload: bool, search: bool
) -> None:
    monkeypatch.setenv(ENV, setting)
    limiter = MemoriesClient(api_key=KEY).rate_limiter
    assert (limiter is not None and limiter.limits("upload")) is upload
    assert (limiter is not None and limiter.limits("search")) is search
    # An explicit argument wins over the environment.
    assert MemoriesClient(api_key=KEY, rate_limiter=True).rate_limiter is not None


@pytest.mark.parametrize(
    "bad",
    [
        {"search": 0},
        {"search": -1},
        {"search": float("nan")},
        {"search": "5"},
        {"search": True},
    ],
)
def test_bad_overrides_are_invalid_input(default_env: None, bad: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError):
        MemoriesClient(api_key=KEY, rate_limits=bad)


def test_bad_environment_and_conflicting_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "sometimes")
    with pytest.raises(InvalidInputError, match=ENV):
        MemoriesClient(api_key=KEY)
    with pytest.raises(InvalidInputError, match="not both"):
        build_limiter(RateLimiter(), {"search": 2})


def test_reserve_queues_and_reports_waits() -> None:
    limiter = RateLimiter({"upload": Rate(1, 60)})
    seen: list[tuple[str, float]] = []
    token = RATE_WAIT_HOOK.set(lambda group, wait: seen.append((group, wait)))
    try:
        assert limiter.reserve("upload") == 0.0
        assert limiter.reserve("upload") == pytest.approx(61.0, abs=0.1)
        assert limiter.reserve("upload") == pytest.approx(122.0, abs=0.1)
        assert limiter.reserve("search") == 0.0  # not in this limiter's table
    finally:
        RATE_WAIT_HOOK.reset(token)
    assert [g for g, _ in seen] == ["upload", "upload"]


def test_a_refused_reservation_books_nothing() -> None:
    """Issue 21 #8: calls refused by their deadline must not push the next real call back."""
    limiter = RateLimiter({"chat": Rate(1, 60)})
    assert limiter.reserve("chat") == 0.0
    for _ in range(5):
        with pytest.raises(SlotTooFar) as far:
            limiter.reserve("chat", max_wait=2.0)
        assert far.value.wait == pytest.approx(61.0, abs=0.1)
    assert limiter.reserve("chat") == pytest.approx(61.0, abs=0.1)


def _search_client(times: list[float], rate: Rate, **options: Any) -> MemoriesClient:
    return MemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=httpx.Client(transport=_recording_transport(times)),
        rate_limits={"search": rate},
        **options,
    )


def test_calls_refused_by_rate_limit_wait_leave_the_schedule_alone(default_env: None) -> None:
    times: list[float] = []
    with _search_client(times, Rate(1, 0.3), rate_limit_wait=0.05) as client:
        client.search("first")
        for _ in range(5):  # each would wait ~0.33 s, past its rate_limit_wait of 0.05 s
            with pytest.raises(RateLimitWaitError, match=r"rate_limit_wait=0\.05s") as refused:
                client.search("refused")
            assert refused.value.group == "search" and refused.value.wait > 0.05
        started = time.monotonic()
        client.with_options(rate_limit_wait=1).search("next")
    # Five refusals booked nothing: the next call waits one interval, not six.
    assert time.monotonic() - started < 0.5
    assert len(times) == 2


def test_the_timeout_starts_after_the_rate_limit_wait(default_env: None) -> None:
    """Issue 22 #2: a call's timeout bounds the request, not its wait for a slot."""
    times: list[float] = []
    with _search_client(times, Rate(1, 0.3)) as client:
        client.search("first")
        client.search("second", timeout=0.05)  # waits ~0.33 s for its slot, then is sent
    assert len(times) == 2 and times[1] - times[0] >= 0.3


def test_rate_limit_wait_zero_fails_at_once_and_none_waits(default_env: None) -> None:
    times: list[float] = []
    with _search_client(times, Rate(1, 0.3), rate_limit_wait=0) as client:
        client.search("first")  # a free slot: no wait needed, so it goes
        started = time.monotonic()
        with pytest.raises(RateLimitWaitError, match="search rate limit") as refused:
            client.search("second")
        assert time.monotonic() - started < 0.05
        assert "rate_limit_wait=0 does not wait" in str(refused.value)
        assert refused.value.retry_after == refused.value.wait
        assert isinstance(refused.value, MemoriesTimeoutError)  # what callers caught before
        client.with_options(rate_limit_wait=None).search("third")
    assert len(times) == 2


def test_a_retry_must_reach_its_slot_within_the_deadline(default_env: None) -> None:
    """A retry is part of the request: its slot wait is bounded by what is left of it."""
    calls: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(time.monotonic())
        return httpx.Response(503, json={"code": "0503", "msg": "busy"})

    policy = RetryPolicy(max_retries=2, initial_delay=0.01, jitter=False)
    with MemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        rate_limits={"search": Rate(1, 0.5)},
        retry=policy,
    ) as client:
        with pytest.raises(RateLimitWaitError, match=r"past this call's deadline of 0\.2s"):
            client.search("x", timeout=0.2)
    assert len(calls) == 1


@pytest.mark.parametrize("bad", [-1, "60", True, float("nan"), float("inf")])
def test_bad_rate_limit_wait_is_invalid_input(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="rate_limit_wait"):
        MemoriesClient(api_key=KEY, rate_limit_wait=bad)
    with MemoriesClient(api_key=KEY) as client, pytest.raises(InvalidInputError):
        client.with_options(rate_limit_wait=bad)


def test_rate_limit_wait_default_and_twins() -> None:
    with MemoriesClient(api_key=KEY, rate_limit_wait=5) as client:
        assert MemoriesClient(api_key=KEY).rate_limit_wait == DEFAULT_RATE_LIMIT_WAIT
        assert client.to_async().rate_limit_wait == 5
        assert client.with_options(rate_limit_wait=None).rate_limit_wait is None
        assert client.rate_limit_wait == 5


def _envelope(data: object) -> httpx.Response:
    body = json.dumps({"code": "0000", "msg": "success", "data": data}).encode()
    # A streamed body, as the network gives it.
    return httpx.Response(
        200, headers={"content-type": "application/json"}, stream=httpx.ByteStream(body)
    )


def _recording_transport(times: list[float]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        times.append(time.monotonic())
        if request.url.path.endswith("/upload"):
            return _envelope({"videoNo": f"VI{len(times)}", "videoStatus": "UNPARSE"})
        return _envelope([])

    return httpx.MockTransport(handler)


def test_sync_client_waits_for_its_slot(default_env: None, tmp_path: Path) -> None:
    video = tmp_path / "a.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    times: list[float] = []
    http = httpx.Client(transport=_recording_transport(times))
    with MemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=http,
        rate_limits={"upload": Rate(1, 0.25)},
    ) as client:
        for _ in range(3):
            client.upload(video)
        client.search("a goal")  # search is not limited by default: no wait
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(g >= 0.25 for g in gaps[:2]), gaps
    assert gaps[2] < 0.2, gaps


async def test_async_hybrid_searches_are_spaced_by_the_search_rate(default_env: None) -> None:
    """Two concurrent searches at the documented 1/s would always earn one 0429: both go
    through the search group's limit (here 4/s, so the test waits a quarter second)."""
    from memories_integrations.langchain import MemoriesHybridRetriever

    times: list[float] = []
    http = httpx.AsyncClient(transport=_recording_transport(times))
    client = AsyncMemoriesClient(
        api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, rate_limits={"search": 4}
    )
    retriever = MemoriesHybridRetriever(async_client=client, k=3)
    assert await retriever.ainvoke("a goal") == []
    assert len(times) == 2 and times[1] - times[0] >= 0.25
    await client.aclose()
    await http.aclose()


def test_hybrid_searches_run_at_once_with_the_limiter_off() -> None:
    from memories_integrations.langchain import MemoriesHybridRetriever

    times: list[float] = []
    http = httpx.Client(transport=_recording_transport(times))
    client = MemoriesClient(
        api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, rate_limiter=False
    )
    assert MemoriesHybridRetriever(client=client, k=3).invoke("a goal") == []
    assert len(times) == 2 and abs(times[1] - times[0]) < 0.5


async def test_a_lifted_search_limit_lets_the_hybrid_searches_go_at_once(
    default_env: None,
) -> None:
    """``rate_limits={"search": None}`` lifts the documented pacing of concurrent searches too."""
    from memories_integrations.langchain import MemoriesHybridRetriever

    times: list[float] = []
    http = httpx.AsyncClient(transport=_recording_transport(times))
    client = AsyncMemoriesClient(
        api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, rate_limits={"search": None}
    )
    assert client.rate_limiter is not None and client.rate_limiter.reserve_fanout("search") == 0
    assert await MemoriesHybridRetriever(async_client=client, k=3).ainvoke("a goal") == []
    assert len(times) == 2 and abs(times[1] - times[0]) < 0.5
    await client.aclose()
    await http.aclose()


def test_a_chat_waits_for_its_slot_before_its_stream_timeout_starts(default_env: None) -> None:
    """Chat's own limits (stream_timeout / timeout=) follow the rule too."""
    with (
        EmulatorServer(rate_limits=False, preload_samples=True, encoding_delay=0.05) as emu,
        MemoriesClient(
            api_key=emu.api_key, base_url=emu.base_url, rate_limits={"chat": Rate(1, 0.4)}
        ) as client,
    ):
        video = "VI700000000000000001"
        client.chat([video], "what happens?")
        answer = client.chat([video], "and then?", timeout=0.3)  # waits ~0.44 s, then 0.3 s
        sent = [r.time for r in emu.requests() if "chat" in r.path]
    assert answer.content and len(sent) == 2 and sent[1] - sent[0] >= 0.4


async def test_async_timeout_starts_after_the_rate_limit_wait(default_env: None) -> None:
    times: list[float] = []
    http = httpx.AsyncClient(transport=_recording_transport(times))
    async with AsyncMemoriesClient(
        api_key=KEY,
        base_url="http://127.0.0.1:9",
        http_client=http,
        rate_limits={"search": Rate(1, 0.3)},
    ) as client:
        await client.search("first")
        await client.search("second", timeout=0.05)
        with pytest.raises(RateLimitWaitError, match="search"):
            await client.with_options(rate_limit_wait=0.01).search("third")
    assert len(times) == 2 and times[1] - times[0] >= 0.3
    await http.aclose()
