"""``memories upload``: files, directories and URLs, concurrently, with progress bars."""

from __future__ import annotations

import argparse
import shlex
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memories_integrations._client.ingest import (
    IngestProgress,
    IngestResult,
    expand_sources,
    ingest,
)
from memories_integrations._lifecycle import plan
from memories_integrations._lifecycle.receiver import CallbackReceiver
from memories_integrations.cli._errors import EXIT_INTERRUPTED, EXIT_OK, UsageError, exit_code_for
from memories_integrations.cli._output import Output
from memories_integrations.models import hhmmss

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

Add = Callable[..., argparse.ArgumentParser]

_STAGE_STYLE = {
    "queued": "[dim]queued[/]",
    "waiting": "[magenta]waiting for the upload limit[/]",
    "uploading": "[cyan]uploading[/]",
    "encoding": "[yellow]encoding[/]",
    "ready": "[green]ready[/]",
    "failed": "[red]failed[/]",
}
_SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def stage_text(fields: dict[str, Any], now: float) -> str:
    """The stage cell, computed at each refresh: a countdown while waiting for the upload
    limit, a spinner and the time spent encoding, so the screen moves while the batch waits."""
    stage = str(fields.get("stage", ""))
    text = _STAGE_STYLE.get(stage, "")
    if stage == "waiting":
        left = max(0.0, float(fields.get("wait_until", now)) - now)
        text += f" [dim]({left:.0f} s)[/]"
    elif stage == "encoding":
        since = float(fields.get("encoding_since", now))
        frame = _SPINNER[int(now * 10) % len(_SPINNER)]
        text = f"{frame} {text} [dim]{hhmmss(max(0.0, now - since))}[/]"
        if fields.get("status"):
            text += f" [dim]({fields['status']})[/]"
    elif stage == "failed" and fields.get("error"):
        text += f" [red]{fields['error']}[/]"
    return text


class BatchView:
    """One rich progress bar per item: bytes while uploading, then the encoding state."""

    def __init__(self, out: Output, *, clock: Callable[[], float] = time.monotonic) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            ProgressColumn,
            Task,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.text import Text

        class StageColumn(ProgressColumn):
            def render(self, task: Task) -> Text:
                return Text.from_markup(stage_text(task.fields, clock()))

        self.clock = clock
        self.progress: Progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            StageColumn(),
            TimeElapsedColumn(),
            console=out.err,
            transient=False,
            refresh_per_second=4,
        )
        self._tasks: dict[int, TaskID] = {}

    def __enter__(self) -> BatchView:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, event: IngestProgress) -> None:
        name = _label(event.source)
        if event.index not in self._tasks:
            self._tasks[event.index] = self.progress.add_task(name, total=None, stage="")
        task = self._tasks[event.index]
        previous = self.progress.tasks[self._index(task)].fields
        fields: dict[str, Any] = {"stage": event.stage}
        now = self.clock()
        if event.stage == "waiting":
            fields["wait_until"] = now + event.wait_seconds
        if event.stage == "encoding":
            fields["encoding_since"] = (
                previous["encoding_since"] if previous.get("stage") == "encoding" else now
            )
            fields["status"] = event.status.value if event.status is not None else ""
        if event.stage == "failed" and event.error is not None:
            fields["error"] = type(event.error).__name__
        if event.bytes_total:
            fields.update(total=event.bytes_total, completed=event.bytes_sent)
        if event.stage == "ready":
            done = self.progress.tasks[self._index(task)].total
            fields.update(total=done or 1, completed=done or 1)
        self.progress.update(task, **fields)

    def stage_of(self, index: int) -> str:
        """The stage cell of item ``index`` as it renders now (markup)."""
        task = self.progress.tasks[self._index(self._tasks[index])]
        return stage_text(task.fields, self.clock())

    def _index(self, task: TaskID) -> int:
        return next(i for i, t in enumerate(self.progress.tasks) if t.id == task)


def _label(source: str) -> str:
    return source if source.startswith(("http://", "https://")) else Path(source).name


def print_results(out: Output, results: Sequence[IngestResult]) -> int:
    """Table (or JSON) of the batch; the exit code of the first failure, else 0."""
    if out.json:
        out.emit([r.to_dict() for r in results])
    else:
        rows = [
            (
                _label(r.source),
                r.video_no or "",
                r.status.value if r.status else "",
                "" if r.error is None else str(r.error).split(" | ")[0],
            )
            for r in results
        ]
        out.table(None, ["source", "video", "status", "error"], rows)
    failed = next((r for r in results if r.error is not None), None)
    return EXIT_OK if failed is None or failed.error is None else exit_code_for(failed.error)


