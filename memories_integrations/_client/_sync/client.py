# Generated from _client/_async/client.py by scripts/unasync.py: edit that file, not this one.
"""The memories.ai client class (Synchronous)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from memories_integrations._client._sync.chat import ChatMethods
from memories_integrations._client._sync.library import LibraryMethods
from memories_integrations._client._sync.raw import RawResponses
from memories_integrations._client._sync.resource import Resource
from memories_integrations._client._sync.search import SearchMethods
from memories_integrations._client._sync.uploads import UploadMethods
from memories_integrations._client._sync.waiting import WaitMethods
from memories_integrations._client.cache import ResponseCache
from memories_integrations._client.compose import ClientSettings, copy_with, forward, typed_as
from memories_integrations._client.conversions import Conversions
from memories_integrations._transport._sync.transport import Transport
from memories_integrations._transport.base import BaseClient

AREAS: tuple[type[Resource], ...] = (
    ChatMethods,
    SearchMethods,
    LibraryMethods,
    WaitMethods,
    UploadMethods,
)


class MemoriesClient(ClientSettings, Conversions):
    """Synchronous memories.ai client: every API method, awaited.

    It holds one transport (sending, retries, limits, deadlines) and one resource per API area;
    each method below is that area's method.

    >>> with MemoriesClient() as client:
    ...     hits = client.search("a goal is scored", top_k=5)
    """

    _transport: Transport

    def __init__(self, *, cache: ResponseCache | None = None, **settings: Any) -> None:
        """``http_client=`` (an ``httpx.Client`` to send with), ``cache=`` (a
        ``ResponseCache`` to read through) and the settings of ``BaseClient``: ``api_key``,
        ``base_url``, ``unique_id``, ``timeout``, ``max_retries``..."""
        self._cache = cache
        self._bind(Transport(**settings))

    def _bind(self, transport: Transport) -> None:
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

    def _copy_around(self, copy_transport: Callable[[Transport], Transport]) -> Self:
        """A copy of this client whose resources send through ``copy_transport``'s copy."""
        clone = copy.copy(self)
        clone._bind(copy_transport(self._transport))
        return clone

    with_options = copy_with(BaseClient.with_options)

    @property
    def with_raw_response(self) -> RawResponses:
        """The same methods, each returning the HTTP answer (``RawResponse``, ``.parse()``)."""
        return RawResponses(self._resources)

    # -- chat and sessions
    chat = forward(ChatMethods.chat)
    chat_stream = forward(ChatMethods.chat_stream)
    chat_personal = forward(ChatMethods.chat_personal)
    chat_personal_stream = forward(ChatMethods.chat_personal_stream)
    marketer_chat = forward(ChatMethods.marketer_chat)
    marketer_chat_stream = forward(ChatMethods.marketer_chat_stream)
    list_sessions = forward(ChatMethods.list_sessions)
    get_session_detail = forward(ChatMethods.get_session_detail)
    iter_sessions = forward(ChatMethods.iter_sessions)
    # -- search
    search = forward(SearchMethods.search)
    search_public = forward(SearchMethods.search_public)
    search_transcripts = forward(SearchMethods.search_transcripts)
    search_by_image = forward(SearchMethods.search_by_image)
    search_video_by_image = forward(SearchMethods.search_video_by_image)
    iter_transcript_search = forward(SearchMethods.iter_transcript_search)
    # -- library
    list_videos = forward(LibraryMethods.list_videos)
    iter_videos = forward(LibraryMethods.iter_videos)
    get_metadata = forward(LibraryMethods.get_metadata)
    get_video_transcription = forward(LibraryMethods.get_video_transcription)
    get_video_caption = forward(LibraryMethods.get_video_caption)
    get_audio_transcription = forward(LibraryMethods.get_audio_transcription)
    generate_summary = forward(LibraryMethods.generate_summary)
    delete_videos = forward(LibraryMethods.delete_videos)
    download = forward(LibraryMethods.download)
    download_video = forward(LibraryMethods.download_video)
    list_unique_ids = forward(LibraryMethods.list_unique_ids)
    get_public_video_detail = forward(LibraryMethods.get_public_video_detail)
    get_public_video_transcription = forward(LibraryMethods.get_public_video_transcription)
    get_public_audio_transcription = forward(LibraryMethods.get_public_audio_transcription)
    add_memory = forward(LibraryMethods.add_memory)
    list_memories = forward(LibraryMethods.list_memories)
    search_memories = forward(LibraryMethods.search_memories)
    get_access_token = forward(LibraryMethods.get_access_token)
    refresh_access_token = forward(LibraryMethods.refresh_access_token)
    # -- waiting, uploads and imports
    if TYPE_CHECKING:  # a ParamSpec cannot carry overloads: the bound method's own type
        wait_for_ready = typed_as(WaitMethods).wait_for_ready
    else:
        wait_for_ready = forward(WaitMethods.wait_for_ready)
    upload = forward(UploadMethods.upload)
    upload_url = forward(UploadMethods.upload_url)
    upload_images = forward(UploadMethods.upload_images)
    import_from_urls = forward(UploadMethods.import_from_urls)
    import_from_creator = forward(UploadMethods.import_from_creator)
    import_from_hashtags = forward(UploadMethods.import_from_hashtags)
    get_task_status = forward(UploadMethods.get_task_status)

    def close(self) -> None:
        """Close the connection pool (not a caller's ``http_client``, nor a copy's)."""
        self._transport.close()

    def __enter__(self) -> MemoriesClient:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
