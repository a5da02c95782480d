"""A server that echoes the API key back, whole or with a few characters cut off (issue 21
item 3): the key never reaches a user -- not a chat stream's closing error (nor the frameworks'
chat tools that show it), MCP ``resources/list`` / ``resources/read``, or ``memories doctor``.

The key is registered where it enters (``ApiKeyAuth``) and scrubbed where errors, tool texts and
reports are built (``_secrets.scrub``); each case here is one of those output paths.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations.testing import EmulatorServer

from ._helpers import NO_RETRY, case_name

KEY = "sk-echo-5f2a9c4e8b1d7f3a6c0e9b2d"
#: What a hostile server may send back: the key, or the key with a few characters cut off.
ECHOES = {
    "whole": KEY,
    "head cut": KEY[4:],
    "tail cut": KEY[:-5],
    "both cut": KEY[3:-3],
}
#: Any of these in an output is a leak (the key's halves are still far too much of it).
LEAKS = (KEY, KEY[:14], KEY[-14:], KEY[8:22])


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("echoed key", request))


def assert_clean(*texts: object) -> None:
    for text in texts:
        for leak in LEAKS:
            assert leak not in str(text), f"key leaked: {str(text)[:300]}"


def _sse(*payloads: dict[str, Any]) -> bytes:
    return b"".join(f"data: {json.dumps(p)}\n\n".encode() for p in payloads)


def _echoing_chat(echo: str) -> Callable[[httpx.Request], httpx.Response]:
    """A chat stream that starts an answer, then closes with an error envelope echoing ``echo``."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = _sse(
            {"type": "content", "role": "assistant", "content": "The "},
            {"code": "0401", "msg": f"invalid api key {echo}"},
        )
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    return handler


@pytest.fixture(params=sorted(ECHOES))
def echo(request: pytest.FixtureRequest) -> str:
    return ECHOES[str(request.param)]


def test_chat_stream_closing_error_does_not_carry_the_key(echo: str) -> None:
    http = httpx.Client(transport=httpx.MockTransport(_echoing_chat(echo)))
    with MemoriesClient(api_key=KEY, http_client=http, retry=NO_RETRY) as client:
        with pytest.raises(e.AuthenticationError) as raised:
            list(client.chat_stream(["VI1"], "what happens?"))
        with pytest.raises(e.AuthenticationError) as answered:
            client.chat(["VI1"], "what happens?")
    for exc in (raised.value, answered.value):
        assert "invalid api key" in exc.message
        assert_clean(str(exc), repr(exc), exc.message, exc.body, vars(exc))


def test_langchain_chat_tool_does_not_show_the_key(echo: str) -> None:
    from memories_integrations.langchain import MemoriesChatTool

    http = httpx.Client(transport=httpx.MockTransport(_echoing_chat(echo)))
    with MemoriesClient(api_key=KEY, http_client=http, retry=NO_RETRY) as client:
        tool = MemoriesChatTool(client=client)
        try:
            shown: object = tool.invoke({"video_nos": ["VI1"], "prompt": "what happens?"})
        except Exception as exc:  # a raised error is shown too
            shown = exc
    assert_clean(shown, repr(shown))


def test_llama_index_chat_tool_does_not_show_the_key(echo: str) -> None:
    from memories_integrations.llama_index import MemoriesToolSpec

    http = httpx.Client(transport=httpx.MockTransport(_echoing_chat(echo)))
    with MemoriesClient(api_key=KEY, http_client=http, retry=NO_RETRY) as client:
        spec = MemoriesToolSpec(client=client)
        shown = spec.run("memories_chat_with_videos", video_nos=["VI1"], prompt="what?")
        with pytest.raises(e.AuthenticationError) as raised:
            MemoriesToolSpec(client=client, raise_errors=True).run(
                "memories_chat_with_videos", video_nos=["VI1"], prompt="what?"
            )
    assert_clean(shown, raised.value, repr(raised.value))


# ------------------------------------------------------------------ MCP resources
def _echoing_library(echo: str) -> Callable[[httpx.Request], httpx.Response]:
    """A library whose video name, metadata and transcript all echo ``echo``."""
    video = {
        "video_no": "VI1",
        "video_name": f"clip {echo}",
        "duration": "12",
        "status": "PARSE",
        "upload_time": "1",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/list_videos"):
            data: Any = {"videos": [video], "current_page": 1, "page_size": 100, "total_count": 1}
        elif path.endswith("/get_metadata") or path.endswith("/get_video_detail"):
            data = video
        elif "transcription" in path:
            data = {"videoNo": "VI1", "transcriptions": [
                {"index": 0, "startTime": "0", "endTime": "5", "content": f"say {echo} now"},
            ]}  # fmt: skip
        else:
            data = None
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": data})

    return handler


def _mcp_outputs(echo: str) -> list[str]:
    from mcp import types

    from memories_integrations.mcp._config import ServerConfig
    from memories_integrations.mcp.server import build_server

    async def run() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_echoing_library(echo)))
        async with AsyncMemoriesClient(api_key=KEY, http_client=http, retry=NO_RETRY) as client:
            server = build_server(client, ServerConfig())
            listed = await server.request_handlers[types.ListResourcesRequest](
                types.ListResourcesRequest(method="resources/list")
            )
            read = await server.request_handlers[types.ReadResourceRequest](
                types.ReadResourceRequest(
                    method="resources/read",
                    params=types.ReadResourceRequestParams(uri="memories://default/VI1"),
                )
            )
        return [listed.model_dump_json(), read.model_dump_json()]

    return asyncio.run(run())


