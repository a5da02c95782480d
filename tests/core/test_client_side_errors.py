"""Only server answers are APIStatusErrors; what the client finds itself is a ClientSideError.

Each client-side error is raised before any request: the transports below count every request
and the counts stay at zero, on both clients.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, errors
from memories_integrations.auth import FileTokenStore, OAuth2Auth

CLIENT_SIDE = (errors.InvalidInputError, errors.MissingAPIKeyError, errors.TokenStoreError)


def test_client_side_errors_have_their_own_branch() -> None:
    for cls in CLIENT_SIDE:
        assert issubclass(cls, errors.ClientSideError)
        assert issubclass(cls, errors.MemoriesError)
        assert not issubclass(cls, errors.APIStatusError)
    assert issubclass(errors.InvalidInputError, ValueError)
    assert not issubclass(errors.ClientSideError, errors.APIStatusError)


def test_no_error_class_is_in_both_branches() -> None:
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass)]
    both = [
        c
        for c in classes
        if issubclass(c, errors.ClientSideError) and issubclass(c, errors.APIStatusError)
    ]
    assert both == []
    # The documented catches of server answers are untouched.
    assert issubclass(errors.UnexpectedStatusError, errors.ServerError)
    assert issubclass(errors.NotFoundError, errors.InvalidRequestError)
    assert issubclass(errors.ReauthorizationRequiredError, errors.AuthenticationError)


class Counting:
    """A mock transport that records every request it is sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"code": "0000", "msg": "ok", "data": {}})


def _bad_token_store(tmp_path: Path) -> OAuth2Auth:
    path = tmp_path / "tokens.json"
    path.write_text("[]", encoding="utf-8")
    return OAuth2Auth(client_id="cid", store=FileTokenStore(path))


def test_invalid_input_before_any_request() -> None:
    seen = Counting()
    with MemoriesClient(
        api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(seen))
    ) as client:
        with pytest.raises(errors.ClientSideError) as info:
            client.search("   ")
    assert isinstance(info.value, errors.InvalidInputError)
    assert info.value.status_code is None and seen.requests == []


async def test_invalid_input_before_any_request_async() -> None:
    seen = Counting()
    http = httpx.AsyncClient(transport=httpx.MockTransport(seen))
    async with AsyncMemoriesClient(api_key="k", http_client=http) as client:
        with pytest.raises(errors.ClientSideError) as info:
            await client.search("   ")
    assert isinstance(info.value, errors.InvalidInputError)
    assert info.value.status_code is None and seen.requests == []
    await http.aclose()


@pytest.mark.parametrize("cls", [MemoriesClient, AsyncMemoriesClient])
def test_missing_api_key_before_any_request(
    cls: type[MemoriesClient] | type[AsyncMemoriesClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(errors.ClientSideError) as info:
        cls()  # no key: refused at construction, so no request can be sent
    assert isinstance(info.value, errors.MissingAPIKeyError)
    assert not isinstance(info.value, errors.APIStatusError)


def test_token_store_error_before_any_request(tmp_path: Path) -> None:
    seen = Counting()
    http = httpx.Client(transport=httpx.MockTransport(seen))
    with MemoriesClient(auth=_bad_token_store(tmp_path), http_client=http) as client:
        with pytest.raises(errors.ClientSideError) as info:
            client.list_videos()
    assert isinstance(info.value, errors.TokenStoreError)
    assert seen.requests == []


async def test_token_store_error_before_any_request_async(tmp_path: Path) -> None:
    seen = Counting()
    http = httpx.AsyncClient(transport=httpx.MockTransport(seen))
    async with AsyncMemoriesClient(auth=_bad_token_store(tmp_path), http_client=http) as client:
        with pytest.raises(errors.ClientSideError) as info:
            await client.list_videos()
    assert isinstance(info.value, errors.TokenStoreError)
    assert seen.requests == []
    await http.aclose()


def test_client_side_errors_keep_their_cli_exit_codes_and_hints() -> None:
    from memories_integrations._tools.hints import hint_for
    from memories_integrations.cli._errors import EXIT_AUTH, EXIT_USAGE, exit_code_for

    assert exit_code_for(errors.InvalidInputError("bad", param="query")) == EXIT_USAGE
    assert exit_code_for(errors.MissingAPIKeyError("no key")) == EXIT_AUTH
    assert exit_code_for(errors.TokenStoreError("bad file")) == EXIT_AUTH
    assert "token file" in hint_for(errors.TokenStoreError("bad file"))
    assert "Fix the arguments" in hint_for(errors.InvalidInputError("bad"))
