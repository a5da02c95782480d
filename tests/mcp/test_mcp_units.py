"""The MCP server's pieces without a subprocess: links, the directory policy, names, imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from memories_integrations import errors as e
from memories_integrations._tools.arguments import ARGUMENT_MODELS, SearchArgs, SearchToolArgs
from memories_integrations.mcp import TOOLS, ServerConfig, resolve_dirs
from memories_integrations.mcp.resources import parse_link


def test_parse_link_accepts_citation_links() -> None:
    link = parse_link("memories://Team_A/VI123?t=12.5-20")
    assert (link.unique_id, link.video_no, link.start, link.end) == ("Team_A", "VI123", 12.5, 20.0)
    bare = parse_link("memories://default/VI9")
    assert bare.start is None and bare.end is None


@pytest.mark.parametrize(
    "uri",
    ["https://default/VI1", "memories://default", "memories://default/a/b", "memories:///VI1"],
)
def test_parse_link_rejects_other_uris(uri: str) -> None:
    with pytest.raises(e.InvalidInputError):
        parse_link(uri)


def test_parse_link_rejects_bad_spans() -> None:
    with pytest.raises(e.InvalidInputError, match="bad time span"):
        parse_link("memories://default/VI1?t=soon")


def test_local_files_only_inside_allowed_dirs(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    (inside / "a.mp4").write_bytes(b"x")
    (outside / "b.mp4").write_bytes(b"x")
    (inside / "link.mp4").symlink_to(outside / "b.mp4")
    config = ServerConfig(allowed_dirs=resolve_dirs([inside]))

    assert config.local_file("a.mp4") == (inside / "a.mp4").resolve()
    assert config.local_file(str(inside / "a.mp4")) == (inside / "a.mp4").resolve()
    for escape in (str(outside / "b.mp4"), "../out/b.mp4", "link.mp4"):
        with pytest.raises(e.PermissionDeniedError, match="outside the directories"):
            config.local_file(escape)
    with pytest.raises(e.InvalidInputError, match="no such file"):
        config.local_file("missing.mp4")
    with pytest.raises(e.PermissionDeniedError, match="--allowed-dir"):
        ServerConfig().local_file(str(inside / "a.mp4"))
    with pytest.raises(e.InvalidInputError, match="not a directory"):
        resolve_dirs([inside / "a.mp4"])


def test_scrub_removes_secrets_and_hides_them_in_repr() -> None:
    config = ServerConfig(secrets=("sk-secret-123",))
    assert config.scrub("key sk-secret-123 leaked") == "key <redacted> leaked"
    assert config.scrub("cut: ecret-12") == "cut: <redacted>"  # a fragment too
    assert "sk-secret-123" not in repr(config)


def test_tool_names_and_schemas_are_the_shared_ones() -> None:
    by_name = {t.name: t for t in TOOLS}
    for name, model in ARGUMENT_MODELS.items():
        # The frameworks' search adds include_keyframes (image output) to SearchArgs; MCP's
        # search returns no images, so it takes the shared base model without that field.
        expected = SearchArgs if model is SearchToolArgs else model
        assert issubclass(model, by_name[name].args)
        assert by_name[name].args is expected
        assert by_name[name].to_mcp().inputSchema == expected.model_json_schema()
    assert set(by_name) == {*ARGUMENT_MODELS, "memories_list_namespaces"}


def test_descriptions_are_the_registrys_but_upload() -> None:
    from memories_integrations._tools.registry import OPERATIONS

    for tool in TOOLS:
        described = OPERATIONS[tool.name].description
        if tool.name == "memories_upload_video":  # names --allowed-dir and progress
            assert "directories this server was allowed" in tool.description
            assert tool.description != described
        else:
            assert tool.description == described, tool.name


def test_langchain_toolkit_has_the_same_names() -> None:
    from memories_integrations.langchain.toolkits import MemoriesToolkit

    toolkit = MemoriesToolkit(api_key="k", allow_upload=True, allow_delete=True)
    langchain_names = {t.name for t in toolkit.get_tools()}
    assert langchain_names <= {t.name for t in TOOLS}


def test_core_and_cli_import_no_mcp() -> None:
    code = (
        "import sys, memories_integrations, memories_integrations.cli;"
        "from memories_integrations.cli._app import build_parser; build_parser();"
        "print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
