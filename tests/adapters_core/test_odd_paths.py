"""Odd upload paths are ``InvalidInputError``s before any request (issue 21 #12)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from memories_integrations import errors
from memories_integrations._tools.paths import check_upload_path, real_path


@pytest.mark.parametrize("path", ["clip\x00.mp4", "a" * 5000 + ".mp4", "d/" * 2600 + "x.mp4"])
def test_nul_byte_and_huge_paths(path: str, tmp_path: Path) -> None:
    with pytest.raises(errors.InvalidInputError) as caught:
        check_upload_path(str(tmp_path / path), [tmp_path])
    assert caught.value.param == "file_path"
    assert len(str(caught.value)) < 400  # the path is shortened in the message


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root enters any folder")
def test_folder_that_cannot_be_entered(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "clip.mp4").write_bytes(b"x")
    locked.chmod(0o000)
    try:
        with pytest.raises(errors.InvalidInputError, match="permission denied"):
            check_upload_path(str(locked / "clip.mp4"), [tmp_path])
    finally:
        locked.chmod(0o700)


def test_missing_file_is_left_to_the_upload(tmp_path: Path) -> None:
    assert real_path(str(tmp_path / "nope.mp4")) == tmp_path / "nope.mp4"
