"""Transcripts, captions, summaries and chat sessions of indexed videos."""

from __future__ import annotations

from typing import TYPE_CHECKING

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, model, optional_model, page_model

if TYPE_CHECKING:  # models load on first use, not with the client (issue 10)
    from memories_integrations.models import SessionDetail, SessionPage, Summary, Transcript

GET_VIDEO_TRANSCRIPTION = Endpoint(
    "get_video_transcription", "GET", "/serve/api/v1/get_video_transcription", "video_transcription"
)
GET_VIDEO_CAPTION = Endpoint(
    "get_video_caption", "GET", "/serve/api/v1/get_video_caption", "video_transcription"
)
GET_AUDIO_TRANSCRIPTION = Endpoint(
    "get_audio_transcription", "GET", "/serve/api/v1/get_audio_transcription", "audio_transcription"
)
GENERATE_SUMMARY = Endpoint("generate_summary", "GET", "/serve/api/v1/generate_summary", "summary")
LIST_SESSIONS = Endpoint("list_sessions", "GET", "/serve/api/v1/list_sessions", "list_sessions")
GET_SESSION_DETAIL = Endpoint(
    "get_session_detail", "GET", "/serve/api/v1/get_session_detail", "list_sessions"
)


def transcript(endpoint: Endpoint, video_no: str, *, unique_id: str) -> Call[Transcript]:
    from memories_integrations.models import Transcript

    video_no = v.text(video_no, param="video_no", endpoint=endpoint.path)
    return Call(
        endpoint,
        optional_model(Transcript, lambda: Transcript(video_no=video_no)),
        params={"video_no": video_no, "unique_id": unique_id},
    )


def generate_summary(video_no: str, *, summary_type: str, unique_id: str) -> Call[Summary]:
    from memories_integrations.models import Summary

    ep = GENERATE_SUMMARY.path
    params = {
        "video_no": v.text(video_no, param="video_no", endpoint=ep),
        "type": v.choice(summary_type, v.SUMMARY_TYPES, param="type", endpoint=ep),
        "unique_id": unique_id,
    }
    return Call(GENERATE_SUMMARY, model(Summary), params=params)


def list_sessions(*, page: int, unique_id: str) -> Call[SessionPage]:
    from memories_integrations.models import SessionPage

    v.int_range(page, 1, 1_000_000, param="page", endpoint=LIST_SESSIONS.path)
    return Call(
        LIST_SESSIONS,
        page_model(SessionPage, "sessions"),
        params={"page": page, "unique_id": unique_id},
    )


def get_session_detail(session_id: str | int, *, unique_id: str) -> Call[SessionDetail]:
    from memories_integrations.models import SessionDetail

    sid = v.text(str(session_id), param="session_id", endpoint=GET_SESSION_DETAIL.path)
    # Get-session-detail page: the query parameter is spelled sessionId.
    return Call(
        GET_SESSION_DETAIL, model(SessionDetail), params={"sessionId": sid, "unique_id": unique_id}
    )
