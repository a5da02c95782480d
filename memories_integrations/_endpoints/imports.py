"""Platform-link imports (TikTok, YouTube, Instagram) and their task status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from memories_integrations._endpoints import validation as v
from memories_integrations._endpoints.base import Call, Endpoint, drop_none, model, optional_model

if TYPE_CHECKING:  # models load on first use, not with the client (issue 10)
    from memories_integrations.models import TaskCreated, TaskStatus


def _scraper(path: str) -> Endpoint:
    name = path.rsplit("/", 1)[-1]
    # Not on the current Rate-limits page (its "Upload (local/URL)" row is upload/upload_url):
    # no client-side limit rather than the upload group's 1 per minute.
    return Endpoint(name, "POST", path, None, idempotent=False)


SCRAPER_URL = _scraper("/serve/api/v1/scraper_url")
SCRAPER_URL_PUBLIC = _scraper("/serve/api/v1/scraper_url_public")
SCRAPER = _scraper("/serve/api/v1/scraper")
SCRAPER_PUBLIC = _scraper("/serve/api/v1/scraper_public")
SCRAPER_TAG = _scraper("/serve/api/v1/scraper_tag")
SCRAPER_TAG_PUBLIC = _scraper("/serve/api/v1/scraper_tag_public")
GET_TASK_STATUS = Endpoint(
    "get_video_ids_by_task_id", "GET", "/serve/api/v1/get_video_ids_by_task_id", "task_status"
)


def _platform(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    for name in ("tiktok", "youtube", "youtu.be", "instagram"):
        if name in host:
            return "youtube" if name == "youtu.be" else name
    return host


def _callback(url: str | None, endpoint: str) -> str | None:
    return None if url is None else v.http_url(url, param="callback_url", endpoint=endpoint)


def import_urls(
    urls: Sequence[str],
    *,
    unique_id: str,
    callback_url: str | None,
    quality: str | None,
    public: bool,
    tiktok_post_urls: Sequence[str] | None = None,
) -> Call[TaskCreated]:
    from memories_integrations.models import TaskCreated

    endpoint = SCRAPER_URL_PUBLIC if public else SCRAPER_URL
    ep = endpoint.path
    limit = v.MAX_IMPORT_URLS
    # Upload-from-post-URLs page: tiktok_post_urls are merged with video_urls server-side and
    # count toward the same 50-URL cap; either list may carry the URLs.
    tiktok = (
        []
        if tiktok_post_urls is None
        else [
            v.http_url(u, param="tiktok_post_urls", endpoint=ep)
            for u in v.id_list(tiktok_post_urls, param="tiktok_post_urls", endpoint=ep, limit=limit)
        ]
    )
    if tiktok and any(_platform(u) != "tiktok" for u in tiktok):
        raise v.InvalidInputError(
            "tiktok_post_urls must be TikTok post URLs", endpoint=ep, param="tiktok_post_urls"
        )
    no_urls = tiktok and isinstance(urls, Sequence) and not isinstance(urls, str) and not urls
    items = (
        []
        if no_urls
        else [
            v.http_url(u, param="video_urls", endpoint=ep)
            for u in v.id_list(urls, param="video_urls", endpoint=ep, limit=limit)
        ]
    )
    if len(items) + len(tiktok) > limit:
        raise v.InvalidInputError(
            f"video_urls and tiktok_post_urls hold {len(items) + len(tiktok)} URLs together; "
            f"the API accepts at most {limit}",
            endpoint=ep,
            param="tiktok_post_urls",
        )
    if len({_platform(u) for u in [*items, *tiktok]}) > 1:
        raise v.InvalidInputError(
            "all video_urls must come from the same platform", endpoint=ep, param="video_urls"
        )
    if quality is not None:
        quality = v.choice(str(quality), v.QUALITIES, param="quality", endpoint=ep)
    body = drop_none(
        {
            "video_urls": items,
            "tiktok_post_urls": tiktok or None,
            "unique_id": None if public else unique_id,
            "callback_url": _callback(callback_url, ep),
            "quality": quality,
        }
    )
    return Call(endpoint, model(TaskCreated), json=body)


def import_creator(
    profile_url: str, *, count: int, unique_id: str, callback_url: str | None, public: bool
) -> Call[TaskCreated]:
    from memories_integrations.models import TaskCreated

    endpoint = SCRAPER_PUBLIC if public else SCRAPER
    ep = endpoint.path
    body = drop_none(
        {
            "username": v.http_url(profile_url, param="username", endpoint=ep),
            "scraper_cnt": v.int_range(count, 1, 1000, param="count", endpoint=ep),
            "unique_id": None if public else unique_id,
            "callback_url": _callback(callback_url, ep),
        }
    )
    return Call(endpoint, model(TaskCreated), json=body)


def import_hashtags(
    hash_tags: Sequence[str], *, count: int, unique_id: str, callback_url: str | None, public: bool
) -> Call[TaskCreated]:
    from memories_integrations.models import TaskCreated

    endpoint = SCRAPER_TAG_PUBLIC if public else SCRAPER_TAG
    ep = endpoint.path
    body = drop_none(
        {
            "hash_tags": [
                t.lstrip("#")
                for t in v.id_list(hash_tags, param="hash_tags", endpoint=ep, limit=50)
            ],
            "scraper_cnt": v.int_range(count, 1, 1000, param="count", endpoint=ep),
            "unique_id": None if public else unique_id,
            "callback_url": _callback(callback_url, ep),
        }
    )
    return Call(endpoint, model(TaskCreated), json=body)


def task_status(task_id: str, *, unique_id: str) -> Call[TaskStatus]:
    from memories_integrations.models import TaskStatus

    tid = v.text(task_id, param="task_id", endpoint=GET_TASK_STATUS.path)
    # null / {} / [] = no videos yet (still downloading), never an error.
    return Call(
        GET_TASK_STATUS,
        optional_model(TaskStatus, lambda: TaskStatus(task_id=tid)),
        params={"task_id": tid, "unique_id": unique_id},
    )
