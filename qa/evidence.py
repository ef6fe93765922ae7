"""Links between the passages of progress reports and the plan tasks they report on.

A document the corpus detects as a report (PlanInfo.kind == "report") is read
passage by passage; each plan task is scored against each passage from what the
index already holds:
  dense   cosine of the stored passage vectors, as a z-score over all pairs,
  lexical the index's BM25 of the passage with the task's text as the query (normalised as in
          search), or without an index the idf-weighted share of the task's syllable pairs,
  coverage share of the task's syllable pairs found in the passage,
  margin  lexical minus that of the task's runner-up passage (a task is reported in one place),
  agency  the report's issuer leads the task (1) or supports it (0.5), by its own
          name or as today's holder after mergers,
  topic   idf-weighted share of the report title's syllable pairs found in the
          plan's title (the report names the plan it answers).
The weights and threshold are calibrated on hand labels (eval/evidence_eval.py)
and shipped in qa/evidence.json; no link is written by hand.
Built lazily once per loaded index, then read-only (safe across threads).
"""
from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from kehoach.corpus.text import fold, ocr_fold
from kehoach.qa import succession
from kehoach.records import Chunk, Evidence

FEATURES = ("dense", "lexical", "coverage", "margin", "agency", "topic")
DEFAULT_PARAMS = {
    "weights": {"dense": 0.25, "lexical": 2.0, "coverage": 1.0, "margin": 2.0, "agency": 0.25, "topic": 0.0},
    "bias": -1.0,
    "threshold": 0.0,
    "max_per_task": 3,
    # A report paragraph is about a few tasks: a link must also rank among the passage's best tasks.
    "max_tasks_per_passage": 3,
    # Report sections that are not what was done: shortcomings, next year's plan, proposals.
    "not_done_headings": ["ton tai", "han che", "kho khan", "vuong mac", "phuong huong", "nhiem vu nam",
                          "ke hoach thuc hien nhiem vu", "de xuat", "kien nghi", "giai phap thoi gian toi"],
}


