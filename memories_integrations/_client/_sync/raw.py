# Generated from _client/_async/raw.py by scripts/unasync.py: edit that file, not this one.
"""``client.with_raw_response`` (Synchronous): each method returns the HTTP answer too."""

from __future__ import annotations

from typing import Any

from memories_integrations._client._sync.chat import ChatMethods
from memories_integrations._client._sync.library import LibraryMethods
from memories_integrations._client._sync.search import SearchMethods
from memories_integrations._client._sync.uploads import UploadMethods
from memories_integrations._client.compose import RawForward


class RawResponses:
    """The client's awaited methods, each returning a ``RawResponse``: ``status_code``,
    ``headers``, ``request_id``, ``http_response`` of its (last) HTTP answer, and ``parse()``
    for the typed result the method itself returns.

    >>> raw = client.with_raw_response.search("a goal")
    >>> raw.request_id, raw.parse()
    """

    def __init__(self, resources: dict[type, Any]) -> None:
        self._resources = resources

    chat = RawForward(ChatMethods.chat)
    chat_personal = RawForward(ChatMethods.chat_personal)
    marketer_chat = RawForward(ChatMethods.marketer_chat)
    list_sessions = RawForward(ChatMethods.list_sessions)
    get_session_detail = RawForward(ChatMethods.get_session_detail)
    search = RawForward(SearchMethods.search)
    search_public = RawForward(SearchMethods.search_public)
    search_transcripts = RawForward(SearchMethods.search_transcripts)
    search_by_image = RawForward(SearchMethods.search_by_image)
    search_video_by_image = RawForward(SearchMethods.search_video_by_image)
    list_videos = RawForward(LibraryMethods.list_videos)
    get_metadata = RawForward(LibraryMethods.get_metadata)
    get_video_transcription = RawForward(LibraryMethods.get_video_transcription)
    get_video_caption = RawForward(LibraryMethods.get_video_caption)
    get_audio_transcription = RawForward(LibraryMethods.get_audio_transcription)
    generate_summary = RawForward(LibraryMethods.generate_summary)
    delete_videos = RawForward(LibraryMethods.delete_videos)
    download = RawForward(LibraryMethods.download)
    download_video = RawForward(LibraryMethods.download_video)
    list_unique_ids = RawForward(LibraryMethods.list_unique_ids)
    get_public_video_detail = RawForward(LibraryMethods.get_public_video_detail)
    get_public_video_transcription = RawForward(
        LibraryMethods.get_public_video_transcription
    )
    get_public_audio_transcription = RawForward(
        LibraryMethods.get_public_audio_transcription
    )
    add_memory = RawForward(LibraryMethods.add_memory)
    list_memories = RawForward(LibraryMethods.list_memories)
    search_memories = RawForward(LibraryMethods.search_memories)
    get_access_token = RawForward(LibraryMethods.get_access_token)
    refresh_access_token = RawForward(LibraryMethods.refresh_access_token)
    upload = RawForward(UploadMethods.upload)
    upload_url = RawForward(UploadMethods.upload_url)
    upload_images = RawForward(UploadMethods.upload_images)
    import_from_urls = RawForward(UploadMethods.import_from_urls)
    import_from_creator = RawForward(UploadMethods.import_from_creator)
    import_from_hashtags = RawForward(UploadMethods.import_from_hashtags)
    get_task_status = RawForward(UploadMethods.get_task_status)
