# Generated from _async/chat.py by scripts/unasync.py: edit that file, not this one.
"""Video chat and its sessions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .._api import chat as chat_api
from .._api import library as library_api
from .._streaming import ChatAggregator
from ..models import (
    ChatEvent,
    ChatResponse,
    SessionDetail,
    SessionPage,
)
from .transport import Transport


class ChatMethods(Transport):
    """Video chat and its sessions."""

    def chat_stream(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
    ) -> Iterator[ChatEvent]:
        """Stream thinking, reference and content events of a chat about ``video_nos``."""
        call = chat_api.chat(
            video_nos,
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
        )
        return self._events(call)

    def chat(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
    ) -> ChatResponse:
        """Chat about videos and return the whole answer with its references."""
        acc = ChatAggregator()
        for event in self.chat_stream(
            video_nos, prompt, session_id=session_id, unique_id=unique_id
        ):
            acc.add(event)
        return acc.result()

    def list_sessions(self, *, page: int = 1, unique_id: str | None = None) -> SessionPage:
        return self._send(library_api.list_sessions(page=page, unique_id=self._ns(unique_id)))

    def get_session_detail(
        self, session_id: str | int, *, unique_id: str | None = None
    ) -> SessionDetail:
        return self._send(
            library_api.get_session_detail(session_id, unique_id=self._ns(unique_id))
        )
