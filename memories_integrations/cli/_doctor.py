"""``memories doctor``: the live contract check, for the first run with a new key."""

from __future__ import annotations

import argparse
import platform
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from memories_integrations import errors as e
from memories_integrations._client import contract
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations._transport.auth import KEY_ENV_VARS, api_key_from_env
from memories_integrations._transport.retry import RATE_WAIT_HOOK
from memories_integrations._version import __version__
from memories_integrations.cli._errors import EXIT_AUTH, EXIT_OK, EXIT_SERVER, UsageError
from memories_integrations.cli._output import Output

Add = Callable[..., argparse.ArgumentParser]

HELP = "check the live API contract: every core endpoint once, in a throw-away namespace"
DESCRIPTION = f"""{HELP}.

Uploads the smallest bundled sample into a new namespace (doctor-<random>), waits for it,
then runs search, transcripts, summary, chat (JSON and stream) and list, and deletes that one
video (nothing else is ever deleted). Calls are paced by the documented rate limits (upload
1/min, chat 2/min, ...), so a run takes a few minutes; --no-pace is for a local emulator.
Send the output back with: memories doctor --json > doctor.json (it holds no key)."""


def doctor(args: argparse.Namespace, out: Output) -> int:
    if args.unique_id:
        raise UsageError("doctor always works in its own throw-away namespace: drop --unique-id")
    if args.sample is not None and not args.sample.is_file():
        raise UsageError(f"no such sample file: {args.sample}")
    sample = args.sample or contract.smallest_sample()
    key = args.api_key or api_key_from_env()
    if key is None:
        return _no_key(out)
    base_url = args.base_url
    failure = _preflight(key, base_url, timeout=args.connect_timeout)
    if failure is not None:
        code, message = failure
        out.error(message)
        return code
    if not out.json:
        out.err.print(f"[bold]memories doctor[/] {__version__}: {len(contract.STEPS)} checks")
    with _rate_waits(out):
        unique_id, results = contract.run_contract(
            api_key=key,
            base_url=base_url,
            pace=not args.no_pace,
            wait_timeout=args.wait_timeout,
            poll_interval=args.poll_interval,
            sample=sample,
            on_step=None if out.json else lambda step: out.err.print(f"  {step} ..."),
        )
    ok = all(r.ok for r in results)
    if out.json:
        out.emit(_report(ok, unique_id, base_url, results))
    else:
        out.table(
            f"contract check in namespace {unique_id}",
            ["step", "endpoint", "sent", "answered shape", "result"],
            [(r.step, r.endpoint, r.sent, r.shape, f"{r.outcome}: {r.detail}") for r in results],
        )
        verdict = "every check passed" if ok else "some checks failed"
        out.out.print(
            f"{verdict}. Send this back with: memories doctor --json > doctor.json "
            "(attach it to an issue; it holds no API key)"
        )
    return EXIT_OK if ok else EXIT_SERVER


def _preflight(key: Any, base_url: str | None, *, timeout: float) -> tuple[int, str] | None:
    """One unpaced, unretried list call before the paced run: an unreachable server or a
    rejected key fails in seconds, naming the URL, instead of after the rate-limit waits."""
    client = MemoriesClient(
        api_key=key,
        base_url=base_url,
        unique_id="doctor-preflight",
        timeout=timeout,
        max_retries=0,
        rate_limiter=False,
    )
    url = client.base_url
    try:
        with client:
            client.list_videos(page=1, size=1)
    except (e.AuthenticationError, e.PermissionDeniedError) as exc:
        return EXIT_AUTH, (
            f"{url} rejected the API key: check your key ({KEY_ENV_VARS[0]} or --api-key). "
            f"The server said: {exc.message}"
        )
    except e.APIConnectionError as exc:
        return EXIT_SERVER, (
            f"cannot reach {url}: {exc.message}. Check the network, or the base URL "
            "(--base-url / MEMORIES_BASE_URL)"
        )
    except e.MemoriesError:
        pass  # the server answers and knows the key: the run reports what else is wrong
    return None


def _no_key(out: Output) -> int:
    message = (
        f"no API key: set {KEY_ENV_VARS[0]} (or pass --api-key) to run the contract check "
        "against the live API (create a key in the memories.ai console)"
    )
    plan = [{"step": step, "sends": sends} for step, sends in contract.PLAN]
    if out.json:
        out.emit({"ok": False, "error": message, "plan": plan})
    else:
        out.err.print("memories doctor would, in a new throw-away namespace doctor-<random>:")
        for item in plan:
            out.err.print(f"  {item['step']:<20} {item['sends']}")
        out.error(message)
    return EXIT_AUTH


def _report(
    ok: bool, unique_id: str, base_url: str | None, results: list[contract.CheckResult]
) -> dict[str, Any]:
    return {
        "ok": ok,
        "package_version": __version__,
        "python": platform.python_version(),
        "base_url": base_url or "default",
        "unique_id": unique_id,
        "checks": [r.as_dict() for r in results],
    }


@contextmanager
def _rate_waits(out: Output) -> Iterator[None]:
    """Say when the client waits for a rate limit, so a paced run does not look stuck."""

    def hook(group: str, seconds: float) -> None:
        if seconds >= 1 and not out.json:
            out.err.print(f"    waiting {seconds:.0f}s for the {group} rate limit")

    token = RATE_WAIT_HOOK.set(hook)
    try:
        yield
    finally:
        RATE_WAIT_HOOK.reset(token)


def register(add: Add) -> None:
    p = add("doctor", HELP, doctor)
    p.description = DESCRIPTION
    p.add_argument(
        "--no-pace",
        action="store_true",
        help="do not space calls by the documented rate limits (for a local emulator only)",
    )
    p.add_argument(
        "--wait-timeout",
        type=float,
        default=900.0,
        help="seconds to wait for the upload to be indexed (default 900)",
    )
    p.add_argument(
        "--poll-interval",
        type=float,
        default=2.0,
        help="first interval between status polls while waiting (default 2)",
    )
    p.add_argument(
        "--connect-timeout",
        type=float,
        default=10.0,
        help="seconds the first call (reachability and key) may take (default 10)",
    )
    p.add_argument(
        "--sample",
        type=Path,
        default=None,
        help="video to upload instead of the smallest bundled sample",
    )
