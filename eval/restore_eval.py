"""Measure the diacritic restorer against hand-corrected OCR lines (eval/ocr_truth.jsonl).

    .venv/bin/python -m kehoach.eval.restore_eval [--split test|tune|all] [--errors N]

Each bundled OCR document is restored whole (as the product does), then the
truth lines are compared syllable by syllable. Only Vietnamese syllables of the
truth count (numbers, codes and abbreviations are not scored). Each syllable is
classed by what OCR did to it: already right, only marks lost, wrong marks,
letters changed.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.ocr_detect import canonical, has_marks, is_valid_syllable
from kehoach.corpus.restore import Restorer, pieces, skeleton
from kehoach.corpus.restore_marks import word_margins
from kehoach.corpus.text import strip_marks

TRUTH = Path(__file__).parent / "ocr_truth.jsonl"
KINDS = ("already right", "only marks lost", "wrong marks", "letters changed")


def load_truth(split: str = "test") -> list[dict]:
    rows = [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r["split"] == split]


def fold_of(row: dict) -> int:
    """0 or 1 by a hash of the line's document and number: two halves of a split for cross-validation
    (scripts/train_restorer.py --truth-fold learns from one half of tune, this measures the other)."""
    return hashlib.sha256(f"{row['doc']}:{row['line']}".encode()).digest()[0] & 1


def truth_pairs(rows: list[dict]) -> list[tuple[str, str]]:
    """(true syllable, printed word) for every scored syllable of truth lines, lower case, NFC:
    what OCR did to each, for learning the channel's confusions."""
    out = []
    for r in rows:
        truth = words(r["truth"])
        for t, o in zip(truth, align(truth, words(r["ocr"]))):
            if o and is_valid_syllable(t):
                out.append((canonical(t.lower()), unicodedata.normalize("NFC", o.lower())))
    return out


def words(line: str) -> list[str]:
    return [p.core for p in pieces(line) if not isinstance(p, str) and p.core]


def _plain(word: str) -> str:
    return strip_marks(word.lower())


def align(truth: list[str], other: list[str]) -> list[str | None]:
    """For each truth word, the word (or two words joined, for OCR splits) aligned to it."""
    return [None if span is None else "".join(other[span[0]:span[1]]) for span in align_spans(truth, other)]


def align_spans(truth: list[str], other: list[str]) -> list[tuple[int, int] | None]:
    """For each truth word, the [start, end) range of `other` words aligned to it."""
    n, m = len(truth), len(other)

    def sub(a: str, b: str) -> float:
        sa, sb = skeleton(a.lower()), skeleton(b.lower())
        if not sa and not sb:
            return 0.0 if a == b else 1.0
        # Above 1 for very different words, so a deletion plus an insertion is preferred.
        return min(Levenshtein.distance(sa, sb) / max(len(sa), len(sb), 1), 1.0) * 1.6

    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == inf:
                continue
            steps = []
            if i < n and j < m:
                steps.append((i + 1, j + 1, sub(truth[i], other[j])))
            if i < n and j + 1 < m:
                steps.append((i + 1, j + 2, sub(truth[i], other[j] + other[j + 1]) + 0.8))
            if i < n:
                steps.append((i + 1, j, 1.0))
            if j < m:
                steps.append((i, j + 1, 1.0))
            for a, b, w in steps:
                if c + w < cost[a][b]:
                    cost[a][b], back[a][b] = c + w, (i, j)
    out: list[tuple[int, int] | None] = [None] * n
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj = back[i][j]
        if i == pi + 1 and j > pj:
            out[pi] = (pj, j)
        i, j = pi, pj
    return out


def damage_kind(truth: str, ocr: str | None) -> str:
    if ocr is None:
        return "letters changed"
    if canonical(ocr) == canonical(truth):
        return "already right"
    if _plain(ocr) == _plain(truth):
        return "wrong marks" if has_marks(ocr) else "only marks lost"
    return "letters changed"


def evaluate(restorer: Restorer, rows: list[dict]) -> dict:
    """Restore each document of `rows` whole, then score the truth lines."""
    docs = sorted({r["doc"] for r in rows})
    restored: dict[str, list[str]] = {}
    printed: dict[str, list[str]] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for doc in docs:
        printed[doc] = (bundled_corpus_dir() / doc).read_text(encoding="utf-8").splitlines()
        restored[doc] = restorer.restore_lines(printed[doc])
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    margins: dict[tuple[str, int, int], float] = {}   # (doc, line index, word index) -> margin
    for doc in docs:
        per_line: dict[int, list] = defaultdict(list)
        for m in word_margins(restorer, printed[doc], restored[doc]):
            per_line[m.line].append(m)
        for li, ms in per_line.items():
            order = [k for k, p in enumerate(pieces(restored[doc][li])) if not isinstance(p, str) and p.core]
            for m in ms:
                margins[(doc, li, order.index(m.part))] = m.margin
    scored: list[tuple[bool, float]] = []   # (restored word right, its margin) per scored syllable
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, exact, ignoring marks
    errors = []
    for r in rows:
        truth = words(r["truth"])
        hyp_words = words(restored[r["doc"]][r["line"] - 1])
        spans = align_spans(truth, hyp_words)
        hyp = [None if sp is None else "".join(hyp_words[sp[0]:sp[1]]) for sp in spans]
        ocr = align(truth, words(r["ocr"]))
        for t, h, o, sp in zip(truth, hyp, ocr, spans):
            if not is_valid_syllable(t):
                continue  # numbers, codes, abbreviations ("UBND") are not scored
            exact = h is not None and canonical(h) == canonical(t)
            loose = h is not None and _plain(h) == _plain(t)
            kind = damage_kind(t, o)
            margin = min((margins.get((r["doc"], r["line"] - 1, k), 99.0) for k in range(*sp)), default=0.0) \
                if sp else 0.0
            scored.append((exact, margin))
            batch = "truth added " + ("2026-11" if r.get("added") else "first")
            for key in ("all", kind, r["doc"], batch):
                tally[key][0] += 1
                tally[key][1] += exact
                tally[key][2] += loose
            if not exact:
                errors.append((r["doc"][:3], r["line"], o, h, t, kind))
    return {"tally": dict(tally), "seconds": seconds, "cpu": cpu, "errors": errors, "docs": docs,
            "scored": scored}


