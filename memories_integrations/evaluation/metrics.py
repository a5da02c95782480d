"""Moment-retrieval metrics (TVR / Charades-STA / QVHighlights conventions), as pure functions.

A query's *predictions* are the retrieved moments in rank order (best first); its *ground
truth* is one or more relevant windows. A prediction matches a window at threshold ``θ`` when
both are in the same video and their temporal IoU is at least ``θ`` (a prediction in another
video has IoU 0). Every per-query function returns a number in [0, 1]; a dataset's value is
the mean over its queries (:func:`mean`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from memories_integrations.evaluation.dataset import Window

__all__ = [
    "MAP_THRESHOLDS",
    "RECALL_KS",
    "RECALL_THRESHOLDS",
    "Moment",
    "average_precision",
    "average_precision_at",
    "mean",
    "moment_iou",
    "ndcg_at_k",
    "recall_at_k",
    "recall_curve",
    "reciprocal_rank",
    "same_video",
    "summarize",
    "temporal_iou",
    "video_hit",
]

RECALL_KS = (1, 5, 10)
RECALL_THRESHOLDS = (0.3, 0.5, 0.7)
#: 0.5:0.05:0.95, as QVHighlights (exact decimals, not accumulated float steps).
MAP_THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))


@dataclass(frozen=True)
class Moment:
    """A retrieved moment: where it is, and the retriever's score (None when not given)."""

    video_no: str
    start: float
    end: float
    score: float | None = None
    video_name: str | None = None


def _stem(name: str) -> str:
    return PurePath(name).stem.casefold()


def same_video(pred: Moment, window: Window) -> bool:
    """A window given by name matches the moment's video name (extension and case ignored)."""
    if window.by_name:
        return pred.video_name is not None and _stem(pred.video_name) == _stem(window.video)
    return pred.video_no == window.video


def temporal_iou(a_start: float, a_end: float, b_start: float, b_end: float) -> float:
    """Temporal intersection over union of two intervals:
    ``max(0, min(ends) - max(starts)) / (len_a + len_b - intersection)``; 0 when the union is
    empty."""
    inter = max(0.0, min(a_end, b_end) - max(a_start, b_start))
    union = (a_end - a_start) + (b_end - b_start) - inter
    return inter / union if union > 0 else 0.0


def moment_iou(pred: Moment, window: Window) -> float:
    """Temporal IoU of a moment with a window of the same video; 0 for another video."""
    if not same_video(pred, window):
        return 0.0
    return temporal_iou(pred.start, pred.end, window.start, window.end)


def _matches(pred: Moment, gts: Sequence[Window], iou: float) -> bool:
    return any(moment_iou(pred, w) >= iou for w in gts)


def recall_at_k(preds: Sequence[Moment], gts: Sequence[Window], k: int, iou: float) -> float:
    """R@K at tIoU θ (TVR, Charades-STA): 1 if at least one of the top ``k`` predictions matches
    a ground-truth window (same video, tIoU >= θ), else 0. With ``k=1`` this is QVHighlights'
    ``MR-R1@θ`` (top-1 prediction against its best-overlapping window)."""
    return 1.0 if any(_matches(p, gts, iou) for p in preds[:k]) else 0.0


def _greedy_hits(preds: Sequence[Moment], gts: Sequence[Window], iou: float) -> list[bool]:
    """Per prediction in rank order: does it take a still-unmatched window at tIoU >= θ?
    Each window is matched once (the unmatched window of highest IoU; ties: the later one, as
    the reference's reversed argsort)."""
    taken = [False] * len(gts)
    hits = []
    for pred in preds:
        ious = [moment_iou(pred, w) for w in gts]
        order = sorted(range(len(gts)), key=lambda j: (ious[j], j), reverse=True)
        hit = False
        for j in order:
            if ious[j] < iou:
                break
            if not taken[j]:
                taken[j] = hit = True
                break
        hits.append(hit)
    return hits


