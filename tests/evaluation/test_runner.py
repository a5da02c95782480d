"""The runner, the CLI command and the demo, on the emulator (offline)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.cli import main
from memories_integrations.errors import InvalidInputError, ServerError
from memories_integrations.evaluation import LabelledQuery, Moment, Window
from memories_integrations.evaluation.config import RetrievalConfig, parse_config
from memories_integrations.evaluation.demo import DEMO_DATASET, run_demo
from memories_integrations.evaluation.retrieve import Retrieve
from memories_integrations.evaluation.runner import EvaluationRunner

QUERIES = [
    LabelledQuery("chop onions", (Window("V1", 2, 4),)),
    LabelledQuery("a goal", (Window("V2", 4, 6),)),
]


def test_parse_config() -> None:
    c = parse_config("search=hybrid,k=5,threshold=0.3,padding=1,name=fused")
    assert (c.search_type, c.k, c.score_threshold, c.padding, c.label) == (
        "HYBRID",
        5,
        0.3,
        1.0,
        "fused",
    )
    assert parse_config("audio").label == "audio k=10"
    assert parse_config("search=BY_CAPTION,framework=llama_index").label == (
        "caption k=10 llama_index"
    )
    assert parse_config("clip,name=a").key == parse_config("clip,name=b").key
    for bad, message in [
        ("search=faces", "unknown search type"),
        ("k=0", "k must be"),
        ("k=two", "bad number"),
        ("threshold=2", "from 0 to 1"),
        ("colour=red", "unknown config key"),
        ("search=hybrid,framework=llama_index", "LangChain"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            parse_config(bad)


class Scripted:
    """A stand-in retriever factory: answers from a table, counts calls, can fail a query."""

    def __init__(self, fail: str | None = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    def __call__(self, config: RetrievalConfig, client: object, ns: str | None) -> Retrieve:
        def retrieve(query: str) -> list[Moment]:
            self.calls.append((config.label, query))
            if query == self.fail:
                raise ServerError("boom")
            video = "V1" if "onion" in query else "V2"
            return [Moment(video, 2, 4) if video == "V1" else Moment(video, 4, 6)]

        return retrieve


def test_cache_resumes_and_failed_queries_run_again(tmp_path: Path) -> None:
    client = MemoriesClient(api_key="k", base_url="http://127.0.0.1:9", rate_limiter=False)
    configs = [RetrievalConfig("BY_CLIP"), RetrievalConfig("BY_AUDIO")]
    cache = tmp_path / "cache.jsonl"
    first = Scripted(fail="a goal")
    report = EvaluationRunner(client, configs, cache=cache, retriever_factory=first).run(QUERIES)
    assert len(first.calls) == 4
    assert report.cost(configs[0])["errors"] == 1
    assert report.metrics()["clip k=10"]["R1@0.5"] == 0.5
    assert "ServerError" in str(report.to_dict()["configs"][0]["per_query"][1]["error"])
    # A line cut short by an interrupted run is skipped, not fatal.
    with cache.open("a") as f:
        f.write('{"config_key": "x", "query_k')
    again = Scripted()
    report = EvaluationRunner(client, configs, cache=cache, retriever_factory=again).run(QUERIES)
    assert sorted(again.calls) == [("audio k=10", "a goal"), ("clip k=10", "a goal")]
    assert report.cached == 2
    assert report.metrics()["clip k=10"]["R1@0.5"] == 1.0


def test_demo_counts_calls_per_query_and_ranks_the_hybrid_first() -> None:
    started = time.monotonic()
    report = run_demo()
    assert time.monotonic() - started < 60
    n = sum(1 for line in DEMO_DATASET.read_text().splitlines() if line.startswith("{"))
    assert len(report.queries) == n
    costs = {c.label: report.cost(c) for c in report.configs}
    # One search per query; the hybrid retriever sends two (visual and audio).
    assert costs["clip k=10"]["api_calls"] == n
    assert costs["hybrid k=10"]["api_calls"] == 2 * n
    assert all(c["errors"] == 0 and c["latency_ms_mean"] > 0 for c in costs.values())
    m = report.metrics()
    assert m["hybrid k=10"]["R1@0.5"] > m["clip k=10"]["R1@0.5"]
    assert m["clip k=10 thr=0.5"]["R10@0.5"] < m["clip k=10"]["R10@0.5"]  # the cut drops hits
    assert m["clip k=10"]["R1@0.7"] < m["clip k=10"]["R1@0.5"]  # two-segment windows


def test_cli_demo_json_and_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    png = tmp_path / "eval.png"
    argv = ["eval", "--demo", "--json", "--plot", str(png), "-c", "clip,k=3", "-c", "hybrid,k=3"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["config"]["label"] for c in data["configs"]] == ["clip k=3", "hybrid k=3"]
    assert data["plot"] == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(data["configs"][0]["metrics"]) >= {"R1@0.5", "mAP", "MRR@0.5", "nDCG@10"}


def test_cli_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["eval", "--demo", "--no-plot", "-c", "audio,k=5"]) == 0
    out = capsys.readouterr().out
    assert "audio k=5" in out and "R1@0.5" in out and "plot:" not in out


def test_cli_bad_input_exits_2_before_any_call(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["eval", "--no-plot", "--api-key", "k"]) == 2
    assert "DATASET" in "".join(capsys.readouterr().err.split())
    bad = tmp_path / "set.jsonl"
    bad.write_text('{"query": "q", "video_no": "V", "start": 1, "end": 0}\n')
    # An unreachable base URL: reaching the network would be a different error.
    assert main(["eval", str(bad), "--api-key", "k", "--base-url", "http://127.0.0.1:9"]) == 2
    assert "set.jsonl:1:" in "".join(capsys.readouterr().err.split())  # rich may wrap it
    assert main(["eval", "--demo", "-c", "search=faces"]) == 2


def test_example_runs_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import runpy
    import sys

    # In-process, as ``python examples/evaluate_retrieval.py ...`` runs it (``__main__``, its
    # argv, no key in the environment): the script is what is checked, not an interpreter start.
    example = Path(__file__).parents[2] / "examples" / "evaluate_retrieval.py"
    for name in ("MEMORIES_API_KEY", "MEMORIES_AI_API_KEY", "MEMORIES_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "160")
    argv = [str(example), "--out", str(tmp_path), "--config", "hybrid,k=5"]
    monkeypatch.setattr(sys, "argv", argv)
    runpy.run_path(str(example), run_name="__main__")
    assert "best R1@0.5: hybrid k=5" in capsys.readouterr().out
    data = json.loads((tmp_path / "eval.json").read_text())
    assert data["configs"][0]["api_calls_per_query"] == 2
    assert (tmp_path / "eval.png").stat().st_size > 1000


def test_runner_is_paced_by_the_clients_rate_limiter() -> None:

    from memories_integrations._transport.retry import RateLimiter
    from memories_integrations.evaluation import load_dataset
    from memories_integrations.evaluation.runner import CallCounter
    from memories_integrations.testing import EmulatorServer

    queries = load_dataset(DEMO_DATASET)[:6]
    counter = CallCounter()
    limiter = RateLimiter(qps={"search": 10}, headroom=0)  # one search per 0.1 s
    with (
        EmulatorServer(preload_samples=True, rate_limits=False) as emu,
        counter.http_client(trust_env=False) as http,
        MemoriesClient(
            api_key=emu.api_key, base_url=emu.base_url, http_client=http, rate_limiter=limiter
        ) as client,
    ):
        runner = EvaluationRunner(client, [RetrievalConfig("BY_CLIP", k=3)], calls=counter)
        runner.run(queries[:1])  # warm up: imports and connections
        started = time.monotonic()
        report = runner.run(queries)
        elapsed = time.monotonic() - started
    assert elapsed >= 0.45  # six searches, five intervals of 0.1 s between them
    assert report.cost(report.configs[0])["api_calls"] == 6
