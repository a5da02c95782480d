"""The framework-neutral adapter core: client resolution per loop, argument coercion, hints,
upload fences, bounded bulk loading (no network)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from memories_integrations._tools import arguments as a
from memories_integrations._tools.bulk import LoadProgress, gather_bounded
from memories_integrations._tools.clients import ClientResolver
from memories_integrations._tools.formatting import truncate
from memories_integrations._tools.hints import error_text
from memories_integrations._tools.operations import ToolOptions, hit_record, run_tool
from memories_integrations._tools.paths import check_upload_path
from memories_integrations.models import SearchHit


def test_core_imports_no_framework() -> None:
    code = (
        "import sys, memories_integrations._tools.operations, "
        "memories_integrations._tools.bulk; "
        "print(any(m.split('.')[0] in ('langchain_core', 'llama_index') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_one_async_client_serves_every_event_loop() -> None:
    resolver = ClientResolver(api_key="sk-core", base_url="http://127.0.0.1:9")

    async def twice() -> tuple[AsyncMemoriesClient, AsyncMemoriesClient]:
        return resolver.async_(), resolver.async_()

    first, same = asyncio.run(twice())
    second, _ = asyncio.run(twice())
    # No per-loop cache to outlive its loop: the client keeps one httpx pool per running loop
    # and closes it when that loop ends (tests/reliability/test_hostile_event_loops.py).
    assert first is same is second
    # it is the sync client's twin: one quota across loops and threads
    assert first.rate_limiter is resolver.sync().rate_limiter
    assert "sk-core" not in repr(resolver)


def test_given_async_client_is_used_as_is() -> None:
    given = AsyncMemoriesClient(api_key="sk-core", base_url="http://127.0.0.1:9")
    resolver = ClientResolver(async_client=given)
    assert asyncio.run(asyncio.sleep(0, resolver.async_())) is given
    assert resolver.sync().base_url == given.base_url


def test_missing_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MEMORIES_API_KEY", raising=False)
    monkeypatch.delenv("MEMORIES_AI_API_KEY", raising=False)
    with pytest.raises(errors.MissingAPIKeyError, match="MEMORIES_API_KEY"):
        ClientResolver()


def test_agent_input_is_coerced() -> None:
    args = a.parse_args(
        a.SearchArgs, {"query": "x", "video_nos": "VI1", "k": "5", "search_type": "by_audio"}
    )
    assert (args.video_nos, args.top_k, args.search_type) == (["VI1"], 5, "BY_AUDIO")
    assert a.as_list('["VI1", "VI2"]') == ["VI1", "VI2"] == a.as_list("VI1, VI2")
    chat = a.parse_args(a.ChatArgs, {"video_nos": "VI1", "question": "why?"})
    assert (chat.video_nos, chat.prompt) == (["VI1"], "why?")
    upload = a.parse_args(a.UploadArgs, {"source": "https://x.test/v.mp4", "tags": "a"})
    assert (upload.url, upload.file_path, upload.tags) == ("https://x.test/v.mp4", None, ["a"])


def test_unknown_enum_values_list_the_allowed_ones() -> None:
    with pytest.raises(errors.InvalidInputError) as info:
        a.parse_args(a.TranscriptArgs, {"video_no": "VI1", "track": "smell"})
    assert "track must be one of audio, visual, both; got 'smell'" in str(info.value)
    assert info.value.param == "track"
    with pytest.raises(errors.InvalidInputError, match="top_k"):
        a.parse_args(a.SearchArgs, {"query": "x", "top_k": 51})


def test_every_tool_has_a_model_with_described_fields() -> None:
    for name, model in a.ARGUMENT_MODELS.items():
        schema = model.model_json_schema()
        for field, prop in schema["properties"].items():
            assert prop.get("description"), (name, field)


def test_hints_and_truncation() -> None:
    text = error_text(errors.NotFoundError("video not found", code="0001"))
    assert text.startswith("memories.ai error (code 0001): video not found.")
    assert "memories_list_videos" in text
    assert "wait a little" in error_text(errors.RateLimitError("slow down"))
    cut = truncate("x" * 500, 200)
    assert cut.startswith("x" * 200) and "[truncated: 300 more characters" in cut
    assert truncate("short", 200) == "short"


def test_upload_fence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.mp4").write_bytes(b"v")
    assert check_upload_path("ok.mp4", (".",)) == str(tmp_path / "ok.mp4")
    with pytest.raises(errors.InvalidInputError, match="allowed_dirs"):
        check_upload_path("../elsewhere.mp4", (".",))
    assert check_upload_path("/etc/hosts", None) == "/etc/hosts"  # None: any path


def test_bulk_loading_is_bounded_and_reports_failures() -> None:
    running = peak = 0
    seen: list[LoadProgress] = []

    async def load(video_no: str) -> str:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1
        if video_no == "VI3":
            raise errors.NotFoundError("video not found")
        return video_no.lower()

    ids = [f"VI{i}" for i in range(10)]
    results, failures = asyncio.run(
        gather_bounded(ids, load, concurrency=4, on_progress=seen.append)
    )
    assert peak == 4
    assert [v for v, _ in results] == [i for i in ids if i != "VI3"]  # order kept
    assert [f.video_no for f in failures] == ["VI3"]
    assert len(seen) == 10 and seen[-1].done == 10
    assert [p.failure.video_no for p in seen if p.failure] == ["VI3"]


def test_a_hit_without_words_is_described() -> None:
    # BY_VIDEO hits may carry no text: the moment still reads as something to cite.
    hit = SearchHit.model_validate(
        {"videoNo": "VI1", "videoName": "clip", "startTime": "2", "endTime": "4", "score": 0.5}
    )
    record = hit_record(hit, search_type="BY_VIDEO", namespace="default")
    assert record.text == "Moment of video 'clip' from 00:00:02 to 00:00:04."


def test_parsed_arguments_must_fit_the_tool() -> None:
    # A front end may pass arguments it parsed itself (MCP: SearchArgs for the search tool);
    # another tool's model is checked as raw input, and refused before any request.
    client = MemoriesClient(api_key="sk-test", base_url="http://127.0.0.1:9")
    chat = a.ChatArgs(video_nos=["VI1"], prompt="why?")
    with pytest.raises(errors.InvalidInputError, match="query"):
        run_tool(client, "memories_search", chat, ToolOptions())
