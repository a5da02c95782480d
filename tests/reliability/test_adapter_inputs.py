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
    tool = lc.MemoriesUploadTool(client=offline, allowed_dirs=[files])
    assert words in lc_error(tool, {"file_path": str(files / name)})
    assert sent == []


@pytest.mark.parametrize("allowed", ["default (cwd)", "another dir"])
def test_upload_tools_refuse_paths_outside_allowed_dirs(
    allowed: str,
    files: Path,
    tmp_path_factory: pytest.TempPathFactory,
    offline: MemoriesClient,
    sent: list[httpx.Request],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An agent cannot upload files from outside ``allowed_dirs`` (default: the working
    directory), however it spells the path; refused before any request, in both frameworks."""
    lc = pytest.importorskip("memories_integrations.langchain")
    li = pytest.importorskip("memories_integrations.llama_index")
    secret = files / "secret.mp4"
    secret.write_bytes(b"not for upload")
    inside = tmp_path_factory.mktemp("inside")
    monkeypatch.chdir(inside)
    dirs: dict[str, Any] = {} if allowed == "default (cwd)" else {"allowed_dirs": [inside]}
    sneaky = [str(secret), f"{inside}/../{files.name}/secret.mp4"]
    (inside / "link.mp4").symlink_to(secret)  # a symlink inside pointing outside
    for path in [*sneaky, "link.mp4"]:
        message = lc_error(lc.MemoriesUploadTool(client=offline, **dirs), {"file_path": path})
        assert "not allowed" in message and "allowed_dirs" in message
        spec = li.MemoriesToolSpec(client=offline, raise_errors=True, **dirs)
        with pytest.raises(e.InvalidInputError, match="allowed_dirs"):
            spec.run("memories_upload_video", file_path=path)
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


# LlamaIndex: (row, tool name, kwargs, words)
LI_ROWS = [
    ("empty query", "memories_search", {"query": ""}, "non-empty"),
    ("non-English query", "memories_search", {"query": "犬が走っている"}, "english"),
    (
        "invalid search_type",
        "memories_search",
        {"query": "a dog", "search_type": "BY_SMELL"},
        "must be one of by_clip, by_video, by_audio, by_caption, by_image",
    ),
    ("top_k out of range", "memories_search", {"query": "a dog", "top_k": 0}, "top_k"),
    ("top_k too large", "memories_search", {"query": "a dog", "top_k": "51"}, "top_k"),
    (
        "too many video_nos",
        "memories_search",
        {"query": "a dog", "video_nos": IDS_101},
        "at most 100",
    ),
    (
        "unknown track",
        "memories_get_transcript",
        {"video_no": "VI1", "track": "smell"},
        "track must be one of audio, visual, both",
    ),
    ("missing file", "memories_upload_video", {"file_path": "{files}/missing.mp4"}, "not found"),
    (
        "directory given as file",
        "memories_upload_video",
        {"file_path": "{files}/folder.mp4"},
        "not a regular file",
    ),
    (
        "unsupported extension",
        "memories_upload_video",
        {"file_path": "{files}/notes.txt"},
        "unsupported file extension",
    ),
    (
        "too many video_nos (chat)",
        "memories_chat_with_videos",
        {"video_nos": IDS_101, "prompt": "what?"},
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
    spec = li.MemoriesToolSpec(client=offline, raise_errors=True, allowed_dirs=[files])
    args = _kwargs(kwargs, files)
    with pytest.raises(e.InvalidInputError) as info:
        spec.run(fn, **args)
    assert words in str(info.value).lower() and "fix the arguments" in str(info.value).lower()
    # default (raise_errors=False): an error output with the hint instead of an exception
    lenient = li.MemoriesToolSpec(client=offline, allowed_dirs=[files])
    tool = next(t for t in lenient.to_tool_list() if t.metadata.name == fn)
    output = tool.call(**args)
    assert output.is_error and words in str(output.content).lower()
    assert sent == []


def test_llama_index_coerces_a_single_video_no() -> None:
    """Agents often pass one id as a string: it is sent as a one-item list, never its letters."""
    li = pytest.importorskip("memories_integrations.llama_index")
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = b'{"code": "0000", "msg": "success", "data": []}'
        return httpx.Response(200, stream=httpx.ByteStream(body))

    with httpx.Client(transport=httpx.MockTransport(answer)) as http:
        spec = li.MemoriesToolSpec(client=MemoriesClient(api_key="test-key", http_client=http))
        assert "No moments found" in spec.run(
            "memories_search", query="a dog", video_nos="VI1", top_k="3"
        )
    body = sent[0].read().decode()
    assert '"video_nos":["VI1"]' in body.replace(" ", "") and '"top_k":3' in body.replace(" ", "")


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
