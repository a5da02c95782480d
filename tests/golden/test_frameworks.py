"""Both frameworks' retrievers and tools against the documented answers, sync and async.

Issue 11, "Done when": against a mock that answers exactly as the current docs do, searches
(with hits and the documented empty ``data: {}``), ``/chat``'s JSON envelope and waits on
``get_metadata`` (``data: null`` before PARSE) work through the LangChain and LlamaIndex
components, not only through the client. The adapters have no task-id path (they wait by
``video_no``); the documented ``{taskId, video_ids}`` wait is covered by ``test_examples.py`` and
``tests/lifecycle/test_wait_shapes.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.documents import Document
from langchain_core.messages import ToolMessage
from llama_index.core.schema import NodeWithScore

from memories_integrations import langchain as lc
from memories_integrations import llama_index as li

from .conftest import AdapterRunner, MockApi, load_example

HIT_VIDEO = "VI576925607808602112"
HIT_TEXT = "...matched transcript text..."
CHAT_CONTENT = "A\" shape, is suggested to be inspired by Eiffel's past"
CHAT_SESSION = "606122521255088128"
QUERY = "boat in the ocean"


def answering(example: str) -> MockApi:
    return MockApi(load_example(example))


def li_tool(spec: li.MemoriesToolSpec, name: str) -> Any:
    return next(t for t in spec.to_tool_list() if t.metadata.name == name)


# ------------------------------------------------------------------------------ retrievers
def test_langchain_retriever_on_the_search_example(adapters: AdapterRunner) -> None:
    mock = answering("current_search_by_text")
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesRetriever(k=3, **kw), "invoke", QUERY)
    assert len(docs) == 1 and isinstance(docs[0], Document)
    meta = docs[0].metadata
    assert (meta["video_no"], meta["start_time"], meta["end_time"]) == (HIT_VIDEO, 13.0, 18.0)
    assert meta["score"] == pytest.approx(0.5221236659362116)
    assert meta["start_timestamp"] == "00:00:13"
    assert HIT_TEXT in docs[0].page_content
    body = json.loads(mock.last.content)
    assert (body["search_param"], body["search_type"], body["top_k"]) == (QUERY, "BY_CLIP", 3)


def test_langchain_retriever_on_the_empty_search(adapters: AdapterRunner) -> None:
    mock = answering("current_search_empty")
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesRetriever(**kw), "invoke", QUERY)
    assert docs == []
    assert len(mock.requests) == 1


def test_langchain_hybrid_retriever_fuses_both_channels(adapters: AdapterRunner) -> None:
    # Both searches answer the documented hit: one moment, found visually and by speech.
    mock = answering("current_search_by_text")
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesHybridRetriever(**kw), "invoke", QUERY)
    assert len(docs) == 1
    meta = docs[0].metadata
    assert meta["video_no"] == HIT_VIDEO and (meta["start_time"], meta["end_time"]) == (13, 18)
    assert sorted(meta["channels"]) == ["audio", "visual"]
    sent = sorted(json.loads(r.content)["search_type"] for r in mock.requests)
    assert sent == ["BY_AUDIO", "BY_CLIP"]


def test_langchain_hybrid_retriever_on_the_empty_search(adapters: AdapterRunner) -> None:
    mock = answering("current_search_empty")
    docs = adapters.run(mock.handle, lambda kw: lc.MemoriesHybridRetriever(**kw), "invoke", QUERY)
    assert docs == []
    assert len(mock.requests) == 2


def test_llama_index_retriever_on_the_search_example(adapters: AdapterRunner) -> None:
    mock = answering("current_search_by_text")
    nodes = adapters.run(mock.handle, lambda kw: li.MemoriesRetriever(k=2, **kw), "retrieve", QUERY)
    assert len(nodes) == 1 and isinstance(nodes[0], NodeWithScore)
    assert nodes[0].score == pytest.approx(0.5221236659362116)
    node = nodes[0].node
    assert node.metadata["video_no"] == HIT_VIDEO
    assert (node.metadata["start_time"], node.metadata["end_time"]) == (13.0, 18.0)
    assert HIT_TEXT in node.get_content()


def test_llama_index_retriever_on_the_empty_search(adapters: AdapterRunner) -> None:
    mock = answering("current_search_empty")
    nodes = adapters.run(mock.handle, lambda kw: li.MemoriesRetriever(**kw), "retrieve", QUERY)
    assert nodes == []


# ------------------------------------------------------------------------------ search tools
def test_llama_index_search_tool(adapters: AdapterRunner) -> None:
    mock = answering("current_search_by_text")
    output = _li_call(adapters, mock, "memories_search", query=QUERY)
    assert not output.is_error, output.content
    assert HIT_VIDEO in output.content and "00:00:13" in output.content
    assert HIT_TEXT in output.content
    assert [n.node.metadata["video_no"] for n in output.raw_output] == [HIT_VIDEO]


def test_llama_index_search_tool_on_the_empty_search(adapters: AdapterRunner) -> None:
    output = _li_call(adapters, answering("current_search_empty"), "memories_search", query=QUERY)
    assert not output.is_error, output.content
    assert output.content.startswith(f"No moments found for {QUERY!r}")


def test_langchain_search_tool_on_the_empty_search(adapters: AdapterRunner) -> None:
    mock = answering("current_search_empty")
    text = adapters.run(
        mock.handle, lambda kw: lc.MemoriesSearchTool(**kw), "invoke", {"query": QUERY}
    )
    assert text.startswith(f"No moments found for {QUERY!r}")


# ------------------------------------------------------------------------------ chat tools
def test_langchain_chat_tool_on_the_chat_envelope(adapters: AdapterRunner) -> None:
    mock = answering("current_video_chat_json")
    call = {
        "type": "tool_call",
        "id": "call-1",
        "name": "memories_chat_with_videos",
        "args": {"video_nos": [HIT_VIDEO], "prompt": "Video summary"},
    }
    message = adapters.run(mock.handle, lambda kw: lc.MemoriesChatTool(**kw), "invoke", call)
    assert isinstance(message, ToolMessage)
    assert message.status == "success", message.content
    assert CHAT_CONTENT in message.content
    assert f"session_id: {CHAT_SESSION}" in message.content
    citations = message.artifact.pop("citations")
    assert message.artifact == {
        "content": CHAT_CONTENT,
        "session_id": CHAT_SESSION,
        "references": [],
    }
    assert citations.tolerance == 2.0  # the answer's cited times, checked
    # The JSON call: /chat without the SSE Accept header, the videos and prompt in the body.
    assert mock.last.url.path == "/serve/api/v1/chat"
    assert "text/event-stream" not in mock.last.headers.get("accept", "")
    body = json.loads(mock.last.content)
    assert (body["video_nos"], body["prompt"]) == ([HIT_VIDEO], "Video summary")


def test_llama_index_chat_tool_on_the_chat_envelope(adapters: AdapterRunner) -> None:
    mock = answering("current_video_chat_json")
    output = _li_call(
        adapters, mock, "memories_chat_with_videos", video_nos=[HIT_VIDEO], prompt="Video summary"
    )
    assert not output.is_error, output.content
    assert CHAT_CONTENT in output.content and CHAT_SESSION in output.content
    citations = output.raw_output.pop("citations")
    assert output.raw_output == {
        "content": CHAT_CONTENT,
        "session_id": CHAT_SESSION,
        "references": [],
    }
    assert citations.tolerance == 2.0
    assert mock.last.url.path == "/serve/api/v1/chat"


# ------------------------------------------------------------------------------ waits
@dataclass
class Encoding:
    """Upload answers the Upload-from-local example; get_metadata answers ``data: null``
    ``nulls`` times, then the Get-metadata example for the video asked about (its shape
    exactly, with the asked ``video_no``: the example's own number belongs to another video)."""

    nulls: int = 1
    asked: list[str] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/serve/api/v1/upload":
            return load_example("v12_upload_from_local").answer()
        if path == "/serve/api/v1/get_metadata":
            video_no = request.url.params["video_no"]
            self.asked.append(video_no)
            if len(self.asked) <= self.nulls:
                return httpx.Response(200, json={"code": "0000", "msg": "success", "data": None})
            documented = load_example("current_get_metadata").response
            data = {**documented["data"], "video_no": video_no}
            return httpx.Response(200, json={**documented, "data": data})
        return httpx.Response(404, json={"golden": f"unexpected path {path}"})


UPLOADED = "mavi_video_568102998803353600"  # v12_upload_from_local's videoNo
ENCODED = "(182082-867762198_tiny): status PARSE. Encoded"  # current_get_metadata's answer


def test_langchain_upload_and_wait(adapters: AdapterRunner, sample_video: Path) -> None:
    api = Encoding(nulls=2)
    text = adapters.run(
        api.handle,
        lambda kw: lc.MemoriesUploadTool(allowed_dirs=None, poll_interval=0.01, **kw),
        "invoke",
        {"file_path": str(sample_video), "wait": True},
    )
    assert text.startswith("Uploaded (a video id, not a task id).")
    assert f"{UPLOADED} {ENCODED}" in text
    assert api.asked == [UPLOADED] * 3  # two data: null answers, then the metadata


def test_langchain_status_tool_before_and_after_parse(adapters: AdapterRunner) -> None:
    api = Encoding(nulls=1)

    def status() -> str:
        return str(
            adapters.run(
                api.handle,
                lambda kw: lc.MemoriesVideoStatusTool(**kw),
                "invoke",
                {"video_no": UPLOADED},
            )
        )

    assert status() == f"{UPLOADED}: status UNPARSE. Still encoding: not searchable yet; " + (
        "check the status again later."
    )
    after = status()
    assert f"{UPLOADED} {ENCODED}" in after
    assert "duration 00:00:12" in after and "tags holiday, beijing, api" in after


def test_llama_index_upload_and_wait(adapters: AdapterRunner, sample_video: Path) -> None:
    api = Encoding(nulls=2)
    output = _li_call(
        adapters,
        api,
        "memories_upload_video",
        file_path=str(sample_video),
        wait=True,
        spec_kwargs={"allowed_dirs": None, "poll_interval": 0.01},
    )
    assert not output.is_error, output.content
    assert f"{UPLOADED} {ENCODED}" in output.content
    assert output.raw_output == {"video_no": UPLOADED, "status": "PARSE"}
    assert api.asked == [UPLOADED] * 3


def test_llama_index_status_tool_on_null_metadata(adapters: AdapterRunner) -> None:
    output = _li_call(adapters, Encoding(nulls=1), "memories_video_status", video_no=UPLOADED)
    assert not output.is_error, output.content
    assert output.content.startswith(f"{UPLOADED}: status UNPARSE. Still encoding")


def _li_call(
    adapters: AdapterRunner,
    mock: MockApi | Encoding,
    name: str,
    *,
    spec_kwargs: dict[str, Any] | None = None,
    **arguments: Any,
) -> Any:
    """One LlamaIndex tool of a fresh MemoriesToolSpec, called with ``arguments``."""
    options = spec_kwargs or {}

    def build(kw: dict[str, Any]) -> Any:
        return _Call(li_tool(li.MemoriesToolSpec(**options, **kw), name), arguments)

    return adapters.run(mock.handle, build, "call")


@dataclass
class _Call:
    """Binds a FunctionTool's keyword arguments so the runner can call ``call``/``acall``."""

    tool: Any
    arguments: dict[str, Any]

    def call(self) -> Any:
        return self.tool.call(**self.arguments)

    async def acall(self) -> Any:
        return await self.tool.acall(**self.arguments)
