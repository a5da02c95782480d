"""Envelope, auth, determinism, app factory."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from memories_integrations.testing import EmulatorServer, create_app, sample_videos

from .conftest import V1, make_client, sample, upload

ENVELOPE_KEYS = {"code", "msg", "data", "success", "failed"}


def test_envelope_success(client: httpx.Client) -> None:
    r = client.post(f"{V1}/list_videos", json={"unique_id": "x"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == ENVELOPE_KEYS
    assert body["code"] == "0000" and body["msg"] == "success"
    assert body["success"] is True and body["failed"] is False


@pytest.mark.parametrize(
    ("headers", "code"),
    [({}, "0401"), ({"Authorization": "wrong"}, "0401"), ({"Authorization": ""}, "0401")],
)
def test_auth_errors(raw: httpx.Client, headers: dict[str, str], code: str) -> None:
    r = raw.post(f"{V1}/list_videos", json={}, headers=headers)
    body = r.json()
    assert r.status_code == 200
    assert body == {
        "code": code,
        "msg": body["msg"],
        "data": None,
        "success": False,
        "failed": True,
    }
    assert body["msg"]


def test_bearer_prefix_tolerated(raw: httpx.Client, emu: EmulatorServer) -> None:
    r = raw.post(f"{V1}/list_videos", json={}, headers={"Authorization": f"Bearer {emu.api_key}"})
    assert r.json()["code"] == "0000"


@pytest.mark.parametrize(
    ("state", "code"), [("disabled", "0403"), ("no_credits", "0402"), ("no_permission", "9009")]
)
def test_account_states(emu: EmulatorServer, raw: httpx.Client, state: str, code: str) -> None:
    emu.set_account("k2", state)  # type: ignore[arg-type]
    r = raw.post(f"{V1}/list_videos", json={}, headers={"Authorization": "k2"})
    assert r.json()["code"] == code
    emu.set_account("k2", "ok")
    assert (
        raw.post(f"{V1}/list_videos", json={}, headers={"Authorization": "k2"}).json()["code"]
        == "0000"
    )


def test_account_states_from_config() -> None:
    with (
        EmulatorServer(accounts={"off": "disabled"}, rate_limits=False) as emu,
        make_client(emu.base_url, "off") as c,
    ):
        assert c.post(f"{V1}/list_videos", json={}).json()["code"] == "0403"


def test_bad_json_is_0003(client: httpx.Client) -> None:
    r = client.post(
        f"{V1}/search", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.json()["code"] == "0003"


def test_unknown_path_is_404(client: httpx.Client) -> None:
    assert client.get(f"{V1}/nope").status_code == 404


def test_deterministic_ids_across_fresh_emulators() -> None:
    def run() -> list[str]:
        with (
            EmulatorServer(encoding_delay=0.01, rate_limits=False) as emu,
            make_client(emu.base_url, emu.api_key) as c,
        ):
            ids = [upload(c, p) for p in sample_videos()]
            r = c.post(f"{V1}/upload_url", data={"url": "https://example.com/a.mp4"})
            ids.append(r.json()["data"]["videoNo"])
            emu.complete_all()
            r = c.post(
                f"{V1}/scraper_url", json={"video_urls": ["https://www.tiktok.com/@a/video/1"]}
            )
            ids.append(r.json()["data"]["taskId"])
            with c.stream("POST", f"{V1}/chat", json={"video_nos": ids[:1], "prompt": "hi"}) as s:
                ids.extend(line for line in s.iter_lines() if "sessionId" in line)
            return ids

    first, second = run(), run()
    assert first == second
    assert first[0] == "VI700000000000000001"
    assert all(len(v) == 20 and v[2:].isdigit() for v in first[:5])


def test_seed_changes_ids() -> None:
    with (
        EmulatorServer(seed=3, rate_limits=False) as emu,
        make_client(emu.base_url, emu.api_key) as c,
    ):
        assert upload(c, sample("cooking")) != "VI700000000000000001"


def test_start_fast_and_stop_clean() -> None:
    before = threading.active_count()
    t0 = time.monotonic()
    server = EmulatorServer(rate_limits=False).start()
    assert time.monotonic() - t0 < 1.0
    with make_client(server.base_url) as c:
        assert c.get("/_emulator/health").json()["ok"] is True
    server.stop()
    time.sleep(0.05)
    assert threading.active_count() <= before


def test_samples_are_valid_mp4s() -> None:
    paths = sample_videos()
    assert len(paths) == 4
    for p in paths:
        head = p.read_bytes()[:12]
        assert head[4:8] == b"ftyp"
        assert 1_000 < p.stat().st_size < 100_000


async def test_create_app_in_process() -> None:
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emu", verify=False) as c:
        r = await c.post(f"{V1}/list_videos", json={}, headers={"Authorization": "emulator-key"})
        assert r.json()["data"]["total_count"] == "0"


def test_a_request_is_logged_before_its_answer_arrives(
    client: httpx.Client, emu: EmulatorServer
) -> None:
    """Tests count requests right after an answer: the log must already hold that request."""
    for n in range(1, 41):
        assert client.get(f"{V1}/list_sessions", params={"page": 1}).status_code == 200
        assert len(emu.requests("/serve/api/v1/list_sessions")) == n
