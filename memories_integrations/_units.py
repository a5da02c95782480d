"""Sizes for people: error messages say "8.0 MiB", not "8388608 bytes" (issue 22)."""

from __future__ import annotations

__all__ = ["human_size"]

_UNITS = ("KiB", "MiB", "GiB", "TiB")


def human_size(size: int, *, exact: bool = False) -> str:
    """``size`` bytes in the largest binary unit that keeps it at 1 or more: "512 bytes",
    "8.0 MiB", "3.2 GiB". ``exact`` adds the byte count when the unit rounds it
    ("8.0 MiB (8388608 bytes)"), for a limit the caller sets in bytes."""
    if size < 1024:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value, unit = size / 1024, _UNITS[0]
    for bigger in _UNITS[1:]:
        if round(value, 1) < 1024:  # 1048575 bytes is "1.0 MiB", not "1024.0 KiB"
            break
        value, unit = value / 1024, bigger
    text = f"{value:.1f} {unit}"
    return f"{text} ({size} bytes)" if exact else text
