"""Every search mode: text (private and public), transcript phrase, image."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import (
    Call,
    Endpoint,
    FileSpec,
    drop_none,
    model_list,
    page_model,
)

if TYPE_CHECKING:  # models load on first use, not with the client (issue 10)
    from memories_integrations.models import ClipMatch, ItemList, SearchHit, TranscriptSearchPage

SEARCH = Endpoint("search", "POST", "/serve/api/v1/search", "search")
SEARCH_PUBLIC = Endpoint("search_public", "POST", "/serve/api/v1/search_public", "search")
SEARCH_TRANSCRIPTS = Endpoint(
    "search_audio_transcripts", "GET", "/serve/api/v1/search_audio_transcripts", "search"
)
SEARCH_PUBLIC_TRANSCRIPTS = Endpoint(
    "search_public_audio_transcripts",
    "GET",
    "/serve/api/v1/search_public_audio_transcripts",
    "search",
)
SEARCH_SIMILAR_IMAGES = Endpoint(
    "search_similar_images", "POST", "/serve/api/v1/search_similar_images", "search"
)
SEARCH_PUBLIC_SIMILAR_IMAGES = Endpoint(
    "search_public_similar_images", "POST", "/serve/api/v1/search_public_similar_images", "search"
)
SEARCH_CLIPS_BY_IMAGE = Endpoint(
    "search_clips_by_image", "POST", "/serve/api/v1/search_clips_by_image", "search"
)


def search(
    query: str,
    *,
    unique_id: str,
    search_type: str,
    top_k: int | None,
    filtering_level: str | None,
    video_nos: Sequence[str] | None,
    tag: str | None,
    camera_tag: str | None,
    datetime_taken: str | None,
    latitude: float | None,
    longitude: float | None,
    english_only: bool,
) -> Call[ItemList[SearchHit]]:
    from memories_integrations.models import SearchHit

    ep = SEARCH.path
    query = v.text(query, param="query", endpoint=ep, english=english_only)
    search_type = v.choice(search_type, v.SEARCH_TYPES, param="search_type", endpoint=ep)
    if top_k is not None:
        high = 200 if search_type == "BY_CAPTION" else 1000  # current docs: BY_CAPTION 1-200
        v.int_range(top_k, 1, high, param="top_k", endpoint=ep)
    if filtering_level is not None:
        filtering_level = v.choice(
            filtering_level, v.FILTERING_LEVELS, param="filtering_level", endpoint=ep
        )
    nos = None
    if video_nos is not None:
        nos = v.id_list(video_nos, param="video_nos", endpoint=ep, limit=v.MAX_VIDEO_NOS)
    v.lat_long(latitude, longitude, endpoint=ep)
    body = drop_none(
        {
            "search_param": query,
            "search_type": search_type,
            "unique_id": unique_id,
            "top_k": top_k,
            "filtering_level": filtering_level,
            "video_nos": nos,
            "tag": tag,
            "camera_tag": camera_tag,
            "datetime_taken": datetime_taken,
            "latitude": latitude,
            "longitude": longitude,
        }
    )
    return Call(SEARCH, model_list(SearchHit, "videos", "items", "clips"), json=body)


def search_public(
    query: str,
    *,
    platform: str,
    search_type: str,
    top_k: int | None,
    filtering_level: str | None,
    english_only: bool,
) -> Call[ItemList[SearchHit]]:
    from memories_integrations.models import SearchHit

    ep = SEARCH_PUBLIC.path
    body = drop_none(
        {
            "search_param": v.text(query, param="query", endpoint=ep, english=english_only),
            "search_type": v.choice(
                search_type, v.PUBLIC_SEARCH_TYPES, param="search_type", endpoint=ep
            ),
            "type": v.choice(platform, v.PLATFORMS, param="platform", endpoint=ep),
            "top_k": None
            if top_k is None
            else v.int_range(top_k, 1, 1000, param="top_k", endpoint=ep),
            "filtering_level": None
            if filtering_level is None
            else v.choice(
                filtering_level, v.FILTERING_LEVELS, param="filtering_level", endpoint=ep
            ),
        }
    )
    return Call(SEARCH_PUBLIC, model_list(SearchHit, "videos", "items"), json=body)


def search_transcripts(
    query: str, *, unique_id: str | None, page: int, page_size: int, public: bool
) -> Call[TranscriptSearchPage]:
    from memories_integrations.models import TranscriptSearchPage

    endpoint = SEARCH_PUBLIC_TRANSCRIPTS if public else SEARCH_TRANSCRIPTS
    ep = endpoint.path
    params = drop_none(
        {
            "query": v.text(query, param="query", endpoint=ep),
            "page": v.int_range(page, 1, 1_000_000, param="page", endpoint=ep),
            "page_size": v.int_range(page_size, 1, 500, param="page_size", endpoint=ep),
            "unique_id": None if public else unique_id,
        }
    )
    return Call(endpoint, page_model(TranscriptSearchPage, "videos"), params=params)


def _image(path: str | os.PathLike[str], endpoint: str) -> FileSpec:
    f = v.local_file(path, kinds=v.IMAGE_EXTENSIONS, max_bytes=v.MAX_IMAGE_BYTES, endpoint=endpoint)
    ctype = mimetypes.guess_type(f.name)[0] or "image/jpeg"
    return FileSpec("file", f.source, ctype, f.size, f.name)


def _similarity(value: float | None, endpoint: str) -> str | None:
    if value is None:
        return None
    if not 0.0 <= value <= 1.0:
        raise v.InvalidInputError(
            "similarity must be in [0, 1]", endpoint=endpoint, param="similarity"
        )
    return str(value)


def search_by_image(
    image: str | os.PathLike[str],
    *,
    unique_id: str | None,
    similarity: float | None,
    platform: str | None,
) -> Call[ItemList[SearchHit]]:
    from memories_integrations.models import SearchHit

    endpoint = SEARCH_PUBLIC_SIMILAR_IMAGES if platform else SEARCH_SIMILAR_IMAGES
    ep = endpoint.path
    form = drop_none(
        {
            "unique_id": None if platform else unique_id,
            "type": v.choice(platform, v.PLATFORMS, param="platform", endpoint=ep)
            if platform
            else None,
            "similarity": _similarity(similarity, ep),
        }
    )
    return Call(
        endpoint, model_list(SearchHit, "videos", "items"), data=form, files=[_image(image, ep)]
    )


def search_video_by_image(
    image: str | os.PathLike[str], *, video_no: str, prompt: str, unique_id: str
) -> Call[list[ClipMatch]]:
    from memories_integrations.models import ClipMatch

    ep = SEARCH_CLIPS_BY_IMAGE.path
    form = drop_none(
        {
            "video_no": v.text(video_no, param="video_no", endpoint=ep),
            # Required: the live API answers "The prompt parameter cannot be empty!".
            "prompt": v.text(prompt, param="prompt", endpoint=ep),
            "unique_id": unique_id,
        }
    )
    return Call(
        SEARCH_CLIPS_BY_IMAGE,
        model_list(ClipMatch, "clips", "items"),
        data=form,
        files=[_image(image, ep)],
    )