class Created:
    """Every video the batch created so far (from its progress events), so that an interrupt
    can still say which videos exist (they keep encoding on the server) and which may: an
    upload interrupted after its bytes went out may have created a video whose number the
    answer would have carried."""

    def __init__(self) -> None:
        self.forward: Callable[[IngestProgress], None] | None = None  # e.g. the progress bars
        self.items: dict[int, dict[str, Any]] = {}
        self.sending: dict[int, str] = {}  # index -> source, upload under way, no number yet

    def __call__(self, event: IngestProgress) -> None:
        if event.video_no:
            self.sending.pop(event.index, None)
            self.items[event.index] = {
                "source": event.source,
                "video_no": event.video_no,
                "status": event.status.value if event.status else None,
            }
        elif event.stage == "uploading" and event.bytes_sent > 0:
            self.sending[event.index] = event.source
        elif event.stage in ("failed", "queued", "waiting"):
            self.sending.pop(event.index, None)
        if self.forward is not None:
            self.forward(event)

    def report_interrupt(self, out: Output) -> int:
        created = [self.items[i] for i in sorted(self.items)]
        maybe = [
            {"source": source, "find_with": _find_hint(source)}
            for i, source in sorted(self.sending.items())
        ]
        if out.json:  # still exactly one JSON document on stdout
            out.emit({"ok": False, "error": "interrupted", "created": created, "maybe": maybe})
            return EXIT_INTERRUPTED
        if created:
            rows = [(_label(c["source"]), c["video_no"], c["status"] or "") for c in created]
            out.table("created before the interrupt", ["source", "video", "status"], rows)
        if maybe:
            out.table(
                "maybe created (interrupted after the upload was sent)",
                ["source", "find it with"],
                [(_label(m["source"]), m["find_with"]) for m in maybe],
            )
        message = f"interrupted: {len(created)} video(s) created keep encoding on the server"
        if created:
            message += " (listed above)"
        if maybe:
            message += f"; {len(maybe)} more may have been created (see how to find them above)"
        out.error(message)
        return EXIT_INTERRUPTED


def _find_hint(source: str) -> str:
    if source.startswith(("http://", "https://")):
        return "memories list --status UNPARSE"
    return f"memories list --name {shlex.quote(Path(source).stem)}"


def run_batch(
    client: Any,
    sources: Sequence[str],
    out: Output,
    *,
    wait: bool,
    timeout: float,
    concurrency: int,
    rate_limit_wait: float | None = None,
    via: CallbackReceiver | None = None,
    callback: str | None = None,
    initial_interval: float | None = None,
    show_progress: bool = True,
    created: Created | None = None,
) -> list[IngestResult]:
    if initial_interval is None:  # the client's default first check (looked up when called)
        initial_interval = plan.DEFAULT_INITIAL_INTERVAL
    view: AbstractContextManager[BatchView | None] = (
        BatchView(out) if show_progress and not out.json else nullcontext()
    )
    with view as bars:
        hook = bars.update if bars is not None else None
        if created is not None:  # records video numbers, then passes the event on
            created.forward, hook = hook, created
        return ingest(
            client,
            list(sources),
            wait=wait,
            timeout=timeout,
            concurrency=concurrency,
            rate_limit_wait=rate_limit_wait,
            via=via,
            callback=callback,
            initial_interval=initial_interval,
            max_interval=max(initial_interval, 15.0),
            on_progress=hook,
        )


def upload(args: argparse.Namespace, out: Output) -> int:
    from memories_integrations.cli._commands import make_client

    if not expand_sources(args.sources):  # only empty folders: say so, do not print an empty table
        raise UsageError(
            f"no video files in {', '.join(args.sources)} (folders are searched for video "
            "files by extension, not recursively)"
        )
    if args.poll_interval is not None and not args.poll_interval > 0:
        raise UsageError(f"--poll-interval must be > 0 seconds, got {args.poll_interval}")
    created = Created()
    try:
        with make_client(args) as client:
            results = run_batch(
                client,
                args.sources,
                out,
                wait=args.wait,
                timeout=args.timeout,
                concurrency=args.concurrency,
                rate_limit_wait=args.rate_limit_wait,
                callback=args.callback_url,
                initial_interval=args.poll_interval,
                show_progress=not args.no_progress,
                created=created,
            )
    except KeyboardInterrupt:  # Ctrl-C: never lose the video numbers already created
        return created.report_interrupt(out)
    return print_results(out, results)


def register(add: Add) -> None:
    p = add("upload", "upload video files, directories or URLs", upload)
    p.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--wait", action="store_true", help="wait until every video is encoded")
    p.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds each video may take to encode once uploaded (default 600)",
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        metavar="SECONDS",
        help="with --wait: seconds between the first status checks, longer after (default 1)",
    )
    p.add_argument("-j", "--concurrency", type=int, default=4)
    p.add_argument(
        "--rate-limit-wait",
        type=float,
        metavar="SECONDS",
        help="longest each video waits its turn for the upload rate limit (1 per minute; "
        "default: as long as needed, with a countdown; 0: fail at once)",
    )
    p.add_argument(
        "--callback-url",
        metavar="URL",
        help="your public URL that memories.ai POSTs each video's status to when encoding ends",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
