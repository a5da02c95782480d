"""The moment metrics as LangSmith evaluators (``langsmith.evaluate(..., evaluators=...)``).

The target returns ``{"moments": [metadata, ...]}`` (a retriever's Document metadata:
``video_no``, ``video_name``, ``start_time``, ``end_time``, ``score``; :func:`retriever_target`
builds one); each example's reference outputs hold the labelled windows as a dataset row does:
``{"windows": [{"video_no": "VI1", "start": 2, "end": 4}]}`` (or ``video``/``start``/``end`` at
the top). :func:`langsmith_examples` turns a labelled set into such examples. These functions
need neither langsmith nor a network to be called; ``evaluate`` finds the arguments by name.

    from langsmith import evaluate
    evaluate(retriever_target(retriever), data="my-video-queries",
             evaluators=moment_evaluators())
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from memories_integrations.evaluation import metrics as m
from memories_integrations.evaluation.dataset import LabelledQuery, Window, window_from_row
from memories_integrations.evaluation.retrieve import moment_from_metadata

__all__ = [
    "Evaluator",
    "langsmith_examples",
    "map_evaluator",
    "moment_evaluators",
    "mrr_evaluator",
    "ndcg_evaluator",
    "recall_evaluator",
    "retriever_target",
    "video_hit_evaluator",
]

#: (outputs, reference_outputs) -> {"key": ..., "score": ...}
Evaluator = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]


def _moments(outputs: Mapping[str, Any]) -> list[m.Moment]:
    items = outputs.get("moments")
    if not isinstance(items, list):
        raise ValueError("the target's outputs need a 'moments' list (see retriever_target)")
    return [moment_from_metadata(x if isinstance(x, Mapping) else x.metadata) for x in items]


def _windows(reference: Mapping[str, Any]) -> list[Window]:
    rows = reference.get("windows")
    if rows is None:
        return [window_from_row(reference)]
    default = None
    if reference.get("video_no") or reference.get("video"):
        default = window_from_row({**reference, "start": 0, "end": 1})
    return [window_from_row(r, default) for r in rows]


def _evaluator(key: str, score: Callable[[list[m.Moment], list[Window]], float]) -> Evaluator:
    def evaluate(
        outputs: Mapping[str, Any], reference_outputs: Mapping[str, Any]
    ) -> dict[str, Any]:
        return {"key": key, "score": score(_moments(outputs), _windows(reference_outputs))}

    evaluate.__name__ = evaluate.__qualname__ = key.replace("@", "_at_").replace(".", "_")
    return evaluate


def recall_evaluator(k: int = 1, iou: float = 0.5) -> Evaluator:
    """R@k at tIoU ``iou`` (1 if one of the top k moments matches a window)."""
    return _evaluator(f"R{k}@{iou:g}", lambda p, g: m.recall_at_k(p, g, k, iou))


def map_evaluator() -> Evaluator:
    """AP averaged over tIoU 0.5:0.05:0.95 (QVHighlights mAP, per example)."""
    return _evaluator("mAP", m.average_precision)


def mrr_evaluator(iou: float = 0.5) -> Evaluator:
    return _evaluator(f"MRR@{iou:g}", lambda p, g: m.reciprocal_rank(p, g, iou))


def ndcg_evaluator(k: int = 10, iou: float = 0.5) -> Evaluator:
    return _evaluator(f"nDCG@{k}", lambda p, g: m.ndcg_at_k(p, g, k, iou))


def video_hit_evaluator(k: int = 1) -> Evaluator:
    return _evaluator(f"VideoHit@{k}", lambda p, g: m.video_hit(p, g, k))


def moment_evaluators() -> list[Evaluator]:
    """R1@0.5, R1@0.7, R5@0.5, mAP, MRR@0.5, nDCG@10 and VideoHit@1."""
    return [
        recall_evaluator(1, 0.5),
        recall_evaluator(1, 0.7),
        recall_evaluator(5, 0.5),
        map_evaluator(),
        mrr_evaluator(),
        ndcg_evaluator(),
        video_hit_evaluator(),
    ]


def retriever_target(retriever: Any) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """A LangChain retriever as an evaluation target: ``{"query": ...}`` -> ``{"moments"}``."""
    keys = ("video_no", "video_name", "start_time", "end_time", "score", "source")

    def target(inputs: Mapping[str, Any]) -> dict[str, Any]:
        docs = retriever.invoke(inputs["query"])
        return {"moments": [{k: d.metadata.get(k) for k in keys} for d in docs]}

    return target


def langsmith_examples(queries: Sequence[LabelledQuery]) -> list[dict[str, Any]]:
    """``[{"inputs": {"query"}, "outputs": {"windows"}}]`` for ``Client.create_examples``."""
    return [
        {
            "inputs": {"query": q.query},
            "outputs": {"windows": [w.to_dict() for w in q.windows]},
        }
        for q in queries
    ]
