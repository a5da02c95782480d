"""The openai/anthropic SDK habits (issue 10): ``max_retries=``, ``default_headers=`` and
``with_options(...)``, on both clients.

No cassettes: a MockTransport answers and records what each request carried.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors

KEY = "sk-client-options-test-key-0123456789"
FAST = RetryPolicy(max_retries=3, initial_delay=0.001, max_delay=0.002, jitter=False)
PAGE = {"code": "0000", "msg": "ok", "data": {"videos": [], "total_count": 0}}


def _json(status: int, payload: Any) -> httpx.Response:
    # stream= rather than json=: the response is read by the client, as a network one is.
    return httpx.Response(
        status,
        headers={"content-type": "application/json"},
        stream=httpx.ByteStream(json.dumps(payload).encode()),
    )


class Recorder:
    """Answers ``failures`` 503s, then success; keeps every request."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) <= self.failures:
            return _json(503, {"code": "0503", "msg": "unavailable"})
        return _json(200, PAGE)


def _sync(rec: Recorder, **kwargs: Any) -> MemoriesClient:
    kwargs.setdefault("retry", FAST)
    return MemoriesClient(
        api_key=KEY, http_client=httpx.Client(transport=httpx.MockTransport(rec)), **kwargs
    )


def _async(rec: Recorder, **kwargs: Any) -> AsyncMemoriesClient:
    kwargs.setdefault("retry", FAST)
    return AsyncMemoriesClient(
        api_key=KEY, http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)), **kwargs
    )


# -- max_retries=


@pytest.mark.parametrize("max_retries", [0, 1, 2])
async def test_max_retries_sets_the_number_of_retries(max_retries: int) -> None:
    rec = Recorder(failures=10)
    with pytest.raises(errors.ServerError):
        _sync(rec, max_retries=max_retries).list_videos()
    assert len(rec.requests) == max_retries + 1

    arec = Recorder(failures=10)
    with pytest.raises(errors.ServerError):
        await _async(arec, max_retries=max_retries).list_videos()
    assert len(arec.requests) == max_retries + 1


def test_max_retries_keeps_the_rest_of_the_policy() -> None:
    client = MemoriesClient(api_key=KEY, retry=FAST, max_retries=7)
    assert client.retry.max_retries == 7
    assert client.retry.initial_delay == FAST.initial_delay and client.retry.jitter is False
    assert MemoriesClient(api_key=KEY, max_retries=1).retry == RetryPolicy(max_retries=1)
    assert AsyncMemoriesClient(api_key=KEY, max_retries=0).retry.max_retries == 0


def test_memories_max_retries_sets_the_default_and_arguments_win(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MEMORIES_MAX_RETRIES", "0")
    assert MemoriesClient(api_key=KEY).retry == RetryPolicy(max_retries=0)
    assert AsyncMemoriesClient(api_key=KEY).retry.max_retries == 0
    assert MemoriesClient(api_key=KEY, max_retries=2).retry.max_retries == 2
    assert MemoriesClient(api_key=KEY, retry=FAST).retry == FAST
    monkeypatch.setenv("MEMORIES_MAX_RETRIES", " ")
    assert MemoriesClient(api_key=KEY).retry == RetryPolicy()


@pytest.mark.parametrize("bad", ["-1", "1.5", "three"])
def test_a_bad_memories_max_retries_is_named(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMORIES_MAX_RETRIES", bad)
    for cls in (MemoriesClient, AsyncMemoriesClient):
        with pytest.raises(errors.InvalidInputError, match="MEMORIES_MAX_RETRIES") as info:
            cls(api_key=KEY)
        assert info.value.param == "MEMORIES_MAX_RETRIES"
    assert MemoriesClient(api_key=KEY, max_retries=1).retry.max_retries == 1  # not read


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True, None])
def test_bad_max_retries_is_invalid_input(bad: Any) -> None:
    if bad is None:  # None means "not given": the default policy
        assert MemoriesClient(api_key=KEY, max_retries=bad).retry == RetryPolicy()
        return
    for cls in (MemoriesClient, AsyncMemoriesClient):
        with pytest.raises(errors.InvalidInputError) as info:
            cls(api_key=KEY, max_retries=bad)
        assert info.value.param == "max_retries"


# -- default_headers=


