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
    llm = node.get_content(metadata_mode=MetadataMode.LLM)
    assert "video_no: VI1" in llm and "memories://" not in llm  # the model cites video_no
    assert "00:01:05" in llm and "clip at 65s" in llm and "goal" in llm
    embed = node.get_content(metadata_mode=MetadataMode.EMBED)
    assert "VI1" not in embed and "memories://" not in embed
    assert "00:01:05" not in embed  # times say nothing about what happens
    assert "clip at 65s" in embed and "goal" in embed
    assert "memories://default/VI1?t=65-67" in node.get_content(metadata_mode=MetadataMode.ALL)


def test_only_async_client_given_derives_the_sync_twin(mock_clients: Any) -> None:
    _, async_, _rec = mock_clients({"/search": [hit("VI1", 0, 0.5)]})
    retriever = MemoriesRetriever(async_client=async_)
    # the derived client has its own transport (real network), so only check its settings
    derived = retriever._clients.sync()
    assert derived.base_url == async_.base_url and derived.unique_id == async_.unique_id


# Every constrained argument of every tool: (tool, argument) -> what its JSON schema must say.
CONSTRAINTS: dict[tuple[str, str], dict[str, Any]] = {
    ("memories_search", "search_type"): {
        "enum": ["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE"]
    },
    ("memories_search", "top_k"): {"minimum": 1, "maximum": 50},
    ("memories_list_videos", "page"): {"minimum": 1},
    ("memories_list_videos", "size"): {"minimum": 1, "maximum": 100},
    ("memories_get_transcript", "track"): {"enum": ["audio", "visual", "both"]},
    ("memories_summarize_video", "summary_type"): {"enum": ["CHAPTER", "TOPIC"]},
    ("memories_chat_with_videos", "video_nos"): {"minItems": 1, "maxItems": 100},
    ("memories_upload_video", "max_wait_seconds"): {"exclusiveMinimum": 0},
    ("memories_delete_videos", "video_nos"): {"minItems": 1, "maxItems": 100},
}


def _flat(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's schema with ``anyOf: [X, null]`` (optional arguments) unwrapped."""
    merged = dict(prop)
    for option in prop.get("anyOf", []):
        if option.get("type") != "null":
            merged.update(option)
    return merged


def test_tool_schemas_carry_enums_bounds_and_full_descriptions() -> None:
    spec = MemoriesToolSpec(api_key=SECRET, allow_delete=True)
    tools = {t.metadata.name: t for t in spec.to_tool_list()}
    assert set(tools) == {
        "memories_search",
        "memories_video_status",
        "memories_list_videos",
        "memories_get_transcript",
        "memories_summarize_video",
        "memories_chat_with_videos",
        "memories_list_namespaces",
        "memories_upload_video",
        "memories_delete_videos",
    }
    for (name, arg), expected in CONSTRAINTS.items():
        params = tools[name].metadata.to_openai_tool()["function"]["parameters"]
        prop = _flat(params["properties"][arg])
        assert {k: prop.get(k) for k in expected} == expected, (name, arg)
    for tool_name, tool in tools.items():
        assert tool.async_fn is not None and tool.fn is not None
        for arg, prop in tool.metadata.get_parameters_dict()["properties"].items():
            assert len(prop.get("description", "")) > 15, (tool_name, arg)  # the whole text
    search = tools["memories_search"].metadata.get_parameters_dict()["properties"]
    assert "BY_CAPTION: caption text" in search["search_type"]["description"]
    assert "memories_delete_videos" not in [
        t.metadata.name for t in MemoriesToolSpec(api_key=SECRET).to_tool_list()
    ]


def test_old_tool_names_still_work_with_a_warning() -> None:
    spec = MemoriesToolSpec(api_key=SECRET)
    with pytest.warns(DeprecationWarning, match="'search_videos' is now 'memories_search'"):
        (tool,) = spec.to_tool_list(["search_videos"])
    assert tool.metadata.name == "memories_search"
    with pytest.warns(DeprecationWarning, match="'get_transcript' is now"):
        text = spec.get_transcript("VI1", track="smell")  # input checked before any request
    assert "track must be one of audio, visual, both" in text


async def test_tool_errors_as_error_outputs_or_raised(mock_clients: Any) -> None:
    not_found = {"code": "0001", "msg": "video not found: VI404", "data": None}

    def missing(request: Any) -> Any:
        import httpx

        return httpx.Response(200, stream=httpx.ByteStream(json.dumps(not_found).encode()))

    sync, async_, _ = mock_clients({"/get_metadata": missing})
    spec = MemoriesToolSpec(client=sync, async_client=async_)
    status = next(t for t in spec.to_tool_list() if t.metadata.name == "memories_video_status")
    for output in (status.call(video_no="VI404"), await status.acall(video_no="VI404")):
        assert output.is_error and "VI404" in output.content
        assert "memories_list_videos" in output.content  # the recovery hint
    bad = next(t for t in spec.to_tool_list() if t.metadata.name == "memories_search")
    assert bad.call(query="", top_k=3).is_error  # bad input is explained too
    strict = MemoriesToolSpec(client=sync, async_client=async_, raise_errors=True)
    with pytest.raises(errors.NotFoundError, match="memories_list_videos"):
        strict.run("memories_video_status", video_no="VI404")
    with pytest.raises(errors.NotFoundError, match="memories_list_videos"):
        await strict.arun("memories_video_status", video_no="VI404")


async def test_delete_refused_unless_enabled(mock_clients: Any) -> None:
    sync, async_, rec = mock_clients({"/delete_videos": None})
    spec = MemoriesToolSpec(client=sync, async_client=async_)
    assert "disabled" in spec.run("memories_delete_videos", video_nos="VI1")
    assert "disabled" in await spec.arun("memories_delete_videos", video_nos=["VI1"])
    assert rec.requests == []
    enabled = MemoriesToolSpec(client=sync, async_client=async_, allow_delete=True)
    assert enabled.run("memories_delete_videos", video_nos="VI1") == "Deleted 1 video(s): VI1."
    assert await enabled.arun("memories_delete_videos", video_nos=["VI2"]) == (
        "Deleted 1 video(s): VI2."
    )
    assert len(rec.requests) == 2


def test_upload_wait_is_bounded(mock_clients: Any, tmp_path: Any) -> None:
    routes = {
        "/upload": {"videoNo": "VI7", "videoName": "clip", "videoStatus": "UNPARSE"},
        "/get_metadata": {"video_no": "VI7", "video_name": "clip", "status": "UNPARSE"},
    }
    sync, _, rec = mock_clients(routes)
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    spec = MemoriesToolSpec(
        client=sync, upload_max_wait=0.2, poll_interval=0.05, allowed_dirs=[tmp_path]
    )
    text = spec.run("memories_upload_video", file_path=str(video), wait=True)
    assert "VI7 (clip): status UNPARSE" in text and "not a task id" in text
    assert "wait limit was reached" in text
    polls = [r for r in rec.requests if r.url.path.endswith("/get_metadata")]
    assert 1 <= len(polls) <= 8
