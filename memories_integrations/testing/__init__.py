"""A local emulator of the memories.ai v1 API, served over real HTTP on 127.0.0.1.

Independent of the client code in this package. Needs the ``emulator`` extra (starlette,
uvicorn, python-multipart); nothing heavy is imported until a name is used, so the pytest
plugin can load without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from memories_integrations.testing.app import create_app
    from memories_integrations.testing.config import AccountStatus, EmulatorConfig
    from memories_integrations.testing.connection import live_or_emulator
    from memories_integrations.testing.corpus import sample_videos
    from memories_integrations.testing.emulator import Emulator
    from memories_integrations.testing.faults import FaultRule, RequestLogEntry
    from memories_integrations.testing.server import EmulatorServer

__all__ = [
    "AccountStatus",
    "Emulator",
    "EmulatorConfig",
    "EmulatorServer",
    "FaultRule",
    "RequestLogEntry",
    "create_app",
    "live_or_emulator",
    "sample_videos",
]

_WHERE = {
    "AccountStatus": "config",
    "Emulator": "emulator",
    "EmulatorConfig": "config",
    "EmulatorServer": "server",
    "FaultRule": "faults",
    "RequestLogEntry": "faults",
    "create_app": "app",
    "live_or_emulator": "connection",
    "sample_videos": "corpus",
}


def _require_emulator_extra(name: str) -> None:
    # Inline, not memories_integrations._extras: the emulator imports nothing of the client.
    import importlib.util

    for module in ("starlette", "uvicorn"):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise ImportError(
                f"memories_integrations.testing.{name} needs the 'emulator' extra ({module} is "
                'not installed): pip install -e ".[emulator]" in a checkout of '
                "memories-integrations (pip install 'memories-integrations[emulator]' once "
                "it is published)",
                name=module,
            )


# Modules that serve HTTP (starlette, uvicorn: the ``emulator`` extra); config and corpus do not.
# ``connection`` imports the server only without a key (the live API needs no emulator).
_LIGHT = {"config", "corpus", "connection"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        if _WHERE[name] not in _LIGHT:
            _require_emulator_extra(name)
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
