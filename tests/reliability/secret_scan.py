"""Find key material in cassettes (or any text file): ``python -m tests.reliability.secret_scan``.

Looks at the raw text and at every decoded value of YAML/JSON cassettes (vcrpy stores binary
request bodies base64-encoded as ``!!binary``, which a plain text search would miss).
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from memories_integrations.testing.cassettes import SCRUBBED
from memories_integrations.testing.config import DEFAULT_API_KEY

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
# Keys the test suite itself uses: tests/conftest.py's replay key and the emulator's key.
KNOWN_KEYS = ("replay-key-not-a-secret", DEFAULT_API_KEY)
SECRET_HEADERS = frozenset({"authorization", "x-api-key", "api-key", "cookie", "set-cookie"})

_SCRUBBED = re.escape(SCRUBBED)
_SCRUBBED_Q = r"(?:%3Cscrubbed%3E|<scrubbed>)"
PATTERNS: dict[str, re.Pattern[str]] = {
    "sk- style key": re.compile(r"\bsk-[A-Za-z0-9_\-]{12,}"),
    "Bearer token": re.compile(r"\bBearer\s+(?!" + _SCRUBBED + r")[A-Za-z0-9._~+/=\-]{8,}", re.I),
    "Authorization header": re.compile(
        r"""(?im)(^|[\s{,'"])['"]?(authorization|x-api-key|api-key)['"]?\s*:"""
    ),
    "OAuth token value": re.compile(
        r"""['"\\]*(accessToken|refreshToken|access_token|refresh_token)['"\\]*\s*[:=]\s*"""
        r"""['"\\]*(?!""" + _SCRUBBED + r""")[A-Za-z0-9._~+/=\-]{6,}"""
    ),
    "OAuth code value (JSON)": re.compile(
        r"""['"\\]*code['"\\]*\s*:\s*['"\\]+(?!""" + _SCRUBBED + r""")"""
        r"""(?![0-9]{1,4}['"\\]|SUCCESS['"\\])[A-Za-z0-9._~+/=\-]{8,}"""
    ),
    "callback token": re.compile(
        r"(?:[?&]|%3F|%26)token(?:=|%3D)(?!" + _SCRUBBED_Q + r")[A-Za-z0-9_.~\-]{8,}", re.I
    ),
    "OAuth code/state/clientId in a query": re.compile(
        r"[?&](code|state|clientId|access_token|api_key|key)=(?!" + _SCRUBBED_Q + r")[^&\s'\"]+"
    ),
}


#: libyaml's safe loader when PyYAML has it (the same documents, several times faster).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _leaves(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _leaves(value)
    elif isinstance(node, list):
        for item in node:
            yield from _leaves(item)
    elif isinstance(node, bytes):
        yield node.decode("utf-8", "replace")
    elif node is not None:
        yield str(node)


def _header_keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key).lower() == "headers" and isinstance(value, dict):
                yield from (str(k) for k in value if str(k).lower() in SECRET_HEADERS)
            yield from _header_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _header_keys(item)


def _texts(path: Path) -> tuple[list[str], Any]:
    raw = path.read_bytes()
    texts = [raw.decode("utf-8", "replace")]
    data: Any = None
    try:
        if path.suffix in (".yaml", ".yml"):
            data = yaml.load(raw, Loader=SAFE_LOADER)
        elif path.suffix == ".json":
            data = json.loads(raw)
    except (yaml.YAMLError, ValueError):
        data = None
    texts.extend(_leaves(data))
    if data is not None:
        return texts, data
    # unparsed: decode base64 blobs by hand (a hand-edited or broken file)
    for blob in re.findall(rb"[A-Za-z0-9+/=\n]{40,}", raw):
        try:
            texts.append(base64.b64decode(blob, validate=False).decode("utf-8", "replace"))
        except ValueError:
            pass
    return texts, data


def scan_file(path: Path, extra_keys: Iterable[str] = ()) -> list[str]:
    """Findings in one file, each ``"<file>: <what>"``; empty when clean."""
    keys = [k for k in (*KNOWN_KEYS, *extra_keys) if k]
    texts, data = _texts(path)
    found: set[str] = set()
    for key in keys:
        # whole tokens only: the emulator's "emulator-key" must not match "emulator-keyframes"
        exact = re.compile(r"(?<![A-Za-z0-9_\-])" + re.escape(key) + r"(?![A-Za-z0-9_\-])")
        if any(exact.search(text) for text in texts):
            found.add(f"API key {key[:4]}… in plain text")
    for name, pattern in PATTERNS.items():
        for text in texts:
            match = pattern.search(text)
            if match:
                found.add(f"{name}: {match.group(0)[:40]!r}")
    for header in _header_keys(data):
        found.add(f"secret header {header!r} recorded")
    return [f"{path}: {what}" for what in sorted(found)]


def scan(root: Path = CASSETTES, extra_keys: Iterable[str] = ()) -> list[str]:
    findings: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        findings.extend(scan_file(path, extra_keys))
    return findings


def main(argv: list[str]) -> int:
    import os

    root = Path(argv[0]) if argv else CASSETTES
    env_keys = [os.environ.get(n, "") for n in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY")]
    findings = scan(root, env_keys)
    for line in findings:
        print(line)
    print(f"{len(findings)} finding(s) in {root}")
    return 1 if findings else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
