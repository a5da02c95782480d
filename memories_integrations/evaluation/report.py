"""What a run found: per-query records and per-configuration metrics, as a dict (JSON), a rich
table and (``.plot``) a PNG."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from memories_integrations.evaluation.config import RetrievalConfig
from memories_integrations.evaluation.dataset import LabelledQuery, Window
from memories_integrations.evaluation.metrics import Moment, recall_curve, summarize

__all__ = ["TABLE_COLUMNS", "EvaluationReport", "QueryRecord"]

TABLE_COLUMNS = (
    "R1@0.3",
    "R1@0.5",
    "R1@0.7",
    "R5@0.5",
    "R10@0.5",
    "mAP",
    "MRR@0.5",
    "nDCG@10",
    "VideoHit@1",
)


@dataclass
class QueryRecord:
    config_key: str
    query_key: str
    moments: list[Moment]
    api_calls: int | None
    latency_s: float
    error: str | None = None


@dataclass
class EvaluationReport:
    configs: list[RetrievalConfig]
    queries: list[LabelledQuery]
    records: dict[tuple[str, str], QueryRecord]
    cached: int = 0
    _metrics: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)

    def _record(self, config: RetrievalConfig, query: LabelledQuery) -> QueryRecord:
        return self.records[(config.key, query.retrieval_key)]

    def pairs(self, config: RetrievalConfig) -> list[tuple[list[Moment], Sequence[Window]]]:
        """(predictions, ground truth) per query, for any metric function."""
        return [(self._record(config, q).moments, q.windows) for q in self.queries]

    def metrics(self) -> dict[str, dict[str, float]]:
        """Per configuration label: the :func:`summarize` table."""
        if not self._metrics:
            self._metrics = {c.label: summarize(self.pairs(c)) for c in self.configs}
        return self._metrics

    def cost(self, config: RetrievalConfig) -> dict[str, Any]:
        records = [self._record(config, q) for q in self.queries]
        calls = [r.api_calls for r in records if r.api_calls is not None]
        latencies = [r.latency_s * 1000 for r in records]
        return {
            "api_calls": sum(calls) if calls else None,
            "api_calls_per_query": round(sum(calls) / len(calls), 2) if calls else None,
            "latency_ms_mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "latency_ms_p50": round(statistics.median(latencies), 1) if latencies else None,
            "errors": sum(r.error is not None for r in records),
        }

    def recall_curve(
        self, config: RetrievalConfig, k: int, thresholds: Sequence[float]
    ) -> list[float]:
        return recall_curve(self.pairs(config), k, thresholds)

    def to_dict(self, *, per_query: bool = True) -> dict[str, Any]:
        """JSON for CI: metrics and cost per configuration (and each query's moments)."""
        metrics = self.metrics()
        out: dict[str, Any] = {"queries": len(self.queries), "cached": self.cached, "configs": []}
        for c in self.configs:
            item: dict[str, Any] = {
                "config": c.to_dict(),
                "metrics": {k: round(v, 4) for k, v in metrics[c.label].items()},
                **self.cost(c),
            }
            if per_query:
                item["per_query"] = [
                    {
                        "id": q.id or None,
                        "query": q.query,
                        "api_calls": (r := self._record(c, q)).api_calls,
                        "latency_ms": round(r.latency_s * 1000, 1),
                        "error": r.error,
                        "moments": [asdict(m) for m in r.moments],
                    }
                    for q in self.queries
                ]
            out["configs"].append(item)
        return out

    def table(self, columns: Sequence[str] = TABLE_COLUMNS) -> Any:
        """A ``rich.table.Table``: one row per configuration (needs rich, the cli extra)."""
        from rich.table import Table

        table = Table(title=f"Moment retrieval, {len(self.queries)} labelled queries")
        table.add_column("config", style="bold")
        for name in columns:
            table.add_column(name, justify="right")
        table.add_column("calls/q", justify="right")
        table.add_column("ms/q", justify="right")
        table.add_column("errors", justify="right")
        metrics = self.metrics()
        best = {n: max(metrics[c.label][n] for c in self.configs) for n in columns}
        for c in self.configs:
            row = metrics[c.label]
            cells = [
                f"[green]{row[n]:.3f}[/]" if row[n] == best[n] and best[n] > 0 else f"{row[n]:.3f}"
                for n in columns
            ]
            cost = self.cost(c)
            calls = cost["api_calls_per_query"]
            cells += [
                "-" if calls is None else f"{calls:g}",
                f"{cost['latency_ms_mean']:.0f}" if cost["latency_ms_mean"] is not None else "-",
                str(cost["errors"]),
            ]
            table.add_row(c.label, *cells)
        return table

    def plot(self, path: str | Path) -> Path:
        """Write the PNG (recall vs IoU threshold, R@K per configuration); needs matplotlib."""
        from memories_integrations.evaluation.plot import plot_report

        return plot_report(self, Path(path))
