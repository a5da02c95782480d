"""The live contract check: every core endpoint once, in a throw-away namespace.

One definition, used by ``memories doctor`` and by ``pytest --live`` (tests/live): upload the
smallest bundled sample, wait for it, search, transcripts, summary, chat (JSON and stream), list,
delete. Each check records what was sent, the shape the server answered (read from the raw bytes,
not from the parsed model) and whether the client parsed it, or the exact mismatch. Only the
video uploaded here is ever deleted.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
from pydantic import SecretStr

from memories_integrations import _secrets
from memories_integrations import errors as e
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._transport.base import shared_ssl_context
from memories_integrations.models import ContentEvent, RefEvent, ThinkingEvent, VideoStatus

T = TypeVar("T")
Outcome = Literal["OK", "MISMATCH", "ERROR", "SKIPPED"]

SAMPLES = Path(__file__).parent.parent / "testing" / "samples"
NAMESPACE_PREFIX = "doctor-"
SEARCH_QUERY = "a person"
CHAT_PROMPT = "Describe what happens in this video in one sentence."
# Enough of any answer to show its shape; a video download is never this small, so no step
# here keeps more than this in memory.
BODY_LIMIT = 256 * 1024

#: (step, what it sends): the plan printed before a run and when no key is set.
PLAN: tuple[tuple[str, str], ...] = (
    ("upload", "POST /serve/api/v1/upload: the smallest bundled sample into the namespace"),
    ("wait", "GET /serve/api/v1/get_metadata until the upload is PARSE"),
    ("search", f"POST /serve/api/v1/search {SEARCH_QUERY!r} (BY_CLIP, top_k 3)"),
    ("video_transcription", "GET /serve/api/v1/get_video_transcription of the upload"),
    ("audio_transcription", "GET /serve/api/v1/get_audio_transcription of the upload"),
    ("summary", "GET /serve/api/v1/generate_summary (CHAPTER) of the upload"),
    ("chat", "POST /serve/api/v1/chat: one question about the upload, JSON answer"),
    ("chat_stream", "POST /serve/api/v1/chat_stream: the same question, streamed (SSE)"),
    ("list_videos", "POST /serve/api/v1/list_videos of the namespace"),
    ("delete", "POST /serve/api/v1/delete_videos: only the video uploaded above"),
)
STEPS: tuple[str, ...] = tuple(step for step, _ in PLAN)
# Steps that need the upload indexed (PARSE); skipped when waiting failed.
_NEEDS_PARSE = frozenset(
    {"search", "video_transcription", "audio_transcription", "summary", "chat", "chat_stream"}
)


def smallest_sample() -> Path:
    """The smallest bundled sample video (a few tens of KB): cheapest to upload and index."""
    return min(SAMPLES.glob("*.mp4"), key=lambda p: p.stat().st_size)


def throwaway_namespace() -> str:
    return NAMESPACE_PREFIX + secrets.token_hex(4)


# ------------------------------------------------------------------------------ recording
@dataclass
class Exchange:
    """One HTTP request/response pair as seen on the wire (bodies bounded by BODY_LIMIT)."""

    method: str
    path: str
    status: int
    content_type: str
    body: bytearray = field(default_factory=bytearray)

    def shape(self) -> str:
        """Top-level keys and types of what the server answered."""
        text = bytes(self.body).decode("utf-8", "replace")
        if "event-stream" in self.content_type or text.lstrip().startswith("data:"):
            return _stream_shape(text, self.content_type)
        if "json" not in self.content_type and not text.lstrip().startswith("{"):
            return f"{self.content_type or 'no content type'}, {len(self.body)} bytes"
        try:
            payload = json.loads(text)
        except ValueError:
            return f"{self.content_type}: not JSON ({len(self.body)} bytes)"
        if not isinstance(payload, dict):
            return f"JSON {describe(payload)} (no envelope)"
        parts = [f"code={payload.get('code')!r}"] if "code" in payload else ["no code"]
        parts.append(
            f"data={describe(payload.get('data'), nested=True)}" if "data" in payload else "no data"
        )
        return " ".join(parts)


class _Tee(httpx.SyncByteStream):
    """Passes a response body through unchanged, keeping its first BODY_LIMIT bytes."""

    def __init__(self, inner: httpx.SyncByteStream, sink: bytearray) -> None:
        self._inner, self._sink = inner, sink

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            room = BODY_LIMIT - len(self._sink)
            if room > 0:
                self._sink += chunk[:room]
            yield chunk

    def close(self) -> None:
        self._inner.close()


class RecordingTransport(httpx.BaseTransport):
    """Wraps a transport and records every exchange, so a check can show the raw shape."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self._inner = inner or httpx.HTTPTransport(verify=shared_ssl_context())
        self.exchanges: list[Exchange] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        exchange = Exchange(
            request.method,
            request.url.path,
            response.status_code,
            response.headers.get("content-type", ""),
        )
        self.exchanges.append(exchange)
        assert isinstance(response.stream, httpx.SyncByteStream)
        response.stream = _Tee(response.stream, exchange.body)
        return response

    def close(self) -> None:
        self._inner.close()


