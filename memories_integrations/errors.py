"""One exception class per failure kind.

Every error carries the API ``code`` (when the server sent one), the server's message and the
endpoint that failed; errors raised for a response (``APIStatusError`` and its subclasses) also
carry its ``status_code``, ``headers``, ``request_id`` and the first ``BODY_LIMIT`` characters of
its ``body``. None of them ever carries the API key or a token: messages are built from the
server's ``msg`` and the endpoint path only, and the request's credentials are scrubbed from the
headers and body before they are stored (see ``_response.response_details``); every registered
secret (``_secrets``: the client's key, whole or cut) is scrubbed here, when an error is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from memories_integrations._secrets import scrub

BODY_LIMIT = 4096
"""Characters of a failed response's body kept on its error (enough for any error envelope)."""

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "AccountDisabledError",
    "AuthenticationError",
    "CallbackError",
    "ChatStreamError",
    "ClientSideError",
    "ConflictError",
    "EventLoopError",
    "FileChangedError",
    "ForgedCallbackError",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "InvalidCallbackError",
    "InvalidInputError",
    "InvalidRequestError",
    "MemoriesError",
    "MemoriesTimeoutError",
    "MissingAPIKeyError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProcessingError",
    "RateLimitError",
    "RateLimitWaitError",
    "ReauthorizationRequiredError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "ServerError",
    "TokenStoreError",
    "UnexpectedStatusError",
    "UploadOutcomeUnknownError",
    "WaitTimeoutError",
]


class MemoriesError(Exception):
    """Base class of every error this package raises."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        endpoint: str | None = None,
        status_code: int | None = None,
        headers: Mapping[str, str] | None = None,
        request_id: str | None = None,
        body: str | None = None,
    ) -> None:
        # The one place every error is built: a registered key the server echoed (whole or
        # cut) never reaches a message, a log line or a tool's text.
        self.message = scrub(message)
        self.code = scrub(code) if isinstance(code, str) else code
        self.endpoint = endpoint
        self.status_code = status_code
        self.headers: dict[str, str] = {k: scrub(v) for k, v in (headers or {}).items()}
        self.request_id = scrub(request_id) if isinstance(request_id, str) else request_id
        self.body = scrub(body[: BODY_LIMIT * 2])[:BODY_LIMIT] if body is not None else None
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.message]
        if self.code is not None:
            parts.append(f"code={self.code}")
        if self.status_code is not None and self.status_code != 200:
            parts.append(f"http={self.status_code}")
        if self.endpoint:
            parts.append(f"endpoint={self.endpoint}")
        return " | ".join(parts)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.message, self.__dict__))


def _rebuild(cls: type[MemoriesError], message: str, state: dict[str, Any]) -> MemoriesError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, err._render())
    return err


class APIStatusError(MemoriesError):
    """The server answered with an error: an HTTP error status or an error envelope code.

    The parent of every error the API reports (as ``openai.APIStatusError`` is), with the
    response's ``status_code``, ``headers``, ``request_id`` and size-capped ``body``. Only an
    answer from the server raises one: what the client finds on its own is a ``ClientSideError``.
    """


class ClientSideError(MemoriesError):
    """Raised by the client itself, before or without any request (``status_code`` is None).

    Retrying cannot help: the arguments, the configuration or a local file must change.
    """


class InvalidInputError(ClientSideError, ValueError):
    """Bad input caught by the client before any network call (``param`` names the argument)."""

    def __init__(self, message: str, *, endpoint: str | None = None, param: str | None = None):
        self.param = param
        super().__init__(message, endpoint=endpoint)


class MissingAPIKeyError(ClientSideError):
    """No API key was given and none is set in the environment."""


class TokenStoreError(ClientSideError):
    """A token file cannot be read or does not hold a token set (no tokens are returned)."""


class InvalidRequestError(APIStatusError):
    """The server rejected the parameters (codes 0001 / 0003, HTTP 400/422)."""


class NotFoundError(InvalidRequestError):
    """The video, session or task does not exist (in this ``unique_id`` namespace)."""


class AuthenticationError(APIStatusError):
    """The key or token is missing, invalid or expired (code 0401, HTTP 401)."""


class ReauthorizationRequiredError(AuthenticationError):
    """The OAuth2 refresh token expired: a new authorization code is needed."""


class PermissionDeniedError(APIStatusError):
    """The key may not do this (code 9009, HTTP 403)."""


class AccountDisabledError(PermissionDeniedError):
    """The developer account is disabled (code 0403)."""


class InsufficientCreditsError(APIStatusError):
    """Not enough credits (code 0402)."""


class RateLimitError(APIStatusError):
    """Too many requests (code 0429, HTTP 429). ``retry_after`` is in seconds when known."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class ConflictError(APIStatusError):
    """Duplicate request not allowed (code 0409), e.g. deleting a video twice."""


