"""The operation registry: one declaration per tool, every front end built from it."""

from __future__ import annotations

import pytest

from memories_integrations import errors
from memories_integrations._tools._async import operations as async_ops
from memories_integrations._tools._sync import operations as sync_ops
from memories_integrations._tools.registry import OPERATIONS

pytest.importorskip("langchain_core")


def test_every_declaration_has_a_generated_sync_twin() -> None:
    assert [d.name for d in async_ops.DECLARED] == [d.name for d in sync_ops.DECLARED]
    for name, op in OPERATIONS.items():
        assert op.name == name and op.description and op.title
        assert op.output_schema()["type"] == "object"


def test_langchain_tools_are_built_from_the_registry() -> None:
    from memories_integrations.langchain import MemoriesToolkit
    from memories_integrations.langchain.toolkits import TOOL_CLASSES

    assert [c._operation for c in TOOL_CLASSES] == list(OPERATIONS)
    toolkit = MemoriesToolkit(api_key="sk-test", allow_upload=True, allow_delete=True)
    tools = {t.name: t for t in toolkit.get_tools()}
    assert list(tools) == list(OPERATIONS)
    for name, tool in tools.items():
        op = OPERATIONS[name]
        assert tool.description == op.description
        assert tool.args_schema is op.args


def test_gates_follow_the_registry_annotations() -> None:
    from memories_integrations.langchain.toolkits import DESTRUCTIVE_TOOLS, WRITE_TOOLS

    assert [c._operation for c in DESTRUCTIVE_TOOLS] == ["memories_delete_videos"]
    assert [c._operation for c in WRITE_TOOLS] == ["memories_upload_video"]
    assert OPERATIONS["memories_delete_videos"].annotations.needs_approval
    assert not OPERATIONS["memories_search"].annotations.needs_approval


def test_langchain_tool_classes_state_only_their_operation() -> None:
    from memories_integrations.langchain import MemoriesSearchTool
    from memories_integrations.langchain.tools import MemoriesBaseTool

    op = OPERATIONS["memories_search"]
    tool = MemoriesSearchTool(api_key="sk-test")
    assert (tool.name, tool.description, tool.args_schema) == (op.name, op.description, op.args)
    renamed = MemoriesSearchTool(api_key="sk-test", name="video_search", description="Find.")
    assert (renamed.name, renamed.description) == ("video_search", "Find.")
    with pytest.raises(errors.InvalidInputError, match="unknown tool 'memories_nothing'"):

        class _Unknown(MemoriesBaseTool):
            _operation = "memories_nothing"
