"""The offline demo: the labelled set shipped in ``data/demo.jsonl`` against the emulator's
sample videos (preloaded, so nothing uploads and nothing waits)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.evaluation.config import DEFAULT_CONFIGS, RetrievalConfig
from memories_integrations.evaluation.dataset import load_dataset
from memories_integrations.evaluation.report import EvaluationReport
from memories_integrations.evaluation.runner import CallCounter, EvaluationRunner

__all__ = ["DEMO_DATASET", "run_demo"]

DEMO_DATASET = Path(__file__).with_name("data") / "demo.jsonl"


def run_demo(
    configs: Sequence[RetrievalConfig] = DEFAULT_CONFIGS,
    *,
    progress: bool = False,
    cache: str | Path | None = None,
) -> EvaluationReport:
    """Evaluate ``configs`` on the demo set in a private emulator (needs the emulator extra)."""
    from memories_integrations.testing import EmulatorServer

    counter = CallCounter()
    with (
        # No quotas offline: the emulator's limits and the client's limiter are both off.
        EmulatorServer(preload_samples=True, rate_limits=False) as emu,
        # trust_env=False: loopback traffic must never go through a configured proxy.
        counter.http_client(trust_env=False, timeout=30) as http,
        MemoriesClient(
            api_key=emu.api_key, base_url=emu.base_url, http_client=http, rate_limiter=False
        ) as client,
    ):
        runner = EvaluationRunner(client, configs, calls=counter, cache=cache, progress=progress)
        return runner.run(load_dataset(DEMO_DATASET))
