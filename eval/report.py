"""The eval report for people: a table on stdout and a bar chart of retrieval per split."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def print_table(report: dict) -> None:
    cols = ("recall@1", "recall@5", "mrr@10", "lead_accuracy", "support_accuracy", "deadline_accuracy",
            "no_answer_accuracy", "wrongly_refused", "latency_ms_p50", "latency_ms_p95")
    short = ("R@1", "R@5", "MRR", "lead", "supp", "dl", "noans", "refused", "p50ms", "p95ms")
    print(f"{'system':<10} {'split':<6} {'n':>4} " + " ".join(f"{c:>7}" for c in short))
    for name, splits in report["systems"].items():
        for split, m in splits.items():
            vals = []
            for c in cols:
                v = m.get(c)
                vals.append(f"{v:7.3f}" if isinstance(v, float) and "latency" not in c else
                            f"{v:7.1f}" if isinstance(v, float) else f"{'—':>7}")
            print(f"{name:<10} {split:<6} {m['n']:>4} " + " ".join(vals))
    if report.get("intent_accuracy") is not None:
        print(f"intent accuracy (hybrid): {report['intent_accuracy']:.3f}")
    if report.get("unlocated_quotes"):
        print(f"WARNING: quotes not found for {report['unlocated_quotes']}")


def save_chart(report: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    systems = list(report["systems"])
    metrics = ("recall@1", "recall@5", "mrr@10")
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, split in zip(axes, ("ocr", "clean")):
        x = np.arange(len(metrics))
        width = 0.8 / len(systems)
        for i, name in enumerate(systems):
            m = report["systems"][name][split]
            ax.bar(x + i * width, [m.get(k, 0) or 0 for k in metrics], width, label=name)
        ax.set_xticks(x + width * (len(systems) - 1) / 2, metrics)
        n = report["systems"][systems[0]][split]["n"]
        ax.set_title(f"{'OCR' if split == 'ocr' else 'clean'} documents (n={n})")
        ax.set_ylim(0, 1)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="lower left", fontsize=8)
    fig.suptitle(f"kehoach eval — {report.get('gold', '')}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
