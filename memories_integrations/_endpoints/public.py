"""Public-library video detail and transcripts (live notebook outputs, no docs page: the shapes
are known from OpenInterX-Products/memories-ai-sdk ``python/API_public_video.ipynb`` only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, model, optional_model

if TYPE_CHECKING:
    from memories_integrations.models import PublicVideoDetail, Transcript

GET_PUBLIC_VIDEO_DETAIL = Endpoint(
    "get_public_video_detail", "GET", "/serve/api/v1/get_public_video_detail"
)
GET_PUBLIC_VIDEO_TRANSCRIPTION = Endpoint(
    "get_public_video_transcription", "GET", "/serve/api/v1/get_public_video_transcription"
)
GET_PUBLIC_AUDIO_TRANSCRIPTION = Endpoint(
    "get_public_audio_transcription", "GET", "/serve/api/v1/get_public_audio_transcription"
)


def public_video_detail(video_no: str) -> Call[PublicVideoDetail]:
    from memories_integrations.models import PublicVideoDetail

    video_no = v.text(video_no, param="video_no", endpoint=GET_PUBLIC_VIDEO_DETAIL.path)
    return Call(GET_PUBLIC_VIDEO_DETAIL, model(PublicVideoDetail), params={"video_no": video_no})


def public_transcript(endpoint: Endpoint, video_no: str) -> Call[Transcript]:
    """The notebook sends only ``video_no`` (the public library has no namespace)."""
    from memories_integrations.models import Transcript

    video_no = v.text(video_no, param="video_no", endpoint=endpoint.path)
    return Call(
        endpoint,
        optional_model(Transcript, lambda: Transcript(video_no=video_no)),
        params={"video_no": video_no},
    )
