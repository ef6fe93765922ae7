"""Ablations the issues ask for, each measured in one run on the dev questions:

1. OCR restoration off vs on (dense-only and hybrid, OCR-answered vs clean-answered questions);
2. the dense model reading raw text vs pyvi-segmented text ("giáo_dục").

Each variant gets its own data dir under $KEHOACH_HOME/ablations/ (the converted model is shared),
so the product's own index is untouched. Usage: .venv/bin/python scripts/ablations.py [GOLD.jsonl]
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from kehoach.config import Config
from kehoach.eval.gold import default_gold, load_gold
from kehoach.eval.harness import evaluate
from kehoach.qa.engine import Engine

VARIANTS = {
    "restore=off": {"restore": False},
    "restore=on": {},
    "dense input=segmented": {"model_segmented": True},
}


def main() -> int:
    gold = Path(sys.argv[1]) if len(sys.argv) > 1 else default_gold()
    rows = load_gold(gold)
    base = Config.load()
    os.environ.setdefault("KEHOACH_MODEL_DIR", str(base.model_dir))
    table = []
    for name, changes in VARIANTS.items():
        home = base.home / "ablations" / name.replace(" ", "_").replace("=", "-")
        cfg = Config.load(home=home).with_(**changes)
        engine = Engine.load(cfg, say=lambda m, n=name: print(f"[{n}] {m}", file=sys.stderr))
        report = evaluate(engine, rows, with_rag=False, modes=("dense", "hybrid"))
        for mode in ("dense", "hybrid"):
            for split in ("ocr", "clean"):
                m = report["systems"][mode][split]
                table.append((name, mode, split, m["n"], m["recall@1"], m["recall@5"], m["mrr@10"]))
    print(f"{'variant':<24} {'mode':<7} {'split':<6} {'n':>4} {'R@1':>6} {'R@5':>6} {'MRR':>6}")
    for row in table:
        print(f"{row[0]:<24} {row[1]:<7} {row[2]:<6} {row[3]:>4} {row[4]:6.3f} {row[5]:6.3f} {row[6]:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
