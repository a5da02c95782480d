"""Time-ranged transcript reads (sync and async), paging by max_chars with next_start, bad
ranges refused before any request, chapters of loaded transcripts, and namespace listing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from memories_integrations._tools.documents import TimedText
from memories_integrations._tools.operations import Outcome, ToolOptions, arun_tool, run_tool
from memories_integrations._tools.ranges import overlapping, page, parse_time
from memories_integrations.testing import EmulatorServer

from .helpers import SAMPLES, live_emulator

__all__ = ["live_emulator"]

TOOL = "memories_get_transcript"
# The samples' audio: five 2 s segments, 0-2, 2-4, ..., 8-10.


def _sync(emu: EmulatorServer, args: dict[str, Any], **opts: Any) -> Outcome:
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as c:
        return run_tool(c, TOOL, args, ToolOptions(**opts))


def _async(emu: EmulatorServer, args: dict[str, Any], **opts: Any) -> Outcome:
    async def run() -> Outcome:
        async with AsyncMemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as c:
            return await arun_tool(c, TOOL, args, ToolOptions(**opts))

    return asyncio.run(run())


@pytest.mark.parametrize("call", [_sync, _async], ids=["sync", "async"])
def test_range_read_returns_only_overlapping_segments(
    live_emulator: EmulatorServer, call: Any
) -> None:
    out = call(live_emulator, {"video_no": SAMPLES[0], "start": "00:03", "end": 6})
    spans = [(r.metadata["start_time"], r.metadata["end_time"]) for r in out.records]
    assert spans == [(2.0, 4.0), (4.0, 6.0)]  # 6-8 starts at the (exclusive) end
    assert out.text.startswith(f"Transcript of {SAMPLES[0]} (audio, 00:00:03-00:00:06):")
    assert out.text.count("\n[00:00:0") == 2 and "[more:" not in out.text
    assert out.extra == {
        "video_no": SAMPLES[0],
        "track": "audio",
        "start": 3.0,
        "end": 6.0,
        "next_start": None,
    }
    both = call(live_emulator, {"video_no": SAMPLES[0], "track": "both", "start": "0:00:08"})
    assert {r.metadata["start_time"] for r in both.records} == {8.0}
    assert {r.metadata["transcript_source"] for r in both.records} == {"audio", "visual"}
    empty = call(live_emulator, {"video_no": SAMPLES[0], "start": 600})
    assert not empty.records and "overlaps 00:10:00-end" in empty.text


@pytest.mark.parametrize("call", [_sync, _async], ids=["sync", "async"])
def test_max_chars_cuts_at_a_segment_and_says_where_to_continue(
    live_emulator: EmulatorServer, call: Any
) -> None:
    args = {"video_no": SAMPLES[0], "track": "both", "max_chars": 450}
    first = call(live_emulator, args)
    next_start = first.extra["next_start"]
    assert first.records and next_start is not None and len(first.text) <= 450
    assert f"call again with start={next_start:g}" in first.text
    # Whole segments only, and both tracks of one instant stay on the same page.
    assert all(r.metadata["start_time"] < next_start for r in first.records)
    seen = [(r.metadata["start_time"], r.metadata["transcript_source"]) for r in first.records]
    rest: list[tuple[float, str]] = []
    start = next_start
    while start is not None:
        more = call(live_emulator, {**args, "start": start})
        rest += [(r.metadata["start_time"], r.metadata["transcript_source"]) for r in more.records]
        start = more.extra["next_start"]
    whole = call(live_emulator, {"video_no": SAMPLES[0], "track": "both"})
    everything = [
        (r.metadata["start_time"], r.metadata["transcript_source"]) for r in whole.records
    ]
    assert seen + rest == everything and len(everything) == 10  # nothing repeated or skipped
    # The tool's own limit caps what the model asks for.
    capped = call(live_emulator, {**args, "max_chars": 5000}, max_chars=450)
    assert capped.extra["next_start"] == next_start


@pytest.mark.parametrize(
    ("bad", "param"),
    [
        ({"start": "soon"}, "start"),
        ({"end": "1:2:3:4"}, "end"),
        ({"start": -5}, "start"),
        ({"start": "00:08", "end": "00:03"}, None),
        ({"max_chars": 10}, "max_chars"),
    ],
)
def test_bad_ranges_fail_before_any_request(bad: dict[str, Any], param: str | None) -> None:
    # No server: an attempted request would fail with a connection error, not this one.
    client = MemoriesClient(api_key="k", base_url="http://127.0.0.1:9")
    with pytest.raises(errors.InvalidInputError) as info:
        run_tool(client, TOOL, {"video_no": SAMPLES[0], **bad}, ToolOptions())
    assert info.value.param == param


def test_range_helpers() -> None:
    assert [parse_time(v) for v in (72, "72", "72s", "01:12", "0:01:12", "1:00:00", None)] == [
        72.0,
        72.0,
        72.0,
        72.0,
        72.0,
        3600.0,
        None,
    ]
    segs = [TimedText(float(s), float(s + 2), "x" * 50, "audio") for s in range(0, 10, 2)]
    instant = TimedText(5.0, 5.0, "instant", "visual")
    assert overlapping([*segs, instant], 4.5, 5.5) == [segs[2], instant]
    cut = page(segs, 200 + 110, lambda s: s.text)  # two 51-char lines fit after the reserve
    assert cut.segments == segs[:2] and cut.next_start == 4.0


def test_list_namespaces_operation(live_emulator: EmulatorServer) -> None:
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as c:
        out = run_tool(c, "memories_list_namespaces", {}, ToolOptions())
    assert out.extra == {"unique_ids": ["default"], "current": "default"}
    assert out.text == "Namespaces (unique_id values) with videos:\ndefault (used by these tools)"
