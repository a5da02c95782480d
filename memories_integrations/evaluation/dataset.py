"""Labelled queries for moment-level evaluation: JSONL (one query a line) or CSV (one window a
row; rows sharing a query are one query with several windows).

JSONL row::

    {"query": "someone chops onions", "video": "cooking_demo.mp4", "start": 2, "end": 4}
    {"query": "...", "windows": [{"video_no": "VI1", "start": 0, "end": 2}, ...],
     "namespace": "default", "id": "q7"}

``video_no`` names the video directly; ``video`` is a file/video name the runner maps to one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from memories_integrations.errors import InvalidInputError

__all__ = [
    "DatasetError",
    "LabelledQuery",
    "Window",
    "load_dataset",
    "parse_csv",
    "parse_jsonl",
    "window_from_row",
]


class DatasetError(InvalidInputError):
    """A dataset row is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Window:
    """A relevant moment: ``video`` is a video_no, or a video name until the runner maps it."""

    video: str
    start: float
    end: float
    by_name: bool = False

    def to_dict(self) -> dict[str, Any]:
        key = "video" if self.by_name else "video_no"
        return {key: self.video, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class LabelledQuery:
    query: str
    windows: tuple[Window, ...]
    namespace: str | None = None
    id: str = ""
    line: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        """Identity of the query in caches and reports."""
        return self.id or f"{self.namespace or ''}\x1f{self.query}"

    @property
    def retrieval_key(self) -> str:
        """What a retriever sees (text and namespace): cached answers survive relabelling."""
        blob = json.dumps([self.query, self.namespace])
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _seconds(value: Any, name: str, where: str) -> float:
    if isinstance(value, bool):
        raise DatasetError(f"{where}: {name} must be a number of seconds; got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DatasetError(
            f"{where}: {name} must be a number of seconds; got {value!r}", param=name
        ) from None
    if not math.isfinite(number) or number < 0:
        raise DatasetError(f"{where}: {name} must be >= 0 seconds; got {value!r}", param=name)
    return number


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def window_from_row(
    raw: Mapping[str, Any], default_video: Window | None = None, where: str = "window"
) -> Window:
    """``{"video_no" | "video", "start", "end"}`` as a Window (DatasetError if malformed)."""
    video_no, name = _text(raw.get("video_no")), _text(raw.get("video"))
    if video_no and name:
        raise DatasetError(f"{where}: give video_no or video, not both")
    if not video_no and not name:
        if default_video is None:
            raise DatasetError(f"{where}: missing video_no (or video, a file name)")
        video_no, name = (
            (None, default_video.video)
            if default_video.by_name
            else (
                default_video.video,
                None,
            )
        )
    if "start" not in raw or "end" not in raw or raw["start"] in ("", None):
        raise DatasetError(f"{where}: a window needs start and end (seconds)")
    start = _seconds(raw.get("start"), "start", where)
    end = _seconds(raw.get("end"), "end", where)
    if end <= start:
        raise DatasetError(f"{where}: end ({end:g}) must be after start ({start:g})")
    return Window(video=str(video_no or name), start=start, end=end, by_name=name is not None)


def _query(raw: Any, where: str, line: int) -> LabelledQuery:
    if not isinstance(raw, Mapping):
        raise DatasetError(f"{where}: expected a JSON object; got {type(raw).__name__}")
    query = _text(raw.get("query"))
    if not query:
        raise DatasetError(f"{where}: missing query")
    windows_raw = raw.get("windows")
    if windows_raw is None:
        windows: tuple[Window, ...] = (window_from_row(raw, None, where),)
    else:
        if not isinstance(windows_raw, list) or not windows_raw:
            raise DatasetError(f"{where}: windows must be a non-empty list")
        default = None
        if _text(raw.get("video_no")) or _text(raw.get("video")):
            default = window_from_row({**raw, "start": 0, "end": 1}, None, where)
        items = []
        for i, item in enumerate(windows_raw, 1):
            if isinstance(item, list | tuple) and len(item) == 2:
                item = {"start": item[0], "end": item[1]}
            if not isinstance(item, Mapping):
                raise DatasetError(f"{where}: window {i} must be an object or [start, end]")
            items.append(window_from_row(item, default, f"{where}, window {i}"))
        windows = tuple(items)
    known = {"query", "windows", "video_no", "video", "start", "end", "namespace", "id"}
    return LabelledQuery(
        query=query,
        windows=windows,
        namespace=_text(raw.get("namespace")),
        id=_text(raw.get("id")) or "",
        line=line,
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _unique(queries: list[LabelledQuery], source: str) -> list[LabelledQuery]:
    seen: dict[str, int] = {}
    for q in queries:
        if q.key in seen:
            raise DatasetError(
                f"{source}:{q.line}: duplicate query (first on line {seen[q.key]}); "
                "give each an id or merge their windows"
            )
        seen[q.key] = q.line
    return queries


def parse_jsonl(lines: Iterable[str], source: str = "<jsonl>") -> list[LabelledQuery]:
    """Queries from JSONL text; blank lines and lines starting with ``#`` are skipped."""
    queries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not valid JSON ({exc.msg})") from None
        queries.append(_query(raw, where, number))
    return _unique(queries, source)


def parse_csv(text: str, source: str = "<csv>") -> list[LabelledQuery]:
    """Queries from CSV with a header: query, video_no or video, start, end[, namespace, id].
    Rows with the same (id or query, namespace) add windows to one query."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"query", "start", "end"} - set(reader.fieldnames or ())
    if missing or not {"video_no", "video"} & set(reader.fieldnames or ()):
        raise DatasetError(
            f"{source}:1: the header needs query, video_no or video, start, end; "
            f"got {', '.join(reader.fieldnames or ()) or 'nothing'}"
        )
    grouped: dict[str, LabelledQuery] = {}
    for row in reader:
        line = reader.line_num
        where = f"{source}:{line}"
        if None in row:
            raise DatasetError(f"{where}: more fields than the header has")
        item = _query({k: v for k, v in row.items() if v not in ("", None)}, where, line)
        first = grouped.get(item.key)
        if first is None:
            grouped[item.key] = item
        else:
            grouped[item.key] = LabelledQuery(
                query=first.query,
                windows=first.windows + item.windows,
                namespace=first.namespace,
                id=first.id,
                line=first.line,
            )
    return list(grouped.values())


def load_dataset(path: str | Path) -> list[LabelledQuery]:
    """Read a ``.jsonl`` / ``.json`` (JSONL) or ``.csv`` dataset; errors name the line."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(f"cannot read dataset {p}: {exc.strerror or exc}") from None
    queries = (
        parse_csv(text, str(p))
        if p.suffix.lower() == ".csv"
        else parse_jsonl(text.splitlines(), str(p))
    )
    if not queries:
        raise DatasetError(f"{p}: no labelled queries")
    return queries
