"""vcrpy configuration for cassettes of memories.ai traffic, usable in any project's tests.

Cassettes recorded against the local emulator and against the live API look the same: the
emulator's loopback address is rewritten to the real hosts, so playback uses the client's
default base URL. Keys and tokens never reach a cassette, and multipart upload bodies are stored
as a digest with a fixed boundary so they are small and match on playback.

Hooks are idempotent: vcrpy runs them on live requests before matching and again on every
stored interaction when a cassette loads.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

API_ORIGIN = "https://api.memories.ai"
AUTH_ORIGIN = "https://mavi-backend.memories.ai"
SCRUBBED = "<scrubbed>"
BOUNDARY = "memories-cassette-boundary"
RECORDED_AGAINST_HEADER = "x-recorded-against"

_LOOPBACK = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?")
_SECRET_HEADERS = ("authorization", "x-api-key", "api-key", "cookie", "set-cookie")
_TOKEN_KEYS = frozenset({"accessToken", "refreshToken", "access_token", "refresh_token"})
# Only in token-endpoint request bodies: there "code" is the OAuth code. In responses "code" is
# the envelope's status ("0000") and must survive.
_AUTH_REQUEST_KEYS = _TOKEN_KEYS | {"code", "clientId"}
_SECRET_QUERY_KEYS = frozenset({"code", "state", "clientId", "access_token", "api_key", "key"})
# A CallbackReceiver's ``?token=`` inside a callback URL (form field, JSON value or query
# value), plain or percent-encoded: a live token would let a replayer forge callbacks.
_CALLBACK_TOKEN = re.compile(rb"((?:[?&]|%3[Ff]|%26)token(?:=|%3[Dd]))[A-Za-z0-9_.~%-]+")


def scrub_callback_tokens(data: bytes) -> bytes:
    """Replace every callback token in ``data`` by the scrubbed marker."""
    return _CALLBACK_TOKEN.sub(lambda m: m.group(1) + SCRUBBED.encode(), data)


def rewrite_uri(uri: str) -> str:
    """Loopback (emulator) URLs -> the real API hosts; secrets in the query string scrubbed."""
    match = _LOOPBACK.match(uri)
    if match:
        rest = uri[match.end() :]
        uri = (AUTH_ORIGIN if rest.startswith("/auth/") else API_ORIGIN) + rest
    parts = urlsplit(uri)
    if parts.query:
        pairs = [
            (k, SCRUBBED if k in _SECRET_QUERY_KEYS else v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
        ]
        uri = urlunsplit(parts._replace(query=urlencode(pairs)))
    return uri


def _is_auth_path(uri: str) -> bool:
    return "/auth/api/token/" in uri


def _scrub_json(body: bytes, keys: frozenset[str]) -> bytes:
    try:
        data = json.loads(body)
    except ValueError:
        return body
    changed = _scrub_value(data, keys)
    return json.dumps(data, separators=(",", ":")).encode() if changed else body


def _scrub_value(node: Any, keys: frozenset[str]) -> bool:
    changed = False
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str) and value != SCRUBBED:
                node[key] = SCRUBBED
                changed = True
            else:
                changed |= _scrub_value(value, keys)
    elif isinstance(node, list):
        for item in node:
            changed |= _scrub_value(item, keys)
    return changed


def _boundary(content_type: str) -> str | None:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    return match.group(1) if match else None


def normalise_multipart(body: bytes, content_type: str) -> bytes:
    """Fixed boundary; each file part's bytes replaced by their sha256 and length."""
    boundary = _boundary(content_type)
    if not boundary:
        return body
    delimiter = b"--" + boundary.encode()
    out: list[bytes] = []
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.strip(b"\r\n").partition(b"\r\n\r\n")
        if b"filename=" in head and not content.startswith(b"sha256:"):
            digest = hashlib.sha256(content).hexdigest()
            content = f"sha256:{digest} bytes:{len(content)}".encode()
        out.append(head + b"\r\n\r\n" + content)
    fixed = b"--" + BOUNDARY.encode()
    return b"".join(fixed + b"\r\n" + p + b"\r\n" for p in out) + fixed + b"--\r\n"


def _header(headers: Any, name: str) -> str:
    for key, value in dict(headers).items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) else str(value)
    return ""


def scrub_request(request: Any) -> Any:
    """vcrpy ``before_record_request`` hook."""
    request.uri = scrub_callback_tokens(rewrite_uri(request.uri).encode()).decode()
    for key in list(request.headers):
        if key.lower() in _SECRET_HEADERS:
            del request.headers[key]
        elif key.lower() == "host":  # the emulator's loopback port, like the URI: the real host
            request.headers[key] = urlsplit(request.uri).netloc
    body = request.body
    if isinstance(body, str):
        body = body.encode()
    if body:
        content_type = _header(request.headers, "content-type")
        if content_type.startswith("multipart/form-data"):
            body = normalise_multipart(body, content_type)
            for key in list(request.headers):
                if key.lower() == "content-type":
                    request.headers[key] = f"multipart/form-data; boundary={BOUNDARY}"
                if key.lower() == "content-length":
                    del request.headers[key]
        elif _is_auth_path(request.uri):
            body = _scrub_json(body, _AUTH_REQUEST_KEYS)
        request.body = scrub_callback_tokens(body)
    return request


def scrub_response_hook(recorded_against: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """vcrpy ``before_record_response`` hook: drop cookies, scrub tokens, stamp provenance."""

    def hook(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.setdefault("headers", {})
        for key in list(headers):
            if key.lower() in _SECRET_HEADERS:
                del headers[key]
        if not any(k.lower() == RECORDED_AGAINST_HEADER for k in headers):
            headers[RECORDED_AGAINST_HEADER] = [recorded_against]
        body = response.get("body", {}).get("string")
        if isinstance(body, (bytes, str)) and body:
            raw = body.encode() if isinstance(body, str) else body
            if b"ccessToken" in raw or b"efreshToken" in raw:
                raw = response["body"]["string"] = _scrub_json(raw, _TOKEN_KEYS)
            if b"token" in raw:
                response["body"]["string"] = scrub_callback_tokens(raw)
        return response

    return hook


def body_matcher(r1: Any, r2: Any) -> None:
    """Bodies equal after normalisation; JSON compared as data (key order ignored)."""
    b1, b2 = _as_bytes(r1.body), _as_bytes(r2.body)
    if b1 == b2:
        return
    try:
        if json.loads(b1) == json.loads(b2):
            return
    except ValueError:
        pass
    raise AssertionError(f"bodies differ: {b1[:120]!r} != {b2[:120]!r}")


def _as_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    return body.encode() if isinstance(body, str) else bytes(body)


def vcr_config(recorded_against: str) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` / pytest-recording's ``vcr_config`` fixture.

    ``record_mode`` is left out on purpose so ``--record-mode`` on the command line decides.
    Playback repeats stay off: a polling test must see each recorded status in turn.
    """
    return {
        "filter_headers": list(_SECRET_HEADERS),
        "before_record_request": scrub_request,
        "before_record_response": scrub_response_hook(recorded_against),
        "match_on": ["method", "scheme", "host", "port", "path", "query", "memories_body"],
        "decode_compressed_response": True,
        "allow_playback_repeats": False,
    }


def register_matchers(vcr: Any) -> None:
    vcr.register_matcher("memories_body", body_matcher)
