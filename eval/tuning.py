"""Learned parameters fitted on the dev questions: the fusion weights (grid search) and the confidence and
refusal models (logistic regression), written to qa/calibration.json, shipped with the package.
"""
from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np

from kehoach.eval.gold import hit_rank, locate


FUSION_GRID = {"w_dense_ocr": [0.6, 1.0, 1.5], "w_lex": [4.0, 8.0, 16.0, 24.0, 32.0],
               "w_cov": [1.0, 2.0, 3.0, 4.0, 6.0], "bonus_field": [0.0, 0.3, 0.6, 1.0]}


def tune_fusion(engine, rows: list[dict]) -> tuple[dict, list[tuple[dict, float, float]]]:
    """Grid search on the dev questions: maximise MRR@10 (ties: Recall@5) of the hybrid ranking."""
    from kehoach.index.search import Hit
    from kehoach.qa.answer import rerank
    s = engine.searcher
    spans = locate(rows, {d: sd.lines for d, sd in s.docs.items()})
    cached = []
    for q in rows:
        if not q.get("answerable", True):
            continue
        u, flt = engine.plan(q["question"])
        sig = s.signals(u.topic or q["question"], flt, lexical_query=u.keywords)
        cached.append((q, u, sig))
    results = []
    keys = list(FUSION_GRID)
    for combo in itertools.product(*FUSION_GRID.values()):
        params = dict(zip(keys, combo))
        fusion = {**s.fusion, **{k: v for k, v in params.items() if k.startswith("w_")}}
        cal = {**engine.calibration, "bonus_field": params["bonus_field"]}
        rr, r5 = 0.0, 0
        for q, u, sig in cached:
            if sig is None:
                continue
            score = s.fuse(sig, "hybrid", fusion)
            hits = [Hit(chunk=s.chunks[int(i)], score=float(sc)) for i, sc in zip(sig.ids, score)]
            hits = rerank(hits, u, cal)[:10]
            rank = hit_rank([(h.chunk.doc, h.chunk.lines) for h in hits], spans[q["id"]], 10)
            if rank:
                rr += 1 / rank
                r5 += rank <= 5
        n = max(1, len(cached))
        results.append((params, rr / n, r5 / n))
    results.sort(key=lambda t: (-t[1], -t[2]))
    return results[0][0], results


def _logistic(X: np.ndarray, y: np.ndarray, lam: float = 1.0) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method, weights in the raw feature space."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    reg = lam * np.r_[np.ones(len(w) - 1), 0]    # a hundred questions do not support sharp weights
    for _ in range(50):
        p = 1 / (1 + np.exp(-Z @ w))
        g = Z.T @ (p - y) + reg * w
        H = (Z * (p * (1 - p))[:, None]).T @ Z + np.diag(reg)
        w -= np.linalg.solve(H, g)
    weights = w[:-1] / sd
    return weights, float(w[-1] - (w[:-1] * mu / sd).sum())


def calibration_rows(engine, rows: list[dict]) -> tuple[list[list[float]], list[float], list[float]]:
    """Features of each question's top result, whether it is right, and whether the question has an answer."""
    from kehoach.qa.answer import features
    s = engine.searcher
    spans = locate(rows, {d: sd.lines for d, sd in s.docs.items()})
    X, correct, answerable = [], [], []
    for q in rows:
        u, hits = engine.retrieve(q["question"])
        X.append(features(hits, u, s.unknown_share(u.keywords)))
        ok = q.get("answerable", True) and hit_rank([(h.chunk.doc, h.chunk.lines) for h in hits[:1]],
                                                   spans[q["id"]], 1) == 1
        correct.append(1.0 if ok else 0.0)
        answerable.append(1.0 if q.get("answerable", True) else 0.0)
    return X, correct, answerable


def fit_rows(X: np.ndarray, correct: np.ndarray, answerable: np.ndarray, max_refused: float = 0.03) -> dict:
    """Two logistic models on the features of the top result:
    - confidence = P(the top result answers the question), reported to users;
    - found: P(the corpus answers the question at all), with the threshold that refuses at most
      `max_refused` of the answerable questions."""
    from kehoach.qa.answer import FEATURES
    w_conf, b_conf = _logistic(X, correct)
    w_found, b_found = _logistic(X, answerable)
    p = 1 / (1 + np.exp(-(X @ w_found + b_found)))
    ans_p = np.sort(p[answerable == 1])
    # The highest threshold that refuses at most max_refused of the answerable questions.
    cut = int(math.floor(max_refused * len(ans_p)))
    threshold = float(ans_p[cut] - 1e-6) if len(ans_p) else 0.5
    return {"weights": [float(v) for v in w_conf], "bias": b_conf,
            "found_weights": [float(v) for v in w_found], "found_bias": b_found, "threshold": threshold,
            "features": list(FEATURES), "trained_on": len(X)}


def fit_calibration(engine, rows: list[dict], max_refused: float = 0.03) -> dict:
    """The calibration fitted on one question file over one index (`kehoach eval --calibrate`)."""
    X, correct, answerable = calibration_rows(engine, rows)
    return fit_rows(np.array(X, dtype=float), np.array(correct), np.array(answerable), max_refused)


def update_calibration(changes: dict) -> None:
    """Learned parameters live in qa/calibration.json, shipped with the package."""
    from kehoach.qa import answer
    path = Path(answer.__file__).with_name("calibration.json")
    data = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    answer.load_calibration.cache_clear()