async def test_default_headers_are_sent_like_headers() -> None:
    rec = Recorder()
    _sync(rec, default_headers={"X-Team": "video"}).list_videos()
    await _async(rec, default_headers={"X-Team": "video"}).list_videos()
    _sync(rec, headers={"X-Team": "video"}).list_videos()
    for request in rec.requests:
        assert request.headers["x-team"] == "video"
        assert request.headers["user-agent"].startswith("memories-integrations/")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"headers": {"A": "1"}, "default_headers": {"B": "2"}},
        {"default_headers": {"A": 1}},
        {"default_headers": ["A", "1"]},
        {"headers": {None: "1"}},
    ],
)
def test_bad_headers_are_invalid_input(kwargs: dict[str, Any]) -> None:
    for cls in (MemoriesClient, AsyncMemoriesClient):
        with pytest.raises(errors.InvalidInputError):
            cls(api_key=KEY, **kwargs)


# -- with_options(...)


def test_with_options_copies_settings_and_shares_pool_and_limiter() -> None:
    rec = Recorder()
    client = _sync(rec, rate_limiter=True, unique_id="team-a", default_headers={"X-A": "1"})
    copy = client.with_options(
        timeout=5, max_retries=0, default_headers={"X-B": "2"}, unique_id="team-b"
    )
    assert type(copy) is MemoriesClient and copy is not client
    assert (
        copy._transport._http is client._transport._http
        and copy.rate_limiter is client.rate_limiter
    )
    assert copy.rate_limiter is not None
    assert (copy.unique_id, copy.retry.max_retries, copy.timeout.read) == ("team-b", 0, 5.0)
    # The original is unchanged.
    assert (client.unique_id, client.retry, client.timeout.read) == ("team-a", FAST, 60.0)

    copy.list_videos()
    client.list_videos()
    sent_copy, sent_original = rec.requests
    assert sent_copy.headers["x-a"] == "1" and sent_copy.headers["x-b"] == "2"
    assert "x-b" not in sent_original.headers
    # Per-phase timeouts are capped by what is left of the call's budget: just under the value.
    assert 4.0 < sent_copy.extensions["timeout"]["read"] <= 5.0
    assert 59.0 < sent_original.extensions["timeout"]["read"] <= 60.0
    assert "team-b" in str(sent_copy.url) + sent_copy.content.decode()
    assert "team-a" in str(sent_original.url) + sent_original.content.decode()
    assert sent_copy.headers["authorization"] == KEY  # same credentials


async def test_async_with_options_changes_retries_per_copy() -> None:
    rec = Recorder(failures=10)
    client = _async(rec)
    copy = client.with_options(max_retries=0)
    assert type(copy) is AsyncMemoriesClient and copy._transport._http is client._transport._http
    with pytest.raises(errors.ServerError):
        await copy.list_videos()
    assert len(rec.requests) == 1
    with pytest.raises(errors.ServerError):
        await client.list_videos()
    assert len(rec.requests) == 1 + 4  # the original still retries 3 times
    policy = RetryPolicy(max_retries=1, initial_delay=0.001, jitter=False)
    assert client.with_options(retry=policy).retry is policy
    assert client.with_options(retry=policy, max_retries=2).retry.max_retries == 2


def test_closing_a_copy_leaves_the_shared_pool_open() -> None:
    client = MemoriesClient(api_key=KEY)
    copy = client.with_options(timeout=3)
    copy.close()
    assert not client._transport._http.is_closed
    client.close()
    assert client._transport._http.is_closed


async def test_closing_an_async_copy_leaves_the_shared_pool_open() -> None:
    client = AsyncMemoriesClient(api_key=KEY)
    async with client.with_options(english_only=False) as copy:
        assert copy.english_only is False and client.english_only is True
    assert not client._transport._http.is_closed
    await client.aclose()
    assert client._transport._http.is_closed


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": -1},
        {"timeout": "fast"},
        {"max_retries": -2},
        {"unique_id": ""},
        {"english_only": "yes"},
        {"headers": {"A": "1"}, "default_headers": {"B": "2"}},
    ],
)
def test_with_options_rejects_bad_input(kwargs: dict[str, Any]) -> None:
    client = MemoriesClient(api_key=KEY)
    with pytest.raises(errors.InvalidInputError):
        client.with_options(**kwargs)


def test_with_options_copy_repr_has_no_key() -> None:
    copy = MemoriesClient(api_key=KEY).with_options(unique_id="x")
    assert KEY not in repr(copy) and "unique_id='x'" in repr(copy)
