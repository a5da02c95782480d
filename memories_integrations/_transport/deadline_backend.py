"""A network backend that bounds every socket wait of a sync call by the call's deadline.

httpx timeouts bound each socket operation: a server that sends its status line and headers one
byte every half second never trips a 2 s read timeout, and a blocking ``recv`` cannot be
interrupted from another thread. So the ``httpx.Client`` the sync client creates for itself gets
this backend: each connect, read and write waits at most the time left until the deadline the
running call put in ``CALL_DEADLINE`` (issue 12, "Hangs"). Without a deadline it changes nothing.

Imported only when that client is built (httpcore is loaded then anyway, not at import time).
"""

from __future__ import annotations

import math
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

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
    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

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


def bound_by_deadline(client: httpx.Client) -> httpx.Client:
    """``client`` (one we created, never a caller's) with the deadline backend in every pool.

    httpx has no parameter for a network backend and passing ``transport=`` would switch off
    its proxy settings from the environment, so the pools httpx built (the default one and one
    per proxy) get the backend wrapped around theirs. Should httpx change those internals, the
    client still works, only without this bound (tests/reliability catches that).
    """
    for transport in (client._transport, *client._mounts.values()):
        pool: Any = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(
            backend, DeadlineBackend
        ):
            pool._network_backend = DeadlineBackend(backend)
    return client
