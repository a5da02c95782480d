"""Unit tests without cassettes: merge logic, subtitle formats, truncation, toolkit gating,
errors, secrets, and that async paths use only the async client."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core._api import LangChainDeprecationWarning
from langchain_core.documents import Document
from langchain_core.load import dumps
from langchain_core.messages import ToolMessage
from pydantic import SecretStr

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy
from memories_integrations.langchain import (
    MemoriesChatTool,
    MemoriesHybridRetriever,
    MemoriesRetriever,
    MemoriesSearchTool,
    MemoriesToolkit,
    MemoriesTranscriptLoader,
    MemoriesTranscriptTool,
    MemoriesUploadTool,
)
from memories_integrations.langchain._documents import document_id, truncate
from memories_integrations.langchain._merge import merge_channels
from memories_integrations.langchain._transcripts import Cue, to_srt, to_vtt, windows

SECRET = "sk-very-secret-key-123"
NO_RETRY = RetryPolicy(max_retries=0)
Handler = Callable[[httpx.Request], httpx.Response]


def envelope(data: Any, code: str = "0000", msg: str = "success") -> httpx.Response:
    # A not-yet-read stream, like a real response (the client streams bodies).
    body = json.dumps({"code": code, "msg": msg, "data": data}).encode()
    return httpx.Response(200, stream=httpx.ByteStream(body))


def hit(video: str, start: float, end: float, score: float, **text: str) -> dict[str, Any]:
    return {
        "videoNo": video,
        "videoName": f"name-{video}",
        "startTime": str(start),
        "endTime": str(end),
        "score": score,
        **text,
    }


def sync_client(handler: Handler) -> MemoriesClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return MemoriesClient(api_key=SECRET, http_client=http, retry=NO_RETRY)


def async_client(handler: Handler) -> AsyncMemoriesClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return AsyncMemoriesClient(api_key=SECRET, http_client=http, retry=NO_RETRY)


def never(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request {request.url}")


def doc(video: str, start: float, end: float, score: float, text: str) -> Document:
    return Document(
        page_content=text,
        metadata={
            "video_no": video,
            "video_name": "v",
            "start_time": start,
            "end_time": end,
            "score": score,
        },
    )


# ------------------------------------------------------------------ hybrid merge
def test_merge_overlapping_channels_keeps_provenance() -> None:
    visual = [doc("V1", 10, 14, 0.6, "a dog jumps"), doc("V2", 0, 2, 0.9, "other video")]
    audio = [doc("V1", 12, 16, 0.8, "good dog"), doc("V1", 30, 32, 0.3, "later")]
    merged = merge_channels([("visual", visual), ("audio", audio)], padding=0, unique_id="ns")
    assert [(d.metadata["video_no"], d.metadata["start_time"]) for d in merged] == [
        ("V2", 0),
        ("V1", 10),
        ("V1", 30),
    ]
    fused = merged[1]
    assert fused.metadata["end_time"] == 16
    assert fused.metadata["channels"] == ["visual", "audio"]
    assert fused.metadata["channel_scores"] == {"visual": 0.6, "audio": 0.8}
    assert fused.metadata["score"] == 0.8
    assert fused.page_content == "[visual] a dog jumps\n[audio] good dog"
    assert fused.metadata["source"] == "memories://ns/V1?t=10-16"
    assert merged[0].metadata["channels"] == ["visual"]
    assert merged[0].page_content == "other video"  # one channel: no labels


def test_merge_padding_joins_near_moments_only() -> None:
    visual = [doc("V1", 0, 2, 0.5, "x")]
    audio = [doc("V1", 2, 4, 0.4, "y"), doc("V1", 7, 8, 0.4, "z")]
    touching = merge_channels([("visual", visual), ("audio", audio)], padding=0, unique_id="n")
    assert len(touching) == 3  # contact is not overlap
    padded = merge_channels([("visual", visual), ("audio", audio)], padding=1, unique_id="n")
    assert [(d.metadata["start_time"], d.metadata["end_time"]) for d in padded] == [
        (0, 4),
        (7, 8),
    ]


def test_hybrid_retriever_runs_both_channels_and_cuts_to_k() -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append(body)
        if body["search_type"] == "BY_CLIP":
            return envelope(
                [hit("V1", 0, 2, 0.5, caption="c0"), hit("V1", 4, 6, 0.7, caption="c4")]
            )
        return envelope([hit("V1", 1, 3, 0.9, audio_ts="a1"), hit("V2", 0, 1, 0.2, audio_ts="z")])

    retriever = MemoriesHybridRetriever(client=sync_client(handler), k=2)
    docs = retriever.invoke("q")
    assert sorted(b["search_type"] for b in seen) == ["BY_AUDIO", "BY_CLIP"]
    assert all(b["top_k"] == 4 for b in seen)  # fetch_k defaults to 2 * k
    assert [d.metadata["score"] for d in docs] == [0.9, 0.7]
    assert docs[0].metadata["channels"] == ["visual", "audio"]
    assert docs[0].page_content == "[visual] c0\n[audio] a1"


# ------------------------------------------------------------------ retriever
def test_retriever_sorts_cuts_and_filters() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert body["tag"] == "t" and body["filtering_level"] == "high"
        return envelope(
            [
                hit("V1", 0, 1, 0.2, caption="low"),
                hit("V2", 5, 6, 0.9, caption="high"),
                hit("V3", 1, 2, 0.5, caption="mid"),
            ]
        )

    retriever = MemoriesRetriever(client=sync_client(handler), tag="t", filtering_level="high")
    assert [d.page_content for d in retriever.invoke("q", k=2)] == ["high", "mid"]
    assert [d.page_content for d in retriever.invoke("q", score_threshold=0.4)] == ["high", "mid"]
    with pytest.raises(TypeError, match="unexpected search argument"):
        retriever.invoke("q", top_k=2)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        retriever.invoke("q", k=0)


def test_document_ids_are_deterministic_and_distinct() -> None:
    a = document_id("ns", "V1", 2.0, 4.0, "BY_CLIP")
    assert a == document_id("ns", "V1", 2, 4, "BY_CLIP")
    assert a != document_id("ns", "V1", 2.0, 4.0, "BY_AUDIO")
    assert a != document_id("other", "V1", 2.0, 4.0, "BY_CLIP")


async def test_async_paths_never_touch_the_sync_client() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/chat"):
            lines = [
                {"type": "content", "role": "assistant", "content": "Onions.", "sessionId": "9"},
                {"code": "SUCCESS", "data": "Done"},
            ]
            text = "".join(f"data: {json.dumps(line)}\n\n" for line in lines)
            stream = httpx.ByteStream(text.encode())
            return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})
        return envelope([hit("V1", 0, 2, 0.5, caption="c")])

    aclient = async_client(handler)
    retriever = MemoriesRetriever(async_client=aclient, client=sync_client(never))
    assert len(await retriever.ainvoke("q")) == 1
    hybrid = MemoriesHybridRetriever(async_client=aclient, client=sync_client(never))
    assert len(await hybrid.ainvoke("q")) == 1
    tool = MemoriesChatTool(async_client=aclient, client=sync_client(never))
    msg = await tool.ainvoke(
        {
            "name": tool.name,
            "args": {"video_nos": ["V1"], "prompt": "what?"},
            "id": "1",
            "type": "tool_call",
        }
    )
    assert msg.content.startswith("Onions.") and msg.artifact["session_id"] == "9"


# ------------------------------------------------------------------ tools
def _tool_call(tool: Any, args: dict[str, Any]) -> ToolMessage:
    msg = tool.invoke({"name": tool.name, "args": args, "id": "1", "type": "tool_call"})
    assert isinstance(msg, ToolMessage)
    return msg


def test_api_error_becomes_readable_tool_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return envelope(None, code="0402", msg="Not enough credits")

    msg = _tool_call(MemoriesSearchTool(client=sync_client(handler)), {"query": "dogs"})
    assert msg.status == "error"
    assert msg.content == (
        "memories.ai error (code 0402): Not enough credits. "
        "The memories.ai account is out of credits; a person must top up."
    )
    assert SECRET not in str(msg)


def test_bad_input_fails_before_any_request() -> None:
    tool = MemoriesUploadTool(client=sync_client(never), allowed_dirs=None)
    msg = _tool_call(tool, {"file_path": "/no/such/video.mp4"})
    assert msg.status == "error" and "file not found" in str(msg.content)
    both = _tool_call(tool, {"file_path": "a.mp4", "url": "https://x/y.mp4"})
    assert both.status == "error" and "exactly one of file_path or url" in str(both.content)


def test_search_tool_says_when_nothing_found_and_truncates() -> None:
    hits: list[dict[str, Any]] = []
    tool = MemoriesSearchTool(client=sync_client(lambda r: envelope(hits)), max_output_chars=200)
    msg = _tool_call(tool, {"query": "unicorns"})
    assert isinstance(msg.content, str)
    assert msg.content.startswith("No moments found for 'unicorns'") and msg.artifact == []
    hits.extend(hit("V1", i, i + 1, 0.5, caption="word " * 40) for i in range(5))
    msg = _tool_call(tool, {"query": "words", "top_k": 5})
    assert len(msg.artifact) == 5  # the artifact is never cut
    assert isinstance(msg.content, str)
    assert msg.content.startswith("[1] V1 (name-V1) @ 00:00:00-00:00:01, score 0.50: word")
    assert "[truncated:" in msg.content and len(msg.content) < 400


def test_truncate_leaves_short_text_alone() -> None:
    assert truncate("short", 10) == "short"
    cut = truncate("x" * 50, 10)
    assert cut.startswith("x" * 10 + "\n[truncated: 40 more characters")


def test_upload_wait_is_bounded() -> None:
    polls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/upload_url"):
            return envelope({"videoNo": "VI9", "videoName": "v", "videoStatus": "UNPARSE"})
        polls.append(request.url.path)
        return envelope({"video_no": "VI9", "video_name": "v", "status": "UNPARSE"})

    client = sync_client(handler)
    tool = MemoriesUploadTool(client=client, poll_interval=0.01, max_wait_seconds=0.05)
    msg = _tool_call(tool, {"url": "https://x/v.mp4", "wait": True, "max_wait_seconds": 99})
    assert msg.status == "success"
    assert "status UNPARSE" in msg.content and "wait limit was reached" in msg.content
    assert 2 <= len(polls) <= 10


# ------------------------------------------------------------------ toolkit
def _names(toolkit: MemoriesToolkit) -> list[str]:
    return [t.name for t in toolkit.get_tools()]


READ_ONLY = [
    "memories_search",
    "memories_video_status",
    "memories_list_videos",
    "memories_get_transcript",
    "memories_summarize_video",
    "memories_chat_with_videos",
    "memories_list_namespaces",
]


def test_toolkit_is_read_only_by_default() -> None:
    assert _names(MemoriesToolkit(api_key=SECRET)) == READ_ONLY
    with_upload = _names(MemoriesToolkit(api_key=SECRET, allow_upload=True))
    assert with_upload == [*READ_ONLY, "memories_upload_video"]
    everything = _names(MemoriesToolkit(api_key=SECRET, allow_upload=True, allow_delete=True))
    assert everything[-1] == "memories_delete_videos"


def test_toolkit_include_exclude() -> None:
    kit = MemoriesToolkit(api_key=SECRET, include=["memories_search", "memories_list_videos"])
    assert _names(kit) == ["memories_search", "memories_list_videos"]
    kit = MemoriesToolkit(api_key=SECRET, exclude=["memories_chat_with_videos"])
    assert "memories_chat_with_videos" not in _names(kit)
    with pytest.raises(ValueError, match="unknown tool 'nope'"):
        MemoriesToolkit(api_key=SECRET, exclude=["nope"]).get_tools()
    with pytest.raises(ValueError, match="needs allow_upload=True / allow_delete=True"):
        MemoriesToolkit(api_key=SECRET, include=["memories_delete_videos"]).get_tools()


def test_toolkit_tools_share_one_client() -> None:
    tools = MemoriesToolkit(api_key=SECRET, max_output_chars=500).get_tools()
    assert len({id(t.client) for t in tools}) == 1  # type: ignore[attr-defined]
    assert all(t.max_output_chars == 500 for t in tools)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ secrets and construction
def test_key_never_shown() -> None:
    components: list[Any] = [
        MemoriesRetriever(api_key=SECRET),
        MemoriesHybridRetriever(api_key=SecretStr(SECRET)),
        MemoriesSearchTool(api_key=SECRET),
        MemoriesToolkit(api_key=SECRET),
        MemoriesTranscriptLoader("V1", api_key=SECRET),
        MemoriesRetriever(client=sync_client(never)),
    ]
    components += MemoriesToolkit(api_key=SECRET, allow_upload=True, allow_delete=True).get_tools()
    for component in components:
        for text in (repr(component), str(component), dumps(component)):
            assert SECRET not in text
        if hasattr(component, "model_dump"):
            assert SECRET not in str(component.model_dump())


def test_credentials_required_and_read_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match=r"no memories\.ai credentials"):
        MemoriesRetriever()
    with pytest.raises(ValueError, match=r"no memories\.ai credentials"):
        MemoriesTranscriptLoader("V1")
    monkeypatch.setenv("MEMORIES_AI_API_KEY", "second-name")
    assert MemoriesRetriever().api_key == SecretStr("second-name")


def test_only_sync_client_given_still_allows_async() -> None:
    client = MemoriesClient(api_key=SECRET, base_url="https://example.test", unique_id="ns")
    resolver = MemoriesRetriever(client=client)._clients()
    twin = resolver.async_()
    assert isinstance(twin, AsyncMemoriesClient)
    assert (twin.base_url, twin.unique_id) == ("https://example.test", "ns")


# ------------------------------------------------------------------ subtitles
CUES = [
    Cue(0.0, 2.5, track="visual", text="A chef chops onions."),
    Cue(0.0, 2.0, track="audio", text="First the onion."),
    Cue(3661.25, 3662.0, track="audio", text="Late line."),
]


def test_srt_and_vtt_formats() -> None:
    assert to_srt(CUES[:2], labelled=True) == (
        "1\n00:00:00,000 --> 00:00:02,500\n[visual] A chef chops onions.\n\n"
        "2\n00:00:00,000 --> 00:00:02,000\n[audio] First the onion.\n"
    )
    assert to_vtt(CUES[2:], labelled=False) == (
        "WEBVTT\n\n01:01:01.250 --> 01:01:02.000\nLate line.\n"
    )


def test_windows_group_by_start_and_skip_empty() -> None:
    groups = windows(CUES, 60)
    assert [(w.start, w.end, len(w.segments)) for w in groups] == [
        (0.0, 2.5, 2),
        (3660.0, 3662.0, 1),
    ]


# ------------------------------------------------------------------ packaging
def test_core_import_stays_free_of_langchain() -> None:
    code = (
        "import sys, memories_integrations;"
        "bad = [m for m in sys.modules if m.split('.')[0].startswith('langchain')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("tool_cls", "args", "old", "new"),
    [
        (MemoriesSearchTool, {"query": "words", "k": 2}, "k", "top_k"),
        (MemoriesTranscriptTool, {"video_no": "V1", "source": "audio"}, "source", "track"),
    ],
)
def test_older_argument_names_warn_as_langchain_deprecations(
    tool_cls: type[Any], args: dict[str, Any], old: str, new: str
) -> None:
    tool = tool_cls(client=sync_client(lambda r: envelope([])))
    with pytest.warns(LangChainDeprecationWarning) as caught:
        _tool_call(tool, args)
    [warning] = [w for w in caught if issubclass(w.category, LangChainDeprecationWarning)]
    assert f"`{old}`" in str(warning.message) and f"Use `{new}` instead" in str(warning.message)
    assert tool.name in str(warning.message)


def test_current_argument_names_do_not_warn() -> None:
    tool = MemoriesSearchTool(client=sync_client(lambda r: envelope([])))
    with warnings.catch_warnings():
        warnings.simplefilter("error", LangChainDeprecationWarning)
        _tool_call(tool, {"query": "words", "top_k": 2})
