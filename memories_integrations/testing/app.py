"""The Starlette application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from memories_integrations.testing import (
    routes_admin,
    routes_chat,
    routes_memories,
    routes_oauth,
    routes_public,
    routes_scraper,
    routes_search,
    routes_transcripts,
    routes_videos,
)
from memories_integrations.testing.config import EmulatorConfig
from memories_integrations.testing.emulator import Emulator
from memories_integrations.testing.envelope import PARAM, envelope
from memories_integrations.testing.middleware import EmulatorMiddleware


async def _not_found(request: Request, exc: Exception) -> Response:
    # Unknown paths: the real gateway answers 404; keep it JSON so clients can show it.
    return JSONResponse({"error": "not found", "path": request.url.path}, status_code=404)


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        envelope(None, PARAM, f"Request method '{request.method}' not supported"), status_code=405
    )


def create_app(
    config: EmulatorConfig | None = None, *, emulator: Emulator | None = None
) -> Starlette:
    """Build the emulator ASGI app. ``app.state.emulator`` is the live :class:`Emulator`.

    Works over real HTTP (see ``EmulatorServer``) and in-process with ``httpx.ASGITransport``
    (there, ``drop`` faults raise ``ConnectionResetError`` instead of closing a socket, and
    background processing runs on the caller's event loop).
    """
    emu = emulator or Emulator(config)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await emu.lifecycle.aclose()

    app = Starlette(
        routes=[
            *routes_videos.routes,
            *routes_search.routes,
            *routes_chat.routes,
            *routes_transcripts.routes,
            *routes_public.routes,
            *routes_memories.routes,
            *routes_scraper.routes,
            *routes_oauth.routes,
            *routes_admin.routes,
        ],
        middleware=[Middleware(EmulatorMiddleware, emulator=emu)],
        exception_handlers={404: _not_found, 405: _method_not_allowed},
        lifespan=lifespan,
    )
    app.state.emulator = emu
    return app