@lru_cache(maxsize=1)
def load_params() -> dict:
    try:
        data = json.loads(resources.files("kehoach.qa").joinpath("evidence.json").read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    return {**DEFAULT_PARAMS, **{k: v for k, v in data.items() if not k.startswith("_")}}


def _pairs(text: str) -> list[str]:
    syl = [w for w in fold(text).split() if w.isalpha()]
    return [f"{a} {b}" for a, b in zip(syl, syl[1:])]


def _share(wanted: list[str], present: set[str], idf: dict[str, float], unseen: float) -> float:
    keys = set(wanted)
    total = sum(idf.get(k, unseen) for k in keys)
    return sum(idf.get(k, unseen) for k in keys if k in present) / total if total else 0.0


@dataclass
class Pair:
    task: int          # chunk id
    passage: int       # chunk id
    features: dict[str, float]
    score: float


def select(pairs: list[Pair], params: dict) -> tuple[dict[int, list[Pair]], dict[int, list[Pair]]]:
    """Links kept: score at least the threshold, among the task's best `max_per_task` passages
    and among the passage's best `max_tasks_per_passage` tasks (both ways, so a general
    paragraph that resembles every task links to none in particular)."""
    ranked = sorted(pairs, key=lambda x: -x.score)
    top_tasks: dict[int, list[int]] = {}
    for pr in ranked:
        top = top_tasks.setdefault(pr.passage, [])
        if len(top) < params["max_tasks_per_passage"]:
            top.append(pr.task)
    by_task: dict[int, list[Pair]] = {}
    by_passage: dict[int, list[Pair]] = {}
    seen: dict[int, int] = {}
    for pr in ranked:
        rank = seen.get(pr.task, 0)
        seen[pr.task] = rank + 1
        if (pr.score >= params["threshold"] and rank < params["max_per_task"]
                and pr.task in top_tasks[pr.passage]):
            by_task.setdefault(pr.task, []).append(pr)
            by_passage.setdefault(pr.passage, []).append(pr)
    return by_task, by_passage


class EvidenceIndex:
    def __init__(self, chunks: list[Chunk], vectors: np.ndarray, docs: dict, directory=None,
                 params: dict | None = None, as_of=None, searcher=None):
        self.chunks = chunks
        self.params = params or load_params()
        reports = {d for d, doc in docs.items() if getattr(doc.info, "kind", "plan") == "report"}
        cues = [fold(c) for c in self.params["not_done_headings"]]
        # Front matter and closing notes (no section number) report on no task.
        self.passages = [c.id for c in chunks if c.doc in reports and c.section and not self._not_done(c, cues)]
        self.tasks = [c.id for c in chunks if c.kind == "task" and c.doc not in reports]
        texts = {c.id: _pairs(c.display_text) for c in chunks}
        df = Counter(k for ks in texts.values() for k in set(ks))
        n = max(1, len(chunks))
        idf = {k: math.log(1 + (n - v + 0.5) / (v + 0.5)) for k, v in df.items()}
        unseen = math.log(1 + (n + 0.5) / 0.5)
        present = {p: set(texts[p]) for p in self.passages}
        issuer = {d: self._issuer(directory, docs[d].info.issuer) for d in reports}
        titles = {d: set(_pairs(doc.info.title or "")) for d, doc in docs.items()}
        self.pairs: list[Pair] = []
        w = self.params["weights"]
        # Cosines of one model sit in a narrow band; z-scores over all task-passage pairs
        # make the weight mean the same on another corpus.
        if self.tasks and self.passages:
            cos = vectors[self.tasks] @ vectors[self.passages].T
            mu, sd = float(cos.mean()), float(cos.std()) + 1e-6
        else:
            cos, mu, sd = None, 0.0, 1.0
        passages = np.array(self.passages, dtype=np.int64)
        for i, t in enumerate(self.tasks):
            tc = chunks[t]
            holders = succession.held_by(directory, tc.lead, as_of) if directory else []
            supporters = succession.held_by(directory, tc.support, as_of) if directory else []
            if searcher is not None and len(passages):
                scores, toks = searcher.lexical_scores(tc.display_text)
                lex = [float(x) for x in scores[passages]]
                cov = [searcher.coverage(toks, int(p))[1] for p in self.passages]
            else:
                cov = [_share(texts[t], present[p], idf, unseen) for p in self.passages]
                lex = cov
            ranked = sorted(lex, reverse=True)
            for j, p in enumerate(self.passages):
                pc = chunks[p]
                who = issuer.get(pc.doc)
                other = ranked[1] if lex[j] == ranked[0] and len(ranked) > 1 else ranked[0]
                f = {"dense": (float(cos[i, j]) - mu) / sd,
                     "lexical": lex[j], "coverage": cov[j], "margin": lex[j] - other,
                     "agency": 1.0 if who and (who in tc.lead or who in holders) else
                               0.5 if who and (who in tc.support or who in supporters) else 0.0,
                     "topic": _share(_pairs(docs[pc.doc].info.title or ""), titles.get(tc.doc, set()), idf,
                                     unseen)}
                score = self.params["bias"] + sum(w.get(k, 0.0) * f[k] for k in FEATURES)
                self.pairs.append(Pair(t, p, f, round(score, 4)))
        self._by_task, self._by_passage = select(self.pairs, self.params)

    @staticmethod
    def _not_done(chunk: Chunk, cues: list[str]) -> bool:
        """In a section on shortcomings, next year's tasks or proposals (by any enclosing heading,
        or the passage opening with such a heading)."""
        opening = fold(chunk.display_text[:120]).lstrip(" .-)0123456789ivx")
        return any(c in ocr_fold(h) for h in chunk.headings for c in cues) or any(opening.startswith(c)
                                                                                    for c in cues)

    @staticmethod
    def _issuer(directory, text: str | None) -> str | None:
        if directory is None or not text:
            return None
        agency = directory.lookup(text)
        return agency.name if agency else None

    def evidence(self, task_id: int) -> list[Evidence]:
        """Report passages on a task, best first."""
        out = []
        for pr in self._by_task.get(task_id, []):
            c = self.chunks[pr.passage]
            out.append(Evidence(doc=c.doc, lines=list(c.lines), section=c.section, text=c.display_text,
                                score=pr.score))
        return out

    def covered_by(self, passage_id: int) -> list[Chunk]:
        """Plan tasks a report passage covers, best first."""
        return [self.chunks[pr.task] for pr in self._by_passage.get(passage_id, [])]

    def has_reports(self) -> bool:
        return bool(self.passages)
