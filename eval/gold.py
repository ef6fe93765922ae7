"""The gold question set and what counts as a right answer to it.

A result hits when it comes from a gold document and its line span contains the line holding the gold
quote; agencies match as sets of folded names, resolved in their own document's context; deadlines match
when their folded text is near enough.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from kehoach.corpus.text import ocr_fold


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


def same_deadline(got: str | None, gold: dict) -> bool:
    """Near enough after folding, or right by the task eval's rule (plansdev_eval.same_deadline: one ends
    with the other, as "trong tháng 6 năm 2027" ends "chậm nhất trong tháng 6 năm 2027"), so that a deadline
    the task eval counts right is not counted wrong when a question asks for it."""
    want = gold.get("deadline")
    if not want:
        return not got
    if not got:
        return False
    from kehoach.eval.plansdev_eval import same_deadline as task_same_deadline
    return fuzz.ratio(ocr_fold(got), ocr_fold(want)) >= 85 or task_same_deadline(got, want)


def task_agencies_ok(got: list[str], want: list[str]) -> bool:
    """The task eval's judgement of an agency field (plansdev_eval.same_agencies over the printed field split
    by the grammar), applied to an answer's names: the directory may keep "A, B và C" as one name it could
    not resolve, or "Thanh tra Bộ" short, which the task eval counts right and a set equality would not."""
    from kehoach.corpus.grammar import split_agencies
    from kehoach.eval.plansdev_eval import same_agencies
    pieces = [p for n in got for p in (split_agencies(n) or [n])]
    return same_agencies(pieces, want)


def folded_names(names: list[str]) -> set[str]:
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
            return folded_names(names)
        if doc not in self._ctx:
            info = d.info
            self._ctx[doc] = (info.issuer, self.directory.context(
                info.issuer, d.lines[:15], f"{info.title} {info.subject or ''}"))
        issuer, ctx = self._ctx[doc]
        out: list[str] = []
        for n in names:
            res = self.directory.resolve(n, issuer=issuer, context=ctx)
            out.extend([*res.canonical, *res.unresolved] or [n])
        return folded_names(out)
