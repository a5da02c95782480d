"""Waiting for encoding, written once for both clients.

``WaitPlan`` is sans-IO: it owns the deadline, the poll back-off and the decision "ready /
failed / keep waiting" for a video (``get_metadata``) or a platform task
(``get_video_ids_by_task_id``). The sync and async clients only send the status request and sleep
(or wait for a callback) for as long as the plan says.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import httpx

from memories_integrations import errors as e
from memories_integrations._transport.limits import Deadline
from memories_integrations.models._status import VideoStatus

if TYPE_CHECKING:
    from memories_integrations.models import TaskStatus, VideoMetadata, VideoPage

log = logging.getLogger("memories_integrations")

DEFAULT_WAIT_TIMEOUT = 600.0
DEFAULT_INITIAL_INTERVAL = 1.0
DEFAULT_MAX_INTERVAL = 15.0
BACKOFF_FACTOR = 1.6
# Never ask the server for a status answer slower than this, however much time is left.
MIN_REQUEST_TIMEOUT = 1.0
# get_metadata answers ``data: null`` until PARSE, so a video that fails may never show its
# status there: every this many null answers in a row (and near the deadline) the waiter reads
# the video's list_videos row instead (the v1.2 way to read one video's status).
LIST_FALLBACK_EVERY = 3

Source = Literal["upload", "poll", "callback"]


@dataclass(frozen=True)
class WaitProgress:
    """One observation while waiting; passed to ``on_progress``."""

    video_no: str | None
    task_id: str | None
    status: VideoStatus
    source: Source
    elapsed: float
    polls: int
    #: Seconds until the next status check (None once the wait is over).
    next_check_in: float | None = None
    #: Platform tasks: videos produced so far and how many of them are ready.
    videos_total: int = 0
    videos_ready: int = 0


ProgressHook = Callable[[WaitProgress], None]


def wait_deadline(timeout: float | None) -> Deadline:
    """The deadline of a wait for encoding (``timeout=None`` never expires)."""
    if timeout is not None and (math.isnan(timeout) or timeout < 0):
        raise e.InvalidInputError("timeout must be >= 0 seconds", param="timeout")
    return Deadline(timeout)


class PollSchedule:
    """Exponential back-off between status checks: initial, x1.6, ... capped at ``maximum``."""

    def __init__(
        self,
        initial: float = DEFAULT_INITIAL_INTERVAL,
        maximum: float = DEFAULT_MAX_INTERVAL,
        factor: float = BACKOFF_FACTOR,
    ) -> None:
        if not initial > 0:
            raise e.InvalidInputError("initial_interval must be > 0", param="initial_interval")
        if not maximum >= initial:
            raise e.InvalidInputError(
                "max_interval must be >= initial_interval", param="max_interval"
            )
        self.initial, self.maximum, self.factor = initial, maximum, factor
        self._next = initial

    def next(self) -> float:
        current = self._next
        self._next = min(self.maximum, self._next * self.factor)
        return current


# Words of an error message that means "not parsed yet" rather than a real failure. No code
# is documented for it, so the message is all there is (a not-found answer still fails fast).
_NOT_READY_WORDS = ("not parsed", "not ready", "unparse", "still processing", "being processed")


def still_encoding(exc: BaseException) -> bool:
    """A status answer that only says the video is not ready yet."""
    if not isinstance(exc, e.InvalidRequestError) or isinstance(exc, e.NotFoundError):
        return False
    text = str(exc).lower()
    return any(word in text for word in _NOT_READY_WORDS)


def answered_null(meta: VideoMetadata) -> bool:
    """``get_metadata``'s reading of ``data: null``: UNPARSE with only ``video_no`` known."""
    return meta.status is VideoStatus.UNPARSE and meta.model_fields_set <= {"video_no", "status"}


