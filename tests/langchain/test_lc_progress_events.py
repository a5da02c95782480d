"""Long waits report progress to the run they happen in, as LangChain custom events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import AsyncCallbackHandler, BaseCallbackHandler
from langchain_core.runnables import RunnableLambda

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.langchain import MemoriesTranscriptLoader, MemoriesUploadTool
from memories_integrations.langchain._events import ENCODING_EVENT, LOAD_EVENT, UPLOAD_EVENT
from memories_integrations.testing import EmulatorServer
from tests.adapters_core.helpers import WITH_ONE_BAD

SAMPLES = Path(__file__).parents[2] / "memories_integrations" / "testing" / "samples"
VIDEO = SAMPLES / "cooking_demo.mp4"


class Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any], UUID]] = []
        self.tool_runs: list[UUID] = []

    def on_tool_start(self, serialized: Any, input_str: str, *, run_id: UUID, **kw: Any) -> None:
        self.tool_runs.append(run_id)

    def on_custom_event(self, name: str, data: Any, *, run_id: UUID, **kw: Any) -> None:
        self.events.append((name, data, run_id))

    def named(self, name: str) -> list[dict[str, Any]]:
        return [data for n, data, _ in self.events if n == name]


class AsyncRecorder(AsyncCallbackHandler, Recorder):
    async def on_tool_start(  # type: ignore[override]
        self, serialized: Any, input_str: str, *, run_id: UUID, **kw: Any
    ) -> None:
        self.tool_runs.append(run_id)

    async def on_custom_event(  # type: ignore[override]
        self, name: str, data: Any, *, run_id: UUID, **kw: Any
    ) -> None:
        self.events.append((name, data, run_id))


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(encoding_delay=0.3, rate_limits=False) as server:
        yield server


def _assert_upload_and_wait_reported(recorder: Recorder) -> None:
    uploads = recorder.named(UPLOAD_EVENT)
    assert uploads and uploads[-1]["bytes_sent"] == uploads[-1]["total_bytes"] > 0
    assert uploads[-1]["percent"] == 100.0 and len(uploads) <= 11  # a tenth at a time
    checks = recorder.named(ENCODING_EVENT)
    assert checks and checks[-1]["status"] == "PARSE" and checks[-1]["video_no"]
    assert [c["polls"] for c in checks] == sorted(c["polls"] for c in checks)
    # Every event belongs to the tool's own run.
    assert {run for _, _, run in recorder.events} == set(recorder.tool_runs)


def test_upload_tool_reports_upload_and_encoding(emulator: EmulatorServer) -> None:
    recorder = Recorder()
    with MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url) as client:
        tool = MemoriesUploadTool(client=client, allowed_dirs=[SAMPLES], poll_interval=0.05)
        text = tool.invoke(
            {"file_path": str(VIDEO), "wait": True}, config={"callbacks": [recorder]}
        )
    assert "status PARSE" in text
    _assert_upload_and_wait_reported(recorder)


async def test_upload_tool_reports_upload_and_encoding_async(emulator: EmulatorServer) -> None:
    recorder = AsyncRecorder()
    async with AsyncMemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url) as client:
        tool = MemoriesUploadTool(async_client=client, allowed_dirs=[SAMPLES], poll_interval=0.05)
        text = await tool.ainvoke(
            {"file_path": str(VIDEO), "wait": True}, config={"callbacks": [recorder]}
        )
    assert "status PARSE" in text
    _assert_upload_and_wait_reported(recorder)


def test_no_run_manager_no_events(emulator: EmulatorServer) -> None:
    # Called directly (no LangChain run): the tool works and sends nothing.
    with MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url) as client:
        tool = MemoriesUploadTool(client=client, allowed_dirs=[SAMPLES], poll_interval=0.05)
        assert "status PARSE" in tool._run(file_path=str(VIDEO), wait=True)


def _loaded_events(recorder: Recorder) -> list[tuple[str, str | None]]:
    return sorted((d["video_no"], d["failed"] and "failed") for d in recorder.named(LOAD_EVENT))


EXPECTED = sorted([(WITH_ONE_BAD[0], None), (WITH_ONE_BAD[1], "failed"), (WITH_ONE_BAD[2], None)])


def test_loader_in_a_run_reports_each_video(live_emulator: EmulatorServer) -> None:
    recorder = Recorder()
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as client:
        loader = MemoriesTranscriptLoader(WITH_ONE_BAD, client=client)

        def load(_: Any) -> list[Any]:
            return loader.load()

        docs = RunnableLambda(load).invoke(None, config={"callbacks": [recorder]})
        assert len(docs) == 2
        assert _loaded_events(recorder) == EXPECTED
        assert loader.load()  # outside any run: no event, no error
    assert len(recorder.named(LOAD_EVENT)) == 3


async def test_loader_in_a_run_reports_each_video_async(live_emulator: EmulatorServer) -> None:
    recorder = AsyncRecorder()
    async with AsyncMemoriesClient(
        api_key=live_emulator.api_key, base_url=live_emulator.base_url
    ) as client:
        loader = MemoriesTranscriptLoader(WITH_ONE_BAD, async_client=client)

        async def load(_: Any) -> list[Any]:
            return await loader.aload()

        docs = await RunnableLambda(load).ainvoke(None, config={"callbacks": [recorder]})
    assert len(docs) == 2
    assert _loaded_events(recorder) == EXPECTED
