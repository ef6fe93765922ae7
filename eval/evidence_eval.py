"""Calibrate and measure report-evidence linking on hand labels (eval/evidence/links.jsonl).

    python eval/evidence_eval.py [--labels FILE] [--write]

Weights, threshold and links-per-task are chosen on split a only; precision and recall
are then measured on split b (and shown for a, and for both, for reference). `--write`
stores the chosen parameters in qa/evidence.json. Uses the index of KEHOACH_HOME (built
with the real model by `kehoach index`): the linker reads the stored passage vectors.

Counting (eval/evidence/README.md): a predicted link of a labelled task is a true
positive when its passage overlaps a label-1 span of that task, otherwise a false
positive (strict: an unlabelled passage of a labelled task counts against us too);
a label-1 pair no prediction overlaps is a false negative.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = REPO / "eval" / "evidence" / "links.jsonl"
PARAMS_FILE = REPO / "qa" / "evidence.json"

# Few settings on purpose: split a has 10 positive pairs, a wide grid would fit its noise.
WEIGHTS = tuple({"dense": d, "lexical": 2.0, "coverage": c, "margin": m, "agency": a, "topic": 0.0}
                for d in (0.0, 0.25) for c in (0.0, 1.0) for m in (0.0, 2.0, 4.0) for a in (0.0, 0.5))
PER_TASK, PER_PASSAGE = (1, 2), (1, 2, 3, 5)
# Preferred: precision on a at least this (a margin over the 0.8 asked for); when no setting
# reaches it, the best F1 on a is shipped and the shortfall is reported, not hidden.
MIN_PRECISION = 0.85


def _overlap(a: list[int], b: list[int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def load_labels(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def match_tasks(labels: list[dict], chunks) -> dict[int, dict]:
    """Label task -> chunk id (same doc and section, overlapping lines). Unmatched tasks are reported."""
    out, missing = {}, []
    for lab in labels:
        t = lab["task"]
        ids = [c.id for c in chunks if c.kind == "task" and c.doc == t["doc"] and c.section == t["section"]
               and _overlap(c.lines, t["lines"])]
        if ids:
            out.setdefault(ids[0], {"pos": [], "neg": [], "split": lab["split"], "key": t})
            slot = out[ids[0]]
            if lab.get("report"):
                slot["pos" if lab["label"] == 1 else "neg"].append(lab["report"]["lines"])
        else:
            missing.append(f"{t['doc'][:3]} {t['section']}")
    if missing:
        print(f"(nhãn không khớp nhiệm vụ nào của hệ thống: {', '.join(sorted(set(missing)))})", file=sys.stderr)
    return out


def predict(ev, weights: dict, bias: float, threshold: float, max_per_task: int,
            max_tasks_per_passage: int) -> dict[int, list[int]]:
    """task id -> predicted passage ids under these parameters (the linker's own rule)."""
    from kehoach.qa.evidence import Pair, select
    pairs = [Pair(p.task, p.passage, p.features, bias + sum(weights[k] * p.features[k] for k in weights))
             for p in ev.pairs]
    by_task, _ = select(pairs, {"threshold": threshold, "max_per_task": max_per_task,
                                "max_tasks_per_passage": max_tasks_per_passage})
    return {t: [p.passage for p in prs] for t, prs in by_task.items()}


def measure(pred: dict[int, list[int]], gold: dict[int, dict], chunks, split: str | None) -> dict:
    tp = fp = fn = 0
    for tid, g in gold.items():
        if split and g["split"] != split:
            continue
        spans = [chunks[p].lines for p in pred.get(tid, [])]
        for s in spans:
            tp_hit = any(_overlap(s, pos) for pos in g["pos"])
            tp += tp_hit
            fp += not tp_hit
        fn += sum(not any(_overlap(s, pos) for s in spans) for pos in g["pos"])
    prec = tp / (tp + fp) if tp + fp else 1.0
    pos_total = sum(len(g["pos"]) for g in gold.values() if not split or g["split"] == split)
    rec = (pos_total - fn) / pos_total if pos_total else 1.0
    return {"precision": round(prec, 3), "recall": round(rec, 3), "tp_links": tp, "fp_links": fp,
            "missed_pairs": fn, "positive_pairs": pos_total}


def calibrate(ev, gold, chunks) -> tuple[dict, dict]:
    """Best F1 on split a, preferring settings whose precision on a reaches MIN_PRECISION and
    that link at least one labelled pair (an empty linker is not a calibration)."""
    best, best_key = None, None
    for weights, m, k in itertools.product(WEIGHTS, PER_TASK, PER_PASSAGE):
        feats = np.array([[p.features[f] for f in weights] for p in ev.pairs])
        scores = feats @ np.array(list(weights.values()))
        for thr in np.unique(np.round(np.quantile(scores, np.linspace(0.90, 0.995, 20)), 4)):
            r = measure(predict(ev, weights, 0.0, float(thr), m, k), gold, chunks, "a")
            f1 = 2 * r["precision"] * r["recall"] / (r["precision"] + r["recall"] or 1)
            key = (r["tp_links"] > 0 and r["precision"] >= MIN_PRECISION, round(f1, 4), r["precision"], -m, -k,
                   -thr)
            if best_key is None or key > best_key:
                best_key, best = key, ({"weights": weights, "bias": 0.0, "threshold": float(thr),
                                        "max_per_task": m, "max_tasks_per_passage": k}, r)
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--write", action="store_true", help="ghi tham số đã chọn vào qa/evidence.json")
    args = ap.parse_args()
    from kehoach.qa.engine import Engine
    engine = Engine.load(build_if_missing=False)
    ev, chunks = engine.evidence, engine.searcher.chunks
    gold = match_tasks(load_labels(args.labels), chunks)
    print(f"{len(gold)} nhiệm vụ có nhãn; {len(ev.passages)} đoạn báo cáo; {len(ev.pairs)} cặp được chấm điểm")
    params, on_a = calibrate(ev, gold, chunks)
    print("tham số chọn trên tập a:", json.dumps(params, ensure_ascii=False))
    pred = predict(ev, params["weights"], params["bias"], params["threshold"], params["max_per_task"],
                   params["max_tasks_per_passage"])
    report = {s or "a+b": measure(pred, gold, chunks, s) for s in ("a", "b", None)}
    for name, r in report.items():
        print(f"  {name:4s} precision {r['precision']:.3f}  recall {r['recall']:.3f}  "
              f"(đúng {r['tp_links']}, sai {r['fp_links']}, bỏ sót {r['missed_pairs']}/{r['positive_pairs']})")
    if args.write:
        data = {"_comment": "Report-evidence linker (qa/evidence.py): weights, threshold and links per task "
                            "chosen on split a of eval/evidence/links.jsonl by eval/evidence_eval.py; "
                            f"measured on split b: precision {report['b']['precision']}, "
                            f"recall {report['b']['recall']}.",
                **params, "not_done_headings": engine.evidence.params["not_done_headings"],
                "measured": report}
        fd, tmp = tempfile.mkstemp(dir=PARAMS_FILE.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        os.replace(tmp, PARAMS_FILE)
        print(f"đã ghi {PARAMS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
