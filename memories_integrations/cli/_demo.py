"""``memories demo`` (the README's main job, offline) and ``memories emulator``."""

from __future__ import annotations

import argparse
import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.cli._errors import EXIT_OK, EXIT_PROCESSING, UsageError
from memories_integrations.cli._output import Output, moments_table
from memories_integrations.cli._upload import print_results, run_batch

Add = Callable[..., argparse.ArgumentParser]

QUESTIONS = (
    "someone chops onions",
    "the striker scores a goal",
    "the presenter shows the new phone's battery life",
)


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _moment(rank: int, meta: dict[str, Any], score: Any, text: str) -> dict[str, Any]:
    return {
        "rank": rank,
        "video_no": meta.get("video_no"),
        "video_name": meta.get("video_name"),
        "start": _float(meta.get("start_time")),
        "end": _float(meta.get("end_time")),
        "score": _float(score),
        "text": " ".join(text.split()),
    }


def langchain_moments(client: MemoriesClient, question: str, k: int) -> list[dict[str, Any]]:
    from memories_integrations.langchain import MemoriesRetriever

    docs = MemoriesRetriever(client=client, k=k).invoke(question)
    return [
        _moment(i, d.metadata, d.metadata.get("score"), d.page_content)
        for i, d in enumerate(docs, 1)
    ]


def llama_index_moments(client: MemoriesClient, question: str, k: int) -> list[dict[str, Any]]:
    from memories_integrations.llama_index import MemoriesRetriever

    nodes = MemoriesRetriever(client=client, k=k).retrieve(question)
    return [
        _moment(i, n.node.metadata, n.score, n.node.get_content()) for i, n in enumerate(nodes, 1)
    ]


RETRIEVERS: dict[str, Callable[[MemoriesClient, str, int], list[dict[str, Any]]]] = {
    "LangChain MemoriesRetriever": langchain_moments,
    "LlamaIndex MemoriesRetriever": llama_index_moments,
}


def _preload_adapters() -> None:
    """Import the framework adapters while the uploads run (they take seconds to import)."""
    for module in ("langchain", "llama_index"):
        try:
            importlib.import_module(f"memories_integrations.{module}")
        except ImportError:
            pass  # reported when the demo asks that retriever


def _answers(client: MemoriesClient, question: str, k: int) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, fetch in RETRIEVERS.items():
        try:
            found[name] = fetch(client, question, k)
        except ImportError as exc:  # adapter extra not installed: say so, keep going
            found[name] = {"unavailable": f"{exc}"}
    return found


def demo(args: argparse.Namespace, out: Output) -> int:
    try:
        from memories_integrations._lifecycle.server import CallbackServer
        from memories_integrations.testing import EmulatorServer, sample_videos
    except ImportError as exc:
        raise UsageError(f"the demo needs the emulator extra ({exc})") from exc

    started = time.monotonic()
    threading.Thread(target=_preload_adapters, name="preload-adapters", daemon=True).start()
    questions = args.question or list(QUESTIONS)
    with (
        # No quotas in the demo: the emulator's limits and the client's limiter are both off.
        EmulatorServer(encoding_delay=args.encoding_delay, rate_limits=False) as emu,
        CallbackServer() as callbacks,
        # trust_env=False: loopback traffic must never go through a configured proxy.
        httpx.Client(trust_env=False, timeout=30) as http,
        MemoriesClient(
            api_key=emu.api_key,
            base_url=emu.base_url,
            unique_id="demo",
            http_client=http,
            rate_limiter=False,
        ) as client,
    ):
        if not out.json:
            out.err.print(f"[bold]emulator[/] {emu.base_url}   [bold]callbacks[/] {callbacks.url}")
        # Polling stays as a slow fallback; the callbacks are what end each wait.
        results = run_batch(
            client,
            [str(p) for p in sample_videos()],
            out,
            wait=True,
            timeout=60,
            concurrency=4,
            via=callbacks.receiver,
            initial_interval=10.0,
        )
        code = EXIT_OK if all(r.ok for r in results) else EXIT_PROCESSING
        answers = [{"question": q, "retrievers": _answers(client, q, args.k)} for q in questions]
        received = len(callbacks.receiver.events())
    report = {
        "videos": [r.to_dict() for r in results],
        "callbacks_received": received,
        "questions": answers,
        "seconds": round(time.monotonic() - started, 2),
    }
    if out.json:
        out.emit(report)
        return code
    print_results(out, results)
    out.out.print(f"{received} encoding callback(s) received\n")
    for item in answers:
        out.out.print(f"[bold]Q: {item['question']}[/]")
        for name, moments in item["retrievers"].items():
            if isinstance(moments, dict):
                out.out.print(f"  {name}: [yellow]unavailable[/] ({moments['unavailable']})")
            else:
                moments_table(out, name, moments)
        out.out.print()
    out.out.print(f"[dim]done in {report['seconds']} s[/]")
    return code


def emulator(args: argparse.Namespace, out: Output) -> int:
    from memories_integrations.testing.__main__ import serve
    from memories_integrations.testing.config import DEFAULT_API_KEY

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise UsageError(
            f"the emulator needs the emulator extra ({exc.name} is missing): "
            'pip install -e ".[emulator]"'
        ) from exc
    args.api_key = args.api_key or DEFAULT_API_KEY
    return serve(args)


def register(add: Add) -> None:
    p = add("demo", "offline demo: emulator, sample uploads, callbacks, retrievers", demo)
    p.add_argument(
        "-q",
        "--question",
        action="append",
        help="question to ask (repeat; default: three about the samples)",
    )
    p.add_argument("-k", type=int, default=3, help="moments per retriever (default 3)")
    p.add_argument(
        "--encoding-delay",
        type=float,
        default=1.0,
        help="seconds the emulator takes to encode a video (default 1)",
    )

    from memories_integrations.testing.__main__ import add_options

    p = add(
        "emulator",
        "run the local memories.ai emulator in the foreground and print the environment to "
        "export (--api-key: the key it accepts, default 'emulator-key')",
        emulator,
    )
    add_options(p, api_key=False)
