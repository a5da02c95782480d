"""Envelope decoding and the code -> error table, for every documented code, both clients.

No cassettes: a MockTransport answers, so each code and HTTP status can be produced exactly.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors

NO_RETRY = RetryPolicy(max_retries=0)
KEY = "sk-mavi-mapping-test-key"


def _clients(handler: Any) -> tuple[MemoriesClient, AsyncMemoriesClient]:
    transport = httpx.MockTransport(handler)
    return (
        MemoriesClient(api_key=KEY, retry=NO_RETRY, http_client=httpx.Client(transport=transport)),
        AsyncMemoriesClient(
            api_key=KEY, retry=NO_RETRY, http_client=httpx.AsyncClient(transport=transport)
        ),
    )


async def _both(handler: Any) -> list[BaseException]:
    sync, async_ = _clients(handler)
    raised: list[BaseException] = []
    for call in (lambda: sync.list_videos(), None):
        try:
            if call is not None:
                call()
            else:
                await async_.list_videos()
        except BaseException as exc:
            raised.append(exc)
    return raised


@pytest.mark.parametrize(
    ("code", "msg", "error"),
    [
        ("0001", "parameter error", errors.InvalidRequestError),
        ("0001", "video not found: VI1", errors.NotFoundError),
        ("0003", "JSON parse error: unknown enum", errors.InvalidRequestError),
        ("0401", "Authorization is invalid", errors.AuthenticationError),
        ("0402", "not enough points", errors.InsufficientCreditsError),
        ("0403", "account disabled", errors.AccountDisabledError),
        ("0409", "duplicate request", errors.ConflictError),
        ("0429", "Request has exceeded the limit.", errors.RateLimitError),
        ("9009", "permission denied", errors.PermissionDeniedError),
        ("5555", "something new", errors.ServerError),
        (401, "numeric code", errors.AuthenticationError),
    ],
)
async def test_code_maps_to_error(code: Any, msg: str, error: type[Exception]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": code, "msg": msg, "data": None})

    raised = await _both(handler)
    assert len(raised) == 2
    for exc in raised:
        assert type(exc) is error
        assert isinstance(exc, errors.MemoriesError)
        assert exc.endpoint == "/serve/api/v1/list_videos"
        assert msg in str(exc) and KEY not in str(exc)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, errors.InvalidRequestError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (409, errors.ConflictError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
        (418, errors.UnexpectedStatusError),  # a ServerError and an APIStatusError
    ],
)
async def test_http_status_without_envelope(status: int, error: type[Exception]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text="<html>nope</html>", headers={"Retry-After": "3"})

    for exc in await _both(handler):
        assert type(exc) is error
        assert exc.status_code == status  # type: ignore[attr-defined]
        if status == 429:
            assert exc.retry_after == 3.0  # type: ignore[attr-defined]


@pytest.mark.parametrize("success", ["0000", 0, "SUCCESS"])
async def test_success_spellings(success: Any) -> None:
    body = {"code": success, "msg": "ok", "data": {"videos": [], "total_count": "0"}}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(body).encode())

    sync, async_ = _clients(handler)
    assert sync.list_videos().total_count == 0
    assert (await async_.list_videos()).total_count == 0