def average_precision_at(
    preds: Sequence[Moment], gts: Sequence[Window], iou: float, max_predictions: int | None = 10
) -> float:
    """Average precision at one tIoU θ (ActivityNet / QVHighlights detection AP).

    The top ``max_predictions`` predictions are walked in rank order; a prediction is a true
    positive when it matches a ground-truth window not matched before (greedy, highest IoU
    first), else a false positive. With precision ``P_i`` and recall ``R_i = TP_i / |gts|``
    after the i-th prediction, AP is the VOC-2011 interpolated area
    ``Σ (R_i - R_{i-1}) * max_{j >= i} P_j``. No predictions: 0.
    """
    ranked = list(preds[:max_predictions] if max_predictions is not None else preds)
    if not ranked or not gts:
        return 0.0
    tp = 0
    precision, recall = [], []
    for i, hit in enumerate(_greedy_hits(ranked, gts, iou), 1):
        tp += hit
        precision.append(tp / i)
        recall.append(tp / len(gts))
    p = [0.0, *precision, 0.0]
    r = [0.0, *recall, 1.0]
    for i in range(len(p) - 2, -1, -1):
        p[i] = max(p[i], p[i + 1])
    return sum((r[i] - r[i - 1]) * p[i] for i in range(1, len(r)) if r[i] != r[i - 1])


def average_precision(
    preds: Sequence[Moment],
    gts: Sequence[Window],
    thresholds: Sequence[float] = MAP_THRESHOLDS,
    max_predictions: int | None = 10,
) -> float:
    """AP averaged over tIoU thresholds (default 0.5:0.05:0.95): a query's share of
    QVHighlights ``MR-mAP``. The dataset mean of this equals the mean over thresholds of
    the per-threshold mAP. (QVHighlights skips queries without predictions; here they
    score 0, since a retriever that returns nothing has failed the query.)"""
    return sum(average_precision_at(preds, gts, t, max_predictions) for t in thresholds) / len(
        thresholds
    )


def reciprocal_rank(preds: Sequence[Moment], gts: Sequence[Window], iou: float = 0.5) -> float:
    """1 / rank of the first prediction matching a window at tIoU >= θ; 0 if none does
    (its dataset mean is MRR)."""
    for rank, pred in enumerate(preds, 1):
        if _matches(pred, gts, iou):
            return 1.0 / rank
    return 0.0


def ndcg_at_k(
    preds: Sequence[Moment], gts: Sequence[Window], k: int = 10, iou: float = 0.5
) -> float:
    """nDCG@k with binary gains: prediction i (1-based) gains 1 when it matches a window not
    matched by a better-ranked prediction (tIoU >= θ, each window once), so duplicates earn
    nothing. ``DCG = Σ gain_i / log2(i + 1)`` over the top k; the ideal DCG ranks
    ``min(k, |gts|)`` matches first. 0 when nothing matches."""
    if not gts:
        return 0.0
    hits = _greedy_hits(list(preds[:k]), gts, iou)
    dcg = sum(1.0 / math.log2(i + 1) for i, hit in enumerate(hits, 1) if hit)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(k, len(gts)) + 1))
    return dcg / ideal


def video_hit(preds: Sequence[Moment], gts: Sequence[Window], k: int) -> float:
    """Video-level hit rate@k: 1 if any of the top ``k`` predictions is in a relevant video,
    whatever its time span, else 0."""
    return 1.0 if any(same_video(p, w) for p in preds[:k] for w in gts) else 0.0


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean; 0 for no values."""
    return sum(values) / len(values) if values else 0.0


def summarize(
    results: Sequence[tuple[Sequence[Moment], Sequence[Window]]],
) -> dict[str, float]:
    """The standard table for a set of (predictions, ground truth) pairs: ``R{k}@{θ}`` for
    k in 1/5/10 and θ in 0.3/0.5/0.7, ``mAP`` (0.5:0.05:0.95), ``mAP@0.5``, ``mAP@0.75``,
    ``MRR@0.5``, ``nDCG@10`` (θ 0.5), ``VideoHit@1`` and ``VideoHit@10``."""
    out: dict[str, float] = {}
    for k in RECALL_KS:
        for t in RECALL_THRESHOLDS:
            out[f"R{k}@{t}"] = mean([recall_at_k(p, g, k, t) for p, g in results])
    out["mAP"] = mean([average_precision(p, g) for p, g in results])
    for t in (0.5, 0.75):
        out[f"mAP@{t}"] = mean([average_precision_at(p, g, t) for p, g in results])
    out["MRR@0.5"] = mean([reciprocal_rank(p, g) for p, g in results])
    out["nDCG@10"] = mean([ndcg_at_k(p, g, 10) for p, g in results])
    for k in (1, 10):
        out[f"VideoHit@{k}"] = mean([video_hit(p, g, k) for p, g in results])
    return out


def recall_curve(
    results: Sequence[tuple[Sequence[Moment], Sequence[Window]]],
    k: int,
    thresholds: Sequence[float],
) -> list[float]:
    """Mean R@k at each threshold: the curve of the recall-vs-IoU plot."""
    return [mean([recall_at_k(p, g, k, t) for p, g in results]) for t in thresholds]
