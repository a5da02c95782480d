"""Library commands: status, list, search, chat, transcript, delete."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._tools._sync.operations import known_metadata
from memories_integrations.cli._errors import (
    EXIT_OK,
    EXIT_PROCESSING,
    Aborted,
    NotFound,
    UsageError,
)
from memories_integrations.cli._output import (
    Output,
    hit_dict,
    literal,
    moments_table,
    plain,
    time_range,
)
from memories_integrations.errors import ConflictError, NotFoundError
from memories_integrations.models import TaskStatus, VideoMetadata, VideoStatus, hhmmss

Add = Callable[..., argparse.ArgumentParser]


def make_client(args: argparse.Namespace) -> MemoriesClient:
    kwargs: dict[str, Any] = {"api_key": args.api_key, "base_url": args.base_url}
    if args.unique_id:
        kwargs["unique_id"] = args.unique_id
    return MemoriesClient(**kwargs)


# ------------------------------------------------------------------------------ status
def _metadata(client: MemoriesClient, video_no: str) -> VideoMetadata:
    # NotFoundError (exit 4) also for data: null of a number the namespace does not list.
    return known_metadata(client, video_no, None)


def _meta_row(meta: VideoMetadata) -> dict[str, Any]:
    return {
        "video_no": meta.video_no,
        "video_name": meta.video_name,
        "status": meta.status.value,
        "duration": meta.duration,
        "cause": meta.cause,
    }


def status(args: argparse.Namespace, out: Output) -> int:
    if not args.video_nos and not args.task:
        raise UsageError("give video numbers or --task TASK_ID")
    with make_client(args) as client:
        if args.task:
            task = (
                client.wait_for_ready(task_id=args.task, timeout=args.timeout)
                if args.wait
                else client.get_task_status(args.task)
            )
            return _print_task(out, task)
        rows = []
        for video_no in args.video_nos:
            meta = (
                client.wait_for_ready(video_no, timeout=args.timeout)
                if args.wait
                else _metadata(client, video_no)
            )
            rows.append(_meta_row(meta))
    if out.json:
        out.emit(rows)
    else:
        out.table(
            None,
            ["video", "name", "status", "duration", "cause"],
            [
                (
                    r["video_no"],
                    r["video_name"],
                    r["status"],
                    hhmmss(r["duration"]) if r["duration"] else "",
                    r["cause"],
                )
                for r in rows
            ],
        )
    failed = any(r["status"] == VideoStatus.PARSE_ERROR.value for r in rows)
    return EXIT_PROCESSING if failed and args.wait else EXIT_OK


def _print_task(out: Output, task: TaskStatus) -> int:
    videos = [{"video_no": v.video_no, "status": v.status.value} for v in task.videos]
    if out.json:
        out.emit({"task_id": task.task_id, "videos": videos})
    else:
        out.table(
            f"task {task.task_id}",
            ["video", "status"],
            [(v["video_no"], v["status"]) for v in videos],
        )
    return EXIT_OK


# ------------------------------------------------------------------------------ list
def list_videos(args: argparse.Namespace, out: Output) -> int:
    with make_client(args) as client:
        filters = {"status": args.status, "video_name": args.name}
        if args.all:
            videos = list(client.iter_videos(**filters))
        else:
            videos = client.list_videos(page=args.page, size=args.size, **filters).videos
    rows: list[dict[str, Any]] = [
        {
            "video_no": v.video_no,
            "video_name": v.video_name,
            "status": v.status.value,
            "duration": v.duration,
            "create_time": v.create_time,
        }
        for v in videos
    ]
    if out.json:
        out.emit(rows)
    else:
        out.table(
            f"{len(rows)} video(s)",
            ["video", "name", "status", "duration"],
            [
                (
                    r["video_no"],
                    r["video_name"],
                    r["status"],
                    hhmmss(r["duration"]) if r["duration"] else "",
                )
                for r in rows
            ],
        )
    return EXIT_OK


# ------------------------------------------------------------------------------ search
def search(args: argparse.Namespace, out: Output) -> int:
    with make_client(args) as client:
        hits = client.search(
            args.query, search_type=args.type, top_k=args.top_k, video_nos=args.video or None
        )
    moments = [hit_dict(i, h) for i, h in enumerate(hits, 1)]
    if out.json:
        out.emit({"query": args.query, "results": moments})
    elif not moments:
        out.out.print("no matching moments")
    else:
        moments_table(out, f"moments for “{args.query}”", moments)
    return EXIT_OK


# ------------------------------------------------------------------------------ chat
def chat(args: argparse.Namespace, out: Output) -> int:
    from memories_integrations._transport.streaming import ChatAggregator
    from memories_integrations.models import ContentEvent

    with make_client(args) as client:
        # Checked first: the chat stream reports unknown videos as a generic stream error, and
        # a chat request spends one of the few chat slots a minute.
        for video_no in args.video or []:
            _metadata(client, video_no)  # NotFoundError: exit 4
        video_nos = (
            args.video
            or [v.video_no for v in client.iter_videos(status="PARSE") if v.status.is_ready][:20]
        )
        if not video_nos:
            raise UsageError("no ready videos to chat about: upload some or pass --video")
        acc = ChatAggregator()
        for event in client.chat_stream(video_nos, args.prompt, session_id=args.session):
            acc.add(event)
            if not out.json and isinstance(event, ContentEvent):
                sys.stdout.write(plain(event.content))  # as it arrives; no escape sequences
                sys.stdout.flush()
        answer = acc.result()
    citations: list[dict[str, Any]] = [
        {
            "video_no": m.video_no,
            "type": m.type,
            "start": m.start_time,
            "end": m.end_time,
            "start_timestamp": m.start_timestamp,
            "end_timestamp": m.end_timestamp,
            "text": m.text,
        }
        for m in answer.moments
    ]
    if out.json:
        out.emit(
            {"answer": answer.content, "session_id": answer.session_id, "citations": citations}
        )
        return EXIT_OK
    out.out.print()
    if answer.session_id:  # what --session needs to continue this conversation
        out.err.print(literal(f"session {answer.session_id} (continue with --session)"))
    if citations:
        out.table(
            "citations",
            ["video", "time", "kind", "text"],
            [
                (c["video_no"], time_range(c["start"], c["end"]), c["type"], c["text"] or "")
                for c in citations
            ],
        )
    return EXIT_OK


# ------------------------------------------------------------------------------ transcript
def transcript(args: argparse.Namespace, out: Output) -> int:
    with make_client(args) as client:
        if args.kind == "audio":
            result = client.get_audio_transcription(args.video_no)
        else:
            result = client.get_video_transcription(args.video_no)
    segments: list[dict[str, Any]] = [
        {"start": s.start_time, "end": s.end_time, "text": s.text} for s in result.segments
    ]
    if out.json:
        out.emit({"video_no": args.video_no, "kind": args.kind, "segments": segments})
    elif not segments:
        out.out.print("no transcript (no audio track, or not ready yet)")
    else:
        for s in segments:
            line = literal(f"{time_range(s['start'], s['end'])}  ")
            line.stylize("cyan", 0, len(line) - 2)
            out.out.print(line + literal(s["text"]))  # server text: never markup
    return EXIT_OK


# ------------------------------------------------------------------------------ delete
def _exists(client: MemoriesClient, video_no: str) -> bool:
    try:
        known_metadata(client, video_no, None)  # data: null alone may be a video not parsed yet
    except NotFoundError:
        return False
    return True


def delete(args: argparse.Namespace, out: Output) -> int:
    if not args.yes:
        if out.json:
            raise UsageError("--json needs --yes for delete (no interactive confirmation)")
        prompt = f"Delete {len(args.video_nos)} video(s): {', '.join(args.video_nos)}? [y/N] "
        sys.stderr.write(prompt)
        sys.stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            raise Aborted("nothing deleted")
    with make_client(args) as client:
        # Checked first: the live API answers success for an unknown video (delete is
        # idempotent), so a mistyped id would otherwise read as "deleted".
        missing = [v for v in args.video_nos if not _exists(client, v)]
        if missing:
            raise NotFound(f"not found: {', '.join(missing)} (nothing deleted)")
        try:
            client.delete_videos(args.video_nos)
        except ConflictError as exc:  # 0409 from older servers; the live API is idempotent
            raise NotFound(
                f"not deleted: {', '.join(args.video_nos)} (already deleted or not found)"
            ) from exc
    if out.json:
        out.emit({"deleted": args.video_nos})
    else:
        out.out.print(f"deleted {len(args.video_nos)} video(s)")
    return EXIT_OK


def register(add: Add) -> None:
    p = add("status", "show (or --wait for) the encoding status of videos or a task", status)
    p.add_argument("video_nos", nargs="*", metavar="VIDEO_NO")
    p.add_argument("--task", help="a platform import task id instead of video numbers")
    p.add_argument("--wait", action="store_true", help="wait until ready (or failed)")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait (default 600)")

    p = add("list", "list the videos of the library", list_videos)
    p.add_argument("--status", choices=["UNPARSE", "PARSE", "PARSE_ERROR"])
    p.add_argument("--name", help="filter by (part of) the video name")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--size", type=int, default=20)
    p.add_argument("--all", action="store_true", help="every page")

    p = add("search", "find timestamped moments matching a query", search)
    p.add_argument("query")
    p.add_argument("-k", "--top-k", type=int, default=5)
    p.add_argument(
        "--type",
        default="BY_CLIP",
        choices=["BY_CLIP", "BY_VIDEO", "BY_AUDIO", "BY_CAPTION", "BY_IMAGE"],
    )
    p.add_argument("--video", action="append", metavar="VIDEO_NO", help="limit to this video")

    p = add("chat", "ask about videos; the answer streams with cited moments", chat)
    p.add_argument("prompt")
    p.add_argument(
        "--video",
        action="append",
        metavar="VIDEO_NO",
        help="video to ask about (repeat; default: up to 20 ready videos)",
    )
    p.add_argument("--session", help="continue a chat session")

    p = add("transcript", "print the transcript of a video with timestamps", transcript)
    p.add_argument("video_no")
    p.add_argument(
        "--kind",
        choices=["audio", "video"],
        default="audio",
        help="audio: speech to text (default); video: scene descriptions",
    )

    p = add("delete", "delete videos (asks for confirmation unless --yes)", delete)
    p.add_argument("video_nos", nargs="+", metavar="VIDEO_NO")
    p.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
