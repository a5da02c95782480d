"""``memories eval DATASET --config ... --config ...`` and ``memories eval --demo``.

Framework-neutral glue: :func:`add_eval_arguments` fills any argparse parser, :func:`run_eval`
runs it with an ``Output`` (``.json``, ``.out``/``.err`` consoles, ``.emit``); :func:`register`
plugs both into the current CLI.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memories_integrations.cli._errors import EXIT_OK, EXIT_SERVER, UsageError
from memories_integrations.cli._output import Output

if TYPE_CHECKING:  # the evaluation package loads only when the command runs
    from memories_integrations.evaluation.config import RetrievalConfig
    from memories_integrations.evaluation.report import EvaluationReport

__all__ = ["add_eval_arguments", "register", "run_eval"]

HELP = "measure retrieval quality (R@K at tIoU, mAP, MRR, nDCG) of several configurations"
CONFIG_HELP = (
    "a configuration, e.g. 'search=hybrid,k=10' or 'search=clip,k=5,threshold=0.4,name=strict' "
    "(keys: search clip|audio|caption|video|hybrid, k, threshold, padding, framework "
    "langchain|llama_index, name); repeat to compare; default: clip, audio, hybrid, clip thr=0.5"
)


def add_eval_arguments(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("dataset", nargs="?", help="labelled queries (.jsonl or .csv)")
    p.add_argument("--demo", action="store_true", help="offline: the shipped set on the emulator")
    p.add_argument("-c", "--config", action="append", default=[], help=CONFIG_HELP)
    p.add_argument("--plot", default="memories-eval.png", help="PNG to write (default %(default)s)")
    p.add_argument("--no-plot", action="store_true", help="write no PNG")
    p.add_argument("--cache", help="JSONL of finished queries: a rerun resumes from it")
    p.add_argument("--per-query", action="store_true", help="with --json: each query's moments")
    return p


def _configs(specs: list[str]) -> list[RetrievalConfig]:
    from memories_integrations.evaluation.config import DEFAULT_CONFIGS, parse_config

    return [parse_config(s) for s in specs] if specs else list(DEFAULT_CONFIGS)


def _live(
    args: argparse.Namespace, configs: list[RetrievalConfig], progress: bool
) -> EvaluationReport:
    from memories_integrations._client._sync.client import MemoriesClient
    from memories_integrations.evaluation.dataset import load_dataset
    from memories_integrations.evaluation.runner import CallCounter, EvaluationRunner

    queries = load_dataset(args.dataset)  # bad rows fail before any client exists
    counter = CallCounter()
    kwargs: dict[str, Any] = {"api_key": args.api_key, "base_url": args.base_url}
    if args.unique_id:
        kwargs["unique_id"] = args.unique_id
    # rate_limiter=True: every group paced, search included (1 call/s on the live API).
    with (
        counter.http_client(timeout=60) as http,
        MemoriesClient(http_client=http, rate_limiter=True, **kwargs) as client,
    ):
        runner = EvaluationRunner(
            client, configs, calls=counter, cache=args.cache, progress=progress
        )
        return runner.run(queries)


def run_eval(args: argparse.Namespace, out: Output) -> int:
    if bool(args.demo) == bool(args.dataset):
        raise UsageError("give a DATASET file or --demo (not both)")
    configs = _configs(args.config)
    progress = not out.json
    if args.demo:
        from memories_integrations.evaluation.demo import run_demo

        report = run_demo(configs, progress=progress, cache=args.cache)
    else:
        report = _live(args, configs, progress)
    plot = None if args.no_plot else report.plot(Path(args.plot))
    errors = sum(report.cost(c)["errors"] for c in report.configs)
    if out.json:
        data = report.to_dict(per_query=args.per_query)
        data["plot"] = str(plot) if plot else None
        out.emit(data)
    else:
        out.out.print(report.table())
        if report.cached:
            out.out.print(f"[dim]{report.cached} answer(s) from the cache[/]")
        if plot:
            out.out.print(f"plot: {plot}")
        if errors:
            out.err.print(f"[yellow]{errors} query(ies) failed[/] (see --json --per-query)")
    return EXIT_SERVER if errors else EXIT_OK


def register(add: Callable[..., argparse.ArgumentParser]) -> None:
    add_eval_arguments(add("eval", HELP, run_eval))
