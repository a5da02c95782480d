"""`memories mcp` as a subprocess against the emulator, driven by the mcp SDK's own client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, types

import memories_integrations.testing as testing_pkg
from memories_integrations._tools.arguments import ChatArgs, SearchArgs, TranscriptArgs
from memories_integrations.testing import EmulatorServer

from .conftest import http_session, stdio_session

READ_TOOLS = {
    "memories_search",
    "memories_video_status",
    "memories_list_videos",
    "memories_get_transcript",
    "memories_summarize_video",
    "memories_chat_with_videos",
    "memories_list_namespaces",
}
SAMPLES = Path(str(testing_pkg.__file__)).parent / "samples"


def _text(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


def _structured(result: types.CallToolResult) -> dict[str, Any]:
    assert result.structuredContent is not None, _text(result)
    return result.structuredContent


async def _search_transcript_chat(session: ClientSession, emu: EmulatorServer) -> None:
    """The issue's round trip: list the tools, search, read a transcript, chat; text + data."""
    listed = {t.name: t for t in (await session.list_tools()).tools}
    assert set(listed) == READ_TOOLS  # read-only by default
    search_tool = listed["memories_search"]
    assert search_tool.inputSchema == SearchArgs.model_json_schema()  # the shared model
    assert listed["memories_get_transcript"].inputSchema == TranscriptArgs.model_json_schema()
    assert listed["memories_chat_with_videos"].inputSchema == ChatArgs.model_json_schema()
    assert search_tool.annotations is not None
    assert search_tool.annotations.readOnlyHint is True
    assert search_tool.annotations.destructiveHint is False
    assert search_tool.annotations.idempotentHint is True

    found = await session.call_tool("memories_search", {"query": "chopping onions", "top_k": 3})
    assert not found.isError, _text(found)
    moments = _structured(found)["moments"]
    assert 1 <= len(moments) <= 3
    top = moments[0]
    assert top["video_no"].startswith("VI") and "onion" in top["text"].lower()
    assert top["source"].startswith(f"memories://default/{top['video_no']}?t=")
    text = _text(found)
    assert text.startswith("[1] ") and top["video_no"] in text and top["start_timestamp"] in text

    transcript = await session.call_tool(
        "memories_get_transcript", {"video_no": top["video_no"], "track": "both"}
    )
    assert not transcript.isError, _text(transcript)
    segments = _structured(transcript)["segments"]
    assert segments and {s["track"] for s in segments} <= {"audio", "visual"}
    assert _text(transcript).startswith(f"Transcript of {top['video_no']} (both):")
    assert segments[0]["text"] in _text(transcript)

    chat = await session.call_tool(
        "memories_chat_with_videos",
        {"video_nos": [top["video_no"]], "prompt": "What is being chopped?"},
    )
    assert not chat.isError, _text(chat)
    data = _structured(chat)
    assert data["answer"].strip() and data["session_id"]
    assert _text(chat).startswith(data["answer"].strip())
    assert all(m["video_no"] == top["video_no"] for m in data["moments"])

    everything = json.dumps([found.model_dump(), transcript.model_dump(), chat.model_dump()])
    assert str(emu.api_key) not in everything


@pytest.mark.asyncio(loop_scope="module")
async def test_stdio_search_transcript_chat(
    emulator: EmulatorServer, shared_stdio: ClientSession
) -> None:
    with anyio.fail_after(45):
        session = shared_stdio
        await _search_transcript_chat(session, emulator)


async def test_http_search_transcript_chat(emulator: EmulatorServer, http_server: str) -> None:
    with anyio.fail_after(45):
        async with http_session(http_server) as session:
            await _search_transcript_chat(session, emulator)


