"""Secret hygiene: the API key never shows in reprs, errors, logs or cassettes."""

from __future__ import annotations

import base64
import logging
import pickle
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import vcr
from pydantic import SecretStr

from memories_integrations import AsyncMemoriesClient, MemoriesClient
from memories_integrations import errors as e
from memories_integrations.auth import ApiKeyAuth, FileTokenStore, OAuth2Auth, TokenSet
from memories_integrations.callbacks import CallbackReceiver
from memories_integrations.testing import EmulatorServer, cassettes

from . import secret_scan
from ._helpers import NO_RETRY, emulator_client

KEY = "sk-reliability-0123456789abcdef"
WRONG_KEY = "sk-not-registered-fedcba9876543210"
TOKEN = "access-token-0123456789abcdef"
SECRETS = (KEY, WRONG_KEY, TOKEN)


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(api_key=KEY, encoding_delay=0.05, rate_limits=False) as emu:
        yield emu


def assert_clean(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), f"secret leaked in: {str(text)[:200]}"


def error_texts(error: BaseException) -> list[object]:
    return [
        str(error),
        repr(error),
        "".join(traceback.format_exception(error)),  # the whole chain, causes included
        vars(error),
        pickle.dumps(error),
    ]


# ------------------------------------------------------------------ reprs


def test_client_and_auth_reprs(tmp_path: Path) -> None:
    for cls in (MemoriesClient, AsyncMemoriesClient):
        client = cls(api_key=KEY)
        assert_clean(repr(client), str(client), vars(client).get("_headers"))
    auth = ApiKeyAuth(KEY)
    assert_clean(repr(auth), str(auth))
    tokens = TokenSet(SecretStr(TOKEN), 1e12, SecretStr(TOKEN), 1e12)
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(tokens)
    oauth = OAuth2Auth(client_id="client-1", code=TOKEN)
    assert_clean(repr(tokens), str(tokens), repr(store), repr(oauth), str(oauth))
    assert_clean(repr(MemoriesClient(auth=oauth)))


def test_secret_str_key_is_not_exposed() -> None:
    client = MemoriesClient(api_key=SecretStr(KEY))
    assert_clean(repr(client), f"{client}", f"{client!r}")


# ------------------------------------------------------------------ errors


def test_authentication_error_has_no_key(fresh: EmulatorServer) -> None:
    with MemoriesClient(api_key=WRONG_KEY, base_url=fresh.base_url, retry=NO_RETRY) as client:
        with pytest.raises(e.AuthenticationError) as info:
            client.search("a goal is scored")
    assert info.value.code == "0401"
    for text in error_texts(info.value):
        assert_clean(text)


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        ({"path": "search", "drop": True, "times": None}, e.APIConnectionError),
        ({"path": "search", "delay": 0.5, "times": None}, e.MemoriesTimeoutError),
        ({"path": "search", "status": 429, "times": None}, e.RateLimitError),
        ({"path": "upload", "reset_after_upload": True}, e.UploadOutcomeUnknownError),
    ],
)
def test_transport_errors_have_no_key(
    rule: dict[str, Any], error: type[Exception], fresh: EmulatorServer, video_file: Path
) -> None:
    fresh.add_fault(**rule)
    with emulator_client(fresh, timeout=0.2) as client, pytest.raises(error) as info:
        if rule["path"] == "upload":
            client.upload(video_file)
        else:
            client.search("a goal is scored")
    # the httpx cause holds the request (and its Authorization header): it must not print it
    assert info.value.__cause__ is not None or isinstance(info.value, e.RateLimitError)
    for text in error_texts(info.value):
        assert_clean(text)


# ------------------------------------------------------------------ logs


def test_debug_logs_have_no_key(
    fresh: EmulatorServer, video_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "memories_integrations"):
        caplog.set_level(logging.DEBUG, logger=name)
    fresh.add_fault(path="search", status=429)  # a retry, logged by the client
    with emulator_client(fresh) as client:
        video = client.upload(video_file)
        fresh.complete_all()
        client.search("a goal is scored")
        client.chat([video.video_no], "what happens?")
    with MemoriesClient(api_key=WRONG_KEY, base_url=fresh.base_url, retry=NO_RETRY) as bad:
        with pytest.raises(e.AuthenticationError):
            logging.getLogger("memories_integrations").debug("client %r", bad)
            bad.search("a goal is scored")
    loggers = {r.name.split(".")[0] for r in caplog.records}
    assert {"httpx", "httpcore", "memories_integrations"} <= loggers  # logging was really on
    assert any("retrying" in r.getMessage() for r in caplog.records)
    for record in caplog.records:
        assert_clean(record.getMessage(), repr(record.args), record.exc_text or "")
    assert_clean(caplog.text)


# ------------------------------------------------------------------ adapters


def test_langchain_components_have_no_key(fresh: EmulatorServer) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    from langchain_core.load import dumps

    parts = [
        lc.MemoriesSearchTool(api_key=KEY, base_url=fresh.base_url),
        lc.MemoriesRetriever(api_key=KEY, base_url=fresh.base_url),
        lc.MemoriesToolkit(api_key=KEY, base_url=fresh.base_url),
    ]
    parts.extend(parts[2].get_tools())
    for part in parts:
        assert_clean(repr(part), str(part), part.model_dump(), dumps(part))


def test_langchain_tool_error_has_no_key(fresh: EmulatorServer) -> None:
    lc = pytest.importorskip("memories_integrations.langchain")
    from langchain_core.tools import ToolException

    tool = lc.MemoriesSearchTool(
        api_key=WRONG_KEY, base_url=fresh.base_url, handle_tool_error=False
    )
    with pytest.raises(ToolException) as info:
        tool.invoke({"query": "a goal is scored"})
    for text in error_texts(info.value):
        assert_clean(text)


