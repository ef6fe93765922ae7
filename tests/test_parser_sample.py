"""Acceptance of the corpus layer: the hand-checked sample (eval/parser_sample.jsonl, typed from the
documents, not from parser output) against the full pipeline — parser plus agency resolution."""
from __future__ import annotations

import json
from pathlib import Path

from kehoach.config import Config
from kehoach.corpus.pipeline import load_corpus

SAMPLE = Path(__file__).resolve().parent.parent / "eval" / "parser_sample.jsonl"


def field_accuracy(tmp_path) -> tuple[float, list[str], int]:
    # restore=False: deadlines are compared as printed, which is what the sample records.
    docs, errors = load_corpus(Config(home=tmp_path), restore=False)
    assert not errors
    by_key = {(d.doc, t.lines[0]): t for d in docs for t in d.tasks}
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong, total = [], 0
    for r in rows:
        t = by_key.get((r["doc"], r["lines"][0]))
        for field in ("lead", "support", "deadline"):
            total += 1
            got = None if t is None else getattr(t, field)
            want = r[field]
            ok = t is not None and (set(got) == set(want) if field != "deadline" else (got or None) == want)
            if not ok:
                wrong.append(f"{r['doc'][:3]} {r['section']} {field}: got {got!r} want {want!r}")
    return 1 - len(wrong) / total, wrong, len(rows)


def test_sample_field_accuracy(tmp_path):
    acc, wrong, n = field_accuracy(tmp_path)
    print(f"\nhand-checked sample: {n} tasks, {3 * n} fields, accuracy {acc:.3f}")
    for w in wrong:
        print("  ", w)
    assert n >= 80
    assert acc >= 0.97, wrong
