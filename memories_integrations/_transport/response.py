"""Decode the ``{code, msg, data}`` envelope and map failures to typed errors."""

from __future__ import annotations

import datetime
import email.utils
import json
import math
import time
from collections.abc import Mapping
from typing import Any

import httpx

from memories_integrations import errors as e

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

# openai-python reads ``x-request-id``, anthropic-sdk-python ``request-id``; memories.ai documents
# neither, so the first one present wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id")
# Response headers that could echo a credential back: kept on errors only as "<redacted>".
_SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
REDACTED = "<redacted>"


# Token-endpoint body fields (v1.0 Authentication API) holding a secret of their own.
_SECRET_BODY_FIELDS = ("code", "refreshToken", "refresh_token", "accessToken", "access_token")


def _credentials(response: httpx.Response) -> list[str]:
    """The credentials the request sent (key, ``Bearer`` token, OAuth code or refresh token in a
    token request's JSON body), to scrub from errors."""
    try:
        request = response.request
    except RuntimeError:  # a Response built without a request (tests, mocks)
        return []
    value = request.headers.get("authorization", "")
    values = [value.strip()]
    scheme, _, token = value.partition(" ")
    if scheme.lower() == "bearer":
        values.append(token.strip())
    body: Any = None
    if "json" in request.headers.get("content-type", ""):
        try:
            content = request.content  # a streamed body is never JSON here: RequestNotRead
            body = json.loads(content) if len(content) < 8192 else None
        except (httpx.RequestNotRead, ValueError):
            pass
        if isinstance(body, dict):
            values += [str(body[k]) for k in _SECRET_BODY_FIELDS if isinstance(body.get(k), str)]
    return [v for v in values if len(v) >= 4]


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


def response_details(response: httpx.Response, body: bytes) -> dict[str, Any]:
    """``headers``, ``request_id`` and size-capped text ``body`` of a failed response, for its
    error, with the request's credentials scrubbed (a server may echo them back)."""
    secrets = _credentials(response)
    headers = {
        name.lower(): REDACTED if name.lower() in _SENSITIVE_HEADERS else _scrub(value, secrets)
        for name, value in response.headers.items()
    }
    request_id = next((headers[h] for h in REQUEST_ID_HEADERS if headers.get(h)), None)
    # Decode a little more than the cap: a secret straddling the cut is still scrubbed whole.
    text = body[: e.BODY_LIMIT * 4 + 256].decode("utf-8", errors="replace")
    return {
        "headers": headers,
        "request_id": request_id,
        "body": _scrub(text, secrets)[: e.BODY_LIMIT],
    }


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
    details: Mapping[str, Any] | None = None,
) -> e.MemoriesError:
    """The typed error for ``code``/``status_code``; ``details`` from ``response_details``."""
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
        cls = e.UnexpectedStatusError
    if cls is e.InvalidRequestError and any(w in message.lower() for w in _NOT_FOUND_WORDS):
        cls = e.NotFoundError
    if cls is e.RateLimitError:
        return e.RateLimitError(
            message,
            retry_after=retry_after_s,
            code=code,
            endpoint=endpoint,
            status_code=status_code,
            **(details or {}),
        )
    return cls(message, code=code, endpoint=endpoint, status_code=status_code, **(details or {}))


def decode_json(
    body: bytes,
    *,
    endpoint: str,
    status_code: int,
    retry_after_s: float | None = None,
    details: Mapping[str, Any] | None = None,
) -> Any:
    extra = dict(details or {})
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        if status_code >= 500:
            raise e.ServerError(
                "server error", endpoint=endpoint, status_code=status_code, **extra
            ) from exc
        if status_code >= 400:
            raise error_for(
                None,
                f"HTTP {status_code}",
                endpoint=endpoint,
                status_code=status_code,
                retry_after_s=retry_after_s,
                details=extra,
            ) from exc
        raise e.ResponseParseError(
            "response is not valid JSON", endpoint=endpoint, status_code=status_code, **extra
        ) from exc


def unwrap(response: httpx.Response, body: bytes, *, endpoint: str) -> Any:
    """Return the envelope's ``data`` or raise the typed error for the response."""
    status = response.status_code
    wait = retry_after(response)
    # Built only for a failure: a success never pays for copying headers and body.
    ok = 200 <= status < 300
    details = None if ok else response_details(response, body)
    try:
        payload = decode_json(
            body, endpoint=endpoint, status_code=status, retry_after_s=wait, details=details
        )
    except e.ResponseParseError as exc:  # a 2xx that is not JSON: attach what came back
        _attach_details(exc, response, body)
        raise
    if isinstance(payload, dict) and "code" not in payload and payload.get("success") is False:
        # Download-by-bucket-blob errors: {success:false, failed:true, msg} without a code.
        message = str(payload.get("msg") or payload.get("message") or f"HTTP {status}")
        raise _codeless_failure(
            _scrub(message, _credentials(response)),
            endpoint=endpoint,
            status_code=status,
            details=details if details is not None else response_details(response, body),
        )
    if not isinstance(payload, dict) or "code" not in payload:
        if status >= 400:
            raise error_for(
                None,
                f"HTTP {status}",
                endpoint=endpoint,
                status_code=status,
                retry_after_s=wait,
                details=details,
            )
        error = e.ResponseParseError(
            "response has no {code, msg, data} envelope", endpoint=endpoint, status_code=status
        )
        _attach_details(error, response, body)
        raise error
    code = normalise_code(payload["code"])
    if code in SUCCESS_CODES and status < 400:
        return payload.get("data")
    message = str(payload.get("msg") or payload.get("message") or f"HTTP {status}")
    message = _scrub(message, _credentials(response))  # a server may echo the key back
    raise error_for(
        code,
        message,
        endpoint=endpoint,
        status_code=status,
        retry_after_s=wait,
        details=details if details is not None else response_details(response, body),
    )


def _codeless_failure(
    message: str, *, endpoint: str, status_code: int, details: Mapping[str, Any]
) -> e.MemoriesError:
    """The typed error of a ``success: false`` answer that has no code: read from its message
    ("Insufficient balance...", "Resource does not exist", "Bucket/Blob cannot be null")."""
    lowered = message.lower()
    cls: type[e.MemoriesError] = e.InvalidRequestError
    if "balance" in lowered:
        cls = e.InsufficientCreditsError
    elif any(w in lowered for w in _NOT_FOUND_WORDS):
        cls = e.NotFoundError
    elif status_code >= 500:
        cls = e.ServerError
    return cls(message, code=None, endpoint=endpoint, status_code=status_code, **details)


def _attach_details(exc: e.MemoriesError, response: httpx.Response, body: bytes) -> None:
    if not exc.headers and exc.body is None:
        for name, value in response_details(response, body).items():
            setattr(exc, name, value)