def describe(value: Any, *, nested: bool = False) -> str:
    """``{videoNo: str, score: float, ...}``, ``list[3] of {...}``, ``null``, ``str``."""
    if value is None:
        return "null"
    if isinstance(value, dict):
        if not nested:  # one level deep: key names only
            return "{" + _clip(", ".join(map(str, value)), 120) + "}"
        inner = ", ".join(f"{k}: {describe(v)}" for k, v in value.items())
        return "{" + _clip(inner, 300) + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        first = describe(value[0], nested=nested)
        return f"list[{len(value)}] of {first}"
    if isinstance(value, bool):
        return "bool"
    return type(value).__name__


def _stream_shape(text: str, content_type: str) -> str:
    kinds: dict[str, int] = {}
    last = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(":"):
            continue
        last = line
        payload = line[5:].strip() if line.startswith("data:") else line
        try:
            obj = json.loads(payload)
        except ValueError:
            kind = "text"
        else:
            if isinstance(obj, dict):  # an event's type, an end envelope, or its keys
                kind = str(obj.get("type") or ("end" if "code" in obj else "/".join(obj)))
            else:
                kind = type(obj).__name__
        kinds[kind] = kinds.get(kind, 0) + 1
    counts = ", ".join(f"{k} x{n}" for k, n in kinds.items()) or "no events"
    return f"{content_type or 'no content type'}: {counts}; last line {_clip(last, 60)!r}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------ checks
@dataclass
class CheckResult:
    step: str
    endpoint: str
    sent: str
    shape: str
    outcome: Outcome
    detail: str

    def __post_init__(self) -> None:
        # The one place a report row is built: a key the server echoed (in the last SSE line,
        # in an input a parse error quotes) never reaches the table or ``doctor --json``.
        for name in ("step", "endpoint", "sent", "shape", "detail"):
            setattr(self, name, _secrets.scrub(getattr(self, name)))

    @property
    def ok(self) -> bool:
        return self.outcome == "OK"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Mismatch(Exception):
    """The answer parsed, but not into what the contract needs (e.g. an empty chat answer)."""


def open_client(
    *,
    api_key: SecretStr | str | None,
    base_url: str | None,
    pace: bool,
    timeout: float = 120.0,
) -> tuple[MemoriesClient, RecordingTransport, httpx.Client]:
    """A client whose traffic is recorded (close the httpx client after the MemoriesClient).

    ``pace``: the client's rate limiter spaces the calls by the documented per-endpoint limits
    (upload 1/min, chat 2/min, ...); turn it off only for a server without limits (emulator).
    """
    recorder = RecordingTransport()
    http = httpx.Client(transport=recorder, timeout=timeout)
    client = MemoriesClient(
        api_key=api_key,
        base_url=base_url,
        http_client=http,
        rate_limiter=pace,
        timeout=timeout,
    )
    return client, recorder, http


