"""examples/chat_backend.py through its ASGI app (httpx.ASGITransport) against the emulator."""

from __future__ import annotations

import asyncio
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations.callbacks import CallbackReceiver
from memories_integrations.testing import EmulatorServer, sample_videos

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chat_backend.py"


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chat_backend_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_sse(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def test_chat_streams_answer_with_citations(
    example: ModuleType, emu: EmulatorServer, aclient: AsyncMemoriesClient
) -> None:
    with MemoriesClient(api_key=emu.api_key, base_url=emu.base_url) as sync:
        soccer = next(p for p in sample_videos() if p.stem == "soccer_match")
        video_no = sync.upload(soccer).video_no
    emu.complete_all()
    receiver = CallbackReceiver("http://testserver/callbacks/memories")
    app = example.create_app(client=aclient, receiver=receiver)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        r = await http.post("/chat", json={"prompt": "who scores the goal?"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(r.text)
        kinds = [kind for kind, _ in events]
        assert "content" in kinds and "citation" in kinds and kinds[-1] == "done"
        answer = "".join(data["text"] for kind, data in events if kind == "content")
        assert "goal" in answer.lower()
        cites = [data for kind, data in events if kind == "citation"]
        assert all(c["video_no"] == video_no for c in cites)
        assert all(c["start"].count(":") == 2 for c in cites)  # HH:MM:SS
        assert all(c["video_name"] == "soccer_match" for c in cites)  # cached metadata
        assert all(c["url"].startswith("memories://") for c in cites)
        assert events[-1][1]["session_id"]

        assert (await http.post("/chat", json={"prompt": ""})).status_code == 400

        # Encoding callbacks: a tokenised delivery is accepted and shows in the status route.
        status = await http.get(f"/videos/{video_no}/status")
        assert status.json() == {
            "video_no": video_no,
            "video_name": "soccer_match",
            "status": "PARSE",
            "callback": None,
        }
        url = receiver.callback_url()
        payload = {"videoNo": video_no, "clientId": "x", "status": "PARSE"}
        assert (await http.post(url, json=payload)).status_code == 200
        assert (await http.post(url, json=payload)).json()["duplicate"] is True
        forged = await http.post("/callbacks/memories?token=forged.token", json=payload)
        assert forged.status_code == 403
        status = await http.get(f"/videos/{video_no}/status")
        assert status.json()["callback"] == "PARSE"
        assert (await http.get("/videos/VI404/status")).status_code == 404


async def test_add_video_registers_a_callback_url(
    example: ModuleType, emu: EmulatorServer, aclient: AsyncMemoriesClient
) -> None:
    # A closed loopback port: the emulator's delivery attempts fail and are logged.
    receiver = CallbackReceiver("http://127.0.0.1:9/callbacks/memories")
    app = example.create_app(client=aclient, receiver=receiver)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        r = await http.post("/videos", json={"url": "https://cdn.example.com/beach_day.mp4"})
        assert r.status_code == 200 and r.json()["status"] == "UNPARSE"
        bad = await http.post("/videos", json={"url": "ftp://nope"})
        assert bad.status_code == 400
    emu.complete_all()
    # The emulator tried to call the app back at its (unreachable here) tokenised URL.
    for _ in range(100):
        sent = [c["url"] for c in emu.callbacks]
        if sent:
            break
        await asyncio.sleep(0.02)
    assert sent and all("token=" in url for url in sent)
    assert receiver.verify_token(httpx.URL(sent[0]).params["token"])


def test_its_client_paces_every_documented_group_and_caches(
    example: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    monkeypatch.setenv("MEMORIES_API_KEY", "sk-example")
    monkeypatch.delenv("REDIS_URL", raising=False)
    client = example.make_client()
    limiter = client.rate_limiter
    assert limiter is not None and {"chat", "search", "upload"} <= set(limiter.qps)
    assert client.cache is not None


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_copied_out_it_serves_sse_with_citations_against_the_emulator(tmp_path: Path) -> None:
    """The file alone (no sibling), started as a server process, streaming a real answer."""
    import os
    import shutil
    import subprocess
    import sys
    import time

    script = tmp_path / "chat_backend.py"
    shutil.copy(EXAMPLE, script)
    port = _free_port()
    with EmulatorServer(preload_samples=True, rate_limits=False) as emu:
        env = {**os.environ, "MEMORIES_API_KEY": emu.api_key, "MEMORIES_BASE_URL": emu.base_url}
        root = str(EXAMPLE.parents[1])  # the package of this checkout, not the example's folder
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        proc = subprocess.Popen(
            [sys.executable, str(script), "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                try:
                    httpx.get(base + "/videos/VI404/status", timeout=1)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the backend never started"
                    time.sleep(0.1)
            question = {"prompt": "who scores the goal?", "video_nos": ["VI700000000000000002"]}
            kinds: list[str] = []
            events: list[tuple[str, Any]] = []
            with httpx.stream("POST", base + "/chat", json=question, timeout=30) as r:
                assert r.headers["content-type"].startswith("text/event-stream")
                block: dict[str, str] = {}
                for line in r.iter_lines():
                    if line:
                        key, value = line.split(": ", 1)
                        block[key] = value
                    elif block:
                        events.append((block["event"], json.loads(block["data"])))
                        kinds.append(block["event"])
                        block = {}
            assert kinds[0] in ("thinking", "content") and kinds[-1] == "done", kinds
            assert "content" in kinds and "citation" in kinds
            text = "".join(d["text"] for k, d in events if k == "content")
            assert "goal" in text.lower()
            cites = [d for k, d in events if k == "citation"]
            assert {c["video_no"] for c in cites} == {"VI700000000000000002"}
            assert all(c["video_name"] and c["url"].startswith("memories://") for c in cites)
            session = events[-1][1]["session_id"]
            follow_up = {**question, "prompt": "and then?", "session_id": session}
            again = parse_sse(httpx.post(base + "/chat", json=follow_up, timeout=30).text)
            assert again[-1] == ("done", {"session_id": session})  # the session continued
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            if proc.stderr:
                proc.stderr.close()


async def test_redis_url_shares_the_rate_limit_schedule_and_the_cache(
    example: ModuleType, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from memories_integrations import RedisSlots
    from memories_integrations.cache import RedisStore

    monkeypatch.delenv("MEMORIES_RATE_LIMITER", raising=False)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("MEMORIES_API_KEY", "sk-test-example")
    client = example.make_client()
    try:
        assert client.rate_limiter is not None
        assert isinstance(client.rate_limiter.slots, RedisSlots)
        assert client.rate_limiter.limits("search") and client.rate_limiter.limits("chat")
        assert isinstance(client.cache.store, RedisStore)
    finally:
        await client.aclose()
