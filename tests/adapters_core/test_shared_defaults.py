"""LangChain, LlamaIndex and the MCP server take their tool limits from one place."""

from __future__ import annotations

import argparse

from memories_integrations._tools.operations import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_WAIT,
    ToolOptions,
)


def test_every_front_end_uses_the_shared_defaults() -> None:
    from memories_integrations.langchain import (
        MemoriesSearchTool,
        MemoriesToolkit,
        MemoriesUploadTool,
    )
    from memories_integrations.llama_index import MemoriesToolSpec
    from memories_integrations.mcp import ServerConfig

    assert (ToolOptions().max_chars, ToolOptions().max_wait_seconds) == (4000, 300.0)
    assert MemoriesSearchTool(api_key="k").max_output_chars == DEFAULT_MAX_CHARS
    assert MemoriesToolkit(api_key="k").max_output_chars == DEFAULT_MAX_CHARS
    assert MemoriesUploadTool(api_key="k").max_wait_seconds == DEFAULT_MAX_WAIT
    options = MemoriesToolSpec(api_key="k")._options()
    assert (options.max_chars, options.max_wait_seconds) == (DEFAULT_MAX_CHARS, DEFAULT_MAX_WAIT)
    config = ServerConfig()
    assert (config.max_output_chars, config.max_wait_seconds) == (
        DEFAULT_MAX_CHARS,
        DEFAULT_MAX_WAIT,
    )


def test_the_mcp_command_keeps_the_shared_defaults_unless_told() -> None:
    from memories_integrations.cli._app import build_parser

    args: argparse.Namespace = build_parser().parse_args(["mcp"])
    assert args.max_wait is None and args.max_output_chars is None  # -> ServerConfig defaults
    args = build_parser().parse_args(["mcp", "--max-output-chars", "900"])
    assert args.max_output_chars == 900
