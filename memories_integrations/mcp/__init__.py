"""memories.ai as an MCP server (``memories mcp``): the agent tools and ``memories://`` video
resources for any MCP client, over stdio or streamable HTTP.

Needs the ``mcp`` extra (``pip install 'memories-integrations[mcp]'``); the rest of the
package never imports the MCP SDK.
"""

from memories_integrations._extras import require

require("mcp", "memories_integrations.mcp")

# ruff: noqa: E402 (the check above comes first: it names the extra to install)
from memories_integrations.mcp._config import ServerConfig, resolve_dirs
from memories_integrations.mcp.server import build_server, http_app, run_http, run_stdio
from memories_integrations.mcp.tools import TOOLS, ToolSpec, tools_for

__all__ = [
    "TOOLS",
    "ServerConfig",
    "ToolSpec",
    "build_server",
    "http_app",
    "resolve_dirs",
    "run_http",
    "run_stdio",
    "tools_for",
]
