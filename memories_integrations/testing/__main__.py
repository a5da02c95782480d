"""``python -m memories_integrations.testing``: serve the emulator in the foreground."""

from __future__ import annotations

import argparse
import sys

from memories_integrations.testing.config import DEFAULT_API_KEY, EmulatorConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m memories_integrations.testing", description=__doc__
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument(
        "--encoding-delay", type=float, default=2.0, help="seconds UNPARSE -> PARSE"
    )
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="disable the documented QPS limits"
    )
    parser.add_argument("--extra-latency", type=float, default=0.0)
    parser.add_argument("--duplicate-callbacks", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)

    import uvicorn

    from memories_integrations.testing.app import create_app
    from memories_integrations.testing.server import bind_socket, uvicorn_config

    config = EmulatorConfig(
        api_key=args.api_key,
        encoding_delay=args.encoding_delay,
        rate_limits=not args.no_rate_limits,  # ON by default here, for fidelity
        extra_latency=args.extra_latency,
        duplicate_callbacks=args.duplicate_callbacks,
        seed=args.seed,
    )
    sock = bind_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(
        f"memories.ai emulator: base URL http://{host}:{port}  api key {config.api_key}", flush=True
    )
    print(
        f"rate limits {'on' if config.rate_limits else 'off'}; admin API at /_emulator/", flush=True
    )
    uvicorn.Server(uvicorn_config(create_app(config), log_level=args.log_level)).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
