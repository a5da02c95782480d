"""Per-account, per-interface sliding-window limits.

The table is the current "Rate limits" page (api-tools.memories.ai/platform/rate-limits, checked
late 2026), which lowered the v1.2 page's figures and counts some interfaces per minute.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping

# interface -> (requests, window seconds). Interfaces the page does not list get 10/s.
LIMITS: dict[str, tuple[int, float]] = {
    "upload": (1, 60.0),  # "Upload (local/URL)": 1 QPM
    "search": (1, 1.0),
    "chat": (2, 60.0),
    "marketer_chat": (2, 60.0),  # "Video Marketer"
    "video_transcription": (1, 1.0),
    "audio_transcription": (1, 1.0),
    "summary": (1, 1.0),
    "task_status": (1, 1.0),
    "download": (12, 60.0),
    "list_videos": (5, 1.0),
    "list_sessions": (5, 1.0),
    "delete": (5, 1.0),
    "oauth_token": (50, 86_400.0),  # v1.0: getAccessToken 50 requests a day
    "other": (10, 1.0),
}


class RateLimiter:
    def __init__(self, limits: Mapping[str, tuple[int, float]] | None = None) -> None:
        self._lock = threading.Lock()
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._configured = {**LIMITS, **(limits or {})}
        self.limits: dict[str, tuple[int, float]] = dict(self._configured)

    def allow(self, account: str, interface: str) -> bool:
        limit, window = self.limits.get(interface, self.limits["other"])
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
        """Forget every window and runtime change of the table (admin settings)."""
        with self._lock:
            self._hits.clear()
            self.limits = dict(self._configured)
