"""Video chat and its sessions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

import httpx

from memories_integrations._client._async.resource import AsyncResource
from memories_integrations._endpoints import chat as chat_api
from memories_integrations._endpoints import library as library_api
from memories_integrations._endpoints.base import Call
from memories_integrations._transport._async.stream import AsyncStream
from memories_integrations._transport.pagination import more_pages
from memories_integrations._transport.streaming import ChatAggregator

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations.models import (
        ChatEvent,
        ChatResponse,
        Session,
        SessionDetail,
        SessionPage,
    )


class AsyncChatMethods(AsyncResource):
    """Video chat and its sessions."""

    def chat_stream(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncStream[ChatEvent]:
        """Stream thinking, reference and content events of a chat about ``video_nos``.

        ``timeout`` bounds the whole stream, ``idle_timeout`` the wait between two events
        (defaults: the client's ``stream_timeout`` / ``stream_idle_timeout``).
        """
        call = chat_api.chat(
            video_nos,
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
            stream=True,
        )
        return self._stream(call, timeout=timeout, idle_timeout=idle_timeout)

    async def chat(
        self,
        video_nos: Sequence[str],
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> ChatResponse:
        """Chat about videos and return the whole answer with its thinkings and references."""
        call = chat_api.chat(
            video_nos,
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
        )
        return await self._answer(call, timeout=timeout, idle_timeout=idle_timeout)

    def chat_personal_stream(
        self,
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncStream[ChatEvent]:
        """Stream a chat with everything in the namespace (personal media: no video_nos)."""
        call = chat_api.chat_personal(
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
            stream=True,
        )
        return self._stream(call, timeout=timeout, idle_timeout=idle_timeout)

    async def chat_personal(
        self,
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> ChatResponse:
        """Chat with everything in the namespace (personal media) and return the whole answer."""
        call = chat_api.chat_personal(
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
        )
        return await self._answer(call, timeout=timeout, idle_timeout=idle_timeout)

    def marketer_chat_stream(
        self,
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> AsyncStream[ChatEvent]:
        """Stream a Video Marketer chat over the public pool of indexed TikTok videos."""
        call = chat_api.marketer_chat(
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
            stream=True,
        )
        return self._stream(call, timeout=timeout, idle_timeout=idle_timeout)

    async def marketer_chat(
        self,
        prompt: str,
        *,
        session_id: str | int | None = None,
        unique_id: str | None = None,
        timeout: float | None = None,
        idle_timeout: float | None = None,
    ) -> ChatResponse:
        """A Video Marketer chat (public TikTok pool), returned whole."""
        call = chat_api.marketer_chat(
            prompt,
            session_id=session_id,
            unique_id=self._ns(unique_id),
            english_only=self.english_only,
        )
        return await self._answer(call, timeout=timeout, idle_timeout=idle_timeout)

    async def _answer(
        self, call: Call[None], *, timeout: float | None, idle_timeout: float | None
    ) -> ChatResponse:
        # A JSON answer comes back as events too, so one fold serves both answer forms.
        acc = ChatAggregator()
        async for event in self._events(call, timeout=timeout, idle_timeout=idle_timeout):
            acc.add(event)
        return acc.result()

    async def list_sessions(
        self,
        *,
        page: int = 1,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> SessionPage:
        call = library_api.list_sessions(page=page, unique_id=self._ns(unique_id))
        return await self._send(call, timeout=timeout)

    async def get_session_detail(
        self,
        session_id: str | int,
        *,
        unique_id: str | None = None,
        timeout: float | httpx.Timeout | None = None,
    ) -> SessionDetail:
        call = library_api.get_session_detail(session_id, unique_id=self._ns(unique_id))
        return await self._send(call, timeout=timeout)

    # -- auto-pagination (issue 10)
    def iter_sessions(self, *, unique_id: str | None = None) -> AsyncIterator[Session]:
        """Every chat session of the namespace, page by page (``list_sessions`` pages)."""
        first = library_api.list_sessions(page=1, unique_id=self._ns(unique_id))  # validates now
        return self._session_pages(first, unique_id)

    async def _session_pages(
        self, call: Call[SessionPage], unique_id: str | None
    ) -> AsyncIterator[Session]:
        page, seen = 1, 0
        while True:
            result = await self._send(call)
            seen += len(result.sessions)
            for session in result.sessions:
                yield session
            if not more_pages(
                page=page,
                got=len(result.sessions),
                seen=seen,
                page_size=result.page_size,
                total_count=result.total_count,
                total_pages=result.total_pages,
            ):
                return
            page += 1
            call = library_api.list_sessions(page=page, unique_id=self._ns(unique_id))
