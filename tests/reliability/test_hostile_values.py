"""A server sending non-finite times (issue 12), and adapter options that are not numbers a
relevance score can be compared with. Served by a mock transport: no cassette."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient
from memories_integrations import errors as e

from ._helpers import NO_RETRY, case_name

# Raw JSON text: json.loads turns Infinity / NaN / 1e400 into non-finite floats.
NON_FINITE = ["Infinity", "-Infinity", "NaN", '"inf"', '"nan"', "1e400", '"1e400"']


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("values", request))


def _hit(start: str) -> str:
    return (
        '{"code": "0000", "msg": "success", "data": [{"videoNo": "VI1", "videoName": "v", '
        f'"startTime": {start}, "endTime": "6", "score": 0.5}}]}}'
    )


def _transcript(start: str) -> str:
    return (
        '{"code": "0000", "msg": "success", "data": {"videoNo": "VI1", "transcriptions": '
        f'[{{"index": 0, "content": "hi", "startTime": {start}, "endTime": "2"}}]}}}}'
    )


class _Body(httpx.SyncByteStream):
    """A body read from the "network" (httpx pre-reads a ``content=`` body)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __iter__(self) -> Iterator[bytes]:
        yield self.data


def _json(body: str) -> httpx.Response:
    return httpx.Response(
        200, stream=_Body(body.encode()), headers={"content-type": "application/json"}
    )


@pytest.fixture
def serve() -> Iterator[Callable[[str], MemoriesClient]]:
    made: list[httpx.Client] = []

    def client(body: str) -> MemoriesClient:
        http = httpx.Client(transport=httpx.MockTransport(lambda request: _json(body)))
        made.append(http)
        return MemoriesClient(api_key="test-key", http_client=http, retry=NO_RETRY)

    yield client
    for http in made:
        http.close()


@pytest.mark.parametrize("start", NON_FINITE)
def test_non_finite_times_are_skipped_rows(
    start: str, serve: Callable[[str], MemoriesClient]
) -> None:
    # Issue 19: a row with a non-finite time is malformed; it is skipped and counted, never
    # returned with an infinite time, and it never fails the rest of the list.
    hits = serve(_hit(start)).search("a dog")
    assert list(hits) == [] and hits.skipped == 1
    transcript = serve(_transcript(start)).get_audio_transcription("VI1")
    assert transcript.segments == [] and transcript.skipped == 1


def test_finite_times_still_parse(serve: Callable[[str], MemoriesClient]) -> None:
    hit = serve(_hit('"4.5"')).search("a dog")[0]
    assert hit.start_time == 4.5 and hit.start_timestamp == "00:00:04"


@pytest.mark.parametrize("start", ["Infinity", "NaN", "1e400"])
def test_retrievers_leave_out_non_finite_rows(
    start: str, serve: Callable[[str], MemoriesClient]
) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    li = pytest.importorskip("memories_integrations.llama_index")
    for retriever in (
        lc.MemoriesRetriever(client=serve(_hit(start))),
        lc.MemoriesHybridRetriever(client=serve(_hit(start))),
    ):
        assert retriever.invoke("a dog") == []
    assert li.MemoriesRetriever(client=serve(_hit(start))).retrieve("a dog") == []


# -- adapter options --------------------------------------------------------------------------
BAD_THRESHOLDS: list[Any] = [math.nan, math.inf, -math.inf, -0.1, 1.5]


@pytest.mark.parametrize("threshold", BAD_THRESHOLDS, ids=repr)
def test_score_threshold_checked_by_every_adapter(
    threshold: Any, serve: Callable[[str], MemoriesClient]
) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    li = pytest.importorskip("memories_integrations.llama_index")
    client = serve(_hit('"4"'))
    builds: list[Callable[[], object]] = [
        lambda: lc.MemoriesRetriever(client=client, score_threshold=threshold),
        lambda: lc.MemoriesHybridRetriever(client=client, score_threshold=threshold),
        lambda: lc.MemoriesSearchTool(client=client, score_threshold=threshold),
        lambda: li.MemoriesRetriever(client=client, score_threshold=threshold),
    ]
    for build in builds:
        with pytest.raises(ValueError, match="score_threshold must be a number from 0 to 1"):
            build()
    good = lc.MemoriesRetriever(client=client, score_threshold=0.4)
    with pytest.raises(e.InvalidInputError):  # a per-call override is checked too
        good.invoke("a dog", score_threshold=threshold)


def test_hybrid_k_error_names_the_callers_k(serve: Callable[[str], MemoriesClient]) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    sent: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        import json

        sent.append(json.loads(request.content)["top_k"])
        return _json('{"code": "0000", "msg": "success", "data": []}')

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        client = MemoriesClient(api_key="test-key", http_client=http, retry=NO_RETRY)
        assert lc.MemoriesHybridRetriever(client=client, k=501).invoke("a dog") == []
        assert sent == [1000, 1000]  # 2 * k, capped at the API's top_k limit
        with pytest.raises(e.InvalidInputError) as info:
            lc.MemoriesHybridRetriever(client=client, k=1001).invoke("a dog")
    assert info.value.param == "k" and "got 1001" in str(info.value)
