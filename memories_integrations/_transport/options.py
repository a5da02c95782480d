"""Client options in the spellings openai/anthropic SDK users know (issue 10).

``max_retries=`` and ``default_headers=`` are aliases of ``retry=RetryPolicy(max_retries=...)`` and
``headers=``; ``with_options(...)`` copies a client with changed settings. The normalisation lives
here so the constructor and ``with_options`` validate the same way.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import os
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx

from memories_integrations import errors as e
from memories_integrations._transport.limits import wait_limit
from memories_integrations._transport.retry import RetryPolicy

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class _Unset(enum.Enum):
    UNSET = "UNSET"


UNSET = _Unset.UNSET
"""``with_options`` argument not given (None is a value: for ``timeout`` it means the default)."""

C = TypeVar("C")


def resolve_timeout(timeout: float | httpx.Timeout | None) -> httpx.Timeout:
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        raise e.InvalidInputError(
            "timeout must be a positive number of seconds or an httpx.Timeout", param="timeout"
        )
    return httpx.Timeout(timeout)


MAX_RETRIES_ENV = "MEMORIES_MAX_RETRIES"


def env_max_retries() -> int | None:
    """``MEMORIES_MAX_RETRIES`` (unset or empty: None), for programs configured only through
    their environment, such as ``memories mcp`` started by an MCP client."""
    raw = os.environ.get(MAX_RETRIES_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise e.InvalidInputError(
            f"{MAX_RETRIES_ENV} must be an integer >= 0 (0: never retry), not {raw!r}",
            param=MAX_RETRIES_ENV,
        )
    return int(raw)


def resolve_retry(retry: RetryPolicy | None, max_retries: int | None) -> RetryPolicy:
    """``retry`` (or the default policy) with ``max_retries`` applied when given."""
    if retry is not None and not isinstance(retry, RetryPolicy):
        raise e.InvalidInputError("retry must be a RetryPolicy", param="retry")
    policy = retry if retry is not None else RetryPolicy()
    if max_retries is None:
        return policy
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise e.InvalidInputError(
            "max_retries must be an integer >= 0 (0: never retry)", param="max_retries"
        )
    return dataclasses.replace(policy, max_retries=max_retries)


def resolve_headers(
    headers: Mapping[str, str] | None, default_headers: Mapping[str, str] | None
) -> dict[str, str]:
    """``headers=`` and its openai-style alias ``default_headers=`` (not both: which would win?)."""
    if headers is not None and default_headers is not None:
        raise e.InvalidInputError(
            "pass headers= or default_headers= (an alias), not both", param="default_headers"
        )
    given = headers if headers is not None else default_headers
    param = "headers" if headers is not None else "default_headers"
    if given is None:
        return {}
    if not isinstance(given, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in given.items()
    ):
        raise e.InvalidInputError(f"{param} must map header names to str values", param=param)
    return dict(given)


def copy_with_options(
    client: C,
    *,
    timeout: float | httpx.Timeout | _Unset | None = UNSET,
    max_retries: int | _Unset = UNSET,
    retry: RetryPolicy | _Unset = UNSET,
    default_headers: Mapping[str, str] | _Unset = UNSET,
    headers: Mapping[str, str] | _Unset = UNSET,
    unique_id: str | _Unset = UNSET,
    english_only: bool | _Unset = UNSET,
    rate_limit_wait: float | _Unset | None = UNSET,
) -> C:
    """A shallow copy of ``client``: the same credentials, httpx connection pool and rate
    limiter, with the given settings changed. Everything is validated before copying."""
    state: dict[str, Any] = vars(client)
    changes: dict[str, Any] = {}
    if not isinstance(timeout, _Unset):
        changes["timeout"] = resolve_timeout(timeout)
    if not isinstance(retry, _Unset) or not isinstance(max_retries, _Unset):
        base = state["retry"] if isinstance(retry, _Unset) else retry
        changes["retry"] = resolve_retry(
            base, None if isinstance(max_retries, _Unset) else max_retries
        )
    if not isinstance(headers, _Unset) or not isinstance(default_headers, _Unset):
        extra = resolve_headers(
            None if isinstance(headers, _Unset) else headers,
            None if isinstance(default_headers, _Unset) else default_headers,
        )
        changes["_headers"] = {**state["_headers"], **extra}  # merged, as openai's copy does
    if not isinstance(unique_id, _Unset):
        if not isinstance(unique_id, str) or not unique_id.strip():
            raise e.InvalidInputError("unique_id must be a non-empty string", param="unique_id")
        changes["unique_id"] = unique_id
    if not isinstance(english_only, _Unset):
        if not isinstance(english_only, bool):
            raise e.InvalidInputError("english_only must be True or False", param="english_only")
        changes["english_only"] = english_only
    if not isinstance(rate_limit_wait, _Unset):
        changes["rate_limit_wait"] = wait_limit(rate_limit_wait, "rate_limit_wait")
    clone = copy.copy(client)
    vars(clone)["_headers"] = dict(state["_headers"])  # never one dict shared by two clients
    vars(clone).update(changes)
    # The pool belongs to the original: closing a copy must not close it under the original.
    vars(clone)["_owns_http"] = False
    return clone