def flag_rates(scored: list[tuple[bool, float]], threshold: float) -> tuple[float, float, int]:
    """(share of wrong words flagged, share of flagged words wrong, words flagged) at a margin threshold."""
    wrong = [m for ok, m in scored if not ok]
    flagged = [ok for ok, m in scored if m < threshold]
    caught = sum(m < threshold for m in wrong)
    return (caught / len(wrong) if wrong else 1.0,
            sum(not ok for ok in flagged) / len(flagged) if flagged else 0.0, len(flagged))


def report(result: dict, split: str) -> str:
    tally = result["tally"]
    total = tally["all"][0]
    lines = [f"split={split} syllables={total}",
             f"{'':18} {'n':>5} {'share':>6} {'exact':>7} {'no-marks':>8}"]

    def row(name: str, key: str) -> None:
        n, ex, lo = tally.get(key, [0, 0, 0])
        if n:
            lines.append(f"{name:18} {n:5d} {n / total:6.1%} {ex / n:7.2%} {lo / n:8.2%}")

    row("all", "all")
    for kind in KINDS:
        row(kind, kind)
    for doc in result["docs"]:
        row(doc[:3], doc)
    row("first truth lines", "truth added first")
    row("added lines", "truth added 2026-11")
    recall, precision, n = flag_rates(result["scored"], result["threshold"])
    lines.append(f"doubtful (margin < {result['threshold']:g}): {n} words flagged; wrong words flagged "
                 f"{recall:.1%}; flagged words wrong {precision:.1%}")
    lines.append(f"restore time for {len(result['docs'])} documents: {result['seconds']:.1f} s wall, "
                 f"{result['cpu']:.1f} s CPU")
    return "\n".join(lines)


def digit_conversions(restorer: Restorer) -> dict[str, list[str]]:
    """Numbers the restorer turned into words, per bundled document, to check false conversions
    without the test truth: every document is forced through the decoder (clean ones too, as if
    they were OCR), and the test lines are blanked first."""
    test = {(r["doc"], r["line"]) for r in load_truth("test")}
    out: dict[str, list[str]] = {}
    for path in sorted(bundled_corpus_dir().glob("*.txt")):
        lines = ["" if (path.name, i + 1) in test else line
                 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines())]
        found = out.setdefault(path.name, [])
        for before, after in zip(lines, restorer.decode(lines).lines):
            a, b = words(before), words(after)
            if len(a) == len(b):
                found += [f"{x} -> {y} | {' '.join(b[max(0, k - 3):k + 3])}"
                          for k, (x, y) in enumerate(zip(a, b)) if x.isdigit() and not y.isdigit()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description="Syllable accuracy of the diacritic restorer")
    ap.add_argument("--split", default="test", choices=["test", "tune", "check", "all"])
    ap.add_argument("--errors", type=int, default=0, help="print this many errors")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a decoding parameter (tuning on --split tune only)")
    ap.add_argument("--thresholds", type=float, nargs="*", default=[], help="flagging rates at these margins")
    ap.add_argument("--data", type=Path, default=None, help="model directory (default: shipped)")
    ap.add_argument("--fold", type=int, choices=(0, 1), default=None,
                    help="only this half of the split (cross-validation of --truth-fold in train_restorer.py)")
    ap.add_argument("--added", default=None, metavar="BATCH",
                    help='only truth lines of this batch ("added" field, e.g. 4: the lines written in round 8)')
    ap.add_argument("--digit-words", action="store_true",
                    help="list numbers read as words in every document, test lines left out")
    args = ap.parse_args()
    t0 = time.perf_counter()
    restorer = Restorer.load(args.data)
    load_s = time.perf_counter() - t0
    for item in args.set:
        name, _, value = item.partition("=")
        kind = type(getattr(restorer.params, name))
        setattr(restorer.params, name, kind(value))
    if args.digit_words:
        for doc, found in digit_conversions(restorer).items():
            print(f"{doc}: {len(found)} numbers read as words")
            for f in found:
                print("   ", f)
        return
    rows = [r for r in load_truth(args.split) if (args.fold is None or fold_of(r) == args.fold)
            and (args.added is None or r.get("added") == args.added)]
    result = evaluate(restorer, rows)
    result["threshold"] = restorer.params.flag_margin
    for t in args.thresholds:
        recall, precision, n = flag_rates(result["scored"], t)
        print(f"threshold {t:5.2f}: flagged {n:4d}, wrong words flagged {recall:6.1%}, "
              f"flagged words wrong {precision:6.1%}")
    print(report(result, args.split))
    print(f"model load: {load_s:.2f} s")
    for e in result["errors"][: args.errors]:
        print("  {} {:4d} ocr={!r:14} got={!r:14} truth={!r:12} [{}]".format(*e))


if __name__ == "__main__":
    main()
