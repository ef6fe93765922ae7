"""`kehoach eval`: retrieval and answer quality on a gold question set, in one run.

Systems compared: hybrid, dense-only, lexical-only (all through the full QA
path), and the peer to beat: a generic RAG pipeline (fixed 1,000-character
chunks with 200 overlap, dense only), as document-chat tools do by default.
A result hits when it comes from a gold document and its line span contains
the line holding the gold quote.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import math
import statistics
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from kehoach.config import Config
from kehoach.corpus.text import ocr_fold

MODES = ("hybrid", "dense", "lexical")
TASK_INTENTS = ("lead", "support", "deadline", "lookup", "agency_tasks")


def default_gold() -> Path:
    return Path(str(resources.files("kehoach.eval").joinpath("dev.jsonl")))


def load_gold(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    return rows


@dataclass
class GoldSpan:
    doc: str
    line: int
    entry: dict


def locate(rows: list[dict], doc_lines: dict[str, list[str]]) -> dict[str, list[GoldSpan]]:
    """Gold quote -> the line that holds it, per question id."""
    out = {}
    for q in rows:
        spans = []
        for g in q.get("gold", []):
            lines = doc_lines.get(g["doc"])
            if lines is None:
                continue
            for i, ln in enumerate(lines, 1):
                if g["quote"] in ln:
                    spans.append(GoldSpan(g["doc"], i, g))
                    break
        out[q["id"]] = spans
    return out


def hit_rank(results: list[tuple[str, list[int]]], spans: list[GoldSpan], k: int) -> int | None:
    for r, (doc, lines) in enumerate(results[:k], 1):
        if any(s.doc == doc and lines[0] <= s.line <= lines[1] for s in spans):
            return r
    return None


def _same_deadline(got: str | None, gold: dict) -> bool:
    want = gold.get("deadline")
    if not want:
        return not got
    if not got:
        return False
    return fuzz.ratio(ocr_fold(got), ocr_fold(want)) >= 85


def _names(names: list[str]) -> set[str]:
    """Agency names compared as a set, regardless of case and of "Uỷ/Ủy"-style spellings."""
    return {ocr_fold(n) for n in names}


class GoldAgencies:
    """Gold agencies are labelled as printed; the answer's are the directory's names, resolved in the
    context of their document. So each gold name is resolved the same way, in its own document's context
    (issuer, header, title), before the comparison: "Ngân hàng Chính sách xã hội" printed in a national
    plan is "Ngân hàng Chính sách xã hội Việt Nam", in a province's plan its branch there."""

    def __init__(self, directory, docs: dict):
        self.directory, self.docs, self._ctx = directory, docs, {}

    def names(self, names: list[str], doc: str | None) -> set[str]:
        d = self.docs.get(doc) if doc else None
        if self.directory is None or d is None:
            return _names(names)
        if doc not in self._ctx:
            info = d.info
            self._ctx[doc] = (info.issuer, self.directory.context(
                info.issuer, d.lines[:15], f"{info.title} {info.subject or ''}"))
        issuer, ctx = self._ctx[doc]
        out: list[str] = []
        for n in names:
            res = self.directory.resolve(n, issuer=issuer, context=ctx)
            out.extend([*res.canonical, *res.unresolved] or [n])
        return _names(out)


def _pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# ---- the generic RAG peer ---------------------------------------------------------

class FixedChunkRAG:
    """1,000-character windows with 200 overlap over the printed text, dense only."""

    def __init__(self, docs, encoder, cache_dir: Path, size: int = 1000, overlap: int = 200):
        self.encoder = encoder
        self.spans: list[tuple[str, list[int]]] = []
        texts = []
        for d in docs:
            text = "\n".join(d.lines)
            starts = np.cumsum([0] + [len(ln) + 1 for ln in d.lines])   # char offset of each line
            pos = 0
            while pos < len(text):
                piece = text[pos:pos + size]
                if piece.strip():
                    a = int(np.searchsorted(starts, pos, side="right"))
                    b = int(np.searchsorted(starts, pos + len(piece) - 1, side="right"))
                    self.spans.append((d.doc, [a, b]))
                    texts.append(piece)
                if pos + size >= len(text):
                    break
                pos += size - overlap
        digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]   # stable across processes
        key = f"rag-{getattr(encoder, 'checksum', 'x')[:12]}-{digest}.npy"
        path = cache_dir / key
        if path.is_file():
            self.vectors = np.load(path)
        else:
            self.vectors = encoder.encode_passages(texts, progress=True)
            cache_dir.mkdir(parents=True, exist_ok=True)
            np.save(path, self.vectors)

    def search(self, question: str, k: int = 10) -> list[tuple[str, list[int]]]:
        q = self.encoder.encode_queries([question])[0]
        order = np.argsort(-(self.vectors @ q))[:k]
        return [self.spans[i] for i in order]


# ---- metrics -------------------------------------------------------------------------

def _metrics(items: list[dict]) -> dict:
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
    m["latency_ms_p50"] = _pct(lat, 50)
    m["latency_ms_p95"] = _pct(lat, 95)
    return m


