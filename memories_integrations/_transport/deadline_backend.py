"""A network backend that bounds every socket wait of a sync call by the call's deadline.

httpx timeouts bound each socket operation: a server that sends its status line and headers one
byte every half second never trips a 2 s read timeout, and a blocking ``recv`` cannot be
interrupted from another thread. So each connect, read and write of the sync client's own
connections waits at most the time left until the deadline the running call put in
``CALL_DEADLINE`` (issue 12, "Hangs"). Without a deadline it changes nothing.

httpcore takes a network backend as a public parameter (``ConnectionPool(network_backend=)``);
``deadline_transport`` builds the pools with it (issue 20: no private attribute is touched).
"""

from __future__ import annotations

import math
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

from memories_integrations._transport.limits import CALL_DEADLINE


def _wait(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left; ``expired`` raised when none is left."""
    deadline = CALL_DEADLINE.get()
    left = math.inf if deadline is None else deadline.remaining()
    if math.isinf(left):
        return timeout
    if left <= 0:
        raise expired("the call's total deadline has passed")
    return left if timeout is None else min(timeout, left)


class DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _wait(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _wait(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        wait = _wait(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, wait))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend | None = None) -> None:
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _wait(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self._backend.connect_tcp(host, port, wait, local_address, socket_options)
        )

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        wait = _wait(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(self._backend.connect_unix_socket(path, wait, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)
