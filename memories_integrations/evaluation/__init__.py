"""Moment-level evaluation of video retrieval: datasets, metrics, a side-by-side runner and
reports (table, JSON, PNG). The framework adapters live in ``.llama_index`` and ``.langsmith``.
"""

from memories_integrations.evaluation.dataset import (
    DatasetError,
    LabelledQuery,
    Window,
    load_dataset,
    parse_csv,
    parse_jsonl,
)
from memories_integrations.evaluation.metrics import (
    MAP_THRESHOLDS,
    RECALL_KS,
    RECALL_THRESHOLDS,
    Moment,
    average_precision,
    average_precision_at,
    mean,
    moment_iou,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    summarize,
    temporal_iou,
    video_hit,
)

__all__ = [
    "MAP_THRESHOLDS",
    "RECALL_KS",
    "RECALL_THRESHOLDS",
    "DatasetError",
    "LabelledQuery",
    "Moment",
    "Window",
    "average_precision",
    "average_precision_at",
    "load_dataset",
    "mean",
    "moment_iou",
    "ndcg_at_k",
    "parse_csv",
    "parse_jsonl",
    "recall_at_k",
    "reciprocal_rank",
    "summarize",
    "temporal_iou",
    "video_hit",
]
