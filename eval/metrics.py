"""Scores of one system's answers: recall, MRR, agency and deadline accuracy, refusals, latency, and
whether the reported confidence is calibrated.
"""
from __future__ import annotations

import statistics


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def metrics(items: list[dict]) -> dict:
    ans = [it for it in items if it["answerable"]]
    una = [it for it in items if not it["answerable"]]
    m: dict = {"n": len(items), "answerable": len(ans), "unanswerable": len(una)}
    if ans:
        m["recall@1"] = sum(it["rank"] == 1 for it in ans) / len(ans)
        m["recall@5"] = sum(it["rank"] is not None and it["rank"] <= 5 for it in ans) / len(ans)
        m["mrr@10"] = sum(1 / it["rank"] for it in ans if it["rank"]) / len(ans)
        for f in ("lead", "support", "deadline"):
            xs = [it[f"{f}_ok"] for it in ans if it.get(f"{f}_ok") is not None]
            if xs:
                m[f"{f}_accuracy"] = sum(xs) / len(xs)
                m[f"{f}_n"] = len(xs)
        xs = [it["found"] for it in ans if it.get("found") is not None]
        if xs:
            m["wrongly_refused"] = 1 - sum(xs) / len(xs)
    if una:
        xs = [it["found"] for it in una if it.get("found") is not None]
        if xs:
            m["no_answer_accuracy"] = 1 - sum(xs) / len(xs)
    lat = [it["ms"] for it in items]
    m["latency_ms_p50"] = percentile(lat, 50)
    m["latency_ms_p95"] = percentile(lat, 95)
    return m


def reliability(items: list[dict], bins: int = 5) -> list[dict]:
    """Mean confidence vs accuracy per confidence bin (hybrid): is the confidence calibrated?"""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        sel = [i for i in items if lo <= i["confidence"] < hi or (b == bins - 1 and i["confidence"] == 1.0)]
        if sel:
            acc = sum(bool(i["answerable"] and i["rank"] == 1) for i in sel) / len(sel)
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(sel),
                        "confidence": statistics.mean(i["confidence"] for i in sel), "accuracy": acc})
    return out
