"""Run the emulator over real HTTP on loopback, in a background thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from types import TracebackType
from typing import Any, TypeVar

import uvicorn

from memories_integrations._loopback import QuickStopServer
from memories_integrations.testing.app import create_app
from memories_integrations.testing.config import AccountStatus, EmulatorConfig
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.faults import FaultRegistry, FaultRule, RequestLogEntry
from memories_integrations.testing.oauth import client_id_for
from memories_integrations.testing.routes_admin import authorize
from memories_integrations.testing.store import Store

T = TypeVar("T")


def bind_socket(host: str, port: int) -> socket.socket:
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on sockets that declare it,
    # and without it every response pays a ~40 ms delayed-ACK stall.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def uvicorn_config(app: Any, log_level: str = "warning") -> uvicorn.Config:
    # h11 explicitly: the connection-drop faults rely on its per-request cycle object.
    return uvicorn.Config(
        app,
        http="h11",
        ws="none",
        lifespan="on",
        log_level=log_level,
        timeout_graceful_shutdown=2,
        access_log=False,
    )


class EmulatorServer:
    """The memories.ai emulator on ``http://127.0.0.1:<port>`` (port 0 picks a free one).

    ``with EmulatorServer(encoding_delay=0.1) as emu: httpx.get(emu.base_url + ...)``
    Keyword arguments override fields of ``config`` (see :class:`EmulatorConfig`).
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **overrides: Any,
    ) -> None:
        self.config = replace(config or EmulatorConfig(), **overrides)
        self.host = host
        self.port = port
        self.emulator = Emulator(self.config)
        self.app = create_app(emulator=self.emulator)
        self._server: QuickStopServer | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> EmulatorServer:
        if self._thread is not None:
            return self
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        server = QuickStopServer(uvicorn_config(self.app))
        self._server = server

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            try:
                loop.run_until_complete(server.serve(sockets=[sock]))
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()
                sock.close()

        self._thread = threading.Thread(
            target=run, name=f"memories-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("memories emulator failed to start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.stop_soon()
        self._thread.join(timeout=10)
        self._server = self._thread = self._loop = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- accessors ---------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_key(self) -> str:
        return self.config.api_key

    @property
    def client_id(self) -> str:
        return client_id_for(self.config.api_key)

    @property
    def state(self) -> Store:
        return self.emulator.store

    @property
    def faults(self) -> FaultRegistry:
        return self.emulator.faults

    # -- admin (same as the /_emulator/ HTTP API) -------------------------------------------
    def _in_loop(self, make: Callable[[], Coroutine[Any, Any, T]]) -> T:
        if self._loop is None:
            raise RuntimeError("the emulator is not running")
        return asyncio.run_coroutine_threadsafe(make(), self._loop).result(timeout=30)

    def add_fault(self, rule: FaultRule | None = None, **kwargs: Any) -> FaultRule:
        """Add a fault rule (a ``FaultRule`` or its fields as keyword arguments)."""
        return self.faults.add(rule, **kwargs)

    def clear_faults(self) -> None:
        self.faults.clear()

    def requests(self, path: str | None = None) -> list[RequestLogEntry]:
        return [e for e in self.emulator.request_log.entries() if path is None or e.path == path]

    @property
    def in_flight(self) -> int:
        """Requests the emulator has received and not yet logged (still being handled)."""
        return self.emulator.request_log.in_flight

    @property
    def callbacks(self) -> list[dict[str, Any]]:
        """Every callback attempt the emulator made (url, payload, http_status, attempt)."""
        return list(self.emulator.lifecycle.callback_log)

    def reset(self) -> None:
        async def run() -> None:
            await self.emulator.lifecycle.cancel_jobs()
            self.emulator.reset()

        self._in_loop(run)

    def complete_all(self) -> None:
        """Finish every pending video / scraper task now."""
        self._in_loop(self.emulator.lifecycle.complete_all)

    def authorize(self, callback_url: str | None = None, api_key: str | None = None) -> str:
        """Deliver an OAuth code to ``callback_url`` (GET) and return it."""
        key = api_key or self.config.api_key
        result = self._in_loop(lambda: authorize(self.emulator, key, callback_url))
        return str(result["code"])

    def set_rate_limits(self, enabled: bool) -> None:
        self.emulator.settings.rate_limits = enabled

    def set_extra_latency(self, seconds: float) -> None:
        self.emulator.settings.extra_latency = seconds

    def set_encoding_delay(self, seconds: float) -> None:
        self.emulator.settings.encoding_delay = seconds

    def set_account(self, api_key: str, status: AccountStatus = "ok") -> None:
        self.emulator.accounts[api_key] = status

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator clock forward (expires OAuth codes/tokens without sleeping)."""
        self.emulator.store.clock_offset += seconds