@pytest.mark.asyncio(loop_scope="module")
async def test_errors_hints_lax_input_and_resources(
    emulator: EmulatorServer, shared_stdio: ClientSession
) -> None:
    with anyio.fail_after(45):
        session = shared_stdio
        # An unknown video: a tool result with isError and the recovery hint, not a crash.
        missing = await session.call_tool("memories_video_status", {"video_no": "VI404nope"})
        assert missing.isError
        assert "Check the id" in _text(missing)
        assert _structured(missing)["error"]["hint"].startswith("Check the id")
        # Bad input is refused by the shared model, with the allowed values named.
        bad = await session.call_tool("memories_search", {"query": "x", "search_type": "NOPE"})
        assert bad.isError and "BY_CLIP" in _text(bad) and "Fix the arguments" in _text(bad)
        # ... while sloppy but clear input is coerced as in every adapter.
        lax = await session.call_tool(
            "memories_search", {"query": "a goal is scored", "search_type": "by_clip", "k": "2"}
        )
        assert not lax.isError and len(_structured(lax)["moments"]) <= 2

        # Citations' memories:// links resolve to metadata + transcript.
        link = _structured(lax)["moments"][0]["source"]
        read = await session.read_resource(link)
        meta = next(c for c in read.contents if c.mimeType == "application/json")
        assert isinstance(meta, types.TextResourceContents)
        info = json.loads(meta.text)
        assert info["video_no"] in link and info["status"] == "PARSE"
        lines = next(c for c in read.contents if c.mimeType == "text/plain")
        assert isinstance(lines, types.TextResourceContents)
        assert lines.text.startswith(f"Transcript of {info['video_no']}")

        templates = (await session.list_resource_templates()).resourceTemplates
        assert [t.uriTemplate for t in templates] == ["memories://{unique_id}/{video_no}"]
        listed = (await session.list_resources()).resources
        assert len(listed) >= 4 and all(str(r.uri).startswith("memories://") for r in listed)

        spaces = await session.call_tool("memories_list_namespaces", {})
        assert not spaces.isError, _text(spaces)
        assert "default" in _structured(spaces)["unique_ids"]
        assert "default (this server)" in _text(spaces)

        # Read-only by default: no upload or delete tool, and calling one is refused.
        names = {t.name for t in (await session.list_tools()).tools}
        assert names == READ_TOOLS
        refused = await session.call_tool("memories_delete_videos", {"video_nos": ["VI1"]})
        assert refused.isError and "not enabled on this server" in _text(refused)


@pytest.mark.asyncio(loop_scope="module")
async def test_read_tools_run_the_shared_operations(
    emulator: EmulatorServer, shared_stdio: ClientSession
) -> None:
    """Lists, statuses, transcript pages and summaries come from ``arun_tool`` (the text every
    adapter shows), with structuredContent of the same facts."""
    with anyio.fail_after(45):
        session = shared_stdio
        listing = await session.call_tool("memories_list_videos", {"status": "PARSE"})
        assert not listing.isError, _text(listing)
        page = _structured(listing)
        assert set(page) == {"page", "total_count", "has_more", "videos"}
        video = next(v for v in page["videos"] if v["video_name"] == "cooking_demo")
        video_no = video["video_no"]
        assert f"{video_no} | cooking_demo | PARSE" in _text(listing)

        status = await session.call_tool("memories_video_status", {"video_no": video_no})
        assert _structured(status)["video_no"] == video_no
        assert _structured(status)["status"] == "PARSE"
        assert _text(status).startswith(f"{video_no} (cooking_demo): status PARSE. Encoded")

        # A page of whole segments that says where to read on (the shared ranges).
        cut = await session.call_tool(
            "memories_get_transcript", {"video_no": video_no, "track": "both", "max_chars": 200}
        )
        data = _structured(cut)
        nxt = data["next_start"]
        assert nxt is not None and f"call again with start={nxt:g}" in _text(cut)
        assert data["segments"] and all(s["start_time"] < nxt for s in data["segments"])
        assert all(s["track"] == s["transcript_source"] for s in data["segments"])
        rest = await session.call_tool(
            "memories_get_transcript", {"video_no": video_no, "track": "both", "start": nxt}
        )
        assert all(s["end_time"] >= nxt for s in _structured(rest)["segments"])

        summary = await session.call_tool("memories_summarize_video", {"video_no": video_no})
        facts = _structured(summary)
        assert set(facts) == {"video_no", "summary_type", "text", "chapters"}
        assert facts["chapters"] and _text(summary).startswith(f"Summary of {video_no}")

        chat = await session.call_tool(
            "memories_chat_with_videos", {"video_nos": video_no, "prompt": "What is chopped?"}
        )
        report = _structured(chat)["citations"]
        assert report["citations"] and "Timestamp check: all" in _text(chat)


