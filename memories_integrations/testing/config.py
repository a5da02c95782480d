"""Emulator settings.

Defaults follow the live API (strict answers, the current rate limits); tests and demos pass
``rate_limits=False`` to run fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AccountStatus = Literal["ok", "disabled", "no_credits", "no_permission"]
#: Shapes of get_video_ids_by_task_id's ``data`` (see tests/emulator/BEHAVIOUR.md).
TaskStatusShape = Literal["ids", "videos", "list"]
TASK_STATUS_SHAPES: tuple[TaskStatusShape, ...] = ("ids", "videos", "list")

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
    #: Enforce the current Rate-limits page per account and interface, per-minute ones
    #: included (upload 1/min, chat 2/min, download 12/min; excess answers code 0429). On by
    #: default like the live API; fast tests and demos that upload several videos turn it off.
    rate_limits: bool = True
    #: Overrides of the enforced table: interface -> (requests, window seconds), e.g.
    #: ``{"upload": (5, 1.0)}`` to test a limiter quickly (testing/ratelimit.py lists them).
    rate_limit_table: dict[str, tuple[int, float]] = field(default_factory=dict)
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
    #: Strict by default: answers as the current docs show them (get_metadata ``data: null``
    #: before PARSE, ``datetime_taken`` as epoch ms, ``data: {}`` for an empty search). True
    #: restores the older permissive answers. Table: tests/emulator/BEHAVIOUR.md.
    lenient: bool = False
    #: get_video_ids_by_task_id answer: ``"ids"`` = ``{taskId, video_ids}`` (the documented
    #: shape), ``"videos"`` = ``{taskId, status, videos: [{video_no, status, video_url}]}``,
    #: ``"list"`` = the bare list of those video objects.
    task_status_shape: TaskStatusShape = "ids"

    def __post_init__(self) -> None:
        if self.task_status_shape not in TASK_STATUS_SHAPES:
            raise ValueError(
                f"task_status_shape must be one of {', '.join(TASK_STATUS_SHAPES)}; "
                f"got {self.task_status_shape!r}"
            )

    def all_accounts(self) -> dict[str, AccountStatus]:
        accounts: dict[str, AccountStatus] = {self.api_key: "ok"}
        accounts.update(self.accounts)
        return accounts


@dataclass
class Settings:
    """Runtime-switchable knobs (admin API ``POST /_emulator/settings``)."""

    rate_limits: bool
    extra_latency: float
    encoding_delay: float
    duplicate_callbacks: bool
