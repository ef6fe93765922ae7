"""Fit the confidence and refusal models on every development question set at once.

    python -m kehoach.eval.calibrate_sets            # index each set (reused when fresh), fit, write
    python -m kehoach.eval.calibrate_sets --dry-run  # fit and print, write nothing

`kehoach eval --calibrate` fits on one question file over one index: the bundled plans. Refusing well on a plan
the tool has never seen needs the features of questions over other provinces' and ministries' plans too, each
set asked over its own documents indexed beside the bundled ones, as a user's corpus would be. The sets are
listed in `eval/calibration_sets.json`; held-out sets (eval/heldout.jsonl, eval/unseen3) are never among them.
Each set gets its own data folder under KEHOACH_HOME/calibration/, so a second run only re-reads the indexes.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from kehoach.config import Config, bundled_corpus_dir
from kehoach.eval.tuning import calibration_rows, fit_rows, update_calibration

REPO = Path(__file__).resolve().parent.parent
SETS_FILE = Path(__file__).with_name("calibration_sets.json")


def set_config(base: Config, spec: dict) -> Config | None:
    """A data folder for one set: the bundled plans plus the set's documents (linked, never copied)."""
    home = base.home / "calibration" / spec["name"]
    held_out = set()
    if spec.get("held_out_labels"):       # documents whose tasks are held out stay out of the index
        for line in (REPO / spec["held_out_labels"]).read_text("utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("split") == "heldout":
                held_out.add(row["doc"])
    folders = []
    for i, f in enumerate(spec.get("folders", [])):
        src = (REPO / f["path"]).resolve()
        if not src.is_dir():
            print(f"  bỏ qua bộ {spec['name']}: không có thư mục {src}", file=sys.stderr)
            return None
        dest = home / f"docs-{i}"
        dest.mkdir(parents=True, exist_ok=True)
        for pattern in f.get("glob", ["*"]):
            for doc in sorted(src.glob(pattern)):
                link = dest / doc.name
                if doc.is_file() and doc.name not in held_out and not link.exists():
                    link.symlink_to(doc)
        folders.append(str(dest))
    home.mkdir(parents=True, exist_ok=True)
    models = home / "models"
    if not models.exists() and base.model_dir.is_dir():
        models.symlink_to(base.model_dir.resolve(), target_is_directory=True)
    corpus = (str(bundled_corpus_dir()), *folders) if folders else ()
    # The same folder serves `KEHOACH_HOME=<it> kehoach eval <gold>` when someone checks a set by hand.
    (home / "config.toml").write_text("corpus = [" + ", ".join(json.dumps(c) for c in corpus) + "]\n", "utf-8")
    return replace(base, home=home, corpus=corpus)


def main(argv: list[str] | None = None) -> int:
    from kehoach.eval.harness import load_gold
    from kehoach.index.build import build_index
    from kehoach.qa.engine import Engine

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="in kết quả, không ghi qa/calibration.json")
    args = ap.parse_args(argv)
    base = Config.load()
    X, correct, answerable, used = [], [], [], []
    for spec in json.loads(SETS_FILE.read_text("utf-8"))["sets"]:
        cfg = set_config(base, spec)
        if cfg is None:
            continue
        print(f"bộ {spec['name']}: chỉ mục {cfg.home}", file=sys.stderr)
        build_index(cfg, say=lambda m: None, progress=False)
        rows = load_gold(REPO / spec["gold"])
        x, c, a = calibration_rows(Engine.load(cfg), rows)
        X += x
        correct += c
        answerable += a
        used.append(f"{spec['name']} {len(rows)}")
        print(f"  {len(rows)} câu hỏi, {int(sum(a))} có đáp án, top-1 đúng {int(sum(c))}", file=sys.stderr)
    if not X:
        print("Không có bộ câu hỏi nào dùng được.", file=sys.stderr)
        return 1
    fitted = fit_rows(np.array(X, dtype=float), np.array(correct), np.array(answerable))
    fitted["trained_on_sets"] = used
    print(json.dumps(fitted, ensure_ascii=False, indent=1))
    if not args.dry_run:
        update_calibration(fitted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
