"""Property-based tests of response parsing (hypothesis).

Documented response shapes (as the emulator sends them) are mutated: extra fields, optional
fields missing, numbers sent as strings, nulls, wrong types. Whatever arrives, a call either
returns its typed result or raises the typed ``ResponseParseError`` (``MemoriesError`` for
non-success envelopes) -- never a bare KeyError / TypeError / ValueError / AttributeError.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memories_integrations import MemoriesClient
from memories_integrations import errors as e
from memories_integrations._transport.streaming import StreamEnd, parse_line

from ._helpers import NO_RETRY

VNO = "VI700000000000000001"
SEG = {"index": 0, "content": "A striker shoots.", "startTime": "0", "endTime": "2"}
# One documented `data` per endpoint, as the API (and the emulator) send it.
DOCUMENTED: dict[str, Any] = {
    "upload": {
        "videoNo": VNO,
        "videoName": "soccer",
        "videoStatus": "UNPARSE",
        "uploadTime": "1795646335537",
    },
    "search": [
        {
            "videoNo": VNO,
            "videoName": "soccer",
            "startTime": "4",
            "endTime": "6",
            "score": 0.48,
            "video_bucket": "b",
            "video_blob": "VI.mp4",
            "keyframe_bucket": "k",
            "keyframe_blob": "VI/4.jpg",
            "caption": "The striker shoots.",
        },
    ],
    "list_videos": {
        "videos": [
            {
                "duration": "10",
                "size": "24908",
                "status": "PARSE",
                "cause": "null",
                "video_no": VNO,
                "video_name": "soccer",
                "create_time": "1795646335537",
            }
        ],
        "current_page": 1,
        "page_size": 2,
        "total_count": "1",
    },
    "get_metadata": {
        "video_no": VNO,
        "video_name": "soccer",
        "duration": 10.0,
        "size": 24908,
        "status": "PARSE",
        "create_time": 1795646335537,
        "fps": 10.0,
        "width": 64,
        "height": 36,
        "tags": ["sports"],
        "bucket": "b",
        "blob": "VI.mp4",
        "cause": None,
    },
    "transcription": {
        "videoNo": VNO,
        "transcriptions": [SEG, {**SEG, "index": 1, "startTime": "2", "endTime": "4"}],
    },
    "summary": {
        "videoNo": VNO,
        "summary_type": "CHAPTER",
        "summary": "Five scenes.",
        "items": [{"title": "Kickoff", "start": "0", "description": "Teams line up."}],
    },
    "search_transcripts": {
        "current_page": 1,
        "page_size": 2,
        "total_count": "2",
        "videos": [
            {
                "videoNo": VNO,
                "videoName": "soccer",
                "startTime": "4",
                "endTime": "6",
                "audio_ts": "goal!",
            }
        ],
    },
    "list_sessions": {
        "sessions": [{"sessionId": "1", "title": "chat", "createTime": "1795646335537"}],
        "current_page": 1,
        "page_size": 20,
        "total_count": "1",
    },
    "access_token": {"accessToken": "t", "refreshToken": "r", "expiresIn": "7200"},
}

CALLS: dict[str, Callable[[MemoriesClient, Path], Any]] = {
    "upload": lambda c, f: c.upload(f),
    "search": lambda c, f: c.search("a goal is scored"),
    "list_videos": lambda c, f: c.list_videos(),
    "get_metadata": lambda c, f: c.get_metadata(VNO),
    "transcription": lambda c, f: c.get_audio_transcription(VNO),
    "summary": lambda c, f: c.generate_summary(VNO),
    "search_transcripts": lambda c, f: c.search_transcripts("goal"),
    "list_sessions": lambda c, f: c.list_sessions(),
    "access_token": lambda c, f: c.get_access_token("code", "client"),
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated(draw: st.DrawFn, node: Any) -> Any:
    """``node`` with random documented-tolerance mutations applied at every level."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "null", "junk"]))
            if action == "keep":
                out[key] = draw(mutated(value))
            elif action == "null":
                out[key] = None
            elif action == "junk":
                out[key] = draw(json_values)
        out.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), json_values, max_size=2)))
        return out
    if isinstance(node, list):
        items = [draw(mutated(item)) for item in node]
        return items + draw(st.lists(json_values, max_size=1))
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (int, float)):
        return draw(st.sampled_from([node, str(node), f" {node} ", float(node), "", "null"]))
    if isinstance(node, str) and node.strip().lstrip("-").replace(".", "", 1).isdigit():
        return draw(st.sampled_from([node, int(float(node)), float(node), "", "null", "NaN"]))
    return draw(st.one_of(st.just(node), st.text(max_size=8), st.none()))


