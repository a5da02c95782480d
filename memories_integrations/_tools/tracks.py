"""Fetching the text tracks of one video (speech, captions, summary): one place for every
loader and tool, sync and async.

``paced=True`` is for bulk loads: each request first books a slot of its endpoint group's
documented rate (``RateLimiter.reserve_fanout``), so many videos loaded at once queue at the
API's limit instead of bursting into 0429s, even when the client leaves that group unlimited
by default; when the client does limit the group its own send waits and this adds nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.models import Summary, Transcript

__all__ = ["TRACK_GROUPS", "Tracks", "afetch_tracks", "fetch_tracks", "pace"]

T = TypeVar("T")

#: The rate-limit group of each track's endpoint (``_retry.CURRENT_RATE_LIMITS``).
TRACK_GROUPS = {
    "audio": "audio_transcription",
    "visual": "video_transcription",
    "summary": "summary",
}


async def pace(client: AsyncMemoriesClient, group: str) -> None:
    """Wait for a slot of ``group``'s documented rate before a request of a bulk load (no
    wait when the client has no limiter, or limits ``group`` itself)."""
    limiter = client.rate_limiter
    if limiter is not None:
        await asyncio.sleep(await limiter.areserve_fanout(group))


@dataclass(frozen=True)
class Tracks:
    audio: Transcript | None = None
    visual: Transcript | None = None
    summary: Summary | None = None


def fetch_tracks(
    client: MemoriesClient,
    video_no: str,
    *,
    audio: bool,
    visual: bool,
    summary_type: Literal["CHAPTER", "TOPIC"] | None = None,
    unique_id: str | None = None,
) -> Tracks:
    """The requested tracks of ``video_no``, one request after another."""
    return Tracks(
        audio=client.get_audio_transcription(video_no, unique_id=unique_id) if audio else None,
        visual=client.get_video_caption(video_no, unique_id=unique_id) if visual else None,
        summary=client.generate_summary(video_no, summary_type=summary_type, unique_id=unique_id)
        if summary_type
        else None,
    )


async def afetch_tracks(
    client: AsyncMemoriesClient,
    video_no: str,
    *,
    audio: bool,
    visual: bool,
    summary_type: Literal["CHAPTER", "TOPIC"] | None = None,
    unique_id: str | None = None,
    paced: bool = False,
) -> Tracks:
    """The requested tracks of ``video_no``, fetched concurrently (they are independent)."""

    # Factories, not coroutines: a request is only created once its slot has come.
    async def call(track: str, wanted: object, make: Callable[[], Awaitable[T]]) -> T | None:
        if not wanted:
            return None
        if paced:
            await pace(client, TRACK_GROUPS[track])
        return await make()

    ns = unique_id
    got_audio, got_visual, got_summary = await asyncio.gather(
        call("audio", audio, lambda: client.get_audio_transcription(video_no, unique_id=ns)),
        call("visual", visual, lambda: client.get_video_caption(video_no, unique_id=ns)),
        call(
            "summary",
            summary_type,
            lambda: client.generate_summary(
                video_no, summary_type=summary_type or "CHAPTER", unique_id=ns
            ),
        ),
    )
    return Tracks(got_audio, got_visual, got_summary)