class ProcessingError(MemoriesError):
    """Video processing failed (status PARSE_ERROR / FAIL)."""

    def __init__(self, message: str, *, video_no: str | None = None, **kw: Any) -> None:
        self.video_no = video_no
        super().__init__(message, **kw)


class ChatStreamError(MemoriesError):
    """A chat stream ended with a final message other than the documented ``Done``."""


class IncompleteStreamError(ChatStreamError):
    """A chat stream ended without its final message."""


class ServerError(APIStatusError):
    """The server failed (HTTP 5xx) or answered with a code this package does not know."""


class UnexpectedStatusError(ServerError):
    """An HTTP status this package does not map (e.g. 418) with no decodable envelope.

    A ``ServerError`` (as before ``APIStatusError`` became the parent of all status errors), so
    ``except ServerError`` still catches it.
    """


class ResponseParseError(MemoriesError):
    """The response was not valid JSON or did not have the documented shape."""


class ResponseTooLargeError(ResponseParseError):
    """A response (or its decompressed body, or one stream line) exceeded a size cap.

    ``limit`` is the cap in bytes; raise it with the client's ``max_response_bytes`` /
    ``max_line_bytes``.
    """

    def __init__(self, message: str, *, limit: int, **kw: Any) -> None:
        self.limit = limit
        super().__init__(message, **kw)


class APIConnectionError(MemoriesError):
    """The request could not be completed at the transport level."""


class UploadOutcomeUnknownError(APIConnectionError):
    """The connection failed after the upload was sent: the server may have stored it.

    The upload is not retried (a retry could create a duplicate). Check ``list_videos`` in
    ``unique_id`` for a video created after ``started_at`` before uploading again.
    """

    def __init__(
        self, message: str, *, file_name: str, unique_id: str, started_at: float, **kw: Any
    ) -> None:
        self.file_name = file_name
        self.unique_id = unique_id
        self.started_at = started_at
        super().__init__(message, **kw)


class FileChangedError(MemoriesError):
    """A file grew or shrank while it was being uploaded; the upload was abandoned."""


class EventLoopError(ClientSideError, RuntimeError):
    """An async client's ``http_client=`` (the caller's ``httpx.AsyncClient``) was used from
    an event loop other than the one its connections belong to (it cannot move loops)."""


class MemoriesTimeoutError(APIConnectionError):
    """A request timed out."""


class RateLimitWaitError(MemoriesTimeoutError):
    """The client-side rate limiter's next slot of ``group`` is ``wait`` seconds away, longer
    than the call may wait (``rate_limit_wait=``, or the deadline of a retry). Nothing was sent
    and no slot was booked; ``retry_after`` is ``wait``."""

    def __init__(self, message: str, *, group: str, wait: float, **kw: Any) -> None:
        self.group = group
        self.wait = self.retry_after = wait
        super().__init__(message, **kw)


class WaitTimeoutError(MemoriesTimeoutError):
    """Waiting for encoding ran out of time. Resume with ``wait_for_ready(video_no or task_id)``."""

    def __init__(
        self,
        message: str,
        *,
        video_no: str | None = None,
        task_id: str | None = None,
        last_status: str | None = None,
        **kw: Any,
    ) -> None:
        self.video_no = video_no
        self.task_id = task_id
        self.last_status = last_status
        super().__init__(message, **kw)


class CallbackError(MemoriesError):
    """A callback delivered to our receiver was refused."""


class ForgedCallbackError(CallbackError):
    """The callback's token is missing or was not issued by this receiver (HTTP 403)."""


class InvalidCallbackError(CallbackError, ValueError):
    """The callback body is not a documented payload (HTTP 400)."""
