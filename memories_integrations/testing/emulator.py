"""The emulator's core object: configuration, state and the shared services of the routes."""

from __future__ import annotations

from memories_integrations.testing.config import AccountStatus, EmulatorConfig, Settings
from memories_integrations.testing.corpus import SAMPLES_DIR, samples
from memories_integrations.testing.envelope import (
    DISABLED,
    NO_CREDITS,
    NO_PERMISSION,
    RATE_LIMIT_MSG,
    RATE_LIMITED,
    UNAUTHORIZED,
    ApiError,
)
from memories_integrations.testing.faults import FaultRegistry, RequestLog
from memories_integrations.testing.lifecycle import Lifecycle
from memories_integrations.testing.oauth import OAuth, client_id_for
from memories_integrations.testing.ratelimit import RateLimiter
from memories_integrations.testing.store import Store

_ACCOUNT_ERRORS: dict[str, tuple[str, str]] = {
    "disabled": (DISABLED, "Developer account is disabled"),
    "no_credits": (NO_CREDITS, "Not enough credits"),
    "no_permission": (NO_PERMISSION, "Permission denied"),
}


class Emulator:
    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.accounts: dict[str, AccountStatus] = self.config.all_accounts()
        self.store = Store(self.config.seed)
        self.faults = FaultRegistry()
        self.request_log = RequestLog(self.config.max_request_log)
        self.limiter = RateLimiter(self.config.rate_limit_table)
        self.oauth = OAuth(
            self.config.oauth_access_ttl, self.config.oauth_refresh_ttl, self.config.oauth_code_ttl
        )
        self.lifecycle = Lifecycle(self)
        self.reset()

    @staticmethod
    def client_id(api_key: str) -> str:
        return client_id_for(api_key)

    def authenticate(self, authorization: str | None) -> str:
        """API key of the caller (raw key or an emulator-issued OAuth access token)."""
        token = (authorization or "").strip()
        if token[:7].lower() == "bearer ":
            token = token[7:].strip()  # not documented, tolerated
        if not token:
            raise ApiError(UNAUTHORIZED, "Authorization header is missing")
        key = token if token in self.accounts else self.oauth.account_for(token, self.store.now())
        if key is None or key not in self.accounts:
            raise ApiError(UNAUTHORIZED, "Authorization is invalid")
        status = self.accounts[key]
        if status in _ACCOUNT_ERRORS:
            raise ApiError(*_ACCOUNT_ERRORS[status])
        return key

    def check_rate(self, account: str, interface: str) -> None:
        if self.settings.rate_limits and not self.limiter.allow(account, interface):
            raise ApiError(RATE_LIMITED, RATE_LIMIT_MSG)

    def reset(self) -> None:
        """Back to the configured start: forget videos, sessions, tasks, tokens, faults, logs,
        rate-limit windows and runtime setting/account changes."""
        self.accounts = self.config.all_accounts()
        self.settings = Settings(
            rate_limits=self.config.rate_limits,
            extra_latency=self.config.extra_latency,
            encoding_delay=self.config.encoding_delay,
            duplicate_callbacks=self.config.duplicate_callbacks,
        )
        self.store.clock_offset = 0.0
        self.store.reset()
        self.faults.clear()
        self.request_log.clear()
        self.limiter.reset()
        self.oauth.reset()
        self.lifecycle.callback_log.clear()
        if self.config.preload_samples:
            self._preload_samples()

    def _preload_samples(self) -> None:
        ns = (self.config.api_key, self.config.preload_unique_id)
        for content in samples():
            path = SAMPLES_DIR / str(content.sample_file)
            video = self.store.add_video(ns, path.stem, content, path.stat().st_size)
            self.store.finish(video)
