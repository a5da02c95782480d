"""FileTokenStore: typed errors for bad files, atomic 0600 writes that survive an interrupt."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from memories_integrations import errors as e
from memories_integrations.auth import FileTokenStore, TokenSet

from ._helpers import case_name


@pytest.fixture(autouse=True)
def _count(hostile: Callable[[str], None], request: pytest.FixtureRequest) -> None:
    hostile(case_name("token store", request))


TOKENS = TokenSet(SecretStr("access-old"), 2_000_000_000.0, SecretStr("refresh-old"), None)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    "content",
    [
        "[]",
        "{}",
        '"a string"',
        '{"access_token": 5, "expires_at": 1}',
        '{"access_token": "a", "expires_at": "soon"}',
        '{"access_token": "a", "expires_at": true}',
        '{"access_token": "a", "expires_at": 1e400}',
        '{"access_token": "a", "expires_at": 1, "refresh_token": []}',
        '{"access_token": "a", "expires_at": 1, "refresh_expires_at": "x"}',
        "{not json",
        "[" * 30_000,
    ],
    ids=lambda c: c[:40],
)
def test_bad_token_file_is_a_typed_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "tokens.json"
    path.write_text(content)
    with pytest.raises(e.TokenStoreError) as info:
        FileTokenStore(path).load()
    assert str(path) in str(info.value)
    # No server refused anything: a client-side error, not an APIStatusError.
    assert isinstance(info.value, e.ClientSideError)
    assert not isinstance(info.value, e.APIStatusError)


def test_missing_token_file_means_no_tokens(tmp_path: Path) -> None:
    assert FileTokenStore(tmp_path / "absent.json").load() is None


def test_unreadable_token_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(e.TokenStoreError):
        FileTokenStore(tmp_path).load()  # a directory: IsADirectoryError


def test_token_values_never_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text('{"access_token": "secret-value-123", "expires_at": "x"}')
    with pytest.raises(e.TokenStoreError) as info:
        FileTokenStore(path).load()
    assert "secret-value-123" not in str(info.value)


def test_save_roundtrip_and_existing_0644_file_ends_0600(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    store = FileTokenStore(path)
    store.save(TOKENS)
    assert _mode(path) == 0o600
    loaded = store.load()
    assert loaded is not None and loaded.access_token.get_secret_value() == "access-old"
    assert [p.name for p in tmp_path.iterdir()] == ["tokens.json"]  # no temp file left


def test_interrupted_save_keeps_the_previous_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    store.save(TOKENS)

    def dump_half_then_die(data: Any, fh: Any) -> None:
        fh.write(json.dumps(data)[:20])
        fh.flush()
        raise KeyboardInterrupt  # the process is killed mid-write

    monkeypatch.setattr(json, "dump", dump_half_then_die)  # auth.py calls json.dump
    new = TokenSet(SecretStr("access-new"), 2_000_000_001.0, SecretStr("refresh-new"), None)
    with pytest.raises(KeyboardInterrupt):
        store.save(new)
    monkeypatch.undo()
    loaded = store.load()
    assert loaded is not None and loaded.access_token.get_secret_value() == "access-old"
    assert [p.name for p in tmp_path.iterdir()] == ["tokens.json"]
