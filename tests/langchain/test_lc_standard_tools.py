"""langchain-tests' standard tool suites for every tool.

Unit suites need no network; integration suites replay cassettes recorded against a fresh
emulator holding the sample library.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests
from langchain_tests.unit_tests import ToolsUnitTests

from memories_integrations.langchain import (
    MemoriesChatTool,
    MemoriesDeleteVideosTool,
    MemoriesListNamespacesTool,
    MemoriesListVideosTool,
    MemoriesSearchTool,
    MemoriesSummarizeTool,
    MemoriesTranscriptTool,
    MemoriesUploadTool,
    MemoriesVideoStatusTool,
)
from memories_integrations.testing import sample_videos

from .conftest import COOKING, SAMPLE_VIDEOS

OFFLINE = {"api_key": "unit-test-key", "base_url": "https://api.memories.ai"}


class _ToolCase:
    """Suite properties from class attributes; connection filled in per test."""

    tool_cls: type[BaseTool]
    example: dict[str, Any]
    extra: dict[str, Any] = {}
    _connection: dict[str, Any] = OFFLINE

    @property
    def tool_constructor(self) -> type[BaseTool]:
        return self.tool_cls

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {**self._connection, **self.extra}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return dict(self.example)

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"MEMORIES_API_KEY": "key-from-env", "MEMORIES_BASE_URL": "https://example.test"},
            {},
            {"api_key": "key-from-env", "base_url": "https://example.test"},
        )


class _Live(_ToolCase):
    @pytest.fixture(autouse=True)
    def _connect(self, connection: dict[str, Any], sample_library: dict[str, str]) -> None:
        self._connection = connection


class _Search(_ToolCase):
    tool_cls = MemoriesSearchTool
    example = {"query": "someone chopping onions", "top_k": 3}


class _Upload(_ToolCase):
    tool_cls = MemoriesUploadTool
    example = {"file_path": str(sample_videos()[0]), "wait": True, "max_wait_seconds": 20}
    extra = {"poll_interval": 0.05}


class _Status(_ToolCase):
    tool_cls = MemoriesVideoStatusTool
    example = {"video_no": COOKING}


class _List(_ToolCase):
    tool_cls = MemoriesListVideosTool
    example = {"page": 1, "size": 10}


class _Transcript(_ToolCase):
    tool_cls = MemoriesTranscriptTool
    example = {"video_no": COOKING, "track": "both"}


class _Summarize(_ToolCase):
    tool_cls = MemoriesSummarizeTool
    example = {"video_no": COOKING, "summary_type": "CHAPTER"}


class _Chat(_ToolCase):
    tool_cls = MemoriesChatTool
    example = {"video_nos": [COOKING], "prompt": "What dish is cooked and what goes in it?"}


class _Namespaces(_ToolCase):
    tool_cls = MemoriesListNamespacesTool
    example: dict[str, Any] = {}


class _Delete(_ToolCase):
    tool_cls = MemoriesDeleteVideosTool
    example = {"video_nos": [SAMPLE_VIDEOS["soccer_match"]]}


# ------------------------------------------------------------------ unit suites (no network)
class TestSearchToolUnit(_Search, ToolsUnitTests):
    pass


class TestUploadToolUnit(_Upload, ToolsUnitTests):
    pass


class TestStatusToolUnit(_Status, ToolsUnitTests):
    pass


class TestListVideosToolUnit(_List, ToolsUnitTests):
    pass


class TestTranscriptToolUnit(_Transcript, ToolsUnitTests):
    pass


class TestSummarizeToolUnit(_Summarize, ToolsUnitTests):
    pass


class TestChatToolUnit(_Chat, ToolsUnitTests):
    pass


class TestNamespacesToolUnit(_Namespaces, ToolsUnitTests):
    pass


class TestDeleteToolUnit(_Delete, ToolsUnitTests):
    pass


# ------------------------------------------------------------------ integration suites (cassettes)
@pytest.mark.vcr
class TestSearchToolIntegration(_Live, _Search, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestUploadToolIntegration(_Live, _Upload, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestStatusToolIntegration(_Live, _Status, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestListVideosToolIntegration(_Live, _List, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestTranscriptToolIntegration(_Live, _Transcript, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestSummarizeToolIntegration(_Live, _Summarize, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestChatToolIntegration(_Live, _Chat, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestDeleteToolIntegration(_Live, _Delete, ToolsIntegrationTests):
    pass


@pytest.mark.vcr
class TestNamespacesToolIntegration(_Live, _Namespaces, ToolsIntegrationTests):
    pass
