"""Tolerant field types shared by every response model.

The live API sends numbers as strings ("12", "1744905509814"), spells the same field two ways
(videoNo / video_no) and adds fields over time. Models accept all of that and expose media times
as float seconds and epoch timestamps as float seconds.
"""

from __future__ import annotations

import logging
import math
from contextvars import ContextVar
from typing import Annotated, Any, TypeVar

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

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
    # list_videos sends cause: "null" when there is none; live search hits "startTime": "null".
    return None if isinstance(value, str) and value.strip() in ("null", "") else value


def _to_str(value: Any) -> Any:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Seconds = Annotated[float, BeforeValidator(_to_float)]
OptSeconds = Annotated[float | None, BeforeValidator(_to_float)]
EpochSeconds = Annotated[float | None, BeforeValidator(_epoch_ms_to_seconds)]
Count = Annotated[int, BeforeValidator(_to_int)]
OptCount = Annotated[int | None, BeforeValidator(_to_int)]
OptText = Annotated[str | None, BeforeValidator(_null_string)]
IdStr = Annotated[str, BeforeValidator(_to_str)]
# "null" / "" read as absent, as for every optional field of a live answer (issue 19).
OptIdStr = Annotated[str | None, BeforeValidator(lambda v: _null_string(_to_str(v)))]


class ApiModel(BaseModel):
    """Base of response models: unknown fields kept, aliases and field names both accepted."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------- one bad row never fails a list
_log = logging.getLogger("memories_integrations.models")
# The endpoint whose answer is being parsed (set by the endpoint layer), for the warning.
parsing_endpoint: ContextVar[str] = ContextVar("parsing_endpoint", default="?")
# Rows dropped while the innermost counting model (or list) is validated.
_skips: ContextVar[list[int] | None] = ContextVar("_skips", default=None)

T = TypeVar("T")


def note_skip(where: str, index: int, error: ValidationError) -> None:
    """Log one dropped row (endpoint, field, reason) and count it for the caller."""
    details = error.errors()
    loc = ".".join(str(p) for p in details[0]["loc"][1:]) if details else ""  # [0]: row index
    reason = details[0]["msg"] if details else str(error)
    _log.warning(
        "%s: skipped malformed item %s[%d] (field %r: %s)",
        parsing_endpoint.get(),
        where,
        index,
        loc or where,
        reason,
    )
    counter = _skips.get()
    if counter is not None:
        counter[0] += 1


def _drop_malformed(value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
    if not isinstance(value, list):
        return handler(value)  # the wrong type as a whole stays an error
    rows: list[Any] = []
    for index, item in enumerate(value):
        try:
            rows.extend(handler([item]))
        except ValidationError as exc:
            note_skip(info.field_name or "items", index, exc)
    return rows


# A list field whose malformed rows are skipped (logged and counted), not fatal.
SKIP_MALFORMED = WrapValidator(_drop_malformed)


class ItemList(list[T]):
    """A list answer; ``skipped`` counts malformed rows left out (each logged as a warning)."""

    skipped: int = 0

    def copy(self) -> ItemList[T]:
        """A shallow copy that keeps ``skipped``."""
        twin = ItemList(self)
        twin.skipped = self.skipped
        return twin


class CountsSkips(ApiModel):
    """A page/list result whose ``skipped`` says how many malformed rows were left out."""

    skipped: int = 0

    @model_validator(mode="wrap")
    @classmethod
    def _count_skipped(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        counter = [0]
        token = _skips.set(counter)
        try:
            result = handler(data)
        finally:
            _skips.reset(token)
        result.skipped = counter[0]
        return result


class Paged(CountsSkips):
    """One page of a listing: its position and the total (page/size spellings accepted)."""

    current_page: Count = Field(1, validation_alias=AliasChoices("current_page", "page"))
    page_size: Count = Field(20, validation_alias=AliasChoices("page_size", "size"))
    total_count: Count = Field(0, validation_alias=AliasChoices("total_count", "total"))

    @property
    def has_more(self) -> bool:
        return self.current_page * self.page_size < self.total_count


def counting_skips() -> tuple[list[int], Any]:
    """Start counting skips for a bare list; returns (counter, token for ``_skips.reset``)."""
    counter = [0]
    return counter, _skips.set(counter)


def stop_counting(token: Any) -> None:
    _skips.reset(token)


Status = Annotated[VideoStatus, BeforeValidator(VideoStatus.parse)]


def hhmmss(seconds: float | None) -> str:
    """Format float seconds as HH:MM:SS (the form people and LLMs cite); no time is 00:00:00."""
    total = max(0, int(seconds or 0))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
