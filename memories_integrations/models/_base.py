"""Tolerant field types shared by every response model.

The live API sends numbers as strings ("12", "1744905509814"), spells the same field two ways
(videoNo / video_no) and adds fields over time. Models accept all of that and expose media times
as float seconds and epoch timestamps as float seconds.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from memories_integrations.models._status import VideoStatus as VideoStatus


def _to_float(value: Any) -> Any:
    if value is None or value == "" or value == "null":
        return None
    if isinstance(value, str):
        value = float(value.strip())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(value)
    return value


def _finite(value: float) -> float:
    # json.loads accepts Infinity, NaN and 1e400 (= inf); "inf"/"nan" parse as floats too. A
    # non-finite time would only fail later (OverflowError in hhmmss), so it is a parse error.
    try:
        number = float(value)
    except OverflowError:  # an integer too large for a float
        raise ValueError("number out of range") from None
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number; got {value!r}")
    return value


def _epoch_ms_to_seconds(value: Any) -> Any:
    value = _to_float(value)
    if isinstance(value, (int, float)) and value > 1e11:  # milliseconds, as the API sends
        return value / 1000.0
    return value


def _to_int(value: Any) -> Any:
    value = _to_float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _null_string(value: Any) -> Any:
    # list_videos sends cause: "null" when there is none.
    return None if value in ("null", "") else value


def _to_str(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Seconds = Annotated[float, BeforeValidator(_to_float)]
OptSeconds = Annotated[float | None, BeforeValidator(_to_float)]
EpochSeconds = Annotated[float | None, BeforeValidator(_epoch_ms_to_seconds)]
Count = Annotated[int, BeforeValidator(_to_int)]
OptCount = Annotated[int | None, BeforeValidator(_to_int)]
OptText = Annotated[str | None, BeforeValidator(_null_string)]
IdStr = Annotated[str, BeforeValidator(_to_str)]
OptIdStr = Annotated[str | None, BeforeValidator(_to_str)]


class ApiModel(BaseModel):
    """Base of response models: unknown fields kept, aliases and field names both accepted."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


Status = Annotated[VideoStatus, BeforeValidator(VideoStatus.parse)]


def hhmmss(seconds: float | None) -> str:
    """Format float seconds as HH:MM:SS (the form people and LLMs cite)."""
    total = max(0, int(seconds or 0))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