class WaitPlan:
    """State of one wait for a video (``video_no``) or a platform task (``task_id``)."""

    def __init__(
        self,
        *,
        video_no: str | None,
        task_id: str | None,
        deadline: Deadline,
        schedule: PollSchedule,
        on_progress: ProgressHook | None = None,
    ) -> None:
        if (video_no is None) == (task_id is None):
            raise e.InvalidInputError(
                "wait_for_ready needs exactly one of video_no or task_id", param="video_no"
            )
        for name, value in (("video_no", video_no), ("task_id", task_id)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise e.InvalidInputError(f"{name} must be a non-empty string", param=name)
        self.video_no = video_no
        self.task_id = task_id
        self.deadline = deadline
        self.schedule = schedule
        self.on_progress = on_progress
        self.polls = 0
        self.last_status: VideoStatus | None = None
        self._last_error: BaseException | None = None
        # Platform tasks: latest known status of each produced video, and the last answer.
        self._task_videos: dict[str, VideoStatus] = {}
        self._task: TaskStatus | None = None
        # Null get_metadata answers in a row, per video (the list_videos fallback).
        self._null_answers: dict[str, int] = {}

    @classmethod
    def create(
        cls,
        video_no: str | None,
        task_id: str | None,
        *,
        timeout: float | None,
        initial_interval: float,
        max_interval: float,
        on_progress: ProgressHook | None,
        deadline: Deadline | None = None,
    ) -> WaitPlan:
        return cls(
            video_no=video_no,
            task_id=task_id,
            deadline=deadline or wait_deadline(timeout),
            schedule=PollSchedule(initial_interval, max_interval),
            on_progress=on_progress,
        )

    # -- what to send --------------------------------------------------------------------
    def request_timeout(self, client_timeout: httpx.Timeout) -> httpx.Timeout:
        """The status request may not outlive the deadline (but gets at least 1 s)."""
        left = max(self.deadline.remaining(), MIN_REQUEST_TIMEOUT)
        read = client_timeout.read
        return httpx.Timeout(
            min(read, left) if read is not None else left,
            connect=min(client_timeout.connect or left, left),
        )

    # -- decisions -----------------------------------------------------------------------
    def observe_video(self, meta: VideoMetadata) -> bool:
        """True when ready; raises ProcessingError when encoding failed."""
        self.polls += 1
        status = meta.status
        if status.is_failed:
            self._report(status, "poll", None)
            cause = f": {meta.cause}" if meta.cause else ""
            raise e.ProcessingError(
                f"video {meta.video_no} failed to encode{cause}", video_no=meta.video_no
            )
        done = status.is_ready
        self._report(status, "poll", None if done else self._peek())
        return done

    def wants_listing(self, meta: VideoMetadata) -> bool:
        """Whether to read this video's status from ``list_videos``: get_metadata answered
        ``data: null`` for the LIST_FALLBACK_EVERY-th time in a row, or time is nearly up."""
        if not answered_null(meta):
            self._null_answers.pop(meta.video_no, None)
            return False
        count = self._null_answers.get(meta.video_no, 0) + 1
        self._null_answers[meta.video_no] = count
        # The next pause reaches the deadline: at least one listing before the wait gives up.
        last_chance = self.deadline.remaining() <= self.schedule._next
        return count % LIST_FALLBACK_EVERY == 0 or last_chance

    @staticmethod
    def listed(meta: VideoMetadata, page: VideoPage) -> VideoMetadata:
        """The video's ``list_videos`` row as metadata; ``meta`` itself when it has no row
        (the server may ignore the video_no filter, so rows are matched by number)."""
        for row in page.videos:
            if row.video_no == meta.video_no:
                from memories_integrations.models import VideoMetadata

                return VideoMetadata.model_validate(row.model_dump())
        return meta

    def observe_task(self, task: TaskStatus) -> list[str]:
        """Record a task-status answer; returns the videos whose own status must be polled.

        The Get-task-status page lists produced ids without a status: those videos are
        checked with ``get_metadata`` (``observe_task_video``). Statuses the answer does carry
        are used as they are. Raises ProcessingError when the task or a video failed.
        """
        self.polls += 1
        self._task = task
        if VideoStatus.parse(task.status).is_failed:
            self._report(VideoStatus.PARSE_ERROR, "poll", None)
            raise e.ProcessingError(f"task {self.task_id} failed")
        to_poll = []
        for video in task.videos:
            known = self._task_videos.get(video.video_no, VideoStatus.UNKNOWN)
            if known.is_ready or known.is_failed:
                continue  # a final status never goes back
            if video.status is VideoStatus.UNKNOWN:
                to_poll.append(video.video_no)
                self._task_videos[video.video_no] = known
            else:
                self._observe_task_status(video.video_no, video.status)
        return to_poll

    def observe_task_video(self, meta: VideoMetadata) -> None:
        """The own status of one video of the task (ids-only task answers)."""
        self._observe_task_status(meta.video_no, meta.status, meta.cause)

    def task_result(self) -> TaskStatus | None:
        """The task status with every video's status filled in once all are PARSE; None
        while some are still encoding (or none was produced yet)."""
        task = self._task
        states = self._task_videos
        done = task is not None and bool(states) and all(s.is_ready for s in states.values())
        status = VideoStatus.PARSE if done else VideoStatus.UNPARSE
        self._report(status, "poll", None if done else self._peek())
        if not done or task is None:
            return None
        videos = [v.model_copy(update={"status": states[v.video_no]}) for v in task.videos]
        return task.model_copy(update={"videos": videos})

    def _observe_task_status(
        self, video_no: str, status: VideoStatus, cause: str | None = None
    ) -> None:
        self._task_videos[video_no] = status
        if status.is_failed:
            self._report(VideoStatus.PARSE_ERROR, "poll", None)
            why = f": {cause}" if cause else ""
            raise e.ProcessingError(
                f"video {video_no} of task {self.task_id} failed to encode{why}",
                video_no=video_no,
            )

    def poll_failed(self, exc: BaseException) -> None:
        """A status request failed. Transient failures are retried until the deadline; others
        (not found, auth, bad input) end the wait at once."""
        if self.video_no is not None and still_encoding(exc):
            # Current Get-metadata page: "an error code" may stand for "not parsed yet".
            self.polls += 1
            self._report(VideoStatus.UNPARSE, "poll", self._peek())
            return
        transient = isinstance(exc, (e.APIConnectionError, e.ServerError, e.RateLimitError))
        if not transient or isinstance(exc, e.WaitTimeoutError):
            raise exc
        if self.deadline.expired():
            raise self.timeout_error() from exc
        self._last_error = exc
        log.info("status check for %s failed (%s); will retry", self._subject(), exc)

    def callback_received(self, status: VideoStatus) -> None:
        self._report(status, "callback", 0.0)

    def uploaded(self, status: VideoStatus) -> None:
        self._report(status, "upload", self._peek())

    def next_delay(self) -> float:
        """Seconds to sleep before the next check; raises WaitTimeoutError when out of time."""
        if self.deadline.expired():
            raise self.timeout_error()
        return min(self.schedule.next(), self.deadline.remaining())

    def check_deadline(self) -> None:
        if self.deadline.expired():
            raise self.timeout_error()

    def timeout_error(self) -> e.WaitTimeoutError:
        status = self.last_status.value if self.last_status is not None else None
        how = f"after {self.deadline.elapsed():.1f}s (last status {status or 'unknown'})"
        resume = f"wait_for_ready({self._subject()})"
        return e.WaitTimeoutError(
            f"{self._subject()} was not ready {how}; resume with {resume}",
            video_no=self.video_no,
            task_id=self.task_id,
            last_status=status,
        )

    # -- internals -----------------------------------------------------------------------
    def _subject(self) -> str:
        return f"video_no={self.video_no!r}" if self.video_no else f"task_id={self.task_id!r}"

    def _peek(self) -> float:
        # The interval the next ``next_delay`` will hand out (bounded by the deadline).
        return min(self.schedule._next, self.deadline.remaining())

    def _report(self, status: VideoStatus, source: Source, next_check_in: float | None) -> None:
        self.last_status = status
        if self.on_progress is None:
            return
        states = list(self._task_videos.values())
        self.on_progress(
            WaitProgress(
                video_no=self.video_no,
                task_id=self.task_id,
                status=status,
                source=source,
                elapsed=self.deadline.elapsed(),
                polls=self.polls,
                next_check_in=next_check_in,
                videos_total=len(states),
                videos_ready=sum(1 for state in states if state.is_ready),
            )
        )
