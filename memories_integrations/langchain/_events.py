"""Progress of the long waits as LangChain custom events (``on_custom_event`` of a handler).

Uploads (bytes sent), encoding (each status check) and bulk loads (each video) are sent with
``dispatch_custom_event`` / ``adispatch_custom_event`` to the run they happen in: a tool's own
run, or the runnable a loader is called from. Outside any run nothing is sent (LangChain needs
a parent run for a custom event).
"""

from __future__ import annotations

import asyncio
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.callbacks.manager import adispatch_custom_event, dispatch_custom_event
from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import ensure_config, get_callback_manager_for_config

from memories_integrations._lifecycle.plan import WaitProgress
from memories_integrations._tools.bulk import LoadProgress

__all__ = [
    "ENCODING_EVENT",
    "LOAD_EVENT",
    "UPLOAD_EVENT",
    "AsyncEvents",
    "Events",
    "ProgressEvents",
    "current_run_config",
    "tool_run_config",
]

UPLOAD_EVENT = "memories_upload_progress"
"""Data: ``bytes_sent``, ``total_bytes``, ``percent`` (one event per 10 % and at the end)."""
ENCODING_EVENT = "memories_encoding_progress"
"""Data: ``video_no``, ``task_id``, ``status``, ``elapsed``, ``polls``, ``next_check_in``."""
LOAD_EVENT = "memories_load_progress"
"""Data: ``done``, ``total``, ``video_no``, ``failed`` (the error text, or None)."""


def tool_run_config(
    run_manager: CallbackManagerForToolRun | AsyncCallbackManagerForToolRun | None,
) -> RunnableConfig | None:
    """A config whose callbacks have the tool's run as parent (None: no run, no events)."""
    return None if run_manager is None else {"callbacks": run_manager.get_child()}


def current_run_config() -> RunnableConfig | None:
    """The config of the run this code is called from, if there is one."""
    config = ensure_config()
    return config if get_callback_manager_for_config(config).parent_run_id else None


def _encoding(p: WaitProgress) -> dict[str, Any]:
    return {
        "video_no": p.video_no,
        "task_id": p.task_id,
        "status": p.status.value,
        "elapsed": p.elapsed,
        "polls": p.polls,
        "next_check_in": p.next_check_in,
    }


def _load(p: LoadProgress) -> dict[str, Any]:
    failed = p.failure.error.message if p.failure is not None else None
    return {"done": p.done, "total": p.total, "video_no": p.video_no, "failed": failed}


class ProgressEvents:
    """The package's progress hooks, each turned into one kind of event."""

    _upload_step = -1  # the last tenth of an upload told

    def _emit(self, name: str, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def upload(self, sent: int, total: int) -> None:
        # Called per chunk: a large file would send thousands of events; a tenth is enough.
        step = sent * 10 // total if total else 10
        if step > self._upload_step or sent == total:
            self._upload_step = step
            percent = 100.0 * sent / total if total else 100.0
            self._emit(UPLOAD_EVENT, {"bytes_sent": sent, "total_bytes": total, "percent": percent})

    def encoding(self, progress: WaitProgress) -> None:
        self._emit(ENCODING_EVENT, _encoding(progress))

    def load(self, progress: LoadProgress) -> None:
        self._emit(LOAD_EVENT, _load(progress))


class Events(ProgressEvents):
    """Sync hooks dispatching to ``config``'s run."""

    def __init__(self, config: RunnableConfig) -> None:
        self._config = config

    def _emit(self, name: str, data: dict[str, Any]) -> None:
        dispatch_custom_event(name, data, config=self._config)


class AsyncEvents(ProgressEvents):
    """Async twin. The hooks are sync callables run on the event loop, so each event is a
    task; ``flush`` awaits them all, before the tool or load returns."""

    def __init__(self, config: RunnableConfig) -> None:
        self._config = config
        self._pending: list[asyncio.Task[None]] = []

    def _emit(self, name: str, data: dict[str, Any]) -> None:
        event = adispatch_custom_event(name, data, config=self._config)
        self._pending.append(asyncio.get_running_loop().create_task(event))

    async def flush(self) -> None:
        pending, self._pending = self._pending, []
        await asyncio.gather(*pending)
