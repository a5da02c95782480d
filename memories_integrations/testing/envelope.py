"""The response envelope and error codes (v1.2 ``API_Code`` page)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

OK = "0000"
PARAM = "0001"
BAD_ENUM = "0003"
UNAUTHORIZED = "0401"
NO_CREDITS = "0402"
DISABLED = "0403"
DUPLICATE = "0409"
RATE_LIMITED = "0429"
NO_PERMISSION = "9009"

RATE_LIMIT_MSG = "Request has exceeded the limit."


class ApiError(Exception):
    """Raised by handlers; rendered as an HTTP 200 envelope with a non-0000 code."""

    def __init__(self, code: str, msg: str) -> None:
        super().__init__(f"{code}: {msg}")
        self.code = code
        self.msg = msg


def envelope(data: Any = None, code: str = OK, msg: str = "success") -> dict[str, Any]:
    success = code == OK
    return {
        "code": code,
        "msg": msg,
        "data": data if success else None,
        "success": success,
        "failed": not success,
    }


def ok(data: Any = None) -> JSONResponse:
    return JSONResponse(envelope(data))


def error(code: str, msg: str) -> JSONResponse:
    return JSONResponse(envelope(None, code, msg))


def not_found(video_no: str) -> ApiError:
    # The real API has no not-found code; clients match on this message text.
    return ApiError(PARAM, f"video not found: {video_no}")
