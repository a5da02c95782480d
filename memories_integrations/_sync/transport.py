# Generated from _async/transport.py by scripts/unasync.py: edit that file, not this one.
"""Sending: retries, rate limiting, streaming."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any, TypeVar

import httpx

from .. import errors as e
from .._api._core import Call
from .._base_client import (
    BaseClient,
    CoalescedStream,
    ProgressCallback,
    open_files,
)
from .._response import unwrap
from .._streaming import StreamEnd, incomplete, parse_line
from ..models import (
    ChatEvent,
)

T = TypeVar("T")


class Transport(BaseClient):
    """Sending: retries, rate limiting, streaming."""

    _http: httpx.Client

    def _send(
        self,
        call: Call[T],
        *,
        timeout: float | httpx.Timeout | None = None,
        progress: ProgressCallback | None = None,
    ) -> T:
        attempt = 0
        while True:
            if (wait := self._limiter_delay(call)) > 0:  # sleep(0) still yields the CPU
                time.sleep(wait)
            started = self._now()
            try:
                with open_files(call.files, progress) as files:
                    request = self._http.build_request(
                        call.endpoint.method,
                        self._url(call),
                        **self._request_kwargs(call, files, timeout),
                    )
                    if files:
                        request.stream = CoalescedStream(request.stream)
                    response = self._http.send(request, auth=self._auth_for(call))
                    try:
                        body = response.read()
                    finally:
                        response.close()
                return self._finish(call, response, body)
            except (httpx.TransportError, e.MemoriesError) as exc:
                delay = self._retry_or_raise(call, exc, attempt, started)
            time.sleep(delay)
            attempt += 1

    def _open_stream(self, call: Call[Any]) -> httpx.Response:
        """Send a streaming request; retries happen only before any event was read."""
        attempt = 0
        while True:
            if (wait := self._limiter_delay(call)) > 0:  # sleep(0) still yields the CPU
                time.sleep(wait)
            started = self._now()
            try:
                request = self._http.build_request(
                    call.endpoint.method, self._url(call), **self._request_kwargs(call, [], None)
                )
                response = self._http.send(request, stream=True, auth=self._auth_for(call))
                content_type = response.headers.get("content-type", "")
                if response.status_code == 200 and "json" not in content_type:
                    return response
                try:
                    body = response.read()
                finally:
                    response.close()
                unwrap(response, body, endpoint=call.endpoint.path)
                raise e.ResponseParseError("expected a stream", endpoint=call.endpoint.path)
            except (httpx.TransportError, e.MemoriesError) as exc:
                delay = self._retry_or_raise(call, exc, attempt, started)
            time.sleep(delay)
            attempt += 1

    def _events(self, call: Call[Any]) -> Iterator[ChatEvent]:
        path = call.endpoint.path
        response = self._open_stream(call)
        try:
            for line in response.iter_lines():
                event = parse_line(line, endpoint=path)
                if event is not None:
                    yield event
        except StreamEnd:
            return
        except httpx.TransportError as exc:
            raise self._stream_error(exc, path) from exc
        finally:
            response.close()
        raise incomplete(path)
