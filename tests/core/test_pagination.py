"""Auto-pagination (issue 10): ``iter_sessions()`` and ``iter_transcript_search()``, both clients.

The walks over real pages run against the emulator (cassettes in
tests/cassettes/core/test_pagination/); the stop rules and bad input use a MockTransport.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors
from memories_integrations._transport.pagination import more_pages
from memories_integrations.models import VideoStatus

from .conftest import Api

KEY = "sk-pagination-test-key"


# -- against the emulator (cassettes)


@pytest.mark.vcr
async def test_iter_transcript_search_walks_every_page(api: Api) -> None:
    whole = await api.search_transcripts("the", page_size=100)
    assert whole.total_count > 3, "the samples say 'the' in more than three segments"
    walked = await api.iter_transcript_search("the", page_size=2)
    assert [(h.video_no, h.start_time, h.audio_ts) for h in walked] == [
        (h.video_no, h.start_time, h.audio_ts) for h in whole.videos
    ]


@pytest.mark.vcr
async def test_iter_sessions_yields_the_sessions_of_the_namespace(api: Api) -> None:
    page = await api.list_videos(size=50)
    ready = [v.video_no for v in page.videos if v.status is VideoStatus.PARSE]
    answer = await api.chat(ready[:1], "What happens in this video?")
    listed = await api.list_sessions()
    walked = await api.iter_sessions()
    assert answer.session_id in {s.session_id for s in walked}
    assert [s.session_id for s in walked] == [s.session_id for s in listed.sessions]


# -- stop rules and bad input (MockTransport)


def _json(payload: Any) -> httpx.Response:
    body = json.dumps({"code": "0000", "msg": "ok", "data": payload}).encode()
    return httpx.Response(200, stream=httpx.ByteStream(body))


class Pages:
    """Serves ``pages`` (lists of items) with the totals given; records the requests."""

    def __init__(self, key: str, pages: list[list[dict[str, Any]]], **totals: Any) -> None:
        self.key, self.pages, self.totals = key, pages, totals
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        page = int(request.url.params.get("page", "1"))
        items = self.pages[page - 1] if page <= len(self.pages) else []
        return _json({self.key: items, "current_page": page, **self.totals})


def _clients(handler: Any) -> tuple[MemoriesClient, AsyncMemoriesClient]:
    transport = httpx.MockTransport(handler)
    no_retry = RetryPolicy(max_retries=0)
    return (
        MemoriesClient(api_key=KEY, retry=no_retry, http_client=httpx.Client(transport=transport)),
        AsyncMemoriesClient(
            api_key=KEY, retry=no_retry, http_client=httpx.AsyncClient(transport=transport)
        ),
    )


async def _both(handler: Any, method: str, *args: Any, **kwargs: Any) -> list[list[Any]]:
    sync, async_ = _clients(handler)
    sync_items: Iterator[Any] = getattr(sync, method)(*args, **kwargs)
    async_items: AsyncIterator[Any] = getattr(async_, method)(*args, **kwargs)
    return [list(sync_items), [item async for item in async_items]]


def _sessions(*ids: int) -> list[dict[str, Any]]:
    return [{"session_id": str(i), "title": f"s{i}"} for i in ids]


def _hits(*ids: int) -> list[dict[str, Any]]:
    return [{"videoNo": f"VI{i}", "startTime": "1", "audio_ts": "the"} for i in ids]


@pytest.mark.parametrize(
    ("totals", "requests"),
    [
        ({"total_pages": 3}, 3),  # the API's list_sessions total
        ({"total_count": "5"}, 3),  # a count as a string, as the API sends numbers
        ({"page_size": 2}, 3),  # no totals: the short third page is the last
    ],
)
async def test_iter_sessions_walks_pages_until_the_totals_say_stop(
    totals: dict[str, Any], requests: int
) -> None:
    server = Pages("sessions", [_sessions(1, 2), _sessions(3, 4), _sessions(5)], **totals)
    for items in await _both(server, "iter_sessions", unique_id="team"):
        assert [s.session_id for s in items] == ["1", "2", "3", "4", "5"]
    assert len(server.requests) == 2 * requests
    pages = [r.url.params["page"] for r in server.requests[:requests]]
    assert pages == [str(n) for n in range(1, requests + 1)]
    assert all(r.url.params["unique_id"] == "team" for r in server.requests)


async def test_iter_transcript_search_sends_page_size_and_stops_at_total_count() -> None:
    server = Pages("videos", [_hits(1, 2), _hits(3, 4), _hits(5, 6)], total_count=5)
    for items in await _both(server, "iter_transcript_search", "the", page_size=2):
        assert [h.video_no for h in items] == ["VI1", "VI2", "VI3", "VI4", "VI5", "VI6"]
    # total_count 5: after page 3 (6 seen) no fourth page is asked for.
    assert len(server.requests) == 2 * 3
    assert {r.url.params["page_size"] for r in server.requests} == {"2"}
    assert {r.url.params["query"] for r in server.requests} == {"the"}


async def test_empty_first_page_makes_one_request() -> None:
    server = Pages("videos", [], total_count=0)
    assert await _both(server, "iter_transcript_search", "nothing said") == [[], []]
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("args", "kwargs", "param"),
    [
        ((" ",), {}, "query"),
        (("the",), {"page_size": 0}, "page_size"),
        (("the",), {"page_size": 501}, "page_size"),
    ],
)
def test_bad_input_raises_at_the_call_before_any_request(
    args: tuple[Any, ...], kwargs: dict[str, Any], param: str
) -> None:
    server = Pages("videos", [_hits(1)])
    sync, async_ = _clients(server)
    for client in (sync, async_):
        with pytest.raises(errors.InvalidInputError) as info:
            client.iter_transcript_search(*args, **kwargs)  # not iterated: raised at the call
        assert info.value.param == param
    assert server.requests == []


def test_more_pages_rules() -> None:
    rule: dict[str, Any] = dict(page=1, got=2, seen=2, page_size=2, total_count=0, total_pages=None)
    assert more_pages(**rule) is True
    assert more_pages(**{**rule, "got": 0}) is False
    assert more_pages(**{**rule, "total_pages": 1}) is False
    assert more_pages(**{**rule, "total_count": 2}) is False
    assert more_pages(**{**rule, "total_count": 3}) is True
    assert more_pages(**{**rule, "got": 1, "seen": 1}) is False  # short page, no totals
