"""`kehoach eval`: retrieval and answer quality on a gold question set, in one run.

Systems compared: hybrid, dense-only, lexical-only (all through the full QA
path), and the peer to beat: a generic RAG pipeline (fixed 1,000-character
chunks with 200 overlap, dense only), as document-chat tools do by default.
This module runs the questions through each system; what counts as a hit is
gold.py's, the scores metrics.py's, the peer rag_peer.py's, the fitted
parameters tuning.py's and the table and chart report.py's.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from kehoach.config import Config
from kehoach.eval.gold import GoldAgencies, default_gold, folded_names, hit_rank, load_gold, locate, same_deadline, \
    task_agencies_ok
from kehoach.eval.metrics import metrics, reliability
from kehoach.eval.rag_peer import FixedChunkRAG
from kehoach.eval.report import print_table, save_chart
from kehoach.eval.tuning import fit_calibration, tune_fusion, update_calibration

MODES = ("hybrid", "dense", "lexical")
TASK_INTENTS = ("lead", "support", "deadline", "lookup", "agency_tasks")


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
                item["lead_ok"] = _agencies_ok(top.lead, "lead", gold, gold_names)
                item["support_ok"] = _agencies_ok(top.support, "support", gold, gold_names)
                item["deadline_ok"] = any(same_deadline(top.deadline, g) for g in gold)
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
            "all": metrics(items),
            "ocr": metrics([i for i in items if i["split"] == "ocr"]),
            "clean": metrics([i for i in items if i["split"] == "clean"]),
        }
    hy = per_system.get("hybrid", [])
    if hy:
        got = [i["intent_pred"] == i["intent_gold"] for i in hy if i["intent_gold"]]
        report["intent_accuracy"] = sum(got) / len(got) if got else None
    report["items"] = per_system
    return report


def _agencies_ok(got: list[str], role: str, gold: list[dict], gold_names: GoldAgencies) -> bool:
    """The answer's agencies are some gold entry's, as printed or as resolved in the entry's document, or
    by the task eval's comparison (so that the two evals judge the same field alike)."""
    return any(folded_names(got) in (folded_names(g.get(role, [])), gold_names.names(g.get(role, []), g.get("doc")))
               or task_agencies_ok(got, g.get(role, [])) for g in gold)


def _split(q: dict, docs) -> str:
    gold = q.get("gold") or []
    if not gold:
        return "none"
    d = docs.get(gold[0]["doc"])
    return "ocr" if d is not None and d.ocr else "clean"


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
        update_calibration({"fusion": {k: v for k, v in best.items() if k.startswith("w_")},
                            "bonus_field": best["bonus_field"]})
        engine = Engine.load(cfg, say=print)
    if args.calibrate:
        update_calibration(fit_calibration(engine, rows))
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

