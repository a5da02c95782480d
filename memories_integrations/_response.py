"""Decode the ``{code, msg, data}`` envelope and map failures to typed errors."""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import time
from typing import Any

import httpx

from . import errors as e

SUCCESS_CODES = frozenset({"0000", "0", "200", "SUCCESS"})

_BY_CODE: dict[str, type[e.MemoriesError]] = {
    "0001": e.InvalidRequestError,
    "0003": e.InvalidRequestError,
    "0401": e.AuthenticationError,
    "0402": e.InsufficientCreditsError,
    "0403": e.AccountDisabledError,
    "0409": e.ConflictError,
    "0429": e.RateLimitError,
    "9009": e.PermissionDeniedError,
}

_BY_STATUS: dict[int, type[e.MemoriesError]] = {
    400: e.InvalidRequestError,
    401: e.AuthenticationError,
    402: e.InsufficientCreditsError,
    403: e.PermissionDeniedError,
    404: e.NotFoundError,
    409: e.ConflictError,
    422: e.InvalidRequestError,
    429: e.RateLimitError,
}

_NOT_FOUND_WORDS = ("not found", "not exist", "does not exist", "no such")


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if unusable.

    A header that is neither (``"soon"``, ``"nan"``) is ignored rather than raised: the
    request is then retried with the policy's own backoff.
    """
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (ValueError, TypeError, IndexError, OverflowError):
            return None
        if parsed.tzinfo is None:  # "-0000" and obsolete forms: HTTP-dates are always GMT
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        return max(0.0, parsed.timestamp() - time.time())
    return max(0.0, seconds) if math.isfinite(seconds) else None


def normalise_code(code: Any) -> str:
    if isinstance(code, int) and not isinstance(code, bool):
        return "0000" if code == 0 else f"{code:04d}"
    return str(code).strip()


def error_for(
    code: str | None,
    message: str,
    *,
    endpoint: str,
    status_code: int,
    retry_after_s: float | None = None,
) -> e.MemoriesError:
    cls: type[e.MemoriesError]
    if code is not None and code in _BY_CODE:
        cls = _BY_CODE[code]
    elif code is None and status_code in _BY_STATUS:
        cls = _BY_STATUS[status_code]
    elif status_code >= 500:
        cls = e.ServerError
    elif code is not None:
        # A code the docs do not list: surface it, never guess success.
        cls = e.ServerError
        message = f"unknown response code: {message}"
    else:
        cls = e.APIStatusError
    if cls is e.InvalidRequestError and any(w in message.lower() for w in _NOT_FOUND_WORDS):
        cls = e.NotFoundError
    if cls is e.RateLimitError:
        return e.RateLimitError(
            message,
            retry_after=retry_after_s,
            code=code,
            endpoint=endpoint,
            status_code=status_code,
        )
    return cls(message, code=code, endpoint=endpoint, status_code=status_code)


def decode_json(
    body: bytes, *, endpoint: str, status_code: int, retry_after_s: float | None = None
) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        if status_code >= 500:
            raise e.ServerError("server error", endpoint=endpoint, status_code=status_code) from exc
        if status_code >= 400:
            raise error_for(
                None,
                f"HTTP {status_code}",
                endpoint=endpoint,
                status_code=status_code,
                retry_after_s=retry_after_s,
            ) from exc
        raise e.ResponseParseError(
            "response is not valid JSON", endpoint=endpoint, status_code=status_code
        ) from exc


def unwrap(response: httpx.Response, body: bytes, *, endpoint: str) -> Any:
    """Return the envelope's ``data`` or raise the typed error for the response."""
    status = response.status_code
    wait = retry_after(response)
    payload = decode_json(body, endpoint=endpoint, status_code=status, retry_after_s=wait)
    if not isinstance(payload, dict) or "code" not in payload:
        if status >= 400:
            raise error_for(
                None, f"HTTP {status}", endpoint=endpoint, status_code=status, retry_after_s=wait
            )
        raise e.ResponseParseError(
            "response has no {code, msg, data} envelope", endpoint=endpoint, status_code=status
        )
    code = normalise_code(payload["code"])
    if code in SUCCESS_CODES and status < 400:
        return payload.get("data")
    message = str(payload.get("msg") or payload.get("message") or f"HTTP {status}")
    raise error_for(code, message, endpoint=endpoint, status_code=status, retry_after_s=wait)
