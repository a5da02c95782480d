"""The emulator enforces the current Rate-limits page by default, per-minute limits included.

Raw HTTP (plain httpx, not the client), so the client's own limiter cannot hide anything.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from memories_integrations.testing import EmulatorConfig, EmulatorServer, sample_videos
from memories_integrations.testing.ratelimit import LIMITS, RateLimiter

from .conftest import V1, make_client


@pytest.fixture(scope="module")
def strict() -> Iterator[EmulatorServer]:
    """An emulator with the defaults (limits ON), reset per test by ``limited``."""
    with EmulatorServer(encoding_delay=0.05, preload_samples=True) as server:
        yield server


@pytest.fixture
def limited(strict: EmulatorServer) -> Iterator[httpx.Client]:
    strict.reset()
    with make_client(strict.base_url, strict.api_key) as client:
        yield client


def _video_no(client: httpx.Client) -> str:
    videos = client.post(f"{V1}/list_videos", json={}).json()["data"]["videos"]
    return str(videos[0]["video_no"])


def test_limits_are_on_by_default() -> None:
    assert EmulatorConfig().rate_limits is True
    assert LIMITS["upload"] == (1, 60.0) and LIMITS["chat"] == (2, 60.0)
    assert LIMITS["download"] == (12, 60.0) and LIMITS["search"] == (1, 1.0)
    assert LIMITS["task_status"] == (1, 1.0) and LIMITS["summary"] == (1, 1.0)


def test_one_upload_per_minute(limited: httpx.Client) -> None:
    sample = sample_videos()[0]
    codes = []
    for _ in range(2):
        with sample.open("rb") as fh:
            r = limited.post(f"{V1}/upload", files={"file": (sample.name, fh, "video/mp4")})
        codes.append(r.json()["code"])
    assert codes == ["0000", "0429"]
    # upload_url shares the "Upload (local/URL)" quota.
    r = limited.post(f"{V1}/upload_url", data={"url": "https://cdn.example.com/a.mp4"})
    assert (r.json()["code"], r.json()["msg"]) == ("0429", "Request has exceeded the limit.")


def test_twelve_downloads_per_minute(limited: httpx.Client) -> None:
    video_no = _video_no(limited)
    codes = []
    for _ in range(13):
        r = limited.post(f"{V1}/download", json={"video_no": video_no, "unique_id": "default"})
        codes.append(r.json()["code"] if "json" in r.headers["content-type"] else "file")
    assert codes == ["file"] * 12 + ["0429"]


def test_search_one_per_second(limited: httpx.Client) -> None:
    codes = [
        limited.post(f"{V1}/search", json={"search_param": "a goal"}).json()["code"]
        for _ in range(2)
    ]
    assert codes == ["0000", "0429"]


def test_switch_off_and_table_override(limited: httpx.Client, strict: EmulatorServer) -> None:
    r = limited.post("/_emulator/settings", json={"rate_limit_table": {"search": [3, 1.0]}}).json()
    assert r["rate_limit_table"]["search"] == [3, 1.0]
    codes = [
        limited.post(f"{V1}/search", json={"search_param": "a goal"}).json()["code"]
        for _ in range(4)
    ]
    assert codes == ["0000", "0000", "0000", "0429"]
    strict.set_rate_limits(False)
    assert limited.post(f"{V1}/search", json={"search_param": "x"}).json()["code"] == "0000"
    strict.reset()  # back to the configured table and switch
    assert strict.emulator.limiter.limits["search"] == (1, 1.0)
    assert strict.emulator.settings.rate_limits is True


def test_limiter_windows_are_per_account_and_interface() -> None:
    limiter = RateLimiter({"upload": (1, 60.0)})
    assert limiter.allow("a", "upload") and not limiter.allow("a", "upload")
    assert limiter.allow("b", "upload")  # another account has its own quota
    assert limiter.allow("a", "download")


def test_settings_take_json_types_without_casting(
    limited: httpx.Client, strict: EmulatorServer
) -> None:
    """``"false"`` is not a bool: casting it would switch the limits ON (bool("false"))."""
    r = limited.post("/_emulator/settings", json={"rate_limits": "false"})
    assert r.status_code == 400 and "takes a bool" in r.text
    assert strict.emulator.settings.rate_limits is True
    r = limited.post("/_emulator/settings", json={"encoding_delay": "fast"})
    assert r.status_code == 400
    assert limited.post("/_emulator/settings", json={"rate_limits": False}).status_code == 200
    assert strict.emulator.settings.rate_limits is False
    strict.reset()
