"""The memories.ai client class (Asynchronous)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from memories_integrations._client._async.chat import AsyncChatMethods
from memories_integrations._client._async.library import AsyncLibraryMethods
from memories_integrations._client._async.raw import AsyncRawResponses
from memories_integrations._client._async.resource import AsyncResource
from memories_integrations._client._async.search import AsyncSearchMethods
from memories_integrations._client._async.uploads import AsyncUploadMethods
from memories_integrations._client._async.waiting import AsyncWaitMethods
from memories_integrations._client.cache import ResponseCache
from memories_integrations._client.compose import ClientSettings, copy_with, forward, typed_as
from memories_integrations._client.conversions import AsyncConversions
from memories_integrations._transport._async.transport import AsyncTransport
from memories_integrations._transport.base import BaseClient

AREAS: tuple[type[AsyncResource], ...] = (
    AsyncChatMethods,
    AsyncSearchMethods,
    AsyncLibraryMethods,
    AsyncWaitMethods,
    AsyncUploadMethods,
)


class AsyncMemoriesClient(ClientSettings, AsyncConversions):
    """Asynchronous memories.ai client: every API method, awaited.

    It holds one transport (sending, retries, limits, deadlines) and one resource per API area;
    each method below is that area's method.

    >>> async with AsyncMemoriesClient() as client:
    ...     hits = await client.search("a goal is scored", top_k=5)
    """

    _transport: AsyncTransport

    def __init__(self, *, cache: ResponseCache | None = None, **settings: Any) -> None:
        """``http_client=`` (an ``httpx.AsyncClient`` to send with), ``cache=`` (a
        ``ResponseCache`` to read through) and the settings of ``BaseClient``: ``api_key``,
        ``base_url``, ``unique_id``, ``timeout``, ``max_retries``..."""
        self._cache = cache
        self._bind(AsyncTransport(**settings))

    def _bind(self, transport: AsyncTransport) -> None:
        """Send through ``transport``: one resource per API area around it."""
        self._transport = transport
        self._resources = {area: area(transport) for area in AREAS}
        self.cache = self._cache  # a copy's new resources read through the same cache

    @property
    def cache(self) -> ResponseCache | None:
        """The ``ResponseCache`` every API area reads through (None: no cache, the default)."""
        return self._cache

    @cache.setter
    def cache(self, cache: ResponseCache | None) -> None:
        self._cache = cache
        for resource in self._resources.values():
            resource.cache = cache

    def _copy_around(self, copy_transport: Callable[[AsyncTransport], AsyncTransport]) -> Self:
        """A copy of this client whose resources send through ``copy_transport``'s copy."""
        clone = copy.copy(self)
        clone._bind(copy_transport(self._transport))
        return clone

    with_options = copy_with(BaseClient.with_options)

    @property
    def with_raw_response(self) -> AsyncRawResponses:
        """The same methods, each returning the HTTP answer (``RawResponse``, ``.parse()``)."""
        return AsyncRawResponses(self._resources)

    # -- chat and sessions
    chat = forward(AsyncChatMethods.chat)
    chat_stream = forward(AsyncChatMethods.chat_stream)
    chat_personal = forward(AsyncChatMethods.chat_personal)
    chat_personal_stream = forward(AsyncChatMethods.chat_personal_stream)
    marketer_chat = forward(AsyncChatMethods.marketer_chat)
    marketer_chat_stream = forward(AsyncChatMethods.marketer_chat_stream)
    list_sessions = forward(AsyncChatMethods.list_sessions)
    get_session_detail = forward(AsyncChatMethods.get_session_detail)
    iter_sessions = forward(AsyncChatMethods.iter_sessions)
    # -- search
    search = forward(AsyncSearchMethods.search)
    search_public = forward(AsyncSearchMethods.search_public)
    search_transcripts = forward(AsyncSearchMethods.search_transcripts)
    search_by_image = forward(AsyncSearchMethods.search_by_image)
    search_video_by_image = forward(AsyncSearchMethods.search_video_by_image)
    iter_transcript_search = forward(AsyncSearchMethods.iter_transcript_search)
    # -- library
    list_videos = forward(AsyncLibraryMethods.list_videos)
    iter_videos = forward(AsyncLibraryMethods.iter_videos)
    get_metadata = forward(AsyncLibraryMethods.get_metadata)
    get_video_transcription = forward(AsyncLibraryMethods.get_video_transcription)
    get_video_caption = forward(AsyncLibraryMethods.get_video_caption)
    get_audio_transcription = forward(AsyncLibraryMethods.get_audio_transcription)
    generate_summary = forward(AsyncLibraryMethods.generate_summary)
    delete_videos = forward(AsyncLibraryMethods.delete_videos)
    download = forward(AsyncLibraryMethods.download)
    download_video = forward(AsyncLibraryMethods.download_video)
    list_unique_ids = forward(AsyncLibraryMethods.list_unique_ids)
    get_public_video_detail = forward(AsyncLibraryMethods.get_public_video_detail)
    get_public_video_transcription = forward(AsyncLibraryMethods.get_public_video_transcription)
    get_public_audio_transcription = forward(AsyncLibraryMethods.get_public_audio_transcription)
    add_memory = forward(AsyncLibraryMethods.add_memory)
    list_memories = forward(AsyncLibraryMethods.list_memories)
    search_memories = forward(AsyncLibraryMethods.search_memories)
    get_access_token = forward(AsyncLibraryMethods.get_access_token)
    refresh_access_token = forward(AsyncLibraryMethods.refresh_access_token)
    # -- waiting, uploads and imports
    if TYPE_CHECKING:  # a ParamSpec cannot carry overloads: the bound method's own type
        wait_for_ready = typed_as(AsyncWaitMethods).wait_for_ready
    else:
        wait_for_ready = forward(AsyncWaitMethods.wait_for_ready)
    upload = forward(AsyncUploadMethods.upload)
    upload_url = forward(AsyncUploadMethods.upload_url)
    upload_images = forward(AsyncUploadMethods.upload_images)
    import_from_urls = forward(AsyncUploadMethods.import_from_urls)
    import_from_creator = forward(AsyncUploadMethods.import_from_creator)
    import_from_hashtags = forward(AsyncUploadMethods.import_from_hashtags)
    get_task_status = forward(AsyncUploadMethods.get_task_status)

    async def aclose(self) -> None:
        """Close the connection pool (not a caller's ``http_client``, nor a copy's)."""
        await self._transport.aclose()

    async def __aenter__(self) -> AsyncMemoriesClient:
        return self

    async def __aexit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