class Canned:
    """A client whose transport answers every request with ``self.body``."""

    def __init__(self) -> None:
        self.status = 200
        self.body: bytes = b"{}"
        self.headers: dict[str, str] = {"content-type": "application/json"}
        self.http = httpx.Client(
            transport=httpx.MockTransport(self._answer), verify=ssl.create_default_context()
        )
        self.client = MemoriesClient(api_key="k", http_client=self.http, retry=NO_RETRY)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, content=self.body, headers=self.headers)


@pytest.fixture(scope="module")
def canned() -> Iterator[Canned]:
    c = Canned()
    yield c
    c.http.close()


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("prop") / "clip.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32)
    return path


def call(canned: Canned, name: str, video: Path, envelope: Any) -> Any:
    import json

    canned.status = 200
    canned.body = json.dumps(envelope, allow_nan=True).encode()
    return CALLS[name](canned.client, video)


PROPS = settings(
    max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_documented_shape_parses(name: str, canned: Canned, video: Path) -> None:
    """The unmutated documented shape parses, numbers-as-strings included."""
    result = call(canned, name, video, {"code": "0000", "msg": "success", "data": DOCUMENTED[name]})
    assert result is not None
    if name == "search":
        assert result[0].start_time == 4.0 and result[0].end_time == 6.0
    if name == "list_videos":
        assert result.videos[0].duration == 10.0


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
@PROPS
@given(data=st.data())
def test_mutated_shape_parses_or_raises_typed(
    name: str, data: st.DataObject, canned: Canned, video: Path
) -> None:
    payload = data.draw(mutated(DOCUMENTED[name]))
    code = data.draw(st.sampled_from(["0000", 0, "0", "SUCCESS"]))
    try:
        call(canned, name, video, {"code": code, "msg": "success", "data": payload})
    except e.ResponseParseError:
        pass  # the typed parse error is an accepted outcome; anything else fails the test


@PROPS
@given(body=json_values, status=st.sampled_from([200, 200, 400, 429, 500, 503]))
def test_any_json_body_raises_only_memories_errors(
    body: Any, status: int, canned: Canned, video: Path
) -> None:
    import json

    canned.status = status
    canned.body = json.dumps(body).encode()
    try:
        canned.client.search("a goal is scored")
    except e.MemoriesError:
        pass


@PROPS
@given(body=st.binary(max_size=64), retry_after=st.text(max_size=12))
def test_any_bytes_and_retry_after_raise_only_memories_errors(
    body: bytes, retry_after: str, canned: Canned
) -> None:
    canned.status = 429
    canned.body = body
    canned.headers = {"content-type": "application/json"}
    if retry_after.isprintable() and retry_after.isascii():
        canned.headers["retry-after"] = retry_after
    try:
        with pytest.raises(e.MemoriesError):
            canned.client.search("a goal is scored")
    finally:
        canned.headers = {"content-type": "application/json"}


@PROPS
@given(
    line=st.one_of(
        st.text(max_size=40), json_values.map(lambda v: "data: " + __import__("json").dumps(v))
    )
)
def test_any_chat_line_parses_or_raises_typed(line: str) -> None:
    try:
        parse_line(line, endpoint="/serve/api/v1/chat")
    except (StreamEnd, e.MemoriesError):
        pass


def test_deeply_nested_json_is_a_parse_error(canned: Canned) -> None:
    canned.status = 200
    canned.body = b"[" * 100_000
    with pytest.raises(e.ResponseParseError):
        canned.client.search("a goal is scored")
