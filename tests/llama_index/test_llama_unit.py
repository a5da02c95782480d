"""Component behaviour that needs no recorded traffic: secrets, options, exclusions, errors."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from typing import Any

import pytest
from llama_index.core.schema import MetadataMode

from memories_integrations import errors
from memories_integrations.llama_index import (
    MemoriesRetriever,
    MemoriesToolSpec,
    MemoriesVideoReader,
)

from .conftest import hit

SECRET = "sk-unit-secret"


def test_importing_the_core_does_not_import_llama_index() -> None:
    code = (
        "import sys, memories_integrations; "
        "print(any(m.startswith('llama_index') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_key_never_in_repr_str_or_serialisation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMORIES_API_KEY", raising=False)
    reader = MemoriesVideoReader(api_key=SECRET, base_url="https://api.example")
    retriever = MemoriesRetriever(api_key=SECRET)
    spec = MemoriesToolSpec(api_key=SECRET)
    texts = [
        repr(reader),
        str(reader),
        reader.to_json(),
        json.dumps(reader.to_dict()),
        str(reader.model_dump()),
        repr(retriever),
        repr(spec),
        repr(reader._clients),
        repr(reader._clients.sync),
        repr(reader._clients.async_),
    ]
    assert all(SECRET not in t for t in texts)
    assert "api_key" not in reader.to_dict()
    assert reader.to_dict()["class_name"] == "MemoriesVideoReader"
    assert SECRET.encode() not in pickle.dumps(reader.to_dict())


def test_key_from_env_and_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMORIES_API_KEY", raising=False)
    monkeypatch.delenv("MEMORIES_AI_API_KEY", raising=False)
    with pytest.raises(errors.MissingAPIKeyError):
        MemoriesRetriever()
    with pytest.raises(errors.MissingAPIKeyError):
        MemoriesVideoReader()
    monkeypatch.setenv("MEMORIES_AI_API_KEY", SECRET)
    reader = MemoriesVideoReader()
    assert reader.is_remote is True
    # the serialised form round-trips (the key comes from the environment again)
    clone = MemoriesVideoReader.from_dict(reader.to_dict())
    assert clone.content == reader.content and clone.granularity == reader.granularity


def test_retriever_validates_options_before_any_request(mock_clients: Any) -> None:
    sync, _, rec = mock_clients({})
    with pytest.raises(errors.InvalidInputError):
        MemoriesRetriever(client=sync, search_type="BY_SMELL")
    with pytest.raises(errors.InvalidInputError):
        MemoriesRetriever(client=sync, k=0)
    with pytest.raises(errors.InvalidInputError):
        MemoriesRetriever(client=sync, k=2, similarity_top_k=3)
    assert MemoriesRetriever(client=sync, similarity_top_k=7).k == 7
    assert MemoriesRetriever(client=sync, search_type="by_audio").search_type == "BY_AUDIO"
    assert rec.requests == []


async def test_retriever_threshold_cut_and_request_body(mock_clients: Any) -> None:
    hits = [hit("VI1", 0, 0.2), hit("VI2", 4, 0.9), hit("VI3", 8, 0.5), hit("VI4", 2, 0.7)]
    sync, async_, rec = mock_clients({"/search": hits})
    retriever = MemoriesRetriever(
        client=sync,
        async_client=async_,
        k=2,
        score_threshold=0.4,
        unique_id="team",
        video_nos=["VI2", "VI3"],
        tag="sports",
        filtering_level="high",
    )
    for nodes in (retriever.retrieve("a goal"), await retriever.aretrieve("a goal")):
        assert [n.node.metadata["video_no"] for n in nodes] == ["VI2", "VI4"]
        assert [n.score for n in nodes] == [0.9, 0.7]
        assert nodes[0].node.metadata["unique_id"] == "team"
    body = json.loads(rec.requests[0].content)
    assert body["search_param"] == "a goal" and body["top_k"] == 2
    assert body["video_nos"] == ["VI2", "VI3"] and body["tag"] == "sports"
    assert body["filtering_level"] == "high" and body["unique_id"] == "team"
    assert json.loads(rec.requests[1].content) == body


def test_node_metadata_exclusions(mock_clients: Any) -> None:
    sync, _, _ = mock_clients({"/search": [hit("VI1", 65, 0.5, "goal")]})
    node = MemoriesRetriever(client=sync).retrieve("goal")[0].node
    for mode in (MetadataMode.LLM, MetadataMode.EMBED):
        content = node.get_content(metadata_mode=mode)
        assert "VI1" not in content and "memories://" not in content
        assert "00:01:05" in content and "clip at 65s" in content and "goal" in content
    assert "memories://default/VI1?t=65-67" in node.get_content(metadata_mode=MetadataMode.ALL)


def test_only_async_client_given_derives_the_sync_twin(mock_clients: Any) -> None:
    _, async_, _rec = mock_clients({"/search": [hit("VI1", 0, 0.5)]})
    retriever = MemoriesRetriever(async_client=async_)
    # the derived client has its own transport (real network), so only check its settings
    derived = retriever._clients.sync
    assert derived.base_url == async_.base_url and derived.unique_id == async_.unique_id


def test_tool_spec_functions_and_descriptions() -> None:
    spec = MemoriesToolSpec(api_key=SECRET)
    names = [t.metadata.name for t in spec.to_tool_list()]
    assert "delete_video" not in names and len(names) == 7
    assert all(isinstance(f, tuple) and f[1] == "a" + f[0] for f in spec.spec_functions)
    tools = MemoriesToolSpec(api_key=SECRET, allow_delete=True).to_tool_list()
    assert "delete_video" in [t.metadata.name for t in tools]
    for tool in tools:
        tool.metadata.to_openai_tool()  # raises if a description is over 1024 characters
        assert tool.async_fn is not None and tool.fn is not None
    search = next(t for t in tools if t.metadata.name == "search_videos")
    props = search.metadata.get_parameters_dict()["properties"]
    assert set(props) == {"query", "top_k", "search_type", "video_nos"}
    assert "semantic" in search.metadata.description


async def test_tool_errors_as_text_or_raised(mock_clients: Any) -> None:
    not_found = {"code": "0404", "msg": "video not found: VI404", "data": None}
    import httpx

    routes = {"/get_metadata": lambda r: httpx.Response(200, json=not_found)}
    sync, async_, _ = mock_clients(routes)
    spec = MemoriesToolSpec(client=sync, async_client=async_)
    text = spec.video_status("VI404")
    assert text.startswith("Error:") and "VI404" in text
    assert (await spec.avideo_status("VI404")).startswith("Error:")
    # bad input is caught before the network and explained too
    assert spec.search_videos("", top_k=3).startswith("Error:")
    strict = MemoriesToolSpec(client=sync, async_client=async_, raise_errors=True)
    with pytest.raises(errors.MemoriesError):
        strict.video_status("VI404")
    with pytest.raises(errors.MemoriesError):
        await strict.avideo_status("VI404")


async def test_delete_refused_unless_enabled(mock_clients: Any) -> None:
    sync, async_, rec = mock_clients({"/delete_videos": None})
    spec = MemoriesToolSpec(client=sync, async_client=async_)
    assert "disabled" in spec.delete_video("VI1")
    assert "disabled" in await spec.adelete_video("VI1")
    assert rec.requests == []
    enabled = MemoriesToolSpec(client=sync, async_client=async_, allow_delete=True)
    assert enabled.delete_video("VI1") == "Deleted video VI1."
    assert await enabled.adelete_video("VI2") == "Deleted video VI2."
    assert len(rec.requests) == 2


def test_upload_wait_is_bounded(mock_clients: Any, tmp_path: Any) -> None:
    routes = {
        "/upload": {"videoNo": "VI7", "videoName": "clip", "videoStatus": "UNPARSE"},
        "/get_metadata": {"video_no": "VI7", "video_name": "clip", "status": "UNPARSE"},
    }
    sync, _, rec = mock_clients(routes)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    spec = MemoriesToolSpec(client=sync, upload_max_wait=0.2, poll_interval=0.05)
    text = spec.upload_video(str(video))
    assert "video_no VI7" in text and "not a task id" in text and "Still encoding" in text
    polls = [r for r in rec.requests if r.url.path.endswith("/get_metadata")]
    assert 1 <= len(polls) <= 5
