"""``verify_citations``: every notation, correct / shifted / invented times, and a real chat
answer of the emulator (through the client, ``ChatResponse.verify_citations`` and the tools)."""

from __future__ import annotations

import asyncio

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from memories_integrations._tools.operations import ToolOptions, arun_tool, run_tool
from memories_integrations.citations import (
    CitationReport,
    Reference,
    annotate_unsupported,
    verify_citations,
)
from memories_integrations.models import ChatResponse
from memories_integrations.testing import EmulatorServer

from .helpers import SAMPLES, live_emulator

__all__ = ["live_emulator"]

# VI1001 has a moment at 70-85 s (01:10-01:25), VI2002 one at 190-200 s (03:10-03:20).
REFS = [
    {"video_no": "VI1001", "start_time": 70.0, "end_time": 85.0},
    {"video_no": "VI2002", "start_time": 190.0, "end_time": 200.0},
]

#: (notation, cited inside VI1001's moment, shifted 5 s past it (> tolerance), invented)
NOTATIONS = [
    ("MM:SS", "01:12", "01:30", "07:45"),
    ("HH:MM:SS", "00:01:12", "00:01:30", "00:07:45"),
    ("H:MM:SS", "0:01:12", "0:01:30", "1:07:45"),
    ("range MM:SS-MM:SS", "01:10-01:25", "01:20-01:31", "06:00-06:10"),
    ("range en dash", "01:10\u201301:25", "01:05\u201301:20", "06:00\u201306:10"),
    ("range 'to'", "1:10 to 1:25", "1:12 to 1:33", "6:00 to 6:10"),
    ("at N s", "at 72 s", "at 91 s", "at 465 s"),
    ("N seconds", "72 seconds", "91 seconds", "465 seconds"),
    ("NmNs", "1m12s", "1m31s", "7m45s"),
    ("N min N s", "1 min 12 s", "1 min 31 s", "7 min 45 s"),
]


@pytest.mark.parametrize(("notation", "good", "shifted", "invented"), NOTATIONS)
def test_each_notation_correct_shifted_invented(
    notation: str, good: str, shifted: str, invented: str
) -> None:
    answer = f"In VI1001 the onions go in {good}. VI1001 {shifted}. VI1001 again {invented}."
    report = verify_citations(answer, REFS)
    # "at" is context, not part of the time.
    expected = [t.removeprefix("at ") for t in (good, shifted, invented)]
    assert [c.text for c in report.citations] == expected, notation
    ok, moved, made_up = report.citations
    assert ok.supported and ok.video_no == "VI1001" and ok.distance == 0.0
    assert ok.nearest == Reference(video_no="VI1001", start=70.0, end=85.0)
    assert answer[ok.span[0] : ok.span[1]] == expected[0]
    assert not moved.supported and moved.distance is not None and moved.distance > 2.0
    assert not made_up.supported and made_up.distance is not None and made_up.distance > 60


def test_seconds_and_ranges_are_parsed() -> None:
    report = verify_citations("1:01:12, 01:10-01:25, 72 seconds, 1m12s, 2h1m5s", [])
    assert [(c.start, c.end) for c in report.citations] == [
        (3672.0, 3672.0),
        (70.0, 85.0),
        (72.0, 72.0),
        (72.0, 72.0),
        (7265.0, 7265.0),
    ]
    assert not any(c.supported for c in report.citations)  # nothing to back them


def test_decades_are_not_seconds() -> None:
    report = verify_citations("Styled like the 1990s and 2000s; the goal is at 72 s, then 30s.", [])
    assert [c.text for c in report.citations] == ["72 s", "30s"]


