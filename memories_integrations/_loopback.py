"""A uvicorn server for a background thread that stops at once (the emulator, CallbackServer).

uvicorn polls ``should_exit`` every 0.1 s and then grants open connections a fixed 0.1 s grace:
every ``stop()`` of a test's or an app's server would wait for both. Imported only where uvicorn
is installed (the ``emulator`` extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

import uvicorn


class QuickStopServer(uvicorn.Server):
    """``uvicorn.Server`` whose idle loop wakes on ``stop_soon()`` and whose shutdown waits for
    idle connections to close instead of a fixed grace period."""

    wake: asyncio.Event | None = None
    loop: asyncio.AbstractEventLoop | None = None

    def stop_soon(self) -> None:
        """Ask the server to exit, from any thread."""
        self.should_exit = True
        loop, wake = self.loop, self.wake
        if loop is not None and wake is not None:
            with contextlib.suppress(RuntimeError):  # loop already closed
                loop.call_soon_threadsafe(wake.set)

    async def main_loop(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.wake = asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864_000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), 0.1)
            should_exit = await self.on_tick(counter)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.server_state.tasks:
            await super().shutdown(sockets)  # uvicorn's: a grace period for running requests
            return
        # No request running: idle keep-alive connections close as soon as they are told to.
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        for _ in range(50):  # uvicorn sets no event when the last one closes: poll, 0.1 s at most
            if not self.server_state.connections:
                break
            await asyncio.sleep(0.002)
        if not self.force_exit:
            await self.lifespan.shutdown()
