"""Typed models of every response ``data`` shape."""

from ._base import VideoStatus, hhmmss
from .auth import AccessToken
from .chat import (
    ChatEvent,
    ChatReference,
    ChatResponse,
    ContentEvent,
    RefEvent,
    RefItem,
    RefVideo,
    Thinking,
    ThinkingEvent,
)
from .search import ClipMatch, SearchHit, TranscriptSearchHit, TranscriptSearchPage
from .sessions import Session, SessionDetail, SessionMessage, SessionPage
from .tasks import TaskCreated, TaskStatus, TaskVideo
from .transcripts import Summary, SummaryItem, Transcript, TranscriptSegment
from .videos import ImageUploadResult, UploadResult, Video, VideoMetadata, VideoPage

__all__ = [
    "AccessToken",
    "ChatEvent",
    "ChatReference",
    "ChatResponse",
    "ClipMatch",
    "ContentEvent",
    "ImageUploadResult",
    "RefEvent",
    "RefItem",
    "RefVideo",
    "SearchHit",
    "Session",
    "SessionDetail",
    "SessionMessage",
    "SessionPage",
    "Summary",
    "SummaryItem",
    "TaskCreated",
    "TaskStatus",
    "TaskVideo",
    "Thinking",
    "ThinkingEvent",
    "Transcript",
    "TranscriptSearchHit",
    "TranscriptSearchPage",
    "TranscriptSegment",
    "UploadResult",
    "Video",
    "VideoMetadata",
    "VideoPage",
    "VideoStatus",
    "hhmmss",
]