def test_tolerance_and_video_attribution() -> None:
    # 01:26 is 1 s past VI1001's moment: inside the default tolerance, not inside 0.5 s.
    assert verify_citations("VI1001 at 01:26", REFS).all_supported
    assert not verify_citations("VI1001 at 01:26", REFS, tolerance=0.5).all_supported
    # Inside VI2002's moment but said of VI1001: unsupported; of no video: any reference.
    wrong = verify_citations("VI1001 shows it at 03:15", REFS).citations[0]
    assert not wrong.supported and wrong.video_no == "VI1001"
    assert wrong.nearest is not None and wrong.nearest.video_no == "VI1001"
    assert verify_citations("It happens at 03:15", REFS).citations[0].supported
    # A video the references do not hold: unsupported, no nearest.
    alien = verify_citations("VI9999 at 01:12", REFS).citations[0]
    assert not alien.supported and alien.nearest is None
    # A range across two adjacent moments is backed; one across a gap is not.
    adjacent = [*REFS, {"video_no": "VI1001", "start_time": 85.0, "end_time": 95.0}]
    assert verify_citations("VI1001 01:10-01:35", adjacent).all_supported
    assert not verify_citations("VI1001 01:10-01:35", REFS).all_supported


def test_annotate_flags_only_unsupported() -> None:
    answer = "VI1001 at 01:12 and 1:10 to 1:25; VI2002 at 03:15 but also at 09:10."
    report = verify_citations(answer, REFS)
    assert [c.supported for c in report.citations] == [True, True, True, False]
    flagged = annotate_unsupported(answer, report)
    assert flagged == (
        "VI1001 at 01:12 and 1:10 to 1:25; VI2002 at 03:15 but also at [unverified: 09:10]."
    )
    assert "1 of 4 cited times match no returned moment (09:10)" in report.summary()
    with pytest.raises(errors.InvalidInputError):
        annotate_unsupported("some other text entirely.", report)


def test_bad_input_is_refused() -> None:
    with pytest.raises(errors.InvalidInputError, match="tolerance"):
        verify_citations("01:12", REFS, tolerance=-1)
    with pytest.raises(errors.InvalidInputError, match="reference"):
        verify_citations("01:12", [object()])


def test_chat_response_references_and_names() -> None:
    response = ChatResponse.model_validate(
        {
            "content": 'In "demo" at 00:06-00:08 the water boils; at 00:40 it is served.',
            "refs": [
                {
                    "video": {"video_no": "VI1", "video_name": "demo"},
                    "refItems": [
                        {"startTime": 6, "type": "keyframe"},
                        {"startTime": 6, "endTime": 8, "type": "visual_ts", "text": "boils"},
                    ],
                }
            ],
        }
    )
    report = response.verify_citations()
    assert isinstance(report, CitationReport)
    first, second = report.citations
    assert first.supported and first.video_no == "VI1"  # named by the video's name
    assert not second.supported and second.video_no == "VI1"


# ------------------------------------------------------------------ the emulator's answers
def test_emulator_chat_answer_is_verified(live_emulator: EmulatorServer) -> None:
    with MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url) as c:
        answer = c.chat([SAMPLES[0]], "What is chopped, and when does the water boil?")
    report = answer.verify_citations()
    cited = [m for m in answer.moments if m.type != "keyframe"]
    # The emulator cites each moment it returns as '"name" at MM:SS-MM:SS': all backed.
    assert len(report.citations) == len(cited) >= 1
    assert all(c.supported and c.video_no == SAMPLES[0] for c in report.citations)
    moment = cited[0]
    shifted = answer.model_copy(
        update={"content": answer.content + f"\nAlso at 00:{int(moment.end_time or 0) + 5:02d}."}
    )
    extra = shifted.verify_citations().citations[-1]
    assert not extra.supported and extra.distance == 5.0


def test_chat_tools_flag_unsupported_times(live_emulator: EmulatorServer) -> None:
    sync = MemoriesClient(api_key=live_emulator.api_key, base_url=live_emulator.base_url)
    args = {"video_nos": [SAMPLES[0]], "prompt": "What is chopped?"}
    with sync:
        outcome = run_tool(sync, "memories_chat_with_videos", args, ToolOptions())
    report = outcome.extra["citations"]
    assert isinstance(report, CitationReport) and report.citations and report.all_supported
    assert "Timestamp check: all" in outcome.text and "[unverified" not in outcome.text
    assert outcome.records_key == "references"

    async def run() -> None:
        async with AsyncMemoriesClient(
            api_key=live_emulator.api_key, base_url=live_emulator.base_url
        ) as client:
            got = await arun_tool(client, "memories_chat_with_videos", args, ToolOptions())
            assert got.extra["citations"].all_supported

    asyncio.run(run())
