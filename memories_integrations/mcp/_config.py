"""What a running MCP server may do: write tools, local directories, wait bounds."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from memories_integrations import _secrets
from memories_integrations import errors as e
from memories_integrations._tools.outcome import DEFAULT_MAX_CHARS, DEFAULT_MAX_WAIT
from memories_integrations._tools.paths import open_checked, real_path

__all__ = ["ServerConfig", "resolve_dirs"]


def resolve_dirs(dirs: Iterable[str | os.PathLike[str]]) -> tuple[Path, ...]:
    """Real paths of the ``--allowed-dir`` values; each must be an existing directory."""
    out = []
    for d in dirs:
        path = Path(d).expanduser().resolve()
        if not path.is_dir():
            raise e.InvalidInputError(f"--allowed-dir {d}: not a directory", param="allowed_dir")
        out.append(path)
    return tuple(out)


@dataclass(frozen=True)
class ServerConfig:
    """Options of one ``memories mcp`` server. Read-only unless told otherwise.

    ``allowed_dirs``: the only directories local files may be uploaded from. Empty (the
    default) means no local file at all, only URLs: a desktop client often starts the server
    in ``/`` or ``$HOME``, so "the current directory" would silently expose far too much.
    """

    allow_upload: bool = False
    allow_delete: bool = False
    allowed_dirs: tuple[Path, ...] = ()
    #: Upper bound on any wait for encoding, whatever the model asks for (seconds).
    max_wait_seconds: float = DEFAULT_MAX_WAIT
    #: Seconds between the first status checks while waiting (the client backs off from there).
    poll_interval: float = 1.0
    #: Text for the model longer than this is cut, with a note saying so.
    max_output_chars: int = DEFAULT_MAX_CHARS
    #: Whether this server runs over stdio (local client) or HTTP (maybe a remote client).
    transport: str = "stdio"
    #: Strings never to send back to a client (the API key), however they got into a text.
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def local_file(self, file_path: str) -> Path:
        """The real path of an upload's local file, if it lies inside an allowed directory.

        Symlinks and ``..`` are resolved first, so a link inside an allowed directory cannot
        point outside it. Raises PermissionDeniedError (the agent should not retry) otherwise.
        """
        if not self.allowed_dirs:
            raise e.PermissionDeniedError(
                "uploading local files is disabled on this server (start it with "
                "--allowed-dir DIR); upload from a url instead"
            )
        # Relative paths: to the first allowed directory.
        real = real_path(file_path, base=self.allowed_dirs[0])
        if not any(real.is_relative_to(d) for d in self.allowed_dirs):
            allowed = ", ".join(str(d) for d in self.allowed_dirs)
            raise e.PermissionDeniedError(
                f"{file_path} is outside the directories this server may read ({allowed})"
            )
        if not real.is_file():
            raise e.InvalidInputError(f"{file_path}: no such file", param="file_path")
        return real

    def open_local_file(self, file_path: str) -> IO[bytes]:
        """``local_file`` checked and opened once, at the check: the upload is sent from this
        file (the caller closes it), so a path swapped during the rate-limit wait is refused."""
        return open_checked(self.local_file(file_path), self.allowed_dirs)

    def scrub(self, text: str) -> str:
        """``text`` with every secret (``secrets`` and the process's registered keys, whole or
        cut) replaced: a last guard before anything leaves."""
        return _secrets.scrub(text, self.secrets)

    def scrub_data(self, data: Any) -> Any:
        """``data`` (JSON-like: dicts, lists, strings) with every string scrubbed."""
        return _secrets.scrub_data(data, self.secrets)
