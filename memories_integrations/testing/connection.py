"""``live_or_emulator()``: what an example, a notebook or a demo connects to.

The live API when a key is in the environment, else a local emulator with the sample videos,
so a program copied anywhere runs offline as it is (issue 22 #9).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

__all__ = ["live_or_emulator"]

KEY_VARIABLES = ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY")
_LIMITER = "MEMORIES_RATE_LIMITER"


@contextlib.contextmanager
def live_or_emulator(*, quiet: bool = False) -> Iterator[dict[str, Any]]:
    """Yield the keyword arguments for a client or component: ``api_key`` and ``base_url``.

    With ``MEMORIES_API_KEY`` set, ``{}``: clients read the key (and ``MEMORIES_BASE_URL``)
    from the environment. Without it, an emulator on 127.0.0.1 for the block, with the sample
    videos preloaded and encoded; meanwhile ``MEMORIES_RATE_LIMITER=off`` (the emulator
    enforces no quotas, so the client need not pace itself). Unless ``quiet``, prints where
    it connects. Needs the ``emulator`` extra only without a key.
    """
    if any(os.environ.get(name) for name in KEY_VARIABLES):
        yield {}
        return
    from memories_integrations.testing.server import EmulatorServer

    before = os.environ.get(_LIMITER)
    os.environ[_LIMITER] = "off"
    try:
        with EmulatorServer(preload_samples=True, encoding_delay=0.05, rate_limits=False) as emu:
            if not quiet:
                print(f"(offline: local emulator at {emu.base_url} with the sample videos)\n")
            yield {"api_key": emu.api_key, "base_url": emu.base_url}
    finally:
        if before is None:
            os.environ.pop(_LIMITER, None)
        else:
            os.environ[_LIMITER] = before
