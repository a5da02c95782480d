"""``memories://<unique_id>/<video_no>[?t=start-end]`` resources: a video's metadata and
transcript.

These are the links every citation carries (``_documents.source_link``), so a client can open
any moment an answer cites. ``?t=`` narrows the transcript to the lines overlapping that span.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from mcp import types
from mcp.server.lowlevel.helper_types import ReadResourceContents

from memories_integrations import errors as e
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._tools import formatting as fmt
from memories_integrations._tools._async.operations import known_metadata
from memories_integrations._tools.arguments import TranscriptTrack
from memories_integrations._tools.documents import TimedText, merge_tracks, transcript_segments
from memories_integrations._tools.operations import metadata_dict
from memories_integrations.models import hhmmss

__all__ = [
    "TEMPLATE",
    "VideoLink",
    "fetch_transcript",
    "list_video_resources",
    "metadata_dict",
    "parse_link",
    "read_video",
]

SCHEME = "memories"
TEMPLATE = types.ResourceTemplate(
    uriTemplate="memories://{unique_id}/{video_no}",
    name="memories_video",
    title="memories.ai video",
    description="A video's metadata (JSON) and its timestamped transcript, speech and scenes "
    "merged (text). Citations link here; add ?t=START-END (seconds) for one span.",
)


@dataclass(frozen=True)
class VideoLink:
    unique_id: str
    video_no: str
    start: float | None = None
    end: float | None = None


def parse_link(uri: str) -> VideoLink:
    """Split a ``memories://`` link; anything else is bad input."""
    parts = urlsplit(uri)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if parts.scheme != SCHEME or not parts.netloc or len(segments) != 1:
        raise e.InvalidInputError(
            f"not a memories.ai video link: {uri!r} (expected memories://<unique_id>/<video_no>)",
            param="uri",
        )
    start = end = None
    span = parse_qs(parts.query).get("t")
    if span:
        try:
            first, _, last = span[0].partition("-")
            start = float(first)
            end = float(last) if last else start
        except ValueError:
            raise e.InvalidInputError(
                f"bad time span t={span[0]!r} in {uri!r} (expected seconds START-END)", param="uri"
            ) from None
    return VideoLink(unquote(parts.netloc), segments[0], start, end)


async def fetch_transcript(
    client: AsyncMemoriesClient,
    video_no: str,
    track: TranscriptTrack,
    *,
    unique_id: str | None = None,
) -> list[TimedText]:
    """Speech (audio), scene descriptions (visual) or both merged by time."""
    audio: list[TimedText] = []
    visual: list[TimedText] = []
    if track != "visual":
        got = await client.get_audio_transcription(video_no, unique_id=unique_id)
        audio = transcript_segments(got, "audio")
    if track != "audio":
        got = await client.get_video_caption(video_no, unique_id=unique_id)
        visual = transcript_segments(got, "visual")
    return merge_tracks(visual, audio)


async def read_video(client: AsyncMemoriesClient, uri: str) -> list[ReadResourceContents]:
    """The JSON metadata and the transcript text behind a ``memories://`` link."""
    link = parse_link(uri)
    # An unknown number is NotFoundError (get_metadata alone answers it like one not parsed).
    meta = await known_metadata(client, link.video_no, link.unique_id)
    data = {"unique_id": link.unique_id, **metadata_dict(meta)}
    contents = [ReadResourceContents(json.dumps(data, ensure_ascii=False), "application/json")]
    if meta.status.is_ready:  # an unencoded video has no transcript yet
        segments = await fetch_transcript(client, link.video_no, "both", unique_id=link.unique_id)
        if link.start is not None and link.end is not None:
            lo, hi = link.start, link.end
            segments = [s for s in segments if s.start <= hi and s.end >= lo]
        contents.append(
            ReadResourceContents(fmt.transcript_text(link.video_no, "both", segments), "text/plain")
        )
    return contents


async def list_video_resources(
    client: AsyncMemoriesClient, limit: int = 100
) -> list[types.Resource]:
    """The encoded videos of the server's namespace (first ``limit``), as resources."""
    page = await client.list_videos(size=limit, status="PARSE")
    return [
        types.Resource(
            uri=f"{SCHEME}://{client.unique_id}/{v.video_no}",
            name=v.video_no,
            title=v.video_name or v.video_no,
            description=f"{v.video_name or v.video_no}, {hhmmss(v.duration)}"
            if v.duration is not None
            else v.video_name,
            mimeType="application/json",
        )
        for v in page.videos
    ]
