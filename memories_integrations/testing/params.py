"""Request parsing shared by the routes: query + body (JSON, url-encoded or multipart).

The docs disagree on where many parameters live (table vs example), so every endpoint reads
both the query string and the body; body values win.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import BAD_ENUM, PARAM, ApiError, error

MAX_FORM_FILES = 100


class Params:
    def __init__(
        self,
        query: dict[str, list[str]],
        body: dict[str, Any],
        files: dict[str, list[UploadFile]] | None = None,
        raw_body: Any = None,
    ) -> None:
        self.query = query
        self.body = body
        self.files = files or {}
        self.raw_body = raw_body  # the JSON body when it is not an object (delete_videos)

    def _get(self, names: tuple[str, ...]) -> Any:
        for name in names:
            if name in self.body and self.body[name] is not None:
                return self.body[name]
        for name in names:
            if name in self.query:
                values = self.query[name]
                return values if len(values) > 1 else values[0]
        return None

    def opt(self, *names: str, default: str | None = None, required: bool = False) -> str | None:
        value = self._get(names)
        if isinstance(value, list):
            value = value[0] if value else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise ApiError(PARAM, f"Missing required parameter: {names[0]}")
            return default
        return value if isinstance(value, str) else str(value)

    def req(self, *names: str) -> str:
        value = self.opt(*names, required=True)
        assert value is not None
        return value

    def integer(self, *names: str, default: int, lo: int, hi: int) -> int:
        value = self._get(names)
        if value is None or value == "":
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ApiError(PARAM, f"Parameter {names[0]} must be an integer") from None
        if not lo <= number <= hi:
            raise ApiError(PARAM, f"Parameter {names[0]} must be between {lo} and {hi}")
        return number

    def number(self, *names: str, default: float | None = None) -> float | None:
        value = self._get(names)
        if value is None or value == "":
            return default
        try:
            return float(str(value).strip())
        except ValueError:
            raise ApiError(PARAM, f"Parameter {names[0]} must be a number") from None

    def many(self, *names: str) -> list[str]:
        """A list from a JSON array, repeated form fields, or a comma-separated string."""
        value = self._get(names)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for item in items:
            if isinstance(item, str):
                out.extend(p.strip() for p in item.split(",") if p.strip())
            elif item is not None:
                out.append(str(item))
        return out

    def indexed(self, name: str) -> list[str]:
        """``name[0]``, ``name[1]``, ... form fields (the curl examples spell lists so)."""
        prefix = f"{name}["
        found: list[tuple[int, str]] = []
        for key in (*self.body, *self.query):
            if key.startswith(prefix) and key.endswith("]") and key[len(prefix) : -1].isdigit():
                value = self.opt(key)
                if value is not None:
                    found.append((int(key[len(prefix) : -1]), value))
        return [value for _, value in sorted(set(found))]

    def enum(self, *names: str, choices: tuple[str, ...], default: str) -> str:
        value = (self.opt(*names) or default).upper()
        if value not in choices:
            # current docs: unknown enum values fail JSON deserialisation with 0003
            raise ApiError(BAD_ENUM, f"Invalid value for {names[0]}: {value}")
        return value


async def read_params(request: Request) -> Params:
    query: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    ctype = request.headers.get("content-type", "").lower()
    body: dict[str, Any] = {}
    files: dict[str, list[UploadFile]] = {}
    raw: Any = None
    if ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        # Starlette spools file parts to disk beyond 1 MB, so large uploads never sit in memory.
        form = await request.form(max_files=MAX_FORM_FILES, max_fields=1000)
        for key, item in form.multi_items():
            if isinstance(item, UploadFile):
                files.setdefault(key, []).append(item)
                continue
            if key in body:
                prev = body[key]
                body[key] = [*prev, item] if isinstance(prev, list) else [prev, item]
            else:
                body[key] = item
    else:
        data = await request.body()
        if data.strip():
            try:
                raw = json.loads(data)
            except ValueError:
                raise ApiError(
                    BAD_ENUM, "JSON parse error: request body is not valid JSON"
                ) from None
            if isinstance(raw, dict):
                body = raw
    return Params(query, body, files, raw)


async def _drain(request: Request) -> None:
    """Read what is left of the body before answering an error, so a client still uploading
    gets the envelope rather than a broken pipe."""
    try:
        async for _ in request.stream():
            pass
    except (RuntimeError, ClientDisconnect):
        pass  # already consumed, or the client went away


Handler = Callable[[Request, Emulator, str, Params], Awaitable[Response]]


def api(
    interface: str, *, auth: bool = True
) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """Wrap a handler: authenticate, rate-limit, parse parameters, render ApiError."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            emu: Emulator = request.app.state.emulator
            try:
                account = emu.authenticate(request.headers.get("authorization")) if auth else ""
                if auth:
                    emu.check_rate(account, interface)
                params = await read_params(request)
                return await handler(request, emu, account, params)
            except ApiError as exc:
                await _drain(request)
                return error(exc.code, exc.msg)
            except ClientDisconnect:
                return Response(status_code=499)  # nobody is listening any more

        return endpoint

    return decorate
