"""Human output with rich (imported only when a command prints), or JSON for scripts."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from memories_integrations.models import SearchHit, hhmmss

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# C0 controls but tab and newline, DEL and C1 controls: ESC (and the 8-bit CSI) start terminal
# escape sequences (title change, clear screen, hyperlinks) a server must not send to a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(text: object) -> str:
    """Server (or user) text made safe for a terminal: control characters removed."""
    return _CONTROL.sub("", str(text))


def literal(text: object) -> Text:
    """``plain`` text as a rich Text: printed as is, never parsed as markup ("[/]" is text)."""
    from rich.text import Text

    return Text(plain(text))


class Output:
    """``json=True``: exactly one JSON document on stdout per command, nothing else there."""

    def __init__(self, *, json_mode: bool) -> None:
        self.json = json_mode
        self._out: Console | None = None
        self._err: Console | None = None

    @property
    def out(self) -> Console:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=False)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False)
        return self._err

    def emit(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")
        sys.stdout.flush()

    def error(self, message: str) -> None:
        if self.json:
            self.emit({"ok": False, "error": message})
            return
        try:
            from rich.markup import escape
        except ImportError:  # without the cli extra: errors still reach the user, plainly
            sys.stderr.write(f"error: {plain(message)}\n")
            return
        self.err.print(f"[bold red]error:[/] {escape(plain(message))}")

    def table(
        self, title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        from rich.table import Table

        table = Table(
            title=None if title is None else literal(title), title_justify="left", show_lines=False
        )
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:  # cells hold server text: never markup
            table.add_row(*(literal("" if cell is None else cell) for cell in row))
        self.out.print(table)

    def text(self, text: object) -> None:
        """One line of server text, plain (no markup, no control characters)."""
        self.out.print(literal(text))


def time_range(start: float | None, end: float | None) -> str:
    return f"{hhmmss(start)}-{hhmmss(end if end is not None else start)}"


def hit_dict(rank: int, hit: SearchHit) -> dict[str, Any]:
    return {
        "rank": rank,
        "video_no": hit.video_no,
        "video_name": hit.video_name,
        "start": hit.start_time,
        "end": hit.end_time,
        "start_timestamp": hit.start_timestamp,
        "end_timestamp": hit.end_timestamp,
        "score": hit.score,
        "text": hit.text,
    }


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def moments_table(out: Output, title: str | None, moments: Sequence[dict[str, Any]]) -> None:
    """Ranked moments: rank, video number (what chat --video and transcript take), name, time
    range, score, text."""
    rows = [
        (
            m["rank"],
            m["video_no"],
            m.get("video_name") or "",
            time_range(m.get("start"), m.get("end")),
            "" if m.get("score") is None else f"{float(m['score']):.3f}",
            _short(m.get("text") or ""),
        )
        for m in moments
    ]
    out.table(title, ["#", "video", "name", "time", "score", "text"], rows)
