"""Metrics against hand-computed cases and against the QVHighlights reference evaluation
(jayleicn/moment_detr ``standalone_eval/eval.py``, copied in ``_qvhighlights_reference``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from memories_integrations.evaluation import (
    MAP_THRESHOLDS,
    Moment,
    Window,
    average_precision,
    average_precision_at,
    mean,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    summarize,
    temporal_iou,
    video_hit,
)
from tests.evaluation import _qvhighlights_reference as ref


def m(start: float, end: float, video: str = "V1", score: float | None = None) -> Moment:
    return Moment(video_no=video, start=start, end=end, score=score)


def w(start: float, end: float, video: str = "V1") -> Window:
    return Window(video=video, start=start, end=end)


# -- hand-computed -------------------------------------------------------------------------


def test_temporal_iou_by_hand() -> None:
    assert temporal_iou(0, 10, 5, 15) == pytest.approx(5 / 15)
    assert temporal_iou(2, 4, 2, 4) == 1.0
    assert temporal_iou(0, 2, 2, 4) == 0.0  # touching is not overlapping
    assert temporal_iou(0, 10, 2, 4) == pytest.approx(0.2)
    assert temporal_iou(3, 3, 3, 3) == 0.0  # empty union


def test_recall_at_k_by_hand() -> None:
    gts = [w(10, 20)]
    preds = [m(0, 5), m(12, 20, video="V2"), m(12, 20), m(10, 20)]
    # IoU of the third prediction: 8/10 = 0.8; the second is in another video (IoU 0).
    assert recall_at_k(preds, gts, 1, 0.3) == 0.0
    assert recall_at_k(preds, gts, 2, 0.3) == 0.0
    assert recall_at_k(preds, gts, 3, 0.7) == 1.0
    assert recall_at_k(preds, gts, 3, 0.9) == 0.0
    assert recall_at_k(preds, gts, 4, 0.9) == 1.0
    assert recall_at_k([], gts, 10, 0.3) == 0.0


def test_average_precision_by_hand() -> None:
    # Two windows; ranks: hit A, miss, duplicate of A (a false positive), hit B.
    gts = [w(0, 10), w(20, 30)]
    preds = [m(0, 10), m(40, 50), m(1, 10), m(20, 30)]
    # P = 1, 1/2, 1/3, 2/4; R = 1/2, 1/2, 1/2, 1. Interpolated: 1 * 1/2 + 1/2 * 1/2 = 0.75.
    assert average_precision_at(preds, gts, 0.5) == pytest.approx(0.75)
    # At every threshold up to 0.95 the exact hits still match: mAP is 0.75 too.
    assert average_precision(preds, gts) == pytest.approx(0.75)
    # With IoU 0.8 for the first hit (0..10 vs 0..8), it counts for thresholds <= 0.8 only.
    preds2 = [m(0, 8), m(20, 30)]
    # 0.5..0.8 (7 thresholds): both hit, AP 1. 0.85..0.95 (3): a miss then one of the two
    # windows: P = 0, 1/2; R = 0, 1/2 -> AP = 1/2 * 1/2.
    expected = (7 * 1.0 + 3 * 0.25) / 10
    assert average_precision(preds2, gts) == pytest.approx(expected)
    assert average_precision([], gts) == 0.0
    assert MAP_THRESHOLDS == (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def test_reciprocal_rank_and_video_hit_by_hand() -> None:
    gts = [w(10, 20)]
    preds = [m(10, 20, video="V9"), m(0, 4), m(11, 19)]  # third: IoU 0.8
    assert reciprocal_rank(preds, gts) == pytest.approx(1 / 3)
    assert reciprocal_rank(preds, gts, iou=0.9) == 0.0
    assert video_hit(preds, gts, 1) == 0.0
    assert video_hit(preds, gts, 2) == 1.0  # right video, wrong time still counts


def test_ndcg_by_hand() -> None:
    gts = [w(0, 10), w(20, 30)]
    preds = [m(40, 50), m(0, 10), m(0, 10), m(20, 30)]
    # gains 0, 1, 0 (duplicate), 1 -> DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3).
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    assert ndcg_at_k(preds, gts, 10) == pytest.approx(dcg / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(preds, gts, 2) == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))
    assert ndcg_at_k([m(0, 10), m(20, 30)], gts, 10) == pytest.approx(1.0)


def test_windows_given_by_name_match_the_video_name() -> None:
    gts = [Window(video="cooking_demo.mp4", start=2, end=4, by_name=True)]
    pred = Moment(video_no="VI123", start=2, end=4, video_name="Cooking_Demo")
    assert recall_at_k([pred], gts, 1, 0.7) == 1.0
    other = Moment(video_no="VI124", start=2, end=4, video_name="soccer_match")
    assert recall_at_k([other], gts, 1, 0.3) == 0.0


def test_mean_and_summary_keys() -> None:
    assert mean([]) == 0.0
    summary = summarize([([m(0, 10)], [w(0, 10)]), ([], [w(0, 10)])])
    assert summary["R1@0.5"] == 0.5
    assert summary["mAP"] == 0.5
    assert summary["VideoHit@10"] == 0.5
    assert set(summary) >= {f"R{k}@{t}" for k in (1, 5, 10) for t in (0.3, 0.5, 0.7)}


# -- the published reference (QVHighlights standalone_eval) ----------------------------------

# Per query: ground-truth windows, and ranked predictions (video index, start, end, score).
# Videos other than 0 stand for "another video": for the reference, which evaluates one video
# per query, they are moved 10 000 s away so their IoU with any window is 0 there too.
FIXTURE: list[dict[str, Any]] = [
    {"gt": [[10, 20]], "pred": [(0, 11, 21, 0.9), (0, 30, 40, 0.8), (0, 10, 20, 0.7)]},
    {"gt": [[0, 8], [20, 30]], "pred": [(0, 22, 30, 0.95), (0, 0, 6, 0.6), (0, 1, 8, 0.5)]},
    {"gt": [[5, 15]], "pred": [(1, 5, 15, 0.99), (0, 0, 4, 0.5), (0, 6, 14, 0.4)]},
    {"gt": [[40, 60]], "pred": [(0, 0, 10, 0.9), (0, 10, 20, 0.8)]},
    {
        "gt": [[0, 10], [12, 18], [30, 50]],
        "pred": [(0, 31, 49, 0.9), (0, 0, 9, 0.85), (0, 0, 10, 0.8), (0, 13, 18, 0.7)]
        + [(0, 60 + i, 62 + i, 0.6 - i / 100) for i in range(8)],  # 12 > 10: cut at 10
    },
    {"gt": [[2, 4]], "pred": [(0, 2.5, 4, 0.9), (0, 2, 3.5, 0.85), (0, 2, 4, 0.2)]},
]


def _ours() -> list[tuple[list[Moment], list[Window]]]:
    return [
        (
            [Moment(f"V{v}", s, e, score=sc) for v, s, e, sc in q["pred"]],
            [Window("V0", s, e) for s, e in q["gt"]],
        )
        for q in FIXTURE
    ]


def _reference_inputs() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    submission = [
        {
            "qid": i,
            "pred_relevant_windows": [
                [s + 10_000 * v, e + 10_000 * v, sc] for v, s, e, sc in q["pred"]
            ],
        }
        for i, q in enumerate(FIXTURE)
    ]
    ground_truth = [{"qid": i, "relevant_windows": q["gt"]} for i, q in enumerate(FIXTURE)]
    return submission, ground_truth


def test_map_matches_qvhighlights_compute_mr_ap() -> None:
    submission, ground_truth = _reference_inputs()
    expected = ref.compute_mr_ap(submission, ground_truth)
    results = _ours()
    assert (
        round(100 * mean([average_precision(p, g) for p, g in results]), 2) == expected["average"]
    )
    for t in MAP_THRESHOLDS:
        ours = mean([average_precision_at(p, g, t) for p, g in results])
        assert round(100 * ours, 2) == expected[str(t)], t
    # The fixture is not trivial: the thresholds disagree.
    assert len({expected[str(t)] for t in MAP_THRESHOLDS}) > 3


def test_r1_matches_qvhighlights_compute_mr_r1() -> None:
    submission, ground_truth = _reference_inputs()
    thresholds = np.array([0.3, 0.5, 0.7, 0.9])
    expected = ref.compute_mr_r1(submission, ground_truth, iou_thds=thresholds)
    results = _ours()
    for t in thresholds:
        ours = mean([recall_at_k(p, g, 1, float(t)) for p, g in results])
        assert round(100 * ours, 2) == expected[str(round(float(t), 2))]
    assert len(set(expected.values())) > 1


def test_reference_fixture_predictions_are_in_score_order() -> None:
    # The reference ranks by score, ours by list order: the fixture keeps them the same.
    for q in FIXTURE:
        scores = [p[3] for p in q["pred"]]
        assert scores == sorted(scores, reverse=True)
