"""The smaller first-hour items: video numbers in search, the chat session id, an empty
folder, not-found exit codes."""

from __future__ import annotations

from pathlib import Path

from memories_integrations.cli import EXIT_NOT_FOUND, EXIT_USAGE
from memories_integrations.testing import EmulatorServer

from .conftest import run_module

UNKNOWN = "VI999999999999"


def test_search_table_shows_the_video_numbers(library: dict[str, str], conn: list[str]) -> None:
    shown = run_module("search", "someone chops onions", *conn)
    assert shown.code == 0, shown.stderr
    assert any(video_no in shown.stdout for video_no in library.values()), shown.stdout


def test_chat_prints_the_session_id(
    emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    video_no = next(iter(library.values()))
    shown = run_module("chat", "what happens?", "--video", video_no, *conn)
    assert shown.code == 0, shown.stderr
    assert "session " in shown.stderr and "--session" in shown.stderr


def test_not_found_in_chat_exits_4_and_delete_is_idempotent(
    library: dict[str, str], conn: list[str]
) -> None:
    chat = run_module("chat", "hi", "--video", UNKNOWN, *conn)
    delete = run_module("delete", UNKNOWN, "--yes", *conn)
    assert chat.code == EXIT_NOT_FOUND and UNKNOWN in chat.stderr, chat
    # The live API answers success for an unknown number (delete is idempotent).
    assert delete.code == 0, delete


def test_upload_of_an_empty_folder_says_so(tmp_path: Path, conn: list[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a video")
    shown = run_module("upload", str(tmp_path), *conn)
    assert shown.code == EXIT_USAGE
    assert "no video files in" in shown.stderr and str(tmp_path) in shown.stderr.replace("\n", "")
