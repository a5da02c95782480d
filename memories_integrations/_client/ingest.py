"""Batch ingest: upload many files / URLs concurrently and wait for each to be ready.

Uploads run at most ``concurrency`` at a time and never faster than the client's rate limiter
allows (by default the current Rate-limits page's 1 upload per minute; each wait is reported
as a ``waiting`` stage); waiting for encoding happens outside that bound (it is cheap, and
callback-driven when ``via`` is given). Every item gets an :class:`IngestResult`: one bad
item never stops the batch. An upload whose outcome is unknown (the connection broke after
the bytes were sent) is reported, never retried blindly: a retry could create a duplicate
video.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from memories_integrations import errors as e
from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._endpoints.validation import VIDEO_EXTENSIONS
from memories_integrations._lifecycle.plan import (
    DEFAULT_INITIAL_INTERVAL,
    DEFAULT_MAX_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    PollSchedule,
    WaitProgress,
    wait_deadline,
)
from memories_integrations._lifecycle.receiver import CallbackReceiver
from memories_integrations._transport.retry import RATE_WAIT_HOOK, RateLimiter
from memories_integrations.models import UploadResult, VideoStatus

__all__ = ["IngestProgress", "IngestResult", "aingest", "expand_sources", "ingest"]

Stage = Literal["queued", "waiting", "uploading", "encoding", "ready", "failed"]
Source = str | os.PathLike[str]


@dataclass(frozen=True)
class IngestResult:
    """Outcome of one item. ``status`` is None when the upload itself failed."""

    source: str
    video_no: str | None = None
    status: VideoStatus | None = None
    error: BaseException | None = field(default=None, compare=False)
    seconds: float = field(default=0.0, compare=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "video_no": self.video_no,
            "status": self.status.value if self.status is not None else None,
            "ok": self.ok,
            "error": None if self.error is None else f"{type(self.error).__name__}: {self.error}",
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class IngestProgress:
    """One change of one item, for a batch progress view (the CLI draws one bar per item)."""

    index: int
    source: str
    stage: Stage
    bytes_sent: int = 0
    bytes_total: int = 0
    video_no: str | None = None
    status: VideoStatus | None = None
    error: BaseException | None = None
    #: Stage ``waiting``: seconds until the upload rate limit lets this item's upload go.
    wait_seconds: float = 0.0


IngestHook = Callable[[IngestProgress], None]


def is_url(item: Source) -> bool:
    return isinstance(item, str) and item.lower().startswith(("http://", "https://"))


def expand_sources(items: Source | Iterable[Source], *, recursive: bool = False) -> list[str]:
    """Directories become their video files (sorted; other files skipped); everything else is
    kept as given, so a missing file or a wrong extension is reported on its own line."""
    if isinstance(items, (str, os.PathLike)):
        items = [items]
    out: list[str] = []
    for item in items:
        if is_url(item):
            out.append(str(item))
            continue
        path = Path(item)
        if path.is_dir():
            found = path.rglob("*") if recursive else path.iterdir()
            out.extend(
                str(p)
                for p in sorted(found)
                if p.is_file() and p.suffix.lower() in VIDEO_EXTENSIONS
            )
        else:
            out.append(str(path))
    return out


class _Batch:
    """Per-batch state shared by the item tasks."""

    def __init__(
        self,
        client: AsyncMemoriesClient,
        *,
        concurrency: int,
        upload_qps: float | None,
        wait: bool,
        timeout: float | None,
        rate_limit_wait: float | None,
        via: CallbackReceiver | None,
        callback: str | None,
        unique_id: str | None,
        initial_interval: float,
        max_interval: float,
        on_progress: IngestHook | None,
    ) -> None:
        if concurrency < 1:
            raise e.InvalidInputError("concurrency must be >= 1", param="concurrency")
        if wait:  # bad wait settings fail before the first upload, not after it
            wait_deadline(timeout)
            PollSchedule(initial_interval, max_interval)
        # A batch queues on purpose: each item waits its turn for the upload limit as long as
        # rate_limit_wait allows (None: as long as needed), reported as its "waiting" stage.
        self.client = client.with_options(rate_limit_wait=rate_limit_wait)
        self.slots = asyncio.Semaphore(concurrency)
        # The client's own limiter already spaces uploads; a second one would halve the rate.
        # Without one (rate_limiter=False) uploads are spaced only when upload_qps says so.
        own = client.rate_limiter is not None and client.rate_limiter.limits("upload")
        self.limiter = (
            None if own or upload_qps is None else RateLimiter(qps={"upload": upload_qps})
        )
        self.wait, self.timeout, self.via, self.unique_id = wait, timeout, via, unique_id
        self.callback = callback
        self.intervals = (initial_interval, max_interval)
        self.on_progress = on_progress

    def report(self, event: IngestProgress) -> None:
        if self.on_progress is not None:
            self.on_progress(event)

    async def run(self, index: int, source: str) -> IngestResult:
        started = time.monotonic()
        video_no: str | None = None
        status: VideoStatus | None = None

        def waiting(group: str, seconds: float) -> None:
            if group == "upload":
                self.report(IngestProgress(index, source, "waiting", wait_seconds=seconds))

        # This item's task only (gather runs each item in its own context copy).
        RATE_WAIT_HOOK.set(waiting)
        try:
            async with self.slots:
                if self.limiter is not None:
                    await asyncio.sleep(self.limiter.reserve("upload"))
                uploaded = await self._upload(index, source)
            video_no, status = uploaded.video_no, uploaded.status
            if self.wait and not status.is_ready:
                self.report(IngestProgress(index, source, "encoding", video_no=video_no))
                meta = await self.client.wait_for_ready(
                    video_no,
                    timeout=self.timeout,  # from the end of the upload, not of the queue
                    initial_interval=self.intervals[0],
                    max_interval=self.intervals[1],
                    on_progress=lambda p: self._encoding(index, source, p),
                    via=self.via,
                    unique_id=self.unique_id,
                )
                status = meta.status
        except Exception as exc:  # any failure stays this item's (Ctrl-C / cancel still stop all)
            if isinstance(exc, e.ProcessingError):
                status = VideoStatus.PARSE_ERROR
            self.report(IngestProgress(index, source, "failed", video_no=video_no, error=exc))
            return IngestResult(source, video_no, status, exc, time.monotonic() - started)
        stage: Stage = "ready" if status.is_ready else "encoding"
        self.report(IngestProgress(index, source, stage, video_no=video_no, status=status))
        return IngestResult(source, video_no, status, None, time.monotonic() - started)

    async def _upload(self, index: int, source: str) -> UploadResult:
        self.report(IngestProgress(index, source, "uploading"))
        if is_url(source):
            return await self.client.upload_url(
                source, unique_id=self.unique_id, callback=self.callback, via=self.via
            )

        def sent(done: int, total: int) -> None:
            self.report(IngestProgress(index, source, "uploading", done, total))

        return await self.client.upload(
            source, unique_id=self.unique_id, callback=self.callback, via=self.via, progress=sent
        )

    def _encoding(self, index: int, source: str, p: WaitProgress) -> None:
        self.report(IngestProgress(index, source, "encoding", video_no=p.video_no, status=p.status))


async def aingest(
    client: AsyncMemoriesClient,
    items: Source | Sequence[Source],
    *,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    rate_limit_wait: float | None = None,
    via: CallbackReceiver | None = None,
    callback: str | None = None,
    unique_id: str | None = None,
    upload_qps: float | None = None,
    recursive: bool = False,
    initial_interval: float = DEFAULT_INITIAL_INTERVAL,
    max_interval: float = DEFAULT_MAX_INTERVAL,
    on_progress: IngestHook | None = None,
) -> list[IngestResult]:
    """Upload ``items`` (a directory, files, URLs) and return one result per item, in order.

    ``timeout`` bounds each item's wait for encoding, from the end of its upload to PARSE (the
    upload itself is bounded by the client's timeout). Uploads are spaced by the client's rate
    limiter (1 per minute by default): each item waits its turn for as long as
    ``rate_limit_wait`` allows (default None: as long as the batch needs; ``0``: items that
    would wait fail with ``RateLimitWaitError``). ``upload_qps`` spaces them when the client
    limits no uploads (``rate_limiter=False``) and is ignored otherwise.
    ``via``: a CallbackReceiver; each upload gets its own tokenised callback URL.
    ``callback``: one callback URL for every upload (e.g. your public receiver), instead.
    """
    sources = expand_sources(items, recursive=recursive)
    batch = _Batch(
        client,
        concurrency=concurrency,
        upload_qps=upload_qps,
        wait=wait,
        timeout=timeout,
        rate_limit_wait=rate_limit_wait,
        via=via,
        callback=callback,
        unique_id=unique_id,
        initial_interval=initial_interval,
        max_interval=max_interval,
        on_progress=on_progress,
    )
    for index, source in enumerate(sources):
        batch.report(IngestProgress(index, source, "queued"))
    return list(await asyncio.gather(*(batch.run(i, s) for i, s in enumerate(sources))))


def async_twin(client: MemoriesClient) -> AsyncMemoriesClient:
    """An AsyncMemoriesClient with the same credentials, settings and rate limiter."""
    return client.to_async()


def ingest(
    client: MemoriesClient | AsyncMemoriesClient,
    items: Source | Sequence[Source],
    *,
    concurrency: int = 4,
    wait: bool = True,
    timeout: float | None = DEFAULT_WAIT_TIMEOUT,
    rate_limit_wait: float | None = None,
    via: CallbackReceiver | None = None,
    callback: str | None = None,
    unique_id: str | None = None,
    upload_qps: float | None = None,
    recursive: bool = False,
    initial_interval: float = DEFAULT_INITIAL_INTERVAL,
    max_interval: float = DEFAULT_MAX_INTERVAL,
    on_progress: IngestHook | None = None,
) -> list[IngestResult]:
    """Blocking form of :func:`aingest` (runs its own event loop: call it from sync code).

    A sync client is mirrored by an async twin sharing its credentials and rate limiter.
    """

    async def run() -> list[IngestResult]:
        own = isinstance(client, MemoriesClient)
        aclient = async_twin(client) if isinstance(client, MemoriesClient) else client
        try:
            return await aingest(
                aclient,
                items,
                concurrency=concurrency,
                wait=wait,
                timeout=timeout,
                rate_limit_wait=rate_limit_wait,
                via=via,
                callback=callback,
                unique_id=unique_id,
                upload_qps=upload_qps,
                recursive=recursive,
                initial_interval=initial_interval,
                max_interval=max_interval,
                on_progress=on_progress,
            )
        finally:
            if own:
                await aclient.aclose()

    return asyncio.run(run())
