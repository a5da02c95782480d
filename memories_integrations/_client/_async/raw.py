"""``client.with_raw_response`` (Asynchronous): each method returns the HTTP answer too."""

from __future__ import annotations

from typing import Any

from memories_integrations._client._async.chat import AsyncChatMethods
from memories_integrations._client._async.library import AsyncLibraryMethods
from memories_integrations._client._async.search import AsyncSearchMethods
from memories_integrations._client._async.uploads import AsyncUploadMethods
from memories_integrations._client.compose import AsyncRawForward


class AsyncRawResponses:
    """The client's awaited methods, each returning a ``RawResponse``: ``status_code``,
    ``headers``, ``request_id``, ``http_response`` of its (last) HTTP answer, and ``parse()``
    for the typed result the method itself returns.

    >>> raw = await client.with_raw_response.search("a goal")
    >>> raw.request_id, raw.parse()
    """

    def __init__(self, resources: dict[type, Any]) -> None:
        self._resources = resources

    chat = AsyncRawForward(AsyncChatMethods.chat)
    chat_personal = AsyncRawForward(AsyncChatMethods.chat_personal)
    marketer_chat = AsyncRawForward(AsyncChatMethods.marketer_chat)
    list_sessions = AsyncRawForward(AsyncChatMethods.list_sessions)
    get_session_detail = AsyncRawForward(AsyncChatMethods.get_session_detail)
    search = AsyncRawForward(AsyncSearchMethods.search)
    search_public = AsyncRawForward(AsyncSearchMethods.search_public)
    search_transcripts = AsyncRawForward(AsyncSearchMethods.search_transcripts)
    search_by_image = AsyncRawForward(AsyncSearchMethods.search_by_image)
    search_video_by_image = AsyncRawForward(AsyncSearchMethods.search_video_by_image)
    list_videos = AsyncRawForward(AsyncLibraryMethods.list_videos)
    get_metadata = AsyncRawForward(AsyncLibraryMethods.get_metadata)
    get_video_transcription = AsyncRawForward(AsyncLibraryMethods.get_video_transcription)
    get_video_caption = AsyncRawForward(AsyncLibraryMethods.get_video_caption)
    get_audio_transcription = AsyncRawForward(AsyncLibraryMethods.get_audio_transcription)
    generate_summary = AsyncRawForward(AsyncLibraryMethods.generate_summary)
    delete_videos = AsyncRawForward(AsyncLibraryMethods.delete_videos)
    download = AsyncRawForward(AsyncLibraryMethods.download)
    download_video = AsyncRawForward(AsyncLibraryMethods.download_video)
    list_unique_ids = AsyncRawForward(AsyncLibraryMethods.list_unique_ids)
    get_public_video_detail = AsyncRawForward(AsyncLibraryMethods.get_public_video_detail)
    get_public_video_transcription = AsyncRawForward(
        AsyncLibraryMethods.get_public_video_transcription
    )
    get_public_audio_transcription = AsyncRawForward(
        AsyncLibraryMethods.get_public_audio_transcription
    )
    add_memory = AsyncRawForward(AsyncLibraryMethods.add_memory)
    list_memories = AsyncRawForward(AsyncLibraryMethods.list_memories)
    search_memories = AsyncRawForward(AsyncLibraryMethods.search_memories)
    get_access_token = AsyncRawForward(AsyncLibraryMethods.get_access_token)
    refresh_access_token = AsyncRawForward(AsyncLibraryMethods.refresh_access_token)
    upload = AsyncRawForward(AsyncUploadMethods.upload)
    upload_url = AsyncRawForward(AsyncUploadMethods.upload_url)
    upload_images = AsyncRawForward(AsyncUploadMethods.upload_images)
    import_from_urls = AsyncRawForward(AsyncUploadMethods.import_from_urls)
    import_from_creator = AsyncRawForward(AsyncUploadMethods.import_from_creator)
    import_from_hashtags = AsyncRawForward(AsyncUploadMethods.import_from_hashtags)
    get_task_status = AsyncRawForward(AsyncUploadMethods.get_task_status)
