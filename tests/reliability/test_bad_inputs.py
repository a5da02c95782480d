"""The bad-input table (README, "Reliability"): every row raises its typed error before any
network call, for the sync and async clients. The adapters' rows are in test_adapter_inputs.py.

"Before any network call" is checked with a mock transport that records every request it is
asked to send: it must see none.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations.auth import KEY_ENV_VARS


@dataclass(frozen=True)
class Row:
    id: str
    call: Callable[[Any, Path], Any]  # (client, a folder with fixture files) -> result/awaitable
    param: str  # InvalidInputError.param that names the bad argument
    words: str  # must appear in the message, so it says what is wrong


IDS_101 = [f"VI{i:018d}" for i in range(101)]

ROWS = [
    Row("missing file", lambda c, d: c.upload(d / "missing.mp4"), "file", "not found"),
    Row(
        "directory given as file",
        lambda c, d: c.upload(d / "folder.mp4"),
        "file",
        "not a regular file",
    ),
    Row(
        "unsupported extension",
        lambda c, d: c.upload(d / "notes.txt"),
        "file",
        "unsupported file extension",
    ),
    Row("empty file", lambda c, d: c.upload(d / "empty.mp4"), "file", "empty"),
    Row("empty query", lambda c, d: c.search(""), "query", "non-empty"),
    Row("whitespace query", lambda c, d: c.search(" \t\n "), "query", "non-empty"),
    Row("top_k below range", lambda c, d: c.search("a dog", top_k=0), "top_k", "from 1 to 1000"),
    Row("top_k above range", lambda c, d: c.search("a dog", top_k=1001), "top_k", "from 1 to 1000"),
    Row(
        "top_k above BY_CAPTION range",
        lambda c, d: c.search("a dog", search_type="BY_CAPTION", top_k=201),
        "top_k",
        "from 1 to 200",
    ),
    Row("top_k not an integer", lambda c, d: c.search("a dog", top_k="5"), "top_k", "integer"),
    Row(
        "too many video_nos (search)",
        lambda c, d: c.search("a dog", video_nos=IDS_101),
        "video_nos",
        "at most 100",
    ),
    Row(
        "too many video_nos (chat)",
        lambda c, d: c.chat(IDS_101, "what happens?"),
        "video_nos",
        "at most 100",
    ),
    Row(
        "empty video_nos (chat)", lambda c, d: c.chat([], "what happens?"), "video_nos", "non-empty"
    ),
    Row(
        "invalid search_type",
        lambda c, d: c.search("a dog", search_type="BY_SMELL"),
        "search_type",
        "must be one of",
    ),
    Row(
        "search_type not a string",
        lambda c, d: c.search("a dog", search_type=None),
        "search_type",
        "must be one of",
    ),
    Row("non-English query", lambda c, d: c.search("犬が走っている"), "query", "English"),
    Row(
        "non-English chat prompt",
        lambda c, d: c.chat(["VI1"], "что происходит в видео?"),
        "prompt",
        "English",
    ),
    Row(
        "malformed callback URL",
        lambda c, d: c.upload(d / "clip.mp4", callback="not a url"),
        "callback",
        "http(s) URL",
    ),
    Row(
        "callback URL with a bad scheme",
        lambda c, d: c.upload(d / "clip.mp4", callback="ftp://example.com/hook"),
        "callback",
        "http(s) URL",
    ),
    Row(
        "callback URL with a broken host",
        lambda c, d: c.upload(d / "clip.mp4", callback="http://[::1/hook"),
        "callback",
        "http(s) URL",
    ),
    Row("lone surrogate in a query", lambda c, d: c.search("a dog \udc80"), "query", "surrogate"),
    Row(
        "lone surrogate in a chat prompt",
        lambda c, d: c.chat(["VI1"], "what \ud800 happens?"),
        "prompt",
        "surrogate",
    ),
    Row(
        "latitude as a string",
        lambda c, d: c.search("a dog", latitude="39.9", longitude=116.4),
        "latitude",
        "finite number",
    ),
    Row(
        "longitude not finite",
        lambda c, d: c.upload(d / "clip.mp4", latitude=1.0, longitude=float("inf")),
        "longitude",
        "finite number",
    ),
    Row("per-call timeout of 0", lambda c, d: c.search("a dog", timeout=0), "timeout", "positive"),
    Row(
        "per-call timeout as a string",
        lambda c, d: c.get_metadata("VI1", timeout="2"),
        "timeout",
        "positive number of seconds",
    ),
    Row(
        "video_nos holding None",
        lambda c, d: c.search("a dog", video_nos=[None]),
        "video_nos",
        "id strings",
    ),
    Row(
        "video_nos holding a nested list",
        lambda c, d: c.chat([["VI1", "VI2"]], "what happens?"),
        "video_nos",
        "id strings",
    ),
    Row(
        "import callback URL malformed",
        lambda c, d: c.import_from_urls(["https://www.tiktok.com/@a/video/1"], callback_url="hook"),
        "callback_url",
        "http(s) URL",
    ),
]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "folder.mp4").mkdir()
    (tmp_path / "notes.txt").write_text("not a video")
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    return tmp_path


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def sync_client(sent: list[httpx.Request]) -> Iterator[MemoriesClient]:
    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    with httpx.Client(transport=httpx.MockTransport(record)) as http:
        yield MemoriesClient(api_key="test-key", http_client=http)


@pytest.fixture
async def async_client(sent: list[httpx.Request]) -> Any:
    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as http:
        yield AsyncMemoriesClient(api_key="test-key", http_client=http)


def check(error: e.InvalidInputError, row: Row, sent: list[httpx.Request]) -> None:
    assert sent == [], "a bad input reached the network"
    assert isinstance(error, ValueError)  # InvalidInputError is also a ValueError
    assert error.param == row.param
    assert row.words.lower() in str(error).lower()


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_sync_client(
    row: Row, files: Path, sync_client: MemoriesClient, sent: list[httpx.Request]
) -> None:
    with pytest.raises(e.InvalidInputError) as info:
        row.call(sync_client, files)
    check(info.value, row, sent)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_async_client(
    row: Row, files: Path, async_client: AsyncMemoriesClient, sent: list[httpx.Request]
) -> None:
    with pytest.raises(e.InvalidInputError) as info:
        result = row.call(async_client, files)
        if inspect.isawaitable(result):
            await result
        else:  # chat() of the async client may be an async generator-based helper
            async for _ in result:
                pass
    check(info.value, row, sent)


@pytest.mark.parametrize("cls", [MemoriesClient, AsyncMemoriesClient])
@pytest.mark.parametrize("given", [None, "", "   "])
def test_missing_api_key(
    cls: type[Any], given: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in KEY_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(e.MissingAPIKeyError) as info:
        cls(api_key=given)
    message = str(info.value)
    assert "api_key=" in message and "MEMORIES_API_KEY" in message  # says how to set it
    assert isinstance(info.value, e.ClientSideError)
    assert not isinstance(info.value, e.APIStatusError)


def test_api_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEMORIES_API_KEY", "from-env")
    assert repr(MemoriesClient())  # builds without an explicit key


@pytest.mark.parametrize("cls", [MemoriesClient, AsyncMemoriesClient])
async def test_unreadable_file(
    cls: type[Any], files: Path, sent: list[httpx.Request], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the process may not read (chmod 000; root reads anyway, hence the patch)."""
    real_open = Path.open
    clip = files / "clip.mp4"

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == clip:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    transport = httpx.MockTransport(record)
    http = (httpx.Client if cls is MemoriesClient else httpx.AsyncClient)(transport=transport)
    client = cls(api_key="test-key", http_client=http)
    with pytest.raises(e.InvalidInputError) as info:
        result = client.upload(clip)
        if inspect.isawaitable(result):
            await result
    assert info.value.param == "file" and "cannot be read" in str(info.value)
    assert sent == []