def test_mcp_resources_do_not_carry_the_key(echo: str) -> None:
    listed, read = _mcp_outputs(echo)
    assert "VI1" in listed and "clip" in listed  # the resource is still listed, name scrubbed
    assert "say" in read and "now" in read  # the transcript is still read, key scrubbed
    assert_clean(listed, read)


# ------------------------------------------------------------------ memories doctor
@pytest.fixture
def echoing_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_key=KEY, encoding_delay=0.05, rate_limits=False) as server:
        yield server


def test_doctor_report_does_not_carry_the_key(
    echoing_emulator: EmulatorServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The last SSE line (in the stream's shape) and a parse error's quoted input echo it."""
    from memories_integrations.cli import main

    server = echoing_emulator
    stream = _sse({"type": "content", "content": "hi"}).decode() + f"data: {ECHOES['both cut']}\n\n"
    server.add_fault(path="/serve/api/v1/chat_stream", status=200, body=stream, times=5)
    bad_page = {"code": "0000", "data": {"videos": KEY[4:]}}  # quoted by the parse error
    server.add_fault(path="/serve/api/v1/list_videos", status=200, body=bad_page, skip=1)
    monkeypatch.setenv("MEMORIES_API_KEY", KEY)
    monkeypatch.setenv("NO_COLOR", "1")
    for argv in (["--json"], []):
        code = main(["doctor", *argv, "--no-pace", "--poll-interval", "0.05",
                     "--base-url", server.base_url])  # fmt: skip
        out, err = capsys.readouterr()
        assert code != 0, out + err  # the hostile answers are reported as failures
        assert_clean(out, err)
        if argv:
            checks = {c["step"]: c for c in json.loads(out)["checks"]}
            assert "last line" in checks["chat_stream"]["shape"]
            assert checks["list_videos"]["outcome"] == "MISMATCH"
        server.clear_faults()
        server.add_fault(path="/serve/api/v1/chat_stream", status=200, body=stream, times=5)
        server.add_fault(path="/serve/api/v1/list_videos", status=200, body=bad_page, skip=1)


def test_fragments_shorter_than_half_the_key_are_left_alone() -> None:
    """Ordinary words are not eaten: only runs of at least half a registered key go."""
    from memories_integrations._secrets import REDACTED, scrub

    with MemoriesClient(api_key=KEY):  # registered while its client lives
        text = f"sk-echo is a prefix; {KEY[:10]} too short; {KEY[2:-2]} leaked"
        assert scrub(text) == f"sk-echo is a prefix; {KEY[:10]} too short; {REDACTED} leaked"


# ------------------------------------------------------------------ tool artifacts
def _echoing_search(echo: str) -> Callable[[httpx.Request], httpx.Response]:
    """A search answer whose hit echoes the key in its video name."""

    def handler(request: httpx.Request) -> httpx.Response:
        hit = {"videoNo": "VI1", "videoName": f"clip {echo}", "startTime": "1", "endTime": "4",
               "score": 0.9}  # fmt: skip
        return httpx.Response(200, json={"code": "0000", "msg": "success", "data": [hit]})

    return handler


def test_tool_artifacts_do_not_carry_the_key(echo: str) -> None:
    """The structured results the frameworks pass on (LangChain artifacts, LlamaIndex raw
    output) are scrubbed like the text the model reads."""
    from langchain_core.messages import ToolMessage

    from memories_integrations.langchain import MemoriesSearchTool
    from memories_integrations.llama_index import MemoriesToolSpec

    http = httpx.Client(transport=httpx.MockTransport(_echoing_search(echo)))
    with MemoriesClient(api_key=KEY, http_client=http, retry=NO_RETRY) as client:
        call = {"name": "memories_search", "args": {"query": "a clip"}, "id": "1",
                "type": "tool_call"}  # fmt: skip
        message = MemoriesSearchTool(client=client).invoke(call)
        spec_tools = {t.metadata.name: t for t in MemoriesToolSpec(client=client).to_tool_list()}
        output = spec_tools["memories_search"].call(query="a clip")
    assert isinstance(message, ToolMessage) and message.artifact
    assert "clip" in str(message.artifact)
    assert_clean(message.content, message.artifact, repr(message.artifact))
    assert_clean(output.content, output.raw_output, repr(output.raw_output))
