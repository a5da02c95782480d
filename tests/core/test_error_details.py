"""Errors carry the response's status, headers, request id and size-capped body (issue 10), and
``APIStatusError`` is the parent of every status error without breaking ``except ServerError``.

No cassettes: a MockTransport answers, so headers and bodies can be produced exactly.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors

NO_RETRY = RetryPolicy(max_retries=0)
KEY = "sk-error-details-test-key-0123456789"


def _resp(
    status: int, content: bytes | str, headers: dict[str, str] | None = None
) -> httpx.Response:
    # stream= rather than content=: the client reads the body itself, as from a socket.
    raw = content.encode() if isinstance(content, str) else content
    return httpx.Response(status, headers=headers or {}, stream=httpx.ByteStream(raw))


async def _both(handler: Any) -> list[errors.MemoriesError]:
    transport = httpx.MockTransport(handler)
    sync = MemoriesClient(
        api_key=KEY, retry=NO_RETRY, http_client=httpx.Client(transport=transport)
    )
    async_ = AsyncMemoriesClient(
        api_key=KEY, retry=NO_RETRY, http_client=httpx.AsyncClient(transport=transport)
    )
    raised: list[errors.MemoriesError] = []
    with pytest.raises(errors.MemoriesError) as sync_info:
        sync.list_videos()
    raised.append(sync_info.value)
    with pytest.raises(errors.MemoriesError) as async_info:
        await async_.list_videos()
    raised.append(async_info.value)
    return raised


@pytest.mark.parametrize(
    "cls",
    [
        errors.InvalidRequestError,
        errors.NotFoundError,
        errors.AuthenticationError,
        errors.PermissionDeniedError,
        errors.AccountDisabledError,
        errors.InsufficientCreditsError,
        errors.RateLimitError,
        errors.ConflictError,
        errors.ServerError,
        errors.UnexpectedStatusError,
    ],
)
def test_api_status_error_is_the_parent_of_status_errors(cls: type[Exception]) -> None:
    assert issubclass(cls, errors.APIStatusError)
    assert issubclass(cls, errors.MemoriesError)


def test_existing_parents_are_kept() -> None:
    assert issubclass(errors.UnexpectedStatusError, errors.ServerError)
    assert issubclass(errors.AccountDisabledError, errors.PermissionDeniedError)
    assert issubclass(errors.NotFoundError, errors.InvalidRequestError)
    assert issubclass(errors.InvalidInputError, ValueError)
    # Transport and parsing failures are not status errors (as in openai-python).
    for cls in (errors.APIConnectionError, errors.ResponseParseError, errors.ProcessingError):
        assert not issubclass(cls, errors.APIStatusError)


async def test_unmapped_status_is_still_a_server_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(418, "teapot")

    for exc in await _both(handler):
        assert isinstance(exc, errors.ServerError) and isinstance(exc, errors.APIStatusError)
        assert type(exc) is errors.UnexpectedStatusError
        assert exc.status_code == 418 and exc.body == "teapot"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ({"x-request-id": "req_abc"}, "req_abc"),
        ({"request-id": "req_def"}, "req_def"),
        ({"X-Request-ID": "req_1", "request-id": "req_2"}, "req_1"),  # openai's name first
        ({}, None),
    ],
)
async def test_envelope_error_carries_status_headers_request_id_body(
    header: dict[str, str], expected: str | None
) -> None:
    body = b'{"code": "0409", "msg": "duplicate request", "data": null}'

    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(200, body, {"x-trace": "t1", **header})

    for exc in await _both(handler):
        assert type(exc) is errors.ConflictError
        assert exc.status_code == 200 and exc.code == "0409"
        assert exc.request_id == expected
        assert exc.headers["x-trace"] == "t1"
        assert exc.body == body.decode()


async def test_http_error_without_envelope_carries_details() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(503, "<html>down</html>", {"x-request-id": "r-503", "Retry-After": "1"})

    for exc in await _both(handler):
        assert type(exc) is errors.ServerError
        assert isinstance(exc, errors.APIStatusError)
        assert (exc.status_code, exc.request_id, exc.body) == (503, "r-503", "<html>down</html>")
        assert exc.headers["retry-after"] == "1"


async def test_rate_limit_error_carries_details_and_retry_after() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(429, '{"code": "0429", "msg": "slow down"}', {"request-id": "rl-1"})

    for exc in await _both(handler):
        assert isinstance(exc, errors.RateLimitError)
        assert exc.request_id == "rl-1" and exc.status_code == 429
        assert "slow down" in (exc.body or "")


async def test_body_is_size_capped() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(500, b"x" * 100_000)

    for exc in await _both(handler):
        assert exc.body == "x" * errors.BODY_LIMIT


async def test_non_json_success_is_a_parse_error_with_its_body() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return _resp(200, "not json", {"x-request-id": "p-1"})

    for exc in await _both(handler):
        assert type(exc) is errors.ResponseParseError
        assert (exc.body, exc.request_id) == ("not json", "p-1")


async def test_echoed_key_never_reaches_error_attributes() -> None:
    """A hostile server echoing the key in its headers and body: scrubbed before storing."""

    def handler(request: httpx.Request) -> httpx.Response:
        echoed = request.headers["authorization"]
        payload = {"code": "0401", "msg": f"Authorization {echoed} is invalid", "data": echoed}
        return _resp(
            401,
            json.dumps(payload),
            {
                "x-echo": f"key={echoed}",
                "authorization": echoed,
                "x-request-id": echoed,
                "set-cookie": f"s={echoed}",
            },
        )

    for exc in await _both(handler):
        assert isinstance(exc, errors.AuthenticationError)
        rendered = [
            repr(exc),
            str(exc),
            repr(exc.headers),
            str(exc.body),
            str(exc.request_id),
            repr(vars(exc)),
            repr(pickle.loads(pickle.dumps(exc)).__dict__),
        ]
        for text in rendered:
            assert KEY not in text
        assert exc.headers["authorization"] == "<redacted>"
        assert "<redacted>" in (exc.body or "")


def test_pickled_error_keeps_details() -> None:
    exc = errors.ServerError(
        "boom", status_code=500, headers={"x-request-id": "r"}, request_id="r", body="b"
    )
    again = pickle.loads(pickle.dumps(exc))
    assert (again.status_code, again.headers, again.request_id, again.body) == (
        500,
        {"x-request-id": "r"},
        "r",
        "b",
    )
    assert str(again) == str(exc)


async def test_echoed_oauth_refresh_token_is_scrubbed() -> None:
    """Token requests carry their secret in the JSON body; an echo of it is scrubbed too."""
    refresh = "rt-secret-refresh-token-0123456789"

    def handler(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)["refreshToken"]
        payload = {"code": "0401", "msg": f"refresh token {sent} expired", "data": sent}
        return _resp(200, json.dumps(payload), {"x-echo": sent})

    transport = httpx.MockTransport(handler)
    sync = MemoriesClient(
        api_key=KEY, retry=NO_RETRY, http_client=httpx.Client(transport=transport)
    )
    async_ = AsyncMemoriesClient(
        api_key=KEY, retry=NO_RETRY, http_client=httpx.AsyncClient(transport=transport)
    )
    raised: list[errors.MemoriesError] = []
    with pytest.raises(errors.AuthenticationError) as sync_info:
        sync.refresh_access_token(refresh)
    raised.append(sync_info.value)
    with pytest.raises(errors.AuthenticationError) as async_info:
        await async_.refresh_access_token(refresh)
    raised.append(async_info.value)
    for exc in raised:
        for text in (str(exc), repr(vars(exc))):
            assert refresh not in text
        assert exc.headers["x-echo"] == "<redacted>"