def evaluate(engine, rows: list[dict], with_rag: bool = True, modes=MODES) -> dict:
    docs = engine.searcher.docs
    spans = locate(rows, {d: sd.lines for d, sd in docs.items()})
    missing = [q["id"] for q in rows if q.get("answerable", True) and not spans[q["id"]]]
    gold_names = GoldAgencies(getattr(engine, "directory", None), docs)
    per_system: dict[str, list[dict]] = {}
    for mode in modes:
        items = []
        for q in rows:
            t0 = time.perf_counter()
            ans = engine.ask(q["question"], k=10, mode=mode)
            ms = (time.perf_counter() - t0) * 1000
            res = [(r.doc, r.lines) for r in ans.results]
            item = {"id": q["id"], "answerable": q.get("answerable", True), "ms": ms, "found": ans.found,
                    "confidence": ans.confidence, "intent_pred": ans.intent, "intent_gold": q.get("intent"),
                    "rank": hit_rank(res, spans[q["id"]], 10) if q.get("answerable", True) else None,
                    "split": _split(q, docs)}
            gold = q.get("gold", [])
            if item["answerable"] and gold and q.get("intent") in TASK_INTENTS and ans.results:
                top = ans.results[0]
                item["lead_ok"] = any(_names(top.lead) in (_names(g.get("lead", [])),
                                                           gold_names.names(g.get("lead", []), g.get("doc")))
                                      for g in gold)
                item["support_ok"] = any(_names(top.support) in (_names(g.get("support", [])),
                                                                 gold_names.names(g.get("support", []), g.get("doc")))
                                         for g in gold)
                item["deadline_ok"] = any(_same_deadline(top.deadline, g) for g in gold)
            items.append(item)
        per_system[mode] = items
    if with_rag:
        rag = FixedChunkRAG(list(docs.values()), engine.searcher.encoder, engine.cfg.cache_dir)
        items = []
        for q in rows:
            t0 = time.perf_counter()
            res = rag.search(q["question"], 10)
            ms = (time.perf_counter() - t0) * 1000
            items.append({"id": q["id"], "answerable": q.get("answerable", True), "ms": ms,
                          "rank": hit_rank(res, spans[q["id"]], 10) if q.get("answerable", True) else None,
                          "split": _split(q, docs)})
        per_system["rag_1000c"] = items
    report = {"questions": len(rows), "unlocated_quotes": missing, "systems": {}}
    for name, items in per_system.items():
        report["systems"][name] = {
            "all": _metrics(items),
            "ocr": _metrics([i for i in items if i["split"] == "ocr"]),
            "clean": _metrics([i for i in items if i["split"] == "clean"]),
        }
    hy = per_system.get("hybrid", [])
    if hy:
        got = [i["intent_pred"] == i["intent_gold"] for i in hy if i["intent_gold"]]
        report["intent_accuracy"] = sum(got) / len(got) if got else None
    report["items"] = per_system
    return report


def _split(q: dict, docs) -> str:
    gold = q.get("gold") or []
    if not gold:
        return "none"
    d = docs.get(gold[0]["doc"])
    return "ocr" if d is not None and d.ocr else "clean"


# ---- calibration and fusion tuning -------------------------------------------------

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


def fit_calibration(engine, rows: list[dict], max_refused: float = 0.03) -> dict:
    """Two logistic models on dev questions, features of the top result:
    - confidence = P(the top result answers the question), reported to users;
    - found: P(the corpus answers the question at all), with the threshold that refuses at most
      `max_refused` of the answerable questions."""
    from kehoach.qa.answer import FEATURES, features
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
    X = np.array(X, dtype=float)
    w_conf, b_conf = _logistic(X, np.array(correct))
    w_found, b_found = _logistic(X, np.array(answerable))
    p = 1 / (1 + np.exp(-(X @ w_found + b_found)))
    ans_p = np.sort(p[np.array(answerable) == 1])
    # The highest threshold that refuses at most max_refused of the answerable questions.
    cut = int(math.floor(max_refused * len(ans_p)))
    threshold = float(ans_p[cut] - 1e-6) if len(ans_p) else 0.5
    return {"weights": [float(v) for v in w_conf], "bias": b_conf,
            "found_weights": [float(v) for v in w_found], "found_bias": b_found, "threshold": threshold,
            "features": list(FEATURES), "trained_on": len(rows)}


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


# ---- output ----------------------------------------------------------------------

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


def main(args, cfg: Config) -> int:
    from kehoach.qa.engine import Engine
    gold = Path(args.gold) if args.gold else default_gold()
    if not gold.is_file():
        print(f"Không tìm thấy tệp câu hỏi '{gold}'.")
        return 1
    rows = load_gold(gold)
    engine = Engine.load(cfg, say=print)
    if args.tune_fusion:
        best, table = tune_fusion(engine, rows)
        print("top fusion settings on", gold.name, "(MRR@10, R@5):")
        for params, mrr, r5 in table[:10]:
            print(f"  {params}  MRR={mrr:.3f}  R@5={r5:.3f}")
        print("worst:", table[-1])
        _update_calibration({"fusion": {k: v for k, v in best.items() if k.startswith("w_")},
                             "bonus_field": best["bonus_field"]})
        engine = Engine.load(cfg, say=print)
    if args.calibrate:
        _update_calibration(fit_calibration(engine, rows))
        engine = Engine.load(cfg, say=print)
    report = evaluate(engine, rows, with_rag=not args.no_baseline)
    report["gold"] = gold.name
    report["reliability_hybrid"] = reliability(report["items"]["hybrid"])
    out = Path(args.out) if args.out else (Path("eval/reports") if Path("eval").is_dir() else cfg.home / "reports")
    out.mkdir(parents=True, exist_ok=True)
    stem = f"eval-{gold.stem}"
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    save_chart(report, out / f"{stem}.png")
    print_table(report)
    print("reliability (hybrid):", report["reliability_hybrid"])
    print(f"report: {out / (stem + '.json')}  chart: {out / (stem + '.png')}")
    return 0


def _update_calibration(changes: dict) -> None:
    """Learned parameters live in qa/calibration.json, shipped with the package."""
    from kehoach.qa import answer
    path = Path(answer.__file__).with_name("calibration.json")
    data = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    answer.load_calibration.cache_clear()
