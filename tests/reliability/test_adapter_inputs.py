"""The bad-input table for the adapters: LangChain tools raise a readable ToolException, the
LlamaIndex tools return (or, with ``raise_errors=True``, raise) the typed error -- all before
any network call (a recording mock transport must see no request)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from memories_integrations import MemoriesClient
from memories_integrations import errors as e
from memories_integrations.auth import KEY_ENV_VARS

from .test_bad_inputs import IDS_101

# (row, tool input, words the message must contain)
LC_SEARCH_ROWS = [
    ("empty query", {"query": ""}, "query must be a non-empty string"),
    ("whitespace query", {"query": "   "}, "query must be a non-empty string"),
    ("non-English query", {"query": "犬が走っている"}, "english"),
    ("too many video_nos", {"query": "a dog", "video_nos": IDS_101}, "at most 100"),
]
LC_UPLOAD_ROWS = [
    ("missing file", "missing.mp4", "file not found"),
    ("directory given as file", "folder.mp4", "not a regular file"),
    ("unsupported extension", "notes.txt", "unsupported file extension"),
]
LC_CHAT_ROWS = [
    ("too many video_nos (chat)", {"video_nos": IDS_101, "prompt": "what happens?"}, "at most 100"),
    ("non-English chat prompt", {"video_nos": ["VI1"], "prompt": "что происходит?"}, "english"),
]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "folder.mp4").mkdir()
    (tmp_path / "notes.txt").write_text("not a video")
    return tmp_path


@pytest.fixture
def sent() -> list[httpx.Request]:
    return []


@pytest.fixture
def offline(sent: list[httpx.Request]) -> Iterator[MemoriesClient]:
    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    with httpx.Client(transport=httpx.MockTransport(record)) as http:
        yield MemoriesClient(api_key="test-key", http_client=http)


def lc_error(tool: Any, args: dict[str, Any]) -> str:
    from langchain_core.tools import ToolException

    tool.handle_tool_error = False
    with pytest.raises(ToolException) as info:
        tool.invoke(args)
    assert isinstance(info.value.__cause__, e.InvalidInputError)
    message = str(info.value)
    assert message.startswith("memories.ai error") and "Fix the arguments" in message
    return message.lower()


@pytest.mark.parametrize(
    ("row", "args", "words"), LC_SEARCH_ROWS, ids=[r[0] for r in LC_SEARCH_ROWS]
)
def test_langchain_search_tool(
    row: str, args: dict[str, Any], words: str, offline: MemoriesClient, sent: list[httpx.Request]
) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    assert words in lc_error(lc.MemoriesSearchTool(client=offline), args)
    assert sent == []


@pytest.mark.parametrize(
    ("row", "name", "words"), LC_UPLOAD_ROWS, ids=[r[0] for r in LC_UPLOAD_ROWS]
)
def test_langchain_upload_tool(
    row: str, name: str, words: str, files: Path, offline: MemoriesClient, sent: list[httpx.Request]
) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    message = lc_error(lc.MemoriesUploadTool(client=offline), {"file_path": str(files / name)})
    assert words in message
    assert sent == []


@pytest.mark.parametrize(("row", "args", "words"), LC_CHAT_ROWS, ids=[r[0] for r in LC_CHAT_ROWS])
def test_langchain_chat_tool(
    row: str, args: dict[str, Any], words: str, offline: MemoriesClient, sent: list[httpx.Request]
) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    assert words in lc_error(lc.MemoriesChatTool(client=offline), args)
    assert sent == []


def test_langchain_handled_error_is_the_readable_text(
    offline: MemoriesClient, sent: list[httpx.Request]
) -> None:
    """Default handle_tool_error=True: the agent sees the message as the tool's result."""
    lc = pytest.importorskip("memories_integrations.langchain")
    result = lc.MemoriesSearchTool(client=offline).invoke({"query": "  "})
    assert "query must be a non-empty string" in str(result) and sent == []


# LlamaIndex: (row, spec function, kwargs, words)
LI_ROWS = [
    ("empty query", "search_videos", {"query": ""}, "non-empty"),
    ("non-English query", "search_videos", {"query": "犬が走っている"}, "english"),
    (
        "invalid search_type",
        "search_videos",
        {"query": "a dog", "search_type": "BY_SMELL"},
        "must be one of",
    ),
    ("top_k out of range", "search_videos", {"query": "a dog", "top_k": 0}, "top_k"),
    (
        "too many video_nos",
        "search_videos",
        {"query": "a dog", "video_nos": IDS_101},
        "at most 100",
    ),
    ("missing file", "upload_video", {"source": "{files}/missing.mp4"}, "not found"),
    (
        "directory given as file",
        "upload_video",
        {"source": "{files}/folder.mp4"},
        "not a regular file",
    ),
    (
        "unsupported extension",
        "upload_video",
        {"source": "{files}/notes.txt"},
        "unsupported file extension",
    ),
    (
        "too many video_nos (chat)",
        "chat_about_videos",
        {"video_nos": IDS_101, "question": "what?"},
        "at most 100",
    ),
]


def _kwargs(kwargs: dict[str, Any], files: Path) -> dict[str, Any]:
    return {k: v.format(files=files) if isinstance(v, str) else v for k, v in kwargs.items()}


@pytest.mark.parametrize(("row", "fn", "kwargs", "words"), LI_ROWS, ids=[r[0] for r in LI_ROWS])
def test_llama_index_tools(
    row: str,
    fn: str,
    kwargs: dict[str, Any],
    words: str,
    files: Path,
    offline: MemoriesClient,
    sent: list[httpx.Request],
) -> None:
    li = pytest.importorskip("memories_integrations.llama_index")
    import inspect

    spec = li.MemoriesToolSpec(client=offline, raise_errors=True)
    method = getattr(spec, fn)
    args = _kwargs(kwargs, files)
    accepted = set(inspect.signature(method).parameters)
    if not set(args) <= accepted:
        pytest.fail(f"{fn} no longer takes {sorted(set(args) - accepted)}: update this table row")
    with pytest.raises(e.InvalidInputError) as info:
        method(**args)
    assert words in str(info.value).lower()
    # default (raise_errors=False): the agent gets readable text instead of an exception
    text = getattr(li.MemoriesToolSpec(client=offline), fn)(**args)
    assert isinstance(text, str) and words in text.lower()
    assert sent == []


@pytest.mark.parametrize("adapter", ["langchain", "llama_index"])
def test_adapters_missing_api_key(adapter: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in KEY_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    mod = pytest.importorskip(f"memories_integrations.{adapter}")
    with pytest.raises((ValueError, e.MissingAPIKeyError)) as info:
        if adapter == "langchain":
            mod.MemoriesSearchTool()
        else:
            mod.MemoriesToolSpec()
    assert "MEMORIES_API_KEY" in str(info.value)
