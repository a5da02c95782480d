"""Measure how well memories.ai finds the moments you care about, and pick a configuration.

1. Label a few queries in a JSONL file, one a line (times in seconds; several windows allowed):

       {"query": "the pricing slide", "video": "keynote.mp4", "start": 312, "end": 330}
       {"query": "a goal", "video_no": "VI123", "windows": [[40, 52], [95, 101]]}

   (``video`` is the uploaded file's name; ``video_no`` the id; CSV with the same columns works.)
2. Run against your library (the key from MEMORIES_API_KEY; search is paced at 1 call/s):

       python examples/evaluate_retrieval.py my_queries.jsonl \\
           --config search=clip,k=10 --config search=hybrid,k=10 --config search=audio,k=10

   It prints R@K at tIoU 0.3/0.5/0.7, mAP, MRR, nDCG and video hit rate per configuration,
   writes eval.json and eval.png, and caches answers in eval-cache.jsonl (rerun to resume).
   Without MEMORIES_API_KEY it evaluates the shipped demo set on the local emulator instead.

The same as a command: ``memories eval my_queries.jsonl --config ... --config ...``.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console

from memories_integrations import MemoriesClient
from memories_integrations.evaluation import load_dataset
from memories_integrations.evaluation.config import (
    DEFAULT_CONFIGS,
    RetrievalConfig,
    parse_config,
)
from memories_integrations.evaluation.demo import run_demo
from memories_integrations.evaluation.report import EvaluationReport
from memories_integrations.evaluation.runner import CallCounter, EvaluationRunner


def evaluate_live(dataset: Path, configs: list[RetrievalConfig], cache: Path) -> EvaluationReport:
    queries = load_dataset(dataset)  # a bad row fails here, naming its line
    counter = CallCounter()  # counts the HTTP requests each query costs
    with (
        counter.http_client(timeout=60) as http,
        # rate_limiter=True: every endpoint paced at its documented rate, search included.
        MemoriesClient(http_client=http, rate_limiter=True) as client,
    ):
        runner = EvaluationRunner(client, configs, calls=counter, cache=cache, progress=True)
        return runner.run(queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", type=Path, help="labelled queries (.jsonl/.csv)")
    parser.add_argument("--config", action="append", default=[], help="e.g. search=hybrid,k=10")
    parser.add_argument("--out", type=Path, default=Path("."), help="where eval.json/png go")
    args = parser.parse_args(argv)
    configs = [parse_config(c) for c in args.config] or list(DEFAULT_CONFIGS)
    args.out.mkdir(parents=True, exist_ok=True)

    live = bool(os.environ.get("MEMORIES_API_KEY") or os.environ.get("MEMORIES_AI_API_KEY"))
    if live and args.dataset:
        report = evaluate_live(args.dataset, configs, args.out / "eval-cache.jsonl")
    else:
        print("(offline: the shipped demo set on the local emulator)")
        report = run_demo(configs, progress=True)

    Console().print(report.table())
    (args.out / "eval.json").write_text(json.dumps(report.to_dict(), indent=2))
    print(f"wrote {args.out / 'eval.json'} and {report.plot(args.out / 'eval.png')}")
    best = max(report.configs, key=lambda c: report.metrics()[c.label]["R1@0.5"])
    print(f"best R1@0.5: {best.label}")


if __name__ == "__main__":
    main()