@dataclass
class ContractRun:
    """Runs the checks in order; ``on_step`` is told each step before it starts."""

    client: MemoriesClient
    recorder: RecordingTransport
    unique_id: str = field(default_factory=throwaway_namespace)
    sample: Path = field(default_factory=smallest_sample)
    wait_timeout: float = 900.0
    poll_interval: float = 2.0
    on_step: Callable[[str], None] | None = None
    results: list[CheckResult] = field(default_factory=list)

    def run(self) -> list[CheckResult]:
        ns = self.unique_id
        upload = self._check(
            "upload",
            f"multipart file={self.sample.name} ({self.sample.stat().st_size} bytes), "
            f"unique_id={ns}",
            lambda: self.client.upload(self.sample, unique_id=ns),
            lambda r: _expect(
                r.video_no, "no video_no", f"video_no={r.video_no} status={r.status.value}"
            ),
        )
        if upload is None:
            for step in STEPS[1:]:
                self._skip(step, "nothing was uploaded")
            return self.results
        video_no = upload.video_no
        try:
            self._run_with(video_no)
        finally:
            # Only ever the video uploaded above, in the namespace created for this run.
            self._check(
                "delete",
                f"json [{video_no}], unique_id={ns}",
                lambda: self.client.delete_videos([video_no], unique_id=ns),
                lambda _r: f"deleted {video_no}",
            )
        return self.results

    def _run_with(self, video_no: str) -> None:
        ns, client = self.unique_id, self.client
        meta = self._check(
            "wait",
            f"video_no={video_no}, unique_id={ns} (polled until PARSE)",
            lambda: client.wait_for_ready(
                video_no,
                unique_id=ns,
                timeout=self.wait_timeout,
                initial_interval=self.poll_interval,
            ),
            lambda m: _expect(
                m.status is VideoStatus.PARSE,
                f"status {m.status.value}",
                f"status={m.status.value} duration={m.duration}",
            ),
        )
        ready = meta is not None
        vids = [video_no]
        checks: list[tuple[str, str, Callable[[], Any], Callable[[Any], str]]] = [
            (
                "search",
                f"json search_param={SEARCH_QUERY!r} search_type=BY_CLIP top_k=3 unique_id={ns}",
                lambda: client.search(SEARCH_QUERY, top_k=3, unique_id=ns),
                lambda hits: (
                    f"{len(hits)} hit(s)"
                    + (f", first {hits[0].video_no} at {hits[0].start_time}s" if hits else "")
                ),
            ),
            (
                "video_transcription",
                f"video_no={video_no}, unique_id={ns}",
                lambda: client.get_video_transcription(video_no, unique_id=ns),
                lambda t: f"{len(t.segments)} segment(s)",
            ),
            (
                "audio_transcription",
                f"video_no={video_no}, unique_id={ns}",
                lambda: client.get_audio_transcription(video_no, unique_id=ns),
                lambda t: f"{len(t.segments)} segment(s)",
            ),
            (
                "summary",
                f"video_no={video_no} type=CHAPTER, unique_id={ns}",
                lambda: client.generate_summary(video_no, unique_id=ns),
                lambda s: f"{len(s.items)} item(s), text of {len(s.text)} chars",
            ),
            (
                "chat",
                f"json video_nos=[{video_no}] prompt={CHAT_PROMPT!r} unique_id={ns}",
                lambda: client.chat(vids, CHAT_PROMPT, unique_id=ns),
                lambda a: _expect(
                    a.content,
                    "the answer has no content",
                    f"{len(a.content)} chars, session_id={a.session_id}",
                ),
            ),
            (
                "chat_stream",
                f"json video_nos=[{video_no}] prompt={CHAT_PROMPT!r} unique_id={ns}, "
                "Accept: text/event-stream",
                lambda: list(client.chat_stream(vids, CHAT_PROMPT, unique_id=ns)),
                _describe_events,
            ),
        ]
        for step, sent, call, summary in checks:
            if ready:
                self._check(step, sent, call, summary)
            else:
                self._skip(step, "the upload never became PARSE")
        self._check(
            "list_videos",
            f"json unique_id={ns} (page 1)",
            lambda: client.list_videos(unique_id=ns),
            lambda page: _expect(
                any(v.video_no == video_no for v in page.videos),
                f"{video_no} is not listed",
                f"{len(page.videos)} video(s), total_count={page.total_count}",
            ),
        )

    def _check(
        self, step: str, sent: str, call: Callable[[], T], summary: Callable[[T], str]
    ) -> T | None:
        if self.on_step is not None:
            self.on_step(step)
        start = len(self.recorder.exchanges)
        value: T | None = None
        outcome: Outcome
        try:
            value = call()
            detail = summary(value)
            outcome = "OK"
        except _Mismatch as exc:
            outcome, detail, value = "MISMATCH", f"parsed, but {exc}", None
        except e.ResponseParseError as exc:
            outcome, detail = "MISMATCH", f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a report row, never a crash: the next checks still run
            outcome, detail = "ERROR", f"{type(exc).__name__}: {exc}"
        exchanges = self.recorder.exchanges[start:]
        endpoint, shape = "", "nothing was answered"
        if exchanges:
            last = exchanges[-1]
            endpoint = f"{last.method} {last.path}" + (
                f" x{len(exchanges)}" if len(exchanges) > 1 else ""
            )
            shape = f"HTTP {last.status} {last.shape()}"
        self.results.append(CheckResult(step, endpoint, sent, shape, outcome, detail))
        return value

    def _skip(self, step: str, why: str) -> None:
        self.results.append(CheckResult(step, "", "", "", "SKIPPED", why))


def _expect(condition: Any, problem: str, summary: str) -> str:
    """``summary`` when ``condition`` holds; otherwise the answer is a contract mismatch."""
    if not condition:
        raise _Mismatch(problem)
    return summary


def _describe_events(events: list[Any]) -> str:
    kinds = {"thinking": 0, "ref": 0, "content": 0}
    text = 0
    for event in events:
        if isinstance(event, ThinkingEvent):
            kinds["thinking"] += 1
        elif isinstance(event, RefEvent):
            kinds["ref"] += 1
        elif isinstance(event, ContentEvent):
            kinds["content"] += 1
            text += len(event.content)
    counts = ", ".join(f"{k} x{n}" for k, n in kinds.items())
    return _expect(
        kinds["content"] and text, "the stream carried no content", f"{counts}; {text} chars"
    )


def run_contract(
    *,
    api_key: SecretStr | str | None,
    base_url: str | None,
    pace: bool = True,
    wait_timeout: float = 900.0,
    poll_interval: float = 2.0,
    sample: Path | None = None,
    on_step: Callable[[str], None] | None = None,
) -> tuple[str, list[CheckResult]]:
    """Run every check once in a fresh namespace; returns (namespace, results)."""
    client, recorder, http = open_client(api_key=api_key, base_url=base_url, pace=pace)
    with http, client:
        run = ContractRun(
            client,
            recorder,
            sample=sample or smallest_sample(),
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            on_step=on_step,
        )
        return run.unique_id, run.run()
