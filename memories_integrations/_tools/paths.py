"""Which local files an agent may upload: ``allowed_dirs`` of the upload tools.

An agent names paths from untrusted text (a web page, an e-mail); without a fence it could send
``~/.ssh/id_rsa``-like files to a third-party service. The default fence is the current working
directory; ``None`` (set explicitly) allows any path.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from memories_integrations import errors

__all__ = ["CWD", "AllowedDirs", "check_upload_path", "normalise_dirs", "real_path"]

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
