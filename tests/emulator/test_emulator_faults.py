"""Fault injection, request log, rate limits, latency, admin API."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from memories_integrations.testing import EmulatorServer, FaultRule

from .conftest import V1, sample, upload


def test_status_fault_with_retry_after(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="list_videos", status=503, retry_after=2.0)
    r = client.post(f"{V1}/list_videos", json={})
    assert r.status_code == 503 and r.headers["retry-after"] == "2"
    assert client.post(f"{V1}/list_videos", json={}).json()["code"] == "0000"  # times=1 by default


def test_status_fault_custom_body_via_admin_api(client: httpx.Client) -> None:
    r = client.post(
        "/_emulator/faults",
        json={
            "path": "/serve/api/v1/*",
            "method": "POST",
            "status": 500,
            "body": "boom",
            "times": 2,
        },
    )
    assert r.json()["ids"]
    assert client.post(f"{V1}/search", json={"search_param": "x"}).text == "boom"
    assert client.get(f"{V1}/list_sessions").json()["code"] == "0000"  # method does not match
    assert client.post(f"{V1}/list_videos", json={}).status_code == 500
    assert client.post(f"{V1}/list_videos", json={}).status_code == 200


def test_code_fault(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="search", code="0429")
    emu.add_fault(path="search", code="7777", skip=1)
    first = client.post(f"{V1}/search", json={"search_param": "x"}).json()
    assert first == {
        "code": "0429",
        "msg": "Request has exceeded the limit.",
        "data": None,
        "success": False,
        "failed": True,
    }
    assert (
        client.post(f"{V1}/search", json={"search_param": "x"}).json()["code"] == "0000"
    )  # skipped
    assert client.post(f"{V1}/search", json={"search_param": "x"}).json()["code"] == "7777"


def test_delay_fault(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="list_videos", delay=0.3)
    with pytest.raises(httpx.ReadTimeout):
        client.post(f"{V1}/list_videos", json={}, timeout=0.1)
    emu.add_fault(path="list_videos", delay=0.1)
    t0 = time.monotonic()
    assert client.post(f"{V1}/list_videos", json={}).json()["code"] == "0000"
    assert time.monotonic() - t0 >= 0.1
    # The abandoned first request is logged (499) when its 0.3 s delay ends: let that happen in
    # this test, not in the next one sharing the emulator (its request log would show it).
    deadline = time.monotonic() + 5
    while len(emu.requests(f"{V1}/list_videos")) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


def test_drop_is_a_transport_error(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="list_videos", drop=True)
    with pytest.raises(httpx.TransportError) as info:
        client.post(f"{V1}/list_videos", json={})
    assert isinstance(info.value, (httpx.RemoteProtocolError, httpx.ReadError))
    assert client.post(f"{V1}/list_videos", json={}).json()["code"] == "0000"


def test_malformed_json(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="get_metadata", malformed_json=True)
    r = client.get(f"{V1}/get_metadata", params={"video_no": "VI1"})
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()


# /chat streams only when asked with the SSE Accept header (v1.2 Video-Chat page); without it
# the current docs answer one JSON envelope.
SSE = {"Accept": "text/event-stream"}


def _chat_lines(client: httpx.Client, video_no: str) -> list[str]:
    body = {"video_nos": [video_no], "prompt": "goal"}
    with client.stream("POST", f"{V1}/chat", json=body, headers=SSE) as s:
        return [line for line in s.iter_lines() if line]


def test_truncate_stream(client: httpx.Client, emu: EmulatorServer) -> None:
    no = upload(client, sample("soccer"))
    emu.complete_all()
    full = _chat_lines(client, no)
    emu.add_fault(path="chat", truncate_stream=True)
    cut = _chat_lines(client, no)
    assert len(cut) == len(full) - 1 and "Done" in full[-1]
    assert all('"code"' not in line for line in cut)
    emu.add_fault(path="chat", truncate_stream=True, after_events=2)
    assert len(_chat_lines(client, no)) == 2


def test_drop_mid_stream(client: httpx.Client, emu: EmulatorServer) -> None:
    no = upload(client, sample("soccer"))
    emu.complete_all()
    emu.add_fault(path="chat", drop_mid_stream=True, after_events=3)
    seen: list[str] = []
    with pytest.raises(httpx.TransportError):
        body = {"video_nos": [no], "prompt": "goal"}
        with client.stream("POST", f"{V1}/chat", json=body, headers=SSE) as s:
            for line in s.iter_lines():
                if line:
                    seen.append(line)
    assert len(seen) == 3 and all(line.startswith("data:") for line in seen)


def test_reset_after_upload_keeps_the_video(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.add_fault(path="upload", reset_after_upload=True)
    with pytest.raises(httpx.TransportError):
        upload(client, sample("cooking"), "lost")
    videos = client.post(f"{V1}/list_videos", json={"unique_id": "lost"}).json()["data"]["videos"]
    assert len(videos) == 1 and videos[0]["video_name"] == "cooking_demo"


def test_fault_rule_validation_and_admin(client: httpx.Client, emu: EmulatorServer) -> None:
    with pytest.raises(ValueError):
        FaultRule(path="x")
    with pytest.raises(ValueError):
        FaultRule(path="x", drop=True, status=500)
    assert client.post("/_emulator/faults", json={"path": "x"}).status_code == 400
    rule_id = client.post(
        "/_emulator/faults", json={"path": "search", "code": "0001", "times": None}
    ).json()["ids"][0]
    assert [r["id"] for r in client.get("/_emulator/faults").json()] == [rule_id]
    assert client.delete(f"/_emulator/faults/{rule_id}").json()["removed"] is True
    emu.add_fault(path="search", drop=True)
    client.delete("/_emulator/faults")
    assert emu.faults.list() == []


def test_request_log(client: httpx.Client, emu: EmulatorServer) -> None:
    client.post(f"{V1}/search", json={"search_param": "onions"})
    emu.add_fault(path="search", code="0429")
    client.post(f"{V1}/search", json={"search_param": "onions"})
    log = client.get("/_emulator/requests", params={"path": f"{V1}/search"}).json()
    assert [e["code"] for e in log] == ["0000", "0429"]
    assert log[1]["fault"] == "code" and log[0]["method"] == "POST" and log[0]["time"] > 0
    assert log[0]["body_sha256"] == log[1]["body_sha256"] and log[0]["body_size"] > 0
    assert len(emu.requests(f"{V1}/search")) == 2
    client.delete("/_emulator/requests")
    assert emu.requests() == []


def test_rate_limit(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.set_rate_limits(True)
    codes = [client.post(f"{V1}/list_videos", json={}).json()["code"] for _ in range(7)]
    assert codes[:5] == ["0000"] * 5 and codes[5:] == ["0429", "0429"]
    body = client.post(f"{V1}/list_videos", json={}).json()
    assert body["msg"] == "Request has exceeded the limit."
    # chat: 2 per minute per account (current Rate-limits page)
    codes = [client.post(f"{V1}/chat", json={}).json()["code"] for _ in range(3)]
    assert codes == ["0001", "0001", "0429"]
    client.post("/_emulator/settings", json={"rate_limits": False})
    assert client.post(f"{V1}/list_videos", json={}).json()["code"] == "0000"


def test_extra_latency(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.set_extra_latency(0.05)
    t0 = time.monotonic()
    for _ in range(3):
        client.post(f"{V1}/list_videos", json={})
    assert time.monotonic() - t0 >= 0.15


def test_reset_via_admin(client: httpx.Client, emu: EmulatorServer) -> None:
    upload(client, sample("soccer"))
    assert client.post("/_emulator/reset").json() == {"reset": True}
    assert client.post(f"{V1}/list_videos", json={}).json()["data"]["total_count"] == "0"
    assert upload(client, sample("soccer")) == "VI700000000000000001"


def test_rate_limited_upload_still_gets_an_envelope(
    client: httpx.Client, emu: EmulatorServer
) -> None:
    emu.set_rate_limits(True)
    payload = sample("cooking").read_bytes() + b"\x00" * (2 * 1024 * 1024)
    codes = []
    for _ in range(3):
        r = client.post(f"{V1}/upload", files={"file": ("big.mp4", payload, "video/mp4")})
        codes.append(r.json()["code"])
    assert codes == ["0000", "0429", "0429"]
