"""Fixtures of the LlamaIndex tests: a ready sample library and offline mock clients."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, VideoStatus
from memories_integrations.testing import sample_videos
from tests.adapters_core.helpers import live_emulator

__all__ = ["live_emulator"]  # a fixture of the shared helpers, for this folder's tests

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture
def library(memories_client: MemoriesClient, memories_server: Any) -> dict[str, str]:
    """{sample stem: video_no} of the bundled samples, encoded (PARSE) in namespace "default".

    Uses the emulator's preloaded samples when it has them; otherwise uploads them and waits.
    Every request goes through the test's cassette, so replay needs no emulator.
    """
    ready = {
        v.video_name or "": v.video_no
        for v in memories_client.iter_videos()
        if v.status is VideoStatus.PARSE
    }
    missing = [p for p in sample_videos() if p.stem not in ready]
    uploaded = {p.stem: memories_client.upload(p).video_no for p in missing}
    if uploaded and memories_server is not None:
        memories_server.complete_all()  # recording: finish encoding now instead of waiting
    for video_no in uploaded.values():
        deadline = time.monotonic() + 10
        while memories_client.get_metadata(video_no).status is not VideoStatus.PARSE:
            assert time.monotonic() < deadline, f"{video_no} never reached PARSE"
            time.sleep(0.05)
    return {**ready, **uploaded}


def _json(data: Any) -> httpx.Response:
    # A not-yet-read stream, like a real response (the client streams bodies).
    body = json.dumps({"code": "0000", "msg": "success", "data": data}).encode()
    return httpx.Response(200, stream=httpx.ByteStream(body))


def hit(video_no: str, start: float, score: float, text: str = "a moment") -> dict[str, Any]:
    return {
        "videoNo": video_no,
        "videoName": f"clip at {start:g}s",
        "startTime": str(start),
        "endTime": str(start + 2),
        "score": score,
        "caption": text,
    }


class Recorder:
    """A MockTransport handler answering from a route table and remembering each request."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for suffix, data in self.routes.items():
            if request.url.path.endswith(suffix):
                return data(request) if callable(data) else _json(data)
        return httpx.Response(404, json={"code": "0404", "msg": "no route", "data": None})


@pytest.fixture
def mock_clients() -> Iterator[
    Callable[[dict[str, Any]], tuple[MemoriesClient, AsyncMemoriesClient, Recorder]]
]:
    made: list[MemoriesClient] = []

    def make(routes: dict[str, Any]) -> tuple[MemoriesClient, AsyncMemoriesClient, Recorder]:
        rec = Recorder(routes)
        sync = MemoriesClient(
            api_key="sk-unit-secret", http_client=httpx.Client(transport=httpx.MockTransport(rec))
        )
        async_ = AsyncMemoriesClient(
            api_key="sk-unit-secret",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(rec)),
        )
        made.append(sync)
        return sync, async_, rec

    yield make
