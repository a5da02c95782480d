"""Chat stream, sessions, transcripts and summaries."""

from __future__ import annotations

import json
from typing import Any

import httpx

from memories_integrations.testing import EmulatorServer

from .conftest import V1, make_client, sample, upload

SSE = {"Accept": "text/event-stream"}


def chat(client: httpx.Client, path: str = "chat", **body: Any) -> list[Any]:
    """The decoded ``data:`` lines of a chat sent with the SSE Accept header."""
    events = []
    body = {"unique_id": "lib", **body}
    with client.stream("POST", f"{V1}/{path}", json=body, headers=SSE) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for line in r.iter_lines():
            if line.startswith("data:"):
                text = line[5:].strip()
                events.append(text if text == "[DONE]" else json.loads(text))
    return events


def test_chat_without_sse_accept_is_one_json_envelope(
    client: httpx.Client, library: dict[str, str]
) -> None:
    nos = [library["cooking_demo"], library["soccer_match"]]
    r = client.post(
        f"{V1}/chat", json={"video_nos": nos, "prompt": "Who chops onions?", "unique_id": "lib"}
    )
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["code"] == "0000"
    data = body["data"]
    assert data["role"] == "ASSISTANT" and "onion" in data["content"]
    assert [set(t) for t in data["thinkings"]] == [{"title", "content"}] * 2
    assert data["session_id"].isdigit() and data["refs"][0]["video"]["video_no"] == nos[0]
    streamed = chat(client, video_nos=nos, prompt="Who chops onions?")
    assert "".join(e["content"] for e in streamed if e.get("type") == "content") == data["content"]
    missing = client.post(f"{V1}/chat", json={"video_nos": ["VI1"], "prompt": "hi"}).json()
    assert missing["code"] == "0001" and "No videos found" in missing["msg"]


def test_chat_stream_endpoint_streams(client: httpx.Client, library: dict[str, str]) -> None:
    body = {"video_nos": [library["city_bike_ride"]], "prompt": "the bridge", "unique_id": "lib"}
    # /chat_stream streams even without the Accept header (the page always sends it).
    with client.stream("POST", f"{V1}/chat_stream", json=body) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in r.iter_lines() if line]
    assert json.loads(lines[-1][5:]) == {"code": "SUCCESS", "data": "Done"}
    assert json.loads(lines[0][5:])["type"] == "thinking"


def test_personal_chat_routes(client: httpx.Client, library: dict[str, str]) -> None:
    r = client.post(f"{V1}/chat_personal", json={"prompt": "onions", "unique_id": "lib"})
    data = r.json()["data"]
    assert data["role"] == "ASSISTANT" and data["content"] and data["session_id"]
    events = chat(client, "chat_personal_stream", prompt="onions")
    assert events[-1] == "[DONE]"
    assert all(set(e) == {"token"} for e in events[:-1]) and len(events) > 1
    assert "".join(e["token"] for e in events[:-1]) == data["content"]
    empty = client.post(f"{V1}/chat_personal", json={"prompt": "x", "unique_id": "nothing-here"})
    assert empty.json()["code"] == "0001"


def test_marketer_chat_routes(client: httpx.Client, emu: EmulatorServer) -> None:
    r = client.post(f"{V1}/marketer_chat", json={"prompt": "street food", "session_id": ""})
    data = r.json()["data"]
    assert data["role"] == "ASSISTANT" and data["content"]
    assert all(ref["video"]["video_no"].startswith("PI-") for ref in data["refs"])
    with client.stream(
        "POST", f"{V1}/marketer_chat_stream", json={"prompt": "street food"}, headers=SSE
    ) as s:
        lines = [line for line in s.iter_lines() if line]
    assert lines[-1] == 'data:"Done"' and json.loads(lines[0][5:])["type"] == "thinking"
    assert client.post(f"{V1}/marketer_chat", json={}).json()["code"] == "0001"


def test_lenient_chat_streams_without_accept() -> None:
    with (
        EmulatorServer(rate_limits=False, lenient=True, preload_samples=True) as lenient,
        make_client(lenient.base_url, lenient.api_key) as c,
    ):
        page = c.get(f"{V1}/list_videos", params={"page": 1, "size": 5}).json()["data"]
        no = page["videos"][0]["video_no"]
        lenient.complete_all()
        r = c.post(f"{V1}/chat", json={"video_nos": [no], "prompt": "hi"})
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.text.strip().endswith('{"code": "SUCCESS", "data": "Done"}')


