"""The sync client's own httpx transport: httpcore pools with the deadline network backend.

httpx's ``HTTPTransport`` takes no network backend, so this is a small ``httpx.BaseTransport``
over ``httpcore.ConnectionPool`` / ``HTTPProxy`` / ``SOCKSProxy`` (all public API). Passing
``transport=`` makes httpx ignore proxy variables, so ``environment_mounts`` reads them the way
httpx does (``urllib.request.getproxies``: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY) and mounts a
deadline-bound proxy transport per entry.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.request import getproxies

import httpcore
import httpx

from memories_integrations._transport.deadline_backend import DeadlineBackend

# httpcore error -> the httpx error httpx's own transport raises for it (most specific first).
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextmanager
def _as_httpx_errors(request: httpx.Request | None = None) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for theirs, ours in _ERRORS:
            if isinstance(exc, theirs):
                raise ours(str(exc), request=request) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterator[bytes] | object, request: httpx.Request) -> None:
        self._stream, self._request = stream, request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self._request):
            yield from self._stream  # type: ignore[misc]

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def _url(url: httpx.URL) -> httpcore.URL:
    return httpcore.URL(
        scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
    )


class DeadlineTransport(httpx.BaseTransport):
    """One httpcore pool (direct or through ``proxy``) whose sockets obey the call deadline."""

    def __init__(self, ssl_context: ssl.SSLContext, proxy: httpx.Proxy | None = None) -> None:
        backend = DeadlineBackend()
        self._pool: httpcore.ConnectionPool
        if proxy is None:
            self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend)
        elif proxy.url.scheme in ("http", "https"):
            self._pool = httpcore.HTTPProxy(
                proxy_url=_url(proxy.url),
                proxy_auth=proxy.raw_auth,
                proxy_headers=proxy.headers.raw,
                ssl_context=ssl_context,
                proxy_ssl_context=proxy.ssl_context,
                network_backend=backend,
            )
        elif proxy.url.scheme in ("socks5", "socks5h"):
            self._pool = httpcore.SOCKSProxy(
                proxy_url=_url(proxy.url),
                proxy_auth=proxy.raw_auth,
                ssl_context=ssl_context,
                network_backend=backend,
            )
        else:
            raise ValueError(f"unsupported proxy scheme {proxy.url.scheme!r}")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=_url(request.url),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            answer = self._pool.handle_request(core)
        return httpx.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream, request),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        with _as_httpx_errors():
            self._pool.close()


def _no_proxy_pattern(host: str) -> str:
    """A NO_PROXY entry as an httpx mount pattern, by the rules httpx applies to it."""
    if "://" in host:
        return host
    try:
        address = ipaddress.ip_address(host.split("/")[0])
    except ValueError:
        return "all://localhost" if host == "localhost" else f"all://*{host}"
    return f"all://[{host}]" if address.version == 6 else f"all://{host}"


def environment_mounts(ssl_context: ssl.SSLContext) -> dict[str, httpx.BaseTransport | None]:
    """Proxy variables as httpx mounts; ``None`` routes a NO_PROXY host to the direct pool."""
    found = getproxies()
    mounts: dict[str, httpx.BaseTransport | None] = {}
    no_proxy = [host.strip() for host in found.get("no", "").split(",") if host.strip()]
    if "*" in no_proxy:
        return mounts
    for scheme in ("http", "https", "all"):
        if found.get(scheme):
            url = found[scheme] if "://" in found[scheme] else f"http://{found[scheme]}"
            mounts[f"{scheme}://"] = DeadlineTransport(ssl_context, httpx.Proxy(url))
    if mounts:
        for host in no_proxy:
            mounts[_no_proxy_pattern(host)] = None
    return mounts


def deadline_client(
    *, ssl_context: ssl.SSLContext, timeout: httpx.Timeout | float | None
) -> httpx.Client:
    """The ``httpx.Client`` a sync client creates for itself, bounded by each call's deadline."""
    return httpx.Client(
        transport=DeadlineTransport(ssl_context),
        mounts=environment_mounts(ssl_context),
        timeout=timeout,
    )
