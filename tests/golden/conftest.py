"""Golden tests: each response example of the documentation, answered by a mock server.

The mock is an ``httpx.MockTransport`` injected with ``http_client=``, not the emulator: it
answers the example's endpoint with exactly the example's bytes and anything else with a 404, so
a documented answer that stops parsing fails here whatever the emulator does.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations._transport.retry import NO_RETRIES

EXAMPLES = Path(__file__).parent / "examples"
BASE_URL = "https://api.memories.ai"
AUTH_BASE_URL = "https://mavi-backend.memories.ai"
KEY = "golden-key-not-a-secret"


@dataclass(frozen=True)
class Example:
    """One documented response: ``response`` (JSON), ``stream`` (SSE lines) or ``body_text``."""

    name: str
    source: list[str]
    endpoints: list[str]
    response: Any = None
    stream: list[str] | None = None
    body_text: str | None = None
    content_type: str = "application/json"
    status: int = 200

    def answer(self) -> httpx.Response:
        headers = {"content-type": self.content_type}
        if self.stream is not None:
            body = "".join(line + "\n\n" for line in self.stream).encode()
        elif self.body_text is not None:
            body = self.body_text.encode()
        else:
            body = json.dumps(self.response).encode()
        # A stream, as a real server's body is: content= would hand the client a pre-read body.
        headers["content-length"] = str(len(body))
        return httpx.Response(self.status, headers=headers, stream=httpx.ByteStream(body))


def load_example(name: str) -> Example:
    raw = json.loads((EXAMPLES / f"{name}.json").read_text())
    endpoints = raw.get("endpoints") or [raw["endpoint"]]
    return Example(
        name=name,
        source=list(raw["source"]),
        endpoints=list(endpoints),
        response=raw.get("response"),
        stream=raw.get("stream"),
        body_text=raw.get("body_text"),
        content_type=raw.get("content_type", "application/json"),
        status=raw.get("status", 200),
    )


def all_example_names() -> list[str]:
    return sorted(p.stem for p in EXAMPLES.glob("*.json"))


@dataclass
class MockApi:
    """Answers the example's endpoint(s) with the example; any other path is a 404."""

    example: Example
    requests: list[httpx.Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path not in self.example.endpoints:
            return httpx.Response(404, json={"golden": f"unexpected path {request.url.path}"})
        return self.example.answer()

    @property
    def last(self) -> httpx.Request:
        assert self.requests, "the client sent nothing"
        return self.requests[-1]


def _settings() -> dict[str, Any]:
    # No retries (an error example must surface at once) and no client-side pacing (each test
    # makes one call; the per-minute limits would only slow the suite down).
    return {
        "api_key": KEY,
        "base_url": BASE_URL,
        "auth_base_url": AUTH_BASE_URL,
        "retry": NO_RETRIES,
        "rate_limiter": False,
    }


@dataclass
class Runner:
    """Calls one public client method against one example, with the sync or async client."""

    flavor: str
    mock: MockApi | None = None

    def call(self, example: str, method: str, *args: Any, **kwargs: Any) -> Any:
        self.mock = MockApi(load_example(example))
        if self.flavor == "sync":
            return self._sync(method, args, kwargs, collect=False)
        return asyncio.run(self._async(method, args, kwargs, collect=False))

    def stream(self, example: str, method: str, *args: Any, **kwargs: Any) -> list[Any]:
        """Every item of a streaming method (``chat_stream`` and friends)."""
        self.mock = MockApi(load_example(example))
        if self.flavor == "sync":
            result: list[Any] = self._sync(method, args, kwargs, collect=True)
        else:
            result = asyncio.run(self._async(method, args, kwargs, collect=True))
        return result

    def _sync(self, method: str, args: Any, kwargs: Any, *, collect: bool) -> Any:
        assert self.mock is not None
        with (
            httpx.Client(transport=httpx.MockTransport(self.mock.handle)) as http,
            MemoriesClient(http_client=http, **_settings()) as client,
        ):
            result = getattr(client, method)(*args, **kwargs)
            return list(result) if collect else result

    async def _async(self, method: str, args: Any, kwargs: Any, *, collect: bool) -> Any:
        assert self.mock is not None
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(self.mock.handle)) as http,
            AsyncMemoriesClient(http_client=http, **_settings()) as client,
        ):
            result = getattr(client, method)(*args, **kwargs)
            if collect:
                return [item async for item in result]
            return await result if inspect.isawaitable(result) else result


@pytest.fixture(params=["sync", "async"])
def api(request: pytest.FixtureRequest) -> Runner:
    return Runner(flavor=str(request.param))


@pytest.fixture
def sample_video() -> Path:
    """The smallest bundled sample (the same file `memories doctor` uploads)."""
    from memories_integrations._client.contract import smallest_sample

    return smallest_sample()


JsonBody = Callable[[httpx.Request], Any]


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content)


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class AdapterRunner:
    """Builds a framework component on a client answering from ``handler`` and calls it:
    sync flavour ``client=`` and ``method``, async flavour ``async_client=`` and ``a<method>``
    (``invoke``/``ainvoke``, ``retrieve``/``aretrieve``, ``call``/``acall``)."""

    flavor: str

    def run(
        self, handler: Handler, build: Callable[[dict[str, Any]], Any], method: str, *args: Any
    ) -> Any:
        if self.flavor == "sync":
            with (
                httpx.Client(transport=httpx.MockTransport(handler)) as http,
                MemoriesClient(http_client=http, **_settings()) as client,
            ):
                return getattr(build({"client": client}), method)(*args)
        return asyncio.run(self._arun(handler, build, method, args))

    @staticmethod
    async def _arun(
        handler: Handler, build: Callable[[dict[str, Any]], Any], method: str, args: Any
    ) -> Any:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http,
            AsyncMemoriesClient(http_client=http, **_settings()) as client,
        ):
            return await getattr(build({"async_client": client}), f"a{method}")(*args)


@pytest.fixture(params=["sync", "async"])
def adapters(request: pytest.FixtureRequest) -> AdapterRunner:
    return AdapterRunner(flavor=str(request.param))