async def test_write_tools_only_with_flags(emulator: EmulatorServer) -> None:
    sample = str(SAMPLES / "cooking_demo.mp4")
    with anyio.fail_after(30):
        async with stdio_session(emulator, "--allow-upload", "--allow-delete") as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == READ_TOOLS | {"memories_upload_video", "memories_delete_videos"}
            delete = tools["memories_delete_videos"].annotations
            assert delete is not None and delete.destructiveHint is True
            assert delete.readOnlyHint is False
            # No --allowed-dir: no local file may be read, only URLs uploaded.
            refused = await session.call_tool("memories_upload_video", {"file_path": sample})
            assert refused.isError and "--allowed-dir" in _text(refused)
            # Delete runs the shared operation too: its text, and what went as data.
            url = await session.call_tool(
                "memories_upload_video", {"url": "https://example.com/clip.mp4"}
            )
            assert not url.isError, _text(url)
            video_no = _structured(url)["video_no"]
            gone = await session.call_tool("memories_delete_videos", {"video_nos": video_no})
            assert not gone.isError, _text(gone)
            assert _text(gone) == f"Deleted 1 video(s): {video_no}."
            assert _structured(gone) == {"deleted": [video_no]}


async def test_upload_limited_to_allowed_dir_with_progress(
    emulator: EmulatorServer, tmp_path: Path
) -> None:
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    video = allowed / "clip.mp4"
    video.write_bytes((SAMPLES / "cooking_demo.mp4").read_bytes())
    outside = tmp_path / "outside.mp4"
    outside.write_bytes(video.read_bytes())
    (allowed / "escape.mp4").symlink_to(outside)

    flags = ("--allow-upload", "--allowed-dir", str(allowed), "--poll-interval", "0.05")
    with anyio.fail_after(45):
        async with stdio_session(emulator, *flags) as session:
            tools = {t.name: t for t in (await session.list_tools()).tools}
            upload = tools["memories_upload_video"]
            assert upload.annotations is not None and upload.annotations.readOnlyHint is False
            for path in (str(outside), str(allowed / ".." / "outside.mp4"), "escape.mp4"):
                refused = await session.call_tool("memories_upload_video", {"file_path": path})
                assert refused.isError, path
                assert "outside the directories" in _text(refused)
                assert "do not retry" in _text(refused)  # the permission hint

            seen: list[tuple[float, float | None, str | None]] = []

            async def on_progress(
                progress: float, total: float | None, message: str | None
            ) -> None:
                seen.append((progress, total, message))

            uploaded = await session.call_tool(
                "memories_upload_video",
                {"file_path": "clip.mp4", "wait": True, "max_wait_seconds": 20},
                progress_callback=on_progress,
            )
            assert not uploaded.isError, _text(uploaded)
            data = _structured(uploaded)
            assert data["status"] == "PARSE" and data["video_no"].startswith("VI")
            assert "status PARSE" in _text(uploaded)
            assert len(seen) >= 2 and seen[0][0] == 0.0
            assert all(total == 20 for _, total, _ in seen)
            assert any("PARSE" in (m or "") for _, _, m in seen[1:])


@pytest.mark.asyncio(loop_scope="module")
async def test_langchain_mcp_adapters_loads_and_calls(
    emulator: EmulatorServer, shared_stdio: ClientSession
) -> None:
    from langchain_mcp_adapters.tools import load_mcp_tools

    with anyio.fail_after(45):
        session = shared_stdio
        tools = {t.name: t for t in await load_mcp_tools(session)}
        assert set(tools) == READ_TOOLS
        listing = await tools["memories_list_videos"].ainvoke({"status": "PARSE"})
        text = listing if isinstance(listing, str) else json.dumps(listing)
        assert "cooking_demo | PARSE" in text and "videos in total" in text


@pytest.mark.parametrize("argv", [["mcp", "--allowed-dir", "/no/such/dir"]])
def test_bad_allowed_dir_is_a_usage_error(argv: list[str], emulator: EmulatorServer) -> None:
    from memories_integrations.cli import EXIT_USAGE, main

    assert main([*argv, "--api-key", "k", "--base-url", str(emulator.base_url)]) == EXIT_USAGE
