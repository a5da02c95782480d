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


def test_not_found_in_chat_and_delete_exits_4(
    library: dict[str, str], conn: list[str]
) -> None:
    chat = run_module("chat", "hi", "--video", UNKNOWN, *conn)
    delete = run_module("delete", UNKNOWN, "--yes", *conn)
    assert chat.code == EXIT_NOT_FOUND and UNKNOWN in chat.stderr, chat
    # The API's delete is idempotent (success for an unknown number); the CLI checks first,
    # so a mistyped number is not reported as deleted (issue 22 #10: exit code 4).
    assert delete.code == EXIT_NOT_FOUND and UNKNOWN in delete.stderr, delete


def test_upload_of_an_empty_folder_says_so(tmp_path: Path, conn: list[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a video")
    shown = run_module("upload", str(tmp_path), *conn)
    assert shown.code == EXIT_USAGE
    assert "no video files in" in shown.stderr and str(tmp_path) in shown.stderr.replace("\n", "")


def test_delete_names_the_unknown_videos_and_deletes_none(
    emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    known = library["cooking_demo"]
    mixed = run_module("delete", known, UNKNOWN, "--yes", *conn)
    assert mixed.code == EXIT_NOT_FOUND, mixed
    assert f"not found: {UNKNOWN} (nothing deleted)" in mixed.stderr, mixed.stderr
    assert known in run_module("list", "--json", *conn).stdout  # still there


def test_delete_of_an_unknown_video_exits_4_where_the_api_answers_success(
    emu: EmulatorServer, library: dict[str, str], conn: list[str]
) -> None:
    # The live API answers 0000 to deleting an unknown video (delete is idempotent).
    success = {"code": "0000", "msg": "success", "data": None}
    emu.add_fault(path="delete_videos", status=200, body=success)
    try:
        shown = run_module("delete", UNKNOWN, "--yes", *conn)
        sent = emu.requests("/serve/api/v1/delete_videos")
    finally:
        emu.clear_faults()
    assert shown.code == EXIT_NOT_FOUND, shown
    assert UNKNOWN in shown.stderr and "deleted 1" not in shown.stdout
    assert sent == []  # refused before the delete request
