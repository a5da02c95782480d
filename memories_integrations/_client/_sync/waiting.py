# Generated from _client/_async/waiting.py by scripts/unasync.py: edit that file, not this one.
"""Waiting for encoding (polling, callbacks, one deadline)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, overload

from memories_integrations import errors as e
from memories_integrations._client._sync.resource import Resource
from memories_integrations._endpoints import imports as imports_api
from memories_integrations._endpoints import videos as videos_api
from memories_integrations._lifecycle.plan import (
    DEFAULT_INITIAL_INTERVAL,
    DEFAULT_MAX_INTERVAL,
    DEFAULT_WAIT_TIMEOUT,
    ProgressHook,
    WaitPlan,
    log,
)
from memories_integrations._transport.limits import Deadline

if TYPE_CHECKING:  # annotations only: models load on first use (issue 10)
    from memories_integrations._lifecycle.receiver import CallbackReceiver
    from memories_integrations.models import TaskStatus, UploadResult, VideoMetadata


class WaitMethods(Resource):
    """Waiting for encoding (polling, callbacks, one deadline)."""

    @overload
    def wait_for_ready(
        self,
        video_no: str,
        *,
        task_id: None = None,
        timeout: float | None = ...,
        initial_interval: float = ...,
        max_interval: float = ...,
        on_progress: ProgressHook | None = ...,
        via: CallbackReceiver | None = ...,
        unique_id: str | None = ...,
    ) -> VideoMetadata: ...

    @overload
    def wait_for_ready(
        self,
        video_no: None = None,
        *,
        task_id: str,
        timeout: float | None = ...,
        initial_interval: float = ...,
        max_interval: float = ...,
        on_progress: ProgressHook | None = ...,
        via: CallbackReceiver | None = ...,
        unique_id: str | None = ...,
    ) -> TaskStatus: ...

    def wait_for_ready(
        self,
        video_no: str | None = None,
        *,
        task_id: str | None = None,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        initial_interval: float = DEFAULT_INITIAL_INTERVAL,
        max_interval: float = DEFAULT_MAX_INTERVAL,
        on_progress: ProgressHook | None = None,
        via: CallbackReceiver | None = None,
        unique_id: str | None = None,
    ) -> VideoMetadata | TaskStatus:
        """Wait until a video (``video_no``) or every video of a platform task (``task_id``)
        is PARSE; returns its metadata (or the task status).

        Polls ``get_metadata`` with back-off from ``initial_interval`` to ``max_interval``
        seconds; ``data: null`` (not parsed yet) counts as still encoding, and every third
        null answer in a row (and near the deadline) the video's ``list_videos`` row is read,
        so a video that failed behind ``data: null`` still ends the wait. A task is polled
        with ``get_video_ids_by_task_id``; produced videos listed without a status are
        checked one by one with ``get_metadata``, and the returned task status carries every
        video's status. A task's SUCCEEDED (downloaded) is not ready. ``via``: a
        CallbackReceiver whose callbacks end each pause early (polling
        remains the fallback). Raises ProcessingError on a failed encoding and, after
        ``timeout`` seconds, WaitTimeoutError carrying the id to resume with.
        """
        plan = WaitPlan.create(
            video_no,
            task_id,
            timeout=timeout,
            initial_interval=initial_interval,
            max_interval=max_interval,
            on_progress=on_progress,
        )
        return self._wait(plan, via, unique_id)

    def _after_upload(
        self,
        result: UploadResult,
        deadline: Deadline | None,
        via: CallbackReceiver | None,
        on_progress: ProgressHook | None,
        unique_id: str | None,
    ) -> UploadResult:
        if deadline is None:
            return result
        # The upload already spent part of the deadline; the wait gets what is left.
        plan = WaitPlan.create(
            result.video_no,
            None,
            timeout=None,
            initial_interval=DEFAULT_INITIAL_INTERVAL,
            max_interval=DEFAULT_MAX_INTERVAL,
            on_progress=on_progress,
            deadline=deadline,
        )
        plan.uploaded(result.status)
        meta = self._wait(plan, via, unique_id)
        from memories_integrations.models import VideoMetadata

        if not isinstance(meta, VideoMetadata):  # pragma: no cover - video plans return metadata
            raise TypeError("expected video metadata")
        return result.model_copy(update={"status": meta.status})

    def _wait(
        self, plan: WaitPlan, via: CallbackReceiver | None, unique_id: str | None
    ) -> VideoMetadata | TaskStatus:
        sub = via.subscribe(video_no=plan.video_no, task_id=plan.task_id) if via else None
        try:
            while True:
                result = self._check(plan, unique_id)
                if result is not None:
                    self._changed(unique_id)  # ready: now found by search
                    return result
                delay = plan.next_delay()
                if sub is None:
                    time.sleep(delay)
                    continue
                # A callback only ends the pause early: the next poll confirms it, so a
                # forged or stale callback can never complete a wait on its own.
                for event in sub.wait(delay):
                    plan.callback_received(event.status)
        finally:
            if sub is not None:
                sub.close()

    def _check(
        self, plan: WaitPlan, unique_id: str | None
    ) -> VideoMetadata | TaskStatus | None:
        ns = self._ns(unique_id)
        try:
            if plan.video_no is not None:
                meta = self._status(plan, plan.video_no, ns)
                return meta if plan.observe_video(meta) else None
            task_call = imports_api.task_status(plan.task_id or "", unique_id=ns)
            task = self._send(task_call, timeout=plan.request_timeout(self.timeout))
            # Ids without a status (the documented shape): ask each video itself.
            for video_no in plan.observe_task(task):
                plan.observe_task_video(self._status(plan, video_no, ns))
        except e.ProcessingError:
            raise
        except e.MemoriesError as exc:
            plan.poll_failed(exc)
            return None
        return plan.task_result()

    def _status(self, plan: WaitPlan, video_no: str, ns: str) -> VideoMetadata:
        """One video's status: get_metadata, and its list_videos row now and then while
        get_metadata only answers ``data: null`` (a failed video may never leave it)."""
        call = videos_api.get_metadata(video_no, unique_id=ns)
        meta = self._send(call, timeout=plan.request_timeout(self.timeout))
        if not plan.wants_listing(meta):
            return meta
        listing = videos_api.list_videos(
            unique_id=ns, page=1, size=20, video_name=None, video_no=video_no, status=None,
            filters={},
        )  # fmt: skip
        try:
            page = self._send(listing, timeout=plan.request_timeout(self.timeout))
        except e.MemoriesError as exc:
            # Only a second opinion: its failure must not end a wait get_metadata keeps going.
            log.info("list_videos status check for %s failed (%s)", video_no, exc)
            return meta
        return plan.listed(meta, page)
