"""OAuth2 code -> token -> refresh -> expiry (v1.0 Authentication API)."""

from __future__ import annotations

import hashlib

import httpx

from memories_integrations.testing import EmulatorServer

from .conftest import V1, Sink, make_client

AUTH = "/auth/api/token"


def test_oauth_flow(emu: EmulatorServer, raw: httpx.Client, sink: Sink) -> None:
    code = emu.authorize(sink.url)
    got = sink.wait_for(lambda r: len(r) == 1)[0]
    assert got["method"] == "GET"
    assert got["query"] == {
        "code": code,
        "clientId": emu.client_id,
        "state": hashlib.md5(emu.api_key.encode()).hexdigest(),
    }
    tok = raw.post(f"{AUTH}/getAccessToken", json={"clientId": emu.client_id, "code": code}).json()
    assert tok["code"] == "0000"
    data = tok["data"]
    assert (
        data["type"] == "Bearer"
        and data["expiresIn"] == 7200
        and data["refreshExpiresIn"] > data["expiresIn"]
    )
    # the access token works as Authorization
    listed = raw.post(
        f"{V1}/list_videos", json={}, headers={"Authorization": data["accessToken"]}
    ).json()
    assert listed["code"] == "0000"
    # a code is single-use
    again = raw.post(
        f"{AUTH}/getAccessToken", json={"clientId": emu.client_id, "code": code}
    ).json()
    assert again["code"] == "0401"
    refreshed = raw.post(
        f"{AUTH}/refreshAccessToken", json={"refreshToken": data["refreshToken"]}
    ).json()["data"]
    assert (
        set(refreshed) == {"accessToken", "expiresIn", "type"}
        and refreshed["accessToken"] != data["accessToken"]
    )
    # expiry: the access token dies, the refresh token still works until it expires too
    emu.advance_clock(7201)
    expired = raw.post(
        f"{V1}/list_videos", json={}, headers={"Authorization": refreshed["accessToken"]}
    ).json()
    assert expired["code"] == "0401" and "expired" in expired["msg"]
    assert (
        raw.post(f"{AUTH}/refreshAccessToken", json={"refreshToken": data["refreshToken"]}).json()[
            "code"
        ]
        == "0000"
    )
    emu.advance_clock(60 * 24 * 3600)
    assert (
        raw.post(f"{AUTH}/refreshAccessToken", json={"refreshToken": data["refreshToken"]}).json()[
            "code"
        ]
        == "0401"
    )


def test_new_code_expires_previous_and_admin_trigger(
    emu: EmulatorServer, raw: httpx.Client, sink: Sink
) -> None:
    first = raw.post("/_emulator/oauth/authorize", json={"callback_url": sink.url}).json()
    second = raw.post(
        "/_emulator/oauth/authorize", json={"api_key": emu.api_key, "callback_url": sink.url}
    ).json()
    assert first["delivered"] and second["delivered"] and first["code"] != second["code"]
    bad = raw.post(
        f"{AUTH}/getAccessToken", json={"clientId": emu.client_id, "code": first["code"]}
    ).json()
    assert bad["code"] == "0401"
    wrong_client = raw.post(
        f"{AUTH}/getAccessToken", json={"clientId": "abc", "code": second["code"]}
    ).json()
    assert wrong_client["code"] == "0401"
    assert (
        raw.post(f"{AUTH}/getAccessToken", json={"clientId": emu.client_id}).json()["code"]
        == "0001"
    )
    assert (
        raw.post(f"{AUTH}/refreshAccessToken", json={"refreshToken": "nope"}).json()["code"]
        == "0401"
    )


def test_short_lifetimes_from_config(sink: Sink) -> None:
    with (
        EmulatorServer(oauth_access_ttl=1, oauth_code_ttl=1, rate_limits=False) as emu,
        make_client(emu.base_url) as c,
    ):
        code = emu.authorize(sink.url)
        token = c.post(
            f"{AUTH}/getAccessToken", json={"clientId": emu.client_id, "code": code}
        ).json()["data"]
        assert token["expiresIn"] == 1
        emu.advance_clock(1.5)
        r = c.post(
            f"{V1}/list_videos", json={}, headers={"Authorization": token["accessToken"]}
        ).json()
        assert r["code"] == "0401"
        stale = emu.authorize(None)
        emu.advance_clock(2)
        assert (
            c.post(
                f"{AUTH}/getAccessToken", json={"clientId": emu.client_id, "code": stale}
            ).json()["code"]
            == "0401"
        )