def test_chat_stream_shape(client: httpx.Client, library: dict[str, str]) -> None:
    events = chat(
        client,
        video_nos=[library["cooking_demo"], library["soccer_match"]],
        prompt="Who chops onions?",
    )
    types = [e.get("type") for e in events]
    assert types[0] == "thinking" and "ref" in types and "content" in types
    assert events[-1] == {"code": "SUCCESS", "data": "Done"}
    sid = events[0]["sessionId"]
    assert len(sid) == 18 and sid.isdigit()
    ref = next(e for e in events if e.get("type") == "ref")["ref"]
    assert ref[0]["video"]["video_no"] == library["cooking_demo"]
    item_types = {i["type"] for r in ref for i in r["refItems"]}
    assert "visual_ts" in item_types and "keyframe" in item_types
    answer = "".join(e["content"] for e in events if e.get("type") == "content")
    assert "onion" in answer and "00:02" in answer
    # deterministic answer
    again = chat(
        client,
        video_nos=[library["cooking_demo"], library["soccer_match"]],
        prompt="Who chops onions?",
    )
    assert "".join(e["content"] for e in again if e.get("type") == "content") == answer


def test_sessions(client: httpx.Client, library: dict[str, str]) -> None:
    first = chat(client, video_nos=[library["city_bike_ride"]], prompt="Describe the bridge")
    sid = first[0]["sessionId"]
    second = chat(
        client, videoNos=[library["city_bike_ride"]], prompt="And the cafe?", session_id=int(sid)
    )
    assert second[0]["sessionId"] == sid
    sessions = client.get(f"{V1}/list_sessions", params={"page": 1, "unique_id": "lib"}).json()[
        "data"
    ]
    assert sessions["total_count"] == "1" and sessions["sessions"][0]["sessionId"] == sid
    assert sessions["sessions"][0]["title"] == "Describe the bridge"
    detail = client.get(
        f"{V1}/get_session_detail", params={"sessionId": sid, "unique_id": "lib"}
    ).json()["data"]
    assert detail["session_id"] == sid and detail["title"] == "Describe the bridge"
    roles = [m["role"] for m in detail["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    assert detail["messages"][1]["thinkings"] and detail["messages"][1]["refs"]
    alias = client.get(
        f"{V1}/get_session_detail", params={"session_id": sid, "unique_id": "lib"}
    ).json()
    assert alias["data"] == detail
    assert (
        client.get(f"{V1}/get_session_detail", params={"sessionId": "1"}).json()["code"] == "0001"
    )


def test_chat_errors(client: httpx.Client, emu: EmulatorServer) -> None:
    assert client.post(f"{V1}/chat", json={"prompt": "hi"}).json()["code"] == "0001"
    assert client.post(f"{V1}/chat", json={"video_nos": ["VI1"]}).json()["code"] == "0001"
    events = chat(client, video_nos=["VI1"], prompt="hi")
    assert events == [
        {"code": "SUCCESS", "data": "No videos found for the provided video numbers."}
    ]
    emu.set_encoding_delay(30)
    no = upload(client, sample("cooking"), "lib")
    events = chat(client, video_nos=[no], prompt="hi")
    assert events[-1]["data"].startswith("Video is not parsed:")


def test_transcriptions(client: httpx.Client, library: dict[str, str]) -> None:
    no = library["product_keynote"]
    for endpoint in ("get_video_transcription", "get_video_caption"):
        data = client.get(f"{V1}/{endpoint}", params={"video_no": no, "unique_id": "lib"}).json()[
            "data"
        ]
        assert data["videoNo"] == no and len(data["transcriptions"]) == 5
        first = data["transcriptions"][0]
        assert first == {"index": 0, "content": first["content"], "startTime": "0", "endTime": "2"}
        assert "stage" in first["content"]
    audio = client.get(
        f"{V1}/get_audio_transcription", params={"video_no": no, "unique_id": "lib"}
    ).json()["data"]
    assert "Welcome" in audio["transcriptions"][0]["content"] and audio["createTime"].isdigit()
    missing = client.get(
        f"{V1}/get_audio_transcription", params={"video_no": "VI404", "unique_id": "lib"}
    ).json()
    assert missing["code"] == "0001" and missing["msg"] == "video not found: VI404"


def test_transcription_not_ready_is_null(client: httpx.Client, emu: EmulatorServer) -> None:
    emu.set_encoding_delay(30)
    no = upload(client, sample("soccer"))
    body = client.get(f"{V1}/get_video_transcription", params={"video_no": no}).json()
    assert body["code"] == "0000" and body["data"] is None


def test_summary(client: httpx.Client, library: dict[str, str]) -> None:
    no = library["soccer_match"]
    chapter = client.get(
        f"{V1}/generate_summary", params={"video_no": no, "type": "CHAPTER", "unique_id": "lib"}
    )
    data = chapter.json()["data"]
    assert data["summary_type"] == "CHAPTER" and isinstance(data["summary"], str)
    assert (
        len(data["items"]) == 5
        and data["items"][1]["start"] == "2"
        and data["items"][1]["end"] == "4"
    )
    topic = client.get(
        f"{V1}/generate_summary", params={"video_no": no, "type": "TOPIC", "unique_id": "lib"}
    )
    assert 1 <= len(topic.json()["data"]["items"]) < 5
    bad = client.get(
        f"{V1}/generate_summary", params={"video_no": no, "type": "HAIKU", "unique_id": "lib"}
    )
    assert bad.json()["code"] == "0003"
    assert client.get(f"{V1}/generate_summary", params={"video_no": no}).json()["code"] == "0001"
