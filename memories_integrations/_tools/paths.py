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

__all__ = ["CWD", "AllowedDirs", "check_upload_path", "normalise_dirs"]

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


def check_upload_path(path: str, allowed_dirs: AllowedDirs) -> str:
    """``path`` resolved, if it lies inside one of ``allowed_dirs``; else InvalidInputError
    (raised before any network call). Symlinks and ``..`` are resolved first, so neither can
    lead outside."""
    dirs = normalise_dirs(allowed_dirs)
    resolved = Path(path).expanduser().resolve()
    if dirs is None or any(resolved.is_relative_to(d) for d in dirs):
        return str(resolved)
    names = ", ".join(str(d) for d in dirs) or "(none)"
    raise errors.InvalidInputError(
        f"uploading {path!r} is not allowed: only files under {names} may be uploaded "
        "(the tool's allowed_dirs setting)",
        param="file_path",
    )
