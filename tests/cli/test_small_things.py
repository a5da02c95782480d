"""The smaller first-hour items: video numbers in search, the chat session id, an empty
folder, not-found exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from memories_integrations.cli import EXIT_NOT_FOUND, EXIT_USAGE
from memories_integrations.testing import EmulatorServer

from .conftest import run

# In-process (the same parser, handlers and exit codes as ``memories``): what these tests
# check is the output, not the interpreter start.
pytestmark = pytest.mark.usefixtures("cli_env")
Capsys = pytest.CaptureFixture[str]

UNKNOWN = "VI999999999999"


def test_search_table_shows_the_video_numbers(
    capsys: Capsys, library: dict[str, str], conn: list[str]
) -> None:
    shown = run(capsys, "search", "someone chops onions", *conn)
    assert shown.code == 0, shown.stderr
    assert any(video_no in shown.stdout for video_no in library.values()), shown.stdout


def test_chat_prints_the_session_id(
    capsys: Capsys, emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    video_no = next(iter(library.values()))
    shown = run(capsys, "chat", "what happens?", "--video", video_no, *conn)
    assert shown.code == 0, shown.stderr
    assert "session " in shown.stderr and "--session" in shown.stderr


def test_not_found_in_chat_and_delete_exits_4(
    capsys: Capsys, library: dict[str, str], conn: list[str]
) -> None:
    chat = run(capsys, "chat", "hi", "--video", UNKNOWN, *conn)
    delete = run(capsys, "delete", UNKNOWN, "--yes", *conn)
    assert (chat.code, delete.code) == (EXIT_NOT_FOUND, EXIT_NOT_FOUND), (chat, delete)
    assert UNKNOWN in chat.stderr and UNKNOWN in delete.stderr


def test_upload_of_an_empty_folder_says_so(capsys: Capsys, tmp_path: Path, conn: list[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a video")
    shown = run(capsys, "upload", str(tmp_path), *conn)
    assert shown.code == EXIT_USAGE
    assert "no video files in" in shown.stderr and str(tmp_path) in shown.stderr.replace("\n", "")


def test_delete_names_the_unknown_videos_and_deletes_none(
    capsys: Capsys, emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    known = library["cooking_demo"]
    mixed = run(capsys, "delete", known, UNKNOWN, "--yes", *conn)
    assert mixed.code == EXIT_NOT_FOUND, mixed
    assert f"not found: {UNKNOWN} (nothing deleted)" in mixed.stderr, mixed.stderr
    assert known in run(capsys, "list", "--json", *conn).stdout  # still there


def test_delete_of_an_unknown_video_exits_4_where_the_api_answers_success(
    capsys: Capsys, emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    # The live API answers 0000 to deleting an unknown video (delete is idempotent).
    success = {"code": "0000", "msg": "success", "data": None}
    emu.add_fault(path="delete_videos", status=200, body=success)
    try:
        shown = run(capsys, "delete", UNKNOWN, "--yes", *conn)
        sent = emu.requests("/serve/api/v1/delete_videos")
    finally:
        emu.clear_faults()
    assert shown.code == EXIT_NOT_FOUND, shown
    assert UNKNOWN in shown.stderr and "deleted 1" not in shown.stdout
    assert sent == []  # refused before the delete request
