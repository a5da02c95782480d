"""Per-account, per-interface sliding-window limits (v1.2 ``rate-limits`` page)."""

from __future__ import annotations

import threading
import time
from collections import deque

# interface -> (requests, window seconds). Interfaces the page does not list get 10/s.
LIMITS: dict[str, tuple[int, float]] = {
    "upload": (1, 1.0),
    "search": (10, 1.0),
    "chat": (1, 1.0),
    "video_transcription": (5, 1.0),
    "audio_transcription": (5, 1.0),
    "summary": (5, 1.0),
    "list_videos": (5, 1.0),
    "list_sessions": (5, 1.0),
    "delete": (5, 1.0),
    "oauth_token": (50, 86_400.0),  # v1.0: getAccessToken 50 requests a day
    "other": (10, 1.0),
}


class RateLimiter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], deque[float]] = {}

    def allow(self, account: str, interface: str) -> bool:
        limit, window = LIMITS.get(interface, LIMITS["other"])
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault((account, interface), deque())
            while hits and now - hits[0] >= window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()
