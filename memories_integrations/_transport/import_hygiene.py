"""Keep ``import memories_integrations`` from loading what the client never uses (issue 10).

``import httpx`` runs ``from ._main import main`` — its command-line client — and that imports
rich, click and pygments whenever they are installed (our ``cli`` extra installs rich; click
comes with uvicorn). That is ~100 ms and three packages the client never touches. Before httpx
is first imported, a stand-in for ``httpx._main`` is registered whose ``main`` loads the real
module on first use, so ``httpx.main()`` (and any other attribute) still works, just later.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_NAME = "httpx._main"


def _real() -> types.ModuleType:
    if getattr(sys.modules.get(_NAME), "_memories_deferred", False):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


def _main(*args: Any, **kwargs: Any) -> Any:
    return _real().main(*args, **kwargs)


def _getattr(name: str) -> Any:
    if name.startswith("__"):  # the import system probes __path__, __spec__...: not a use
        raise AttributeError(name)
    return getattr(_real(), name)


def defer_httpx_cli() -> None:
    """Register the stand-in unless httpx (or its CLI) is already imported: then it is too late
    to save anything, and the real module must stay."""
    if "httpx" in sys.modules or _NAME in sys.modules:
        return
    stand_in = types.ModuleType(_NAME, "httpx's CLI, loaded on first use (memories_integrations)")
    stand_in.__dict__.update(main=_main, __getattr__=_getattr, _memories_deferred=True)
    sys.modules[_NAME] = stand_in
