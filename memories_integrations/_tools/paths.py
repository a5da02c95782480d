"""Which local files an agent may upload: ``allowed_dirs`` of the upload tools.

An agent names paths from untrusted text (a web page, an e-mail); without a fence it could send
``~/.ssh/id_rsa``-like files to a third-party service. The default fence is the current working
directory; ``None`` (set explicitly) allows any path.

The file is opened once, when it is checked, and uploaded from that descriptor: the upload
waits for its rate-limit slot (up to about a minute), and a path checked then opened later
could have been swapped for a symlink to any file in between. The last component is opened
with ``O_NOFOLLOW``, and the opened descriptor's real location (``/proc/self/fd``, or the
re-resolved path with the same device and inode) must still lie inside the folder.

Hardlinks: a hardlink is the same file as its target (one inode), so it cannot be told apart
from a file copied in. ``allowed_dirs`` trusts what is placed inside it: whoever can create
files in an allowed folder can offer any file they can read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from memories_integrations import errors

__all__ = [
    "CWD",
    "AllowedDirs",
    "check_upload_path",
    "normalise_dirs",
    "open_checked",
    "open_upload_path",
    "real_path",
]

#: Marker default: the working directory at the time of the call.
CWD = "."
AllowedDirs = Sequence[str | os.PathLike[str]] | None


def normalise_dirs(allowed_dirs: AllowedDirs) -> tuple[Path, ...] | None:
    """Resolved directories (symlinks followed), or None for "any path"."""
    if allowed_dirs is None:
        return None
    if isinstance(allowed_dirs, str | os.PathLike):
        allowed_dirs = [allowed_dirs]
    return tuple(Path(d).expanduser().resolve() for d in allowed_dirs)


#: Longest path accepted (Linux's PATH_MAX); longer ones fail in the OS with a raw OSError.
MAX_PATH_CHARS = 4096


def _odd(path: str, why: str) -> errors.InvalidInputError:
    shown = path if len(path) <= 80 else path[:77] + "..."
    return errors.InvalidInputError(f"cannot upload {shown!r}: {why}", param="file_path")


def real_path(path: str, base: Path | None = None) -> Path:
    """``path`` (relative to ``base`` when given) with links and ``..`` resolved; a path the
    OS cannot take (a NUL byte, too long, a folder the process may not enter) is an
    ``InvalidInputError``, never a raw ``ValueError`` / ``OSError``."""
    if "\x00" in path:
        raise _odd(path.replace("\x00", "\\0"), "the path contains a NUL byte")
    if len(path) > MAX_PATH_CHARS:
        raise _odd(path, f"the path is longer than {MAX_PATH_CHARS} characters")
    try:
        given = Path(path).expanduser()
        if base is not None and not given.is_absolute():
            given = base / given
        resolved = given.resolve()
        resolved.stat()
    except FileNotFoundError:
        return resolved  # the upload says "no such file" with its own message
    except PermissionError:
        raise _odd(path, "permission denied (a folder on the way cannot be entered)") from None
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise _odd(path, f"the path cannot be used ({type(exc).__name__})") from None
    return resolved


def check_upload_path(path: str, allowed_dirs: AllowedDirs) -> str:
    """``path`` resolved, if it lies inside one of ``allowed_dirs``; else InvalidInputError
    (raised before any network call). Symlinks and ``..`` are resolved first, so neither can
    lead outside."""
    dirs = normalise_dirs(allowed_dirs)
    resolved = real_path(path)
    if dirs is None or any(resolved.is_relative_to(d) for d in dirs):
        return str(resolved)
    names = ", ".join(str(d) for d in dirs) or "(none)"
    raise errors.InvalidInputError(
        f"uploading {path!r} is not allowed: only files under {names} may be uploaded "
        "(the tool's allowed_dirs setting)",
        param="file_path",
    )


def open_upload_path(path: str, allowed_dirs: AllowedDirs) -> IO[bytes]:
    """``path`` checked as ``check_upload_path`` does and opened once, at the check: upload
    from the returned file (the caller closes it), never from the path again."""
    return open_checked(Path(check_upload_path(path, allowed_dirs)), normalise_dirs(allowed_dirs))


#: Flags of the one open: no link as the last component, no blocking on a planted FIFO.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def open_checked(resolved: Path, dirs: tuple[Path, ...] | None) -> IO[bytes]:
    """Open ``resolved`` (a path already resolved and checked to lie in ``dirs``; None: any
    folder) and check what was opened: a regular file that really lies inside ``dirs``.

    A path swapped after its check fails here as ``InvalidInputError``: a symlink as the last
    component does not open (``O_NOFOLLOW``), and a folder on the way swapped for a link shows
    in the descriptor's real path.
    """
    shown = str(resolved)
    try:
        fh = open(resolved, "rb", opener=lambda p, _flags: os.open(p, _OPEN_FLAGS))
    except FileNotFoundError:
        raise _odd(shown, "file not found") from None
    except IsADirectoryError:
        raise _odd(shown, "not a regular file") from None
    except OSError as exc:  # ELOOP: the last component became a symlink since the check
        raise _odd(shown, f"the file cannot be opened ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _odd(shown, "not a regular file")
        if dirs is not None and not _opened_inside(fh.fileno(), st, resolved, dirs):
            raise _odd(shown, "the file changed while it was checked (it now lies elsewhere)")
    except BaseException:
        fh.close()
        raise
    return fh


def _opened_inside(fd: int, st: os.stat_result, resolved: Path, dirs: tuple[Path, ...]) -> bool:
    """Whether the open descriptor ``fd`` is a file inside ``dirs``."""
    try:  # Linux: the kernel's own answer for this descriptor
        where = Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:  # no /proc (macOS, BSD): resolve again, and it must be the same file
        try:
            where = resolved.resolve(strict=True)
            now = where.stat()
        except (OSError, RuntimeError):
            return False
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return False
    return any(where.is_relative_to(d) for d in dirs)
