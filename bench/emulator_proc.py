"""Serve the emulator in its own process for the benchmarks (``python bench/emulator_proc.py``).

Same as ``python -m memories_integrations.testing`` except for the listening socket: it is
created with ``proto=IPPROTO_TCP``. asyncio only sets TCP_NODELAY on accepted sockets whose
proto is IPPROTO_TCP; the emulator's ``bind_socket`` passes proto 0, so every response on a
kept-alive connection waits ~40 ms for the client's delayed ACK (Nagle) and each call would
measure that stall rather than the client. Running in a separate process keeps the server's
CPU time and memory out of the client-side figures.
"""

from __future__ import annotations

import argparse
import socket

import uvicorn

from memories_integrations.testing.app import create_app
from memories_integrations.testing.config import EmulatorConfig
from memories_integrations.testing.server import uvicorn_config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--extra-latency", type=float, default=0.0)
    parser.add_argument("--encoding-delay", type=float, default=0.05)
    parser.add_argument("--rate-limits", action="store_true")
    args = parser.parse_args()
    config = EmulatorConfig(
        encoding_delay=args.encoding_delay,
        rate_limits=args.rate_limits,
        extra_latency=args.extra_latency,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    sock.setblocking(False)
    # The parent reads this one line to learn the address.
    print(f"http://127.0.0.1:{sock.getsockname()[1]} {config.api_key}", flush=True)
    uvicorn.Server(uvicorn_config(create_app(config))).run(sockets=[sock])


if __name__ == "__main__":
    main()
