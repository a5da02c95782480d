"""Background processing: UNPARSE -> PARSE/PARSE_ERROR after ``encoding_delay``, scraper tasks,
and callback delivery over real HTTP.

Callbacks go through httpcore (httpx's transport layer) rather than an httpx client on purpose:
vcrpy patches httpx clients process-wide while a cassette is active, and the emulator's own
callbacks must neither be recorded into the app's cassettes nor be blocked by them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

import httpcore

from memories_integrations.testing.corpus import Content
from memories_integrations.testing.store import PARSE, Store, Task, Video

if TYPE_CHECKING:
    from memories_integrations.testing.config import EmulatorConfig, Settings


class Host(Protocol):
    """What the lifecycle needs of the emulator it runs in (the Emulator sits above it)."""

    config: EmulatorConfig
    store: Store
    settings: Settings

    def client_id(self, api_key: str) -> str: ...


class Lifecycle:
    def __init__(self, emulator: Host) -> None:
        self.emu = emulator
        self._jobs: set[asyncio.Task[None]] = set()
        self._deliveries: set[asyncio.Task[None]] = set()
        self._hurry: asyncio.Event | None = None
        self._pool: httpcore.AsyncConnectionPool | None = None
        #: Every callback attempt: url, payload/params, http status (None on transport error).
        self.callback_log: list[dict[str, Any]] = []

    # -- scheduling --------------------------------------------------------------------------
    def _hurry_event(self) -> asyncio.Event:
        if self._hurry is None:
            self._hurry = asyncio.Event()
        return self._hurry

    def _spawn(self, coro: Coroutine[Any, Any, None], bucket: set[asyncio.Task[None]]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        bucket.add(task)
        task.add_done_callback(bucket.discard)

    @staticmethod
    async def _sleep(seconds: float, hurry: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(hurry.wait(), timeout=max(seconds, 0.0))

    def schedule_video(self, video: Video) -> None:
        self._spawn(self._video_job(video, self._hurry_event()), self._jobs)

    async def _video_job(self, video: Video, hurry: asyncio.Event) -> None:
        await self._sleep(self.emu.settings.encoding_delay, hurry)
        self.finish_video(video)

    def finish_video(self, video: Video) -> None:
        if self.emu.store.finish(video) and video.callback and video.task_id is None:
            status = "PARSE" if video.status == PARSE else "FAIL"  # callback page spelling
            payload = {
                "videoNo": video.video_no,
                "clientId": self.emu.client_id(video.ns[0]),
                "status": status,
            }
            self.post(video.callback, payload)

    def schedule_task(self, task: Task, items: list[tuple[str, Content]]) -> None:
        self._spawn(self._task_job(task, items, self._hurry_event()), self._jobs)

    async def _task_job(
        self, task: Task, items: list[tuple[str, Content]], hurry: asyncio.Event
    ) -> None:
        delay = self.emu.settings.encoding_delay
        await self._sleep(delay / 2, hurry)  # "downloading": no video ids yet
        store = self.emu.store
        videos = [
            store.add_video(task.ns, name, content, 0, task_id=task.task_id, platform=task.platform)
            for name, content in items
        ]
        with store.lock:
            task.video_nos = [v.video_no for v in videos]
            task.status = "INDEXING"
        await self._sleep(delay / 2, hurry)
        for v in videos:
            if store.finish(v) and task.callback:
                self.post(
                    task.callback,
                    {
                        "videoId": v.video_no,
                        "message": "Video indexing succeed",
                        "taskId": task.task_id,
                        "status": "INDEXING_SUCCEEDED",
                    },
                )
        with store.lock:
            task.status = "SUCCEEDED"
        if task.callback:
            self.post(
                task.callback,
                {
                    "message": "Video has been downloaded",
                    "taskId": task.task_id,
                    "status": "SUCCEEDED",
                },
            )

    async def complete_all(self) -> None:
        """Finish every pending video and task now (skips the remaining encoding delay)."""
        old, self._hurry = self._hurry, asyncio.Event()
        if old is not None:
            old.set()
        jobs = list(self._jobs)
        if jobs:
            await asyncio.gather(*jobs, return_exceptions=True)

    # -- callbacks ---------------------------------------------------------------------------
    def _http(self) -> httpcore.AsyncConnectionPool:
        if self._pool is None:
            self._pool = httpcore.AsyncConnectionPool()  # no proxies: receivers are local
        return self._pool

    def post(self, url: str, payload: dict[str, Any]) -> None:
        copies = 2 if self.emu.settings.duplicate_callbacks else 1
        self._spawn(self._deliver("POST", url, payload, copies), self._deliveries)

    async def get(self, url: str, params: dict[str, str]) -> bool:
        return await self._attempt("GET", url, params)

    async def _deliver(self, method: str, url: str, payload: dict[str, Any], copies: int) -> None:
        for _ in range(copies):
            await self._attempt(method, url, payload)

    async def _send(self, method: str, url: str, payload: dict[str, Any]) -> int:
        timeout = self.emu.config.callback_timeout
        ext = {"timeout": {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}}
        if method == "GET":
            sep = "&" if "?" in url else "?"
            response = await self._http().request(
                "GET", url + sep + urlencode(payload), extensions=ext
            )
        else:
            body = json.dumps(payload).encode()
            headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
            response = await self._http().request(
                "POST", url, headers=headers, content=body, extensions=ext
            )
        return response.status

    async def _attempt(self, method: str, url: str, payload: dict[str, Any]) -> bool:
        """Send once, retrying on transport errors and non-2xx answers with backoff."""
        for attempt in range(self.emu.config.callback_retries + 1):
            status: int | None = None
            try:
                status = await self._send(method, url, payload)
            except (
                httpcore.TimeoutException,
                httpcore.NetworkError,
                httpcore.ProtocolError,
                httpcore.UnsupportedProtocol,
                OSError,
            ):
                status = None
            self.callback_log.append(
                {
                    "method": method,
                    "url": url,
                    "payload": payload,
                    "http_status": status,
                    "attempt": attempt + 1,
                    "time": time.time(),
                }
            )
            if status is not None and 200 <= status < 300:
                return True
            await asyncio.sleep(0.05 * (2**attempt))
        return False

    # -- shutdown ----------------------------------------------------------------------------
    async def cancel_jobs(self) -> None:
        for task in list(self._jobs):
            task.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._jobs | self._deliveries):
            task.cancel()
        await asyncio.gather(*self._jobs, *self._deliveries, return_exceptions=True)
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None
