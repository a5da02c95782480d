"""What an API call is, independent of how it is sent.

An ``Endpoint`` is defined once per API path. A ``Call`` is one request to it (params, body,
files) plus the parser of the response ``data``. Sync and async clients, and the OAuth2 auth,
build their httpx requests from the same ``Call``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..errors import ResponseParseError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Host = Literal["api", "auth"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: Literal["GET", "POST"]
    path: str
    # Documented QPS group of the rate-limits page (None: not documented).
    rate_group: str | None = None
    # Safe to resend after the server may have received it (reads, searches).
    idempotent: bool = True
    host: Host = "api"
    stream: bool = False


@dataclass(frozen=True)
class FileSpec:
    """A local file sent as one multipart part; opened only while the request is sent."""

    field: str
    path: os.PathLike[str] | str
    content_type: str
    size: int


@dataclass
class Call(Generic[T]):
    endpoint: Endpoint
    parse: Callable[[Any], T]
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, Any] | None = None
    files: list[FileSpec] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def model(cls: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        if data is None:
            raise ResponseParseError(f"response has no data for {cls.__name__}")
        return cls.model_validate(data)

    return parse


def optional_model(cls: type[M], empty: Callable[[], M]) -> Callable[[Any], M]:
    """``data: null`` is a documented answer (no audio track, not ready): parse it as empty."""

    def parse(data: Any) -> M:
        return empty() if data is None else cls.model_validate(data)

    return parse


def model_list(cls: type[M], *keys: str) -> Callable[[Any], list[M]]:
    """A list of ``cls``; the list may be ``data`` itself or under one of ``keys``.

    The v1.2 Search-video page wraps hits in ``data.videos``; the current docs return a bare
    list. Both are read.
    """

    def parse(data: Any) -> list[M]:
        if data is None:
            return []
        if isinstance(data, dict):
            for key in keys:
                if isinstance(data.get(key), list):
                    data = data[key]
                    break
        result: list[M] = _list_adapter(cls).validate_python(data)
        return result

    return parse


@functools.cache
def _list_adapter(cls: type[BaseModel]) -> TypeAdapter[list[Any]]:
    # Built once per model on first parse: every Call (one per request) used to build its own,
    # which costs a schema build per request, and building at import slows the package import.
    return TypeAdapter(list[cls])  # type: ignore[valid-type]


def nothing(_data: Any) -> None:
    return None


def run_parser(call: Call[T], data: Any) -> T:
    """Parse ``data``; any shape error becomes the typed ResponseParseError."""
    try:
        return call.parse(data)
    except ResponseParseError as exc:
        exc.endpoint = call.endpoint.path
        raise
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ResponseParseError(
            f"unexpected response shape: {_short(exc)}", endpoint=call.endpoint.path
        ) from exc


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()
    return "; ".join(line.strip() for line in text[:3])
