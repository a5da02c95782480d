"""Platform imports (current docs: scraper_url, scraper, scraper_tag and their _public variants).

Nothing is fetched: every source becomes a video whose content is derived from its URL /
username / hashtag, processed like an upload (downloading -> UNPARSE -> PARSE)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from memories_integrations.testing.corpus import Content, match_sample, synthetic
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, ApiError, ok
from memories_integrations.testing.params import Params, api
from memories_integrations.testing.routes_videos import V1, namespace
from memories_integrations.testing.store import PUBLIC_NS, VIDEO_BUCKET, Task

QUALITIES = ("360", "480", "720", "1080", "1440", "2160")
MAX_URLS = 50
MAX_COUNT = 100
_HOSTS = {
    "tiktok.com": "TIKTOK",
    "youtube.com": "YOUTUBE",
    "youtu.be": "YOUTUBE",
    "instagram.com": "INSTAGRAM",
}


def platform_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    for suffix, platform in _HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return None


def _common(p: Params) -> str | None:
    quality = p.opt("quality")
    if quality is not None and quality not in QUALITIES:
        raise ApiError(PARAM, f"quality must be one of {', '.join(QUALITIES)}")
    return p.opt("callback_url", "callback")


def _start(
    emu: Emulator,
    account: str,
    p: Params,
    kind: str,
    platform: str,
    items: list[tuple[str, Content]],
    public: bool,
    sources: list[str] | None = None,
) -> Response:
    ns = PUBLIC_NS if public else namespace(account, p)
    callback = _common(p)
    with emu.store.lock:
        sources = sources or [n for n, _ in items]
        task = Task(emu.store.ids.task(), ns, kind, platform, sources, callback, owner=account)
        emu.store.tasks[task.task_id] = task
    emu.lifecycle.schedule_task(task, items)
    return ok({"taskId": task.task_id})


def _url_items(p: Params) -> tuple[str, list[tuple[str, Content]]]:
    urls = p.many("video_urls") + p.many("tiktok_post_urls")
    if not 1 <= len(urls) <= MAX_URLS:
        raise ApiError(PARAM, f"video_urls must hold 1 to {MAX_URLS} URLs")
    platforms = {platform_of(u) for u in urls}
    if None in platforms:
        raise ApiError(
            PARAM, "Unsupported URL: only TikTok, YouTube and Instagram links are accepted"
        )
    if len(platforms) > 1:
        raise ApiError(PARAM, "All URLs of one request must come from the same platform")
    items = []
    for url in urls:
        path = urlsplit(url).path.strip("/").replace("/", " ")
        name = f"{path or url}"
        items.append((name, match_sample(None, path.rsplit(" ", 1)[-1]) or synthetic(url)))
    return platforms.pop() or "TIKTOK", items


async def _scraper_url(p: Params, emu: Emulator, account: str, public: bool) -> Response:
    platform, items = _url_items(p)
    urls = p.many("video_urls") + p.many("tiktok_post_urls")
    return _start(emu, account, p, "url", platform, items, public, sources=urls)


async def _scraper_profile(p: Params, emu: Emulator, account: str, public: bool) -> Response:
    username = p.req("username")
    count = p.integer("scraper_cnt", default=5, lo=1, hi=MAX_COUNT)
    platform = platform_of(username)
    if username.startswith(("http://", "https://")) and platform is None:
        raise ApiError(PARAM, "username must be a TikTok, YouTube or Instagram profile URL")
    handle = urlsplit(username).path.strip("/") or username
    items = [(f"{handle} post {i + 1}", synthetic(f"{username}#{i}")) for i in range(count)]
    return _start(emu, account, p, "profile", platform or "TIKTOK", items, public)


async def _scraper_tag(p: Params, emu: Emulator, account: str, public: bool) -> Response:
    tags = [t.lstrip("#") for t in p.many("hash_tags", "hashtags") if t.lstrip("#")]
    if not tags:
        raise ApiError(PARAM, "Missing required parameter: hash_tags")
    count = p.integer("scraper_cnt", default=5, lo=1, hi=MAX_COUNT)
    items = [
        (f"#{tags[i % len(tags)]} post {i + 1}", synthetic(f"{tags[i % len(tags)]} {i}"))
        for i in range(count)
    ]
    return _start(emu, account, p, "hashtag", "TIKTOK", items, public)


Impl = Callable[[Params, Emulator, str, bool], Awaitable[Response]]


def _pair(impl: Impl, public: bool) -> Callable[[Request], Awaitable[Response]]:
    @api("other")
    async def handler(request: Request, emu: Emulator, account: str, p: Params) -> Response:
        return await impl(p, emu, account, public)

    return handler


@api("task_status")  # current Rate-limits page: Task Status 1 QPS
async def get_video_ids_by_task_id(
    request: Request, emu: Emulator, account: str, p: Params
) -> Response:
    task_id = p.req("task_id", "taskId")
    with emu.store.lock:
        task = emu.store.tasks.get(task_id)
        if task is None or task.owner != account:
            raise ApiError(PARAM, f"task not found: {task_id}")
        videos = [emu.store.videos.get(n) for n in task.video_nos]
        rows = [
            {
                "video_no": v.video_no,
                "status": v.status,
                "video_url": _source(task, i),
                # Get-task-status answers carry the download-by-bucket-blob pointers.
                "bucket": VIDEO_BUCKET,
                "blob": v.blob,
            }
            for i, v in enumerate(videos)
            if v is not None
        ]
        status = task.status
    ids = [r["video_no"] for r in rows]
    if emu.config.lenient:  # the older answer: every shape at once
        return ok({"taskId": task_id, "status": status, "video_ids": ids, "videos": rows})
    shape = emu.config.task_status_shape
    if shape == "list":
        return ok(rows)
    if shape == "videos":
        return ok({"taskId": task_id, "status": status, "videos": rows})
    # Get-task-status page: ids only; each video's status comes from get_metadata.
    return ok({"taskId": task_id, "video_ids": ids})


def _source(task: Task, index: int) -> str | None:
    # Post-URL imports map one URL to one video; profile/hashtag imports have no per-video URL.
    return task.sources[index] if task.kind == "url" and index < len(task.sources) else None


routes = [
    Route(f"{V1}/scraper_url", _pair(_scraper_url, False), methods=["POST"]),
    Route(f"{V1}/scraper_url_public", _pair(_scraper_url, True), methods=["POST"]),
    Route(f"{V1}/scraper", _pair(_scraper_profile, False), methods=["POST"]),
    Route(f"{V1}/scraper_public", _pair(_scraper_profile, True), methods=["POST"]),
    Route(f"{V1}/scraper_tag", _pair(_scraper_tag, False), methods=["POST"]),
    Route(f"{V1}/scraper_tag_public", _pair(_scraper_tag, True), methods=["POST"]),
    Route(f"{V1}/get_video_ids_by_task_id", get_video_ids_by_task_id, methods=["GET", "POST"]),
]
