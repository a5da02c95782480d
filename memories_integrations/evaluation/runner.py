"""Evaluate several retrieval configurations side by side over one labelled set.

Each (configuration, query) is one retriever call through the public retrievers, paced by the
client's own rate limiter; its ranked moments, API call count and latency are recorded and
(with ``cache=``) appended to a JSONL file, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.errors import (
    AuthenticationError,
    MemoriesError,
    MissingAPIKeyError,
    TokenStoreError,
)
from memories_integrations.evaluation.config import RetrievalConfig
from memories_integrations.evaluation.dataset import LabelledQuery
from memories_integrations.evaluation.metrics import Moment
from memories_integrations.evaluation.report import EvaluationReport, QueryRecord
from memories_integrations.evaluation.retrieve import Retrieve, build_retriever

__all__ = ["CallCounter", "EvaluationRunner"]


class CallCounter:
    """Counts HTTP requests sent by an ``httpx.Client`` built with :meth:`event_hooks`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def _on_request(self, request: httpx.Request) -> None:
        with self._lock:
            self.count += 1

    def event_hooks(self) -> dict[str, list[Callable[[httpx.Request], None]]]:
        return {"request": [self._on_request]}

    def http_client(self, **kwargs: Any) -> httpx.Client:
        """A new ``httpx.Client`` whose requests this counter sees."""
        return httpx.Client(event_hooks=self.event_hooks(), **kwargs)


@dataclass
class _Cache:
    path: Path | None

    def load(self) -> dict[tuple[str, str], QueryRecord]:
        found: dict[tuple[str, str], QueryRecord] = {}
        if self.path is None or not self.path.exists():
            return found
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                raw = json.loads(line)
                record = QueryRecord(
                    config_key=raw["config_key"],
                    query_key=raw["query_key"],
                    moments=[Moment(**m) for m in raw["moments"]],
                    api_calls=raw.get("api_calls"),
                    latency_s=float(raw["latency_s"]),
                )
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by an interrupted run: that query runs again
            found[(record.config_key, record.query_key)] = record
        return found

    def append(self, record: QueryRecord) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        row = {
            "config_key": record.config_key,
            "query_key": record.query_key,
            "moments": [asdict(m) for m in record.moments],
            "api_calls": record.api_calls,
            "latency_s": record.latency_s,
        }
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")


class EvaluationRunner:
    """``EvaluationRunner(client, configs, calls=counter, cache="eval-cache.jsonl").run(qs)``.

    ``client`` carries the rate limiter that paces the run (build it with
    ``rate_limiter=True`` against the live API: search allows one call a second). ``calls``
    counts requests when the client's ``http_client`` came from :meth:`CallCounter.http_client`
    (else API calls are not recorded). Failed queries (other than authentication) are recorded
    with their error and no moments, and are not cached, so a resumed run retries them.
    """

    def __init__(
        self,
        client: MemoriesClient,
        configs: Sequence[RetrievalConfig],
        *,
        calls: CallCounter | None = None,
        cache: str | Path | None = None,
        progress: bool = False,
        retriever_factory: Callable[
            [RetrievalConfig, MemoriesClient, str | None], Retrieve
        ] = build_retriever,
    ) -> None:
        if not configs:
            raise ValueError("no configurations to evaluate")
        labels = [c.label for c in configs]
        if len(set(labels)) != len(labels):
            raise ValueError(f"two configurations share a label: {labels}; give them name=")
        self.client = client
        self.configs = list(configs)
        self.calls = calls
        self.cache = _Cache(Path(cache) if cache is not None else None)
        self.progress = progress
        self._factory = retriever_factory
        self._retrievers: dict[tuple[str, str | None], Retrieve] = {}

    def _retriever(self, config: RetrievalConfig, namespace: str | None) -> Retrieve:
        key = (config.key, namespace)
        if key not in self._retrievers:
            self._retrievers[key] = self._factory(config, self.client, namespace)
        return self._retrievers[key]

    def _one(self, config: RetrievalConfig, query: LabelledQuery) -> QueryRecord:
        retrieve = self._retriever(config, query.namespace)
        before = self.calls.count if self.calls else 0
        started = time.perf_counter()
        error = None
        try:
            moments = retrieve(query.query)
        except (AuthenticationError, MissingAPIKeyError, TokenStoreError):
            raise  # every other query would fail the same way
        except MemoriesError as exc:
            moments, error = [], f"{type(exc).__name__}: {exc}"
        latency = time.perf_counter() - started
        return QueryRecord(
            config_key=config.key,
            query_key=query.retrieval_key,
            moments=moments,
            api_calls=(self.calls.count - before) if self.calls else None,
            latency_s=latency,
            error=error,
        )

    def run(self, queries: Sequence[LabelledQuery]) -> EvaluationReport:
        done = self.cache.load()
        records: dict[tuple[str, str], QueryRecord] = {}
        todo = []
        for config in self.configs:
            for query in queries:
                key = (config.key, query.retrieval_key)
                if key in done:
                    records[key] = done[key]
                else:
                    todo.append((config, query))
        with _progress(self.progress, len(todo)) as advance:
            for config, query in todo:
                record = self._one(config, query)
                records[(config.key, record.query_key)] = record
                if record.error is None:
                    self.cache.append(record)
                advance(config.label)
        return EvaluationReport(
            configs=self.configs,
            queries=list(queries),
            records=records,
            cached=len(records) - len(todo),
        )


class _progress:
    """A rich progress bar on stderr (when asked for and rich is installed), else nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._bar: Any = None
        if enabled and total:
            try:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    TextColumn,
                    TimeRemainingColumn,
                )
            except ImportError:
                return
            from rich.console import Console

            self._bar = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task("evaluating", total=total)

    def __enter__(self) -> Callable[[str], None]:
        if self._bar is not None:
            self._bar.start()
        return self._advance

    def _advance(self, label: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=label)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