def test_llama_index_components_have_no_key(fresh: EmulatorServer) -> None:
    li = pytest.importorskip("memories_integrations.llama_index")
    parts: list[Any] = [
        li.MemoriesRetriever(api_key=KEY, base_url=fresh.base_url),
        li.MemoriesVideoReader(api_key=KEY, base_url=fresh.base_url),
        li.MemoriesToolSpec(api_key=KEY, base_url=fresh.base_url),
    ]
    parts.extend(parts[2].to_tool_list())
    for part in parts:
        texts: list[object] = [repr(part), str(part)]
        if hasattr(part, "model_dump"):
            texts.append(part.model_dump())
        assert_clean(*texts)


# ------------------------------------------------------------------ cassettes


def test_committed_cassettes_have_no_secrets() -> None:
    assert secret_scan.CASSETTES.is_dir()
    assert secret_scan.scan() == []


Y = "interactions:\n- request:\n"  # YAML cassette prefix
BINARY = base64.b64encode(b'{"api_key": "emulator-key", "pad": "xxxxxxxxxxxx"}').decode()
BAD_CASSETTES = {
    "known key in a body": Y + '    body: \'{"k": "emulator-key"}\'\n',
    "sk- key": Y + "    body: 'key=sk-abcdefghijklmnop1234'\n",
    "Authorization header (YAML)": Y + "    headers:\n      Authorization:\n      - hunter2\n",
    "Authorization header (JSON)": '{"request": {"headers": {"authorization": ["hunter2"]}}}',
    "Bearer token": Y + "    headers:\n      X-Other:\n      - Bearer abcdef123456\n",
    "accessToken": Y + '    body: \'{"data": {"accessToken": "abc123def456"}}\'\n',
    "refreshToken escaped": '{"body": "{\\"refreshToken\\": \\"abc123def456\\"}"}',
    "OAuth code in a body": Y + '    body: \'{"code": "c0de-abcdef-123456"}\'\n',
    "code in a query": Y + "    uri: https://api.memories.ai/cb?code=abc123&state=<scrubbed>\n",
    "callback token in a form": Y
    + "    body: 'callback=https%3A%2F%2Fa.b%2Fh%3Ftoken%3DAbc_d1.17.s'\n",
    "callback token in JSON": Y
    + '    body: \'{"callback_url": "https://a.b/h?token=Abc_d1.17.s"}\'\n',
    "key in a binary body": Y + "    body: !!binary |\n      " + BINARY + "\n",
}


@pytest.mark.parametrize("content", BAD_CASSETTES.values(), ids=BAD_CASSETTES.keys())
def test_scanner_finds_planted_secret(content: str, tmp_path: Path) -> None:
    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    suffix = ".json" if content.startswith("{") else ".yaml"
    (nested / f"cassette{suffix}").write_text(content)
    assert secret_scan.scan(tmp_path) != []


def test_scanner_accepts_scrubbed_values(tmp_path: Path) -> None:
    (tmp_path / "ok.yaml").write_text(
        'interactions:\n- request:\n    body: \'{"code":"<scrubbed>","clientId":"<scrubbed>"}\'\n'
        "    uri: https://mavi-backend.memories.ai/cb?code=%3Cscrubbed%3E&state=%3Cscrubbed%3E\n"
        '  response:\n    body:\n      string: \'{"code":"0000","msg":"success",'
        '"data":{"accessToken":"<scrubbed>","refreshToken":"<scrubbed>"}}\'\n'
        "    headers:\n      x-recorded-against:\n      - replay\n"
    )
    assert secret_scan.scan(tmp_path) == []


def _record(server: EmulatorServer, path: Path, config: dict[str, Any], video: Path) -> None:
    # Callback URLs whose token must not survive: a replayer could forge callbacks with it.
    receiver = CallbackReceiver("https://app.example.com/hook")
    recorder = vcr.VCR()
    cassettes.register_matchers(recorder)
    with (
        recorder.use_cassette(str(path), **config, record_mode="all"),
        emulator_client(server, auth_base_url=server.base_url) as client,
    ):
        uploaded = client.upload(video, via=receiver)
        client.upload_url("https://cdn.example.com/clip.mp4", via=receiver)
        client.import_from_urls(
            ["https://www.tiktok.com/@a/video/1"], callback_url=receiver.callback_url()
        )
        server.complete_all()
        client.search("a goal is scored")
        client.get_metadata(uploaded.video_no)
        code = server.authorize()
        client.get_access_token(code, server.client_id)


def test_recorded_cassette_is_clean(
    fresh: EmulatorServer, video_file: Path, tmp_path: Path
) -> None:
    """End to end: record real traffic (key, OAuth code and tokens) with the project's scrubbing
    and scan it; the same traffic recorded without scrubbing must be flagged."""
    _record(fresh, tmp_path / "scrubbed" / "c.yaml", cassettes.vcr_config("test"), video_file)
    assert (tmp_path / "scrubbed" / "c.yaml").stat().st_size > 0
    assert secret_scan.scan(tmp_path / "scrubbed", [KEY]) == []
    _record(fresh, tmp_path / "raw" / "c.yaml", {}, video_file)
    findings = secret_scan.scan(tmp_path / "raw", [KEY])
    assert any("API key" in f for f in findings)
    assert any("Authorization" in f for f in findings)
    assert any("OAuth" in f for f in findings)
    assert any("callback token" in f for f in findings)
