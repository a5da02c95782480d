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
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import ValidationError  # pydantic_core's: no model machinery

from memories_integrations.errors import ResponseParseError

if TYPE_CHECKING:  # pydantic's model machinery loads with the first model, not the client
    from pydantic import BaseModel, TypeAdapter

    from memories_integrations.models._base import ItemList

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")

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
    """A local file sent as one multipart part.

    ``source``: a path (opened only while the request is sent) or a binary file the caller
    already opened (read from its start on each attempt, never closed here: the upload tools
    open a checked file once, so what is sent is what was checked). ``name``: the part's file
    name.
    """

    field: str
    source: os.PathLike[str] | str | IO[bytes]
    content_type: str
    size: int
    name: str


@dataclass
class Call(Generic[T]):
    endpoint: Endpoint
    parse: Callable[[Any], T]
    params: dict[str, Any] | None = None
    json: Any = None
    data: dict[str, Any] | None = None
    files: list[FileSpec] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    # A query string already encoded, for values a server reads unencoded (a blob's ``/``).
    query: str = ""


def drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def model(cls: type[M]) -> Callable[[Any], M]:
    def parse(data: Any) -> M:
        if data is None:
            raise ResponseParseError(f"response has no data for {cls.__name__}")
        return cls.model_validate(data)

    return parse


def is_empty(data: Any) -> bool:
    """``null``, ``{}`` and ``[]``: the three spellings of "nothing" the API uses.

    Current docs (memories-api.md section 7): a search with no hits answers ``data: {}``; other
    pages show ``[]`` or ``null``. None of them is an error.
    """
    return data is None or (isinstance(data, (dict, list)) and not data)


def optional_model(cls: type[M], empty: Callable[[], M]) -> Callable[[Any], M]:
    """``data: null`` is a documented answer (no audio track, not ready): parse it as empty.
    ``{}`` and ``[]`` are read the same way."""

    def parse(data: Any) -> M:
        return empty() if is_empty(data) else cls.model_validate(data)

    return parse


def page_model(cls: type[M], items: str) -> Callable[[Any], M]:
    """A page object (``VideoPage``, ``SessionPage``, ...) whose rows are under ``items``.

    An empty answer (``null`` / ``{}`` / ``[]``) is an empty page; a bare list is read as the
    rows of one page (the shape list endpoints fall back to in clients in the wild).
    """

    def parse(data: Any) -> M:
        if is_empty(data):
            return cls()
        if isinstance(data, list):
            return cls.model_validate({items: data})
        return cls.model_validate(data)

    return parse


def model_list(cls: type[M], *keys: str) -> Callable[[Any], ItemList[M]]:
    """A list of ``cls``; the list may be ``data`` itself or under one of ``keys``.

    The v1.2 Search-video page wraps hits in ``data.videos``; the current docs return a bare
    list. Both are read. ``null``, ``{}``, ``[]`` and ``{"videos": null}`` are no hits.
    """

    def parse(data: Any) -> ItemList[M]:
        from memories_integrations.models._base import ItemList

        if is_empty(data):
            return ItemList()
        if isinstance(data, dict):
            present = [key for key in keys if key in data]
            lists = [data[key] for key in present if isinstance(data[key], list)]
            if lists:
                data = lists[0]
            elif present and all(is_empty(data[key]) for key in present):
                return ItemList()
        if not isinstance(data, list):
            return ItemList(_list_adapter(cls).validate_python(data))  # wrong type: an error
        from memories_integrations.models._base import ItemList, counting_skips, stop_counting

        counter, token = counting_skips()
        try:
            rows: ItemList[M] = ItemList(_list_adapter(cls).validate_python(data))
        finally:
            stop_counting(token)
        rows.skipped = counter[0]
        return rows

    return parse


@functools.cache
def _list_adapter(cls: type[BaseModel]) -> TypeAdapter[list[Any]]:
    # Built once per model on first parse: every Call (one per request) used to build its own,
    # which costs a schema build per request, and building at import slows the package import.
    from typing import Annotated

    from pydantic import TypeAdapter

    from memories_integrations.models._base import SKIP_MALFORMED

    return TypeAdapter(Annotated[list[cls], SKIP_MALFORMED])  # type: ignore[valid-type]


def nothing(_data: Any) -> None:
    return None


def run_parser(call: Call[T], data: Any) -> T:
    """Parse ``data``; any shape error becomes the typed ResponseParseError."""
    from memories_integrations.models._base import parsing_endpoint

    token = parsing_endpoint.set(call.endpoint.path)
    try:
        return call.parse(data)
    except ResponseParseError as exc:
        exc.endpoint = call.endpoint.path
        raise
    except (ValidationError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ResponseParseError(
            f"unexpected response shape: {_short(exc)}", endpoint=call.endpoint.path
        ) from exc
    finally:
        parsing_endpoint.reset(token)


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()
    return "; ".join(line.strip() for line in text[:3])
