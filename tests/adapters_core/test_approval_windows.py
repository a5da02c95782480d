"""The core's approval gate and clipped windows (no network)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from memories_integrations import errors
from memories_integrations._tools.approval import aapprove, approve
from memories_integrations._tools.documents import TimedText, window_segments
from memories_integrations._tools.hints import error_text


def test_gated_tools_need_a_yes() -> None:
    asked: list[str] = []

    def person(name: str, args: Mapping[str, Any]) -> bool:
        asked.append(name)
        return name == "memories_upload_video"

    approve(person, "memories_search", {})  # not gated: not asked
    approve(None, "memories_delete_videos", {})  # no approver: the preset is off
    approve(person, "memories_upload_video", {"url": "https://x"})
    with pytest.raises(errors.PermissionDeniedError) as refused:
        approve(person, "memories_delete_videos", {"video_nos": ["VI1"]})
    assert asked == ["memories_upload_video", "memories_delete_videos"]
    assert "do not retry" in error_text(refused.value)
    # Only a real True approves: a truthy string from a sloppy UI does not.
    with pytest.raises(errors.PermissionDeniedError):
        approve(lambda n, a: "no", "memories_chat_with_videos", {})  # type: ignore[arg-type,return-value]


async def test_async_approver() -> None:
    async def person(name: str, args: Mapping[str, Any]) -> bool:
        return bool(args.get("ok"))

    await aapprove(person, "memories_delete_videos", {"ok": True})
    with pytest.raises(errors.PermissionDeniedError):
        await aapprove(person, "memories_delete_videos", {"ok": False})
    with pytest.raises(errors.InvalidInputError, match="async approver"):
        approve(person, "memories_delete_videos", {"ok": True})
    # A custom gate list: only what it names is asked.
    await aapprove(person, "memories_delete_videos", {}, gated=("memories_upload_video",))


def test_clipped_windows_never_pass_their_bound() -> None:
    segs = [
        TimedText(0.0, 70.0, "long", "audio"),
        TimedText(65.0, 66.0, "b", "audio"),
        TimedText(130.0, 131.0, "c", "visual"),
    ]
    assert [(w.start, w.end) for w in window_segments(segs, 60)] == [
        (0.0, 70.0),
        (60.0, 66.0),
        (120.0, 131.0),
    ]
    assert [(w.start, w.end) for w in window_segments(segs, 60, clip=True)] == [
        (0.0, 60.0),
        (60.0, 66.0),
        (120.0, 131.0),
    ]
