"""The PNG: recall@1 against the tIoU threshold per configuration, and R@1/5/10 at tIoU 0.5
per configuration (matplotlib, the ``eval`` extra; drawn off-screen)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from memories_integrations.evaluation.config import RetrievalConfig
from memories_integrations.evaluation.metrics import RECALL_KS


class EvaluationReport(Protocol):
    """What the plot reads of a report (``report.EvaluationReport``, which draws itself here)."""

    @property
    def configs(self) -> Sequence[RetrievalConfig]: ...

    def recall_curve(
        self, config: RetrievalConfig, k: int, thresholds: Sequence[float]
    ) -> list[float]: ...


__all__ = ["CURVE_THRESHOLDS", "plot_report"]

CURVE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # 0.05 .. 0.95


def plot_report(report: EvaluationReport, path: Path) -> Path:
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            f"the plot needs matplotlib ({exc}): pip install 'memories-integrations[eval]'"
        ) from exc
    fig, (curve, bars) = plt.subplots(1, 2, figsize=(12, 4.8))
    try:
        colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
        for i, config in enumerate(report.configs):
            colour = colours[i % len(colours)]  # one colour per configuration in both panels
            for k, style in ((1, "-"), (5, ":")):
                values = report.recall_curve(config, k, CURVE_THRESHOLDS)
                curve.plot(
                    CURVE_THRESHOLDS,
                    values,
                    style,
                    color=colour,
                    marker="o",
                    markersize=3,
                    label=f"{config.label} R@{k}",
                )
        curve.set_xlabel("temporal IoU threshold")
        curve.set_ylabel("recall")
        curve.set_ylim(0, 1.02)
        curve.set_title("Recall vs tIoU threshold")
        curve.grid(alpha=0.3)
        curve.legend(fontsize=7)

        width = 0.8 / len(report.configs)
        for i, config in enumerate(report.configs):
            values = [report.recall_curve(config, k, (0.5,))[0] for k in RECALL_KS]
            xs = [j + i * width - 0.4 + width / 2 for j in range(len(RECALL_KS))]
            bars.bar(xs, values, width, label=config.label, color=colours[i % len(colours)])
        bars.set_xticks(range(len(RECALL_KS)), [f"R@{k}" for k in RECALL_KS])
        bars.set_ylim(0, 1.02)
        bars.set_ylabel("recall at tIoU 0.5")
        bars.set_title("R@K per configuration")
        bars.grid(axis="y", alpha=0.3)
        bars.legend(fontsize=7)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)
    return path
