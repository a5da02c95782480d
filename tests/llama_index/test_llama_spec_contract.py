"""``MemoriesToolSpec`` keeps LlamaIndex's ``BaseToolSpec`` contract: every name in
``spec_functions`` is a real method with its async twin, and the base helpers work on it."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterator

import pytest
from llama_index.core.tools.tool_spec.base import BaseToolSpec

from memories_integrations import MemoriesClient
from memories_integrations._tools.registry import OPERATIONS
from memories_integrations.llama_index import MemoriesToolSpec
from memories_integrations.llama_index.tools import LEGACY_NAMES
from memories_integrations.testing import EmulatorServer


@pytest.fixture
def memories(live_emulator: EmulatorServer) -> Iterator[MemoriesClient]:
    client = MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url)
    yield client
    client.close()


def test_every_spec_function_is_a_method_with_an_async_twin() -> None:
    spec = MemoriesToolSpec(api_key="sk-test", allow_delete=True)
    assert spec.spec_functions == list(OPERATIONS)
    for name in spec.spec_functions:
        assert isinstance(name, str)
        assert name in vars(MemoriesToolSpec), name  # a method, not a __getattr__ answer
        assert inspect.iscoroutinefunction(getattr(spec, f"a{name}")), name
        assert spec.get_fn_schema_from_fn_name(name) is OPERATIONS[name].args
        meta = spec.get_metadata_from_fn_name(name)
        assert meta is not None and meta.name == name
        assert meta.description == OPERATIONS[name].description
    assert "__getattr__" not in vars(MemoriesToolSpec)


def test_base_to_tool_list_builds_working_tools(memories: MemoriesClient) -> None:
    spec = MemoriesToolSpec(client=memories)
    pairs: list[str | tuple[str, str]] = [(n, f"a{n}") for n in OPERATIONS]
    tools = {t.metadata.name: t for t in BaseToolSpec.to_tool_list(spec, pairs)}
    assert set(tools) == set(OPERATIONS)
    listed = tools["memories_list_videos"].call(video_name="cooking_demo")
    assert "| cooking_demo | PARSE" in listed.content
    assert (
        tools["memories_list_videos"].metadata.fn_schema is OPERATIONS["memories_list_videos"].args
    )


async def test_async_twin_runs(memories: MemoriesClient) -> None:
    spec = MemoriesToolSpec(client=memories)
    tool = BaseToolSpec.to_tool_list(spec, [("memories_list_videos", "amemories_list_videos")])[0]
    assert "cooking_demo" in (await tool.acall()).content


@pytest.mark.parametrize("old", sorted(LEGACY_NAMES))
def test_legacy_names_are_explicit_deprecated_methods(old: str) -> None:
    assert old in vars(MemoriesToolSpec) and f"a{old}" in vars(MemoriesToolSpec)


def test_legacy_method_warns(memories: MemoriesClient) -> None:
    spec = MemoriesToolSpec(client=memories)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = spec.list_videos()
    assert "cooking_demo" in text
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


def test_needs_approval_refuses_unknown_names() -> None:
    from memories_integrations import errors

    with pytest.raises(errors.InvalidInputError, match="memories_delete_video'"):
        MemoriesToolSpec(api_key="sk-test", needs_approval=["memories_delete_video"])


def test_needs_approval_maps_legacy_names_and_one_string() -> None:
    with pytest.warns(DeprecationWarning):
        spec = MemoriesToolSpec(api_key="sk-test", needs_approval=["delete_video", "upload_video"])
    assert spec.needs_approval == ("memories_delete_videos", "memories_upload_video")
    one = MemoriesToolSpec(api_key="sk-test", needs_approval="memories_delete_videos")
    assert one.needs_approval == ("memories_delete_videos",)


def test_nodes_cite_their_video(memories: MemoriesClient) -> None:
    from llama_index.core.schema import MetadataMode, NodeRelationship

    from memories_integrations.llama_index import MemoriesRetriever

    node = MemoriesRetriever(client=memories).retrieve("chopping onions")[0].node
    video_no = node.metadata["video_no"]
    source = node.relationships[NodeRelationship.SOURCE]
    assert not isinstance(source, list) and source.node_id == video_no
    assert video_no in node.get_content(metadata_mode=MetadataMode.LLM)
    embed = node.get_content(metadata_mode=MetadataMode.EMBED)
    assert node.metadata["start_timestamp"] not in embed
