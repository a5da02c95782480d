"""Each documented response code becomes its typed error, through both clients.

Codes from the v1.2 API_Code page: 0001/0003 parameters, 0401 auth, 0402 credits, 0403 account
disabled, 0409 duplicate (injected), 0429 rate limit, 9009 permission. Recorded against emulator
accounts in those states (see EMULATOR_SETTINGS in tests/conftest.py) and injected faults.
"""

from __future__ import annotations

from typing import Any

import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient, RetryPolicy, errors

from ..conftest import ACCOUNT_KEYS, TEST_RETRY
from .conftest import Api

pytestmark = pytest.mark.vcr


@pytest.fixture(params=["sync", "async"])
def make_api(request: pytest.FixtureRequest, memories_base_url: str, record_target: str) -> Any:
    """Builds an Api for a given key; the key is not matched on replay (it is never recorded)."""

    def build(key: str, retry: RetryPolicy = TEST_RETRY) -> Api:
        if record_target == "live":
            pytest.skip("account-state errors are recorded against the emulator only")
        cls = MemoriesClient if request.param == "sync" else AsyncMemoriesClient
        return Api(cls(api_key=key, base_url=memories_base_url, retry=retry))

    return build


@pytest.mark.parametrize(
    ("account", "error", "code"),
    [
        ("invalid", errors.AuthenticationError, "0401"),
        ("no_credits", errors.InsufficientCreditsError, "0402"),
        ("disabled", errors.AccountDisabledError, "0403"),
        ("no_permission", errors.PermissionDeniedError, "9009"),
    ],
)
async def test_account_errors(
    make_api: Any, account: str, error: type[errors.MemoriesError], code: str
) -> None:
    api = make_api(ACCOUNT_KEYS[account])
    with pytest.raises(error) as info:
        await api.search("a goal is scored")
    assert info.value.code == code
    assert info.value.endpoint == "/serve/api/v1/search"
    assert ACCOUNT_KEYS[account] not in str(info.value)


async def test_unknown_video_is_not_found(api: Api) -> None:
    with pytest.raises(errors.NotFoundError) as info:
        await api.get_video_transcription("VI000000000000000000")
    assert info.value.code == "0001"
    # get_metadata answers an unknown video as one not parsed yet (code 0000, data null).
    meta = await api.get_metadata("VI000000000000000000")
    assert meta.ready is False


async def test_unknown_session_is_not_found(api: Api) -> None:
    # Only the server can judge this one: 0001 with a "not found" message -> NotFoundError.
    with pytest.raises(errors.NotFoundError) as info:
        await api.get_session_detail("123456789012345678")
    assert info.value.code == "0001"


async def test_duplicate_request_conflict(
    make_api: Any, memories_server: Any, memories_api_key: str
) -> None:
    # The live API no longer sends 0409 for a second delete (it is idempotent): injected.
    if memories_server is not None:
        memories_server.add_fault(path="delete_videos", code="0409", times=1)
    api = make_api(memories_api_key)
    with pytest.raises(errors.ConflictError) as info:
        await api.delete_videos(["VI000000000000000000"])
    assert info.value.code == "0409"


async def test_rate_limit_is_retried_then_raised(
    make_api: Any, memories_server: Any, memories_api_key: str
) -> None:
    if memories_server is not None:
        memories_server.add_fault(path="search", code="0429", times=2)
    api = make_api(memories_api_key, RetryPolicy(max_retries=1, initial_delay=0.01, jitter=False))
    with pytest.raises(errors.RateLimitError) as info:
        await api.search("a goal is scored")
    assert info.value.code == "0429"


async def test_rate_limit_with_retry_after_recovers(
    make_api: Any, memories_server: Any, memories_api_key: str
) -> None:
    if memories_server is not None:
        memories_server.add_fault(path="search", status=429, retry_after="0.01", times=1)
    api = make_api(memories_api_key)
    hits = await api.search("a goal is scored", top_k=3)
    assert hits


async def test_server_error_is_retried(
    make_api: Any, memories_server: Any, memories_api_key: str
) -> None:
    if memories_server is not None:
        memories_server.add_fault(path="list_videos", status=502, times=2)
    api = make_api(memories_api_key)
    page = await api.list_videos()
    assert page.videos


async def test_unknown_code_is_a_server_error(
    make_api: Any, memories_server: Any, memories_api_key: str
) -> None:
    if memories_server is not None:
        memories_server.add_fault(path="list_videos", code="7777", msg="mystery")
    api = make_api(memories_api_key)
    with pytest.raises(errors.ServerError) as info:
        await api.list_videos()
    assert info.value.code == "7777"
