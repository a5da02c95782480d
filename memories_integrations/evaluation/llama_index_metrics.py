"""The moment metrics as LlamaIndex ``BaseRetrievalMetric``s, for ``RetrieverEvaluator``.

``RetrieverEvaluator`` hands metrics only node ids, so moments travel as ids: the labelled
windows are :func:`moment_id` strings, and :class:`MomentIds` (a node postprocessor) gives each
retrieved node its ``source`` link as id::

    evaluator = RetrieverEvaluator(
        metrics=[MomentRecall(k=5, iou=0.5), MomentAveragePrecision(), MomentMRR()],
        retriever=MemoriesRetriever(k=10),
        node_postprocessors=[MomentIds()],
    )
    result = evaluator.evaluate("someone chops onions", [moment_id("VI1", 2, 4)])
"""

from __future__ import annotations

from typing import Any

from llama_index.core.evaluation.retrieval.metrics_base import (
    BaseRetrievalMetric,
    RetrievalMetricResult,
)
from llama_index.core.postprocessor.types import BaseNodePostprocessor
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import Field

from memories_integrations.evaluation import metrics as m
from memories_integrations.evaluation.dataset import Window
from memories_integrations.evaluation.moment_ids import moment_id, parse_moment, parse_window

__all__ = [
    "MomentAveragePrecision",
    "MomentIds",
    "MomentMRR",
    "MomentNDCG",
    "MomentRecall",
    "VideoHitRate",
    "moment_id",
]


class MomentIds(BaseNodePostprocessor):
    """Sets each node's id to its moment link (metadata ``source``, else built from
    ``video_no``/``start_time``/``end_time``), so moment metrics can read where it is."""

    @classmethod
    def class_name(cls) -> str:
        return "MomentIds"

    def _postprocess_nodes(
        self, nodes: list[NodeWithScore], query_bundle: QueryBundle | None = None
    ) -> list[NodeWithScore]:
        out = []
        for n in nodes:
            meta = n.node.metadata
            link = meta.get("source") or moment_id(
                str(meta.get("video_no", "")),
                float(meta.get("start_time") or 0),
                float(meta.get("end_time") or meta.get("start_time") or 0),
                str(meta.get("unique_id") or "default"),
            )
            node = n.node.model_copy(update={"id_": link})  # the caller's node stays as it was
            out.append(NodeWithScore(node=node, score=n.score))
        return out


class _MomentMetric(BaseRetrievalMetric):
    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        raise NotImplementedError

    def compute(
        self,
        query: str | None = None,
        expected_ids: list[str] | None = None,
        retrieved_ids: list[str] | None = None,
        expected_texts: list[str] | None = None,
        retrieved_texts: list[str] | None = None,
        **kwargs: Any,
    ) -> RetrievalMetricResult:
        if not expected_ids:
            raise ValueError("expected_ids must name the relevant moments (moment_id(...))")
        gts = [parse_window(i) for i in expected_ids]
        preds = [parse_moment(i) for i in retrieved_ids or []]
        return RetrievalMetricResult(score=self._score(preds, gts))


class MomentRecall(_MomentMetric):
    """R@k at tIoU ``iou`` (see :func:`~memories_integrations.evaluation.recall_at_k`)."""

    k: int = Field(default=1, ge=1)
    iou: float = Field(default=0.5, ge=0, le=1)

    @property  # a name per instance, so R1 and R5 can sit side by side
    def metric_name(self) -> str:  # type: ignore[override]
        return f"R{self.k}@{self.iou:g}"

    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        return m.recall_at_k(preds, gts, self.k, self.iou)


class MomentAveragePrecision(_MomentMetric):
    """AP averaged over tIoU 0.5:0.05:0.95 (see ``evaluation.average_precision``)."""

    metric_name = "mAP"

    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        return m.average_precision(preds, gts)


class MomentMRR(_MomentMetric):
    """Reciprocal rank of the first match at tIoU ``iou`` (mean over queries: MRR)."""

    metric_name = "moment_mrr"
    iou: float = Field(default=0.5, ge=0, le=1)

    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        return m.reciprocal_rank(preds, gts, self.iou)


class MomentNDCG(_MomentMetric):
    """nDCG@k with binary gains at tIoU ``iou`` (see ``evaluation.ndcg_at_k``)."""

    metric_name = "moment_ndcg"
    k: int = Field(default=10, ge=1)
    iou: float = Field(default=0.5, ge=0, le=1)

    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        return m.ndcg_at_k(preds, gts, self.k, self.iou)


class VideoHitRate(_MomentMetric):
    """1 if any of the top k moments is in a relevant video (any time)."""

    metric_name = "video_hit_rate"
    k: int = Field(default=10, ge=1)

    def _score(self, preds: list[m.Moment], gts: list[Window]) -> float:
        return m.video_hit(preds, gts, self.k)
