"""Emulator settings.

Defaults favour tests (fast, no rate limits); the CLI turns rate limits on for fidelity.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AccountStatus = Literal["ok", "disabled", "no_credits", "no_permission"]

DEFAULT_API_KEY = "emulator-key"


@dataclass
class EmulatorConfig:
    """Configuration of one emulator instance.

    ``accounts`` maps extra API keys to a state: ``"ok"``, ``"disabled"`` (code 0403),
    ``"no_credits"`` (0402) or ``"no_permission"`` (9009). ``api_key`` is always an ``"ok"``
    account unless ``accounts`` says otherwise.
    """

    api_key: str = DEFAULT_API_KEY
    accounts: dict[str, AccountStatus] = field(default_factory=dict)
    #: Seconds a new video stays UNPARSE before it becomes PARSE / PARSE_ERROR.
    encoding_delay: float = 1.0
    #: Per-account per-endpoint QPS limits from the v1.2 rate-limits page (code 0429).
    rate_limits: bool = False
    #: Sleep added before every API request (benchmarks use 0.05).
    extra_latency: float = 0.0
    #: Deliver every callback twice (at-least-once delivery testing).
    duplicate_callbacks: bool = False
    #: Extra attempts for a callback POST that fails or returns non-2xx.
    callback_retries: int = 3
    callback_timeout: float = 2.0
    #: OAuth lifetimes in seconds (v1.0 Authentication-API pages: 2 h access, 2 months refresh,
    #: a code is re-sent every 10 minutes).
    oauth_access_ttl: int = 7200
    oauth_refresh_ttl: int = 60 * 24 * 3600
    oauth_code_ttl: int = 600
    #: Start with the bundled sample videos uploaded by ``api_key`` into ``preload_unique_id``
    #: and already indexed (PARSE): a ready library for cassettes, demos and users' tests.
    preload_samples: bool = False
    preload_unique_id: str = "default"
    #: Shifts every generated id so two configurations never collide; same seed => same ids.
    seed: int = 0
    #: Keep at most this many entries in the request log.
    max_request_log: int = 10_000

    def all_accounts(self) -> dict[str, AccountStatus]:
        accounts: dict[str, AccountStatus] = {self.api_key: "ok"}
        accounts.update(self.accounts)
        return accounts
