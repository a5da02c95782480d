"""The moment metrics inside the frameworks' own evaluators, on the emulator (no network)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import httpx
import pytest

from memories_integrations._client._async.client import AsyncMemoriesClient
from memories_integrations._client._sync.client import MemoriesClient
from memories_integrations.evaluation import load_dataset
from memories_integrations.evaluation.demo import DEMO_DATASET
from memories_integrations.testing import EmulatorServer


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(preload_samples=True, rate_limits=False) as emu:
        yield emu


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[MemoriesClient]:
    with (
        httpx.Client(trust_env=False) as http,
        MemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url, http_client=http) as c,
    ):
        yield c


def _video_nos(client: MemoriesClient) -> dict[str, str]:
    return {v.video_name or "": v.video_no for v in client.iter_videos()}


async def test_llama_index_retriever_evaluator(
    emulator: EmulatorServer, client: MemoriesClient
) -> None:
    from llama_index.core.evaluation import RetrieverEvaluator

    from memories_integrations.evaluation.llama_index_metrics import (
        MomentAveragePrecision,
        MomentIds,
        MomentMRR,
        MomentNDCG,
        MomentRecall,
        VideoHitRate,
        moment_id,
    )
    from memories_integrations.llama_index import MemoriesRetriever

    cooking = _video_nos(client)["cooking_demo"]
    async_client = AsyncMemoriesClient(api_key=emulator.api_key, base_url=emulator.base_url)
    retriever = MemoriesRetriever(k=5, client=client, async_client=async_client)
    evaluator = RetrieverEvaluator(
        metrics=[
            MomentRecall(k=1, iou=0.5),
            MomentRecall(k=5, iou=0.7),
            MomentAveragePrecision(),
            MomentMRR(),
            MomentNDCG(k=5),
            VideoHitRate(k=1),
        ],
        retriever=retriever,
        node_postprocessors=[MomentIds()],
    )
    # The emulator's best hit for this query is 2..4 s of the cooking demo.
    result = await evaluator.aevaluate("someone chops onions", [moment_id(cooking, 2, 4)])
    scores = {name: r.score for name, r in result.metric_dict.items()}
    assert scores == {
        "R1@0.5": 1.0,
        "R5@0.7": 1.0,
        "mAP": 1.0,
        "moment_mrr": 1.0,
        "moment_ndcg": 1.0,
        "video_hit_rate": 1.0,
    }
    assert all(i.startswith(f"memories://default/{cooking}?t=") for i in result.retrieved_ids)
    # A window the top hit only half-covers: R1 at 0.5 holds, at 0.7 it does not.
    result = await evaluator.aevaluate("someone chops onions", [moment_id(cooking, 2, 6)])
    assert result.metric_dict["R1@0.5"].score == 1.0
    assert result.metric_dict["mAP"].score < 1.0
    # Another video: nothing matches.
    result = await evaluator.aevaluate("someone chops onions", [moment_id("VI-other", 2, 4)])
    await async_client.aclose()
    assert result.metric_dict["video_hit_rate"].score == 0.0
    assert result.metric_dict["R5@0.7"].score == 0.0


@pytest.mark.filterwarnings("ignore:'upload_runs' parameter is in beta")
def test_langsmith_evaluate_offline(client: MemoriesClient) -> None:
    from langsmith import Client, evaluate, tracing_context
    from langsmith.schemas import Example

    from memories_integrations.evaluation.langsmith_evaluators import (
        langsmith_examples,
        moment_evaluators,
        retriever_target,
    )
    from memories_integrations.langchain import MemoriesRetriever

    queries = load_dataset(DEMO_DATASET)[:4]
    dataset_id = uuid.uuid4()
    examples = [
        Example(
            id=uuid.uuid4(),
            dataset_id=dataset_id,
            created_at=datetime.now(timezone.utc),
            **row,
        )
        for row in langsmith_examples(queries)
    ]
    traced_target = retriever_target(MemoriesRetriever(client=client, k=5))

    def target(inputs: dict[str, Any]) -> dict[str, Any]:
        # LangChain would trace the retriever run to the (unreachable) LangSmith API.
        with tracing_context(enabled=False):
            return traced_target(inputs)

    # upload_results=False, tracing off and an unreachable API: the run stays on this machine.
    with tracing_context(enabled=False):
        results = evaluate(
            target,
            data=examples,
            evaluators=moment_evaluators(),
            upload_results=False,
            client=Client(api_key="offline", api_url="http://127.0.0.1:9"),
            max_concurrency=0,
        )
        rows = list(results)
    assert len(rows) == 4
    for row in rows:
        keys = {r.key: r.score for r in row["evaluation_results"]["results"]}
        assert set(keys) == {
            "R1@0.5",
            "R1@0.7",
            "R5@0.5",
            "mAP",
            "MRR@0.5",
            "nDCG@10",
            "VideoHit@1",
        }
        assert all(0.0 <= s <= 1.0 for s in keys.values())  # type: ignore[operator]
    by_query = {
        (r["example"].inputs or {})["query"]: {
            x.key: x.score for x in r["evaluation_results"]["results"]
        }
        for r in rows
    }
    assert by_query["someone chops onions with a knife"]["R1@0.5"] == 1.0


def test_langsmith_evaluator_functions_directly() -> None:
    from memories_integrations.evaluation.langsmith_evaluators import (
        map_evaluator,
        recall_evaluator,
    )

    outputs = {"moments": [{"video_no": "V", "start_time": 2.0, "end_time": 4.0, "score": 0.9}]}
    ref = {"video_no": "V", "windows": [{"start": 2, "end": 4}, {"start": 8, "end": 10}]}
    assert recall_evaluator(1, 0.7)(outputs, ref) == {"key": "R1@0.7", "score": 1.0}
    assert map_evaluator()(outputs, ref) == {"key": "mAP", "score": 0.5}
    assert (
        recall_evaluator(1, 0.7)(outputs, {"video": "x.mp4", "start": 2, "end": 4})["score"] == 0.0
    )
    with pytest.raises(ValueError, match="'moments' list"):
        recall_evaluator()({"docs": []}, ref)
