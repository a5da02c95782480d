"""Shared setup for the LangChain examples: the live API when MEMORIES_API_KEY is set,
otherwise a local emulator filled with the bundled sample videos (fully offline)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from memories_integrations import MemoriesClient


@contextlib.contextmanager
def memories_connection() -> Iterator[dict[str, Any]]:
    """Yield constructor kwargs (``api_key``, ``base_url``) for the LangChain components."""
    if os.environ.get("MEMORIES_API_KEY") or os.environ.get("MEMORIES_AI_API_KEY"):
        yield {}  # components read the key (and MEMORIES_BASE_URL) from the environment
        return
    from memories_integrations.testing import EmulatorServer, sample_videos

    os.environ["MEMORIES_RATE_LIMITER"] = "off"  # a local emulator has no quotas to respect
    with EmulatorServer(encoding_delay=0.2, rate_limits=False) as server:
        with MemoriesClient(api_key=server.api_key, base_url=server.base_url) as client:
            if not client.list_videos().videos:  # newer emulators preload the samples
                uploaded = [client.upload(path) for path in sample_videos()]
                for video in uploaded:
                    client.wait_for_ready(video.video_no, timeout=30)
        print(f"(offline: local emulator at {server.base_url} with the sample videos)\n")
        yield {"api_key": server.api_key, "base_url": server.base_url}
