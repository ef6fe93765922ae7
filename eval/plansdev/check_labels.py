"""Validate the hand labels of eval/plansdev/ and eval/evidence/ against the files as kehoach loads them.

Run: python eval/plansdev/check_labels.py [PLANS_DEV_DIR]   (exit status 1 and one line per problem on failure)
Checks: JSON parses; keys; spans inside the file; each quote verbatim inside its span; deadlines printed in
the document; `due` an ISO date; one split per document; question gold quotes on exactly one line.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import sys
from pathlib import Path

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.loaders import load_lines

HERE = Path(__file__).resolve().parent
EVIDENCE = HERE.parent / "evidence"
PLANS_DEV = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/plans-dev")
TASK_KEYS = {"doc", "section", "lines", "quote", "lead", "support", "deadline", "due", "recurring",
             "complete_doc", "split", "layout", "note"}
Q_KEYS = {"id", "question", "intent", "answerable", "tags", "gold"}
G_KEYS = {"doc", "quote", "section", "lead", "support", "deadline", "deadline_years", "recurring"}
INTENTS = {"lead", "support", "deadline", "agency_tasks", "lookup", "fact", "none"}
problems: list[str] = []
_cache: dict[str, list[str]] = {}


def lines_of(doc: str) -> list[str]:
    if doc not in _cache:
        path = PLANS_DEV / doc
        if not path.exists():
            path = bundled_corpus_dir() / doc
        _cache[doc] = load_lines(path)
    return _cache[doc]


def squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def rows(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                problems.append(f"{path.name}:{n}: not JSON ({e})")
    return out


def check_span(where: str, doc: str, span, quote: str | None = None) -> None:
    lines = lines_of(doc)
    s, e = span
    if not (1 <= s <= e <= len(lines)):
        problems.append(f"{where}: span {span} outside 1..{len(lines)} of {doc}")
        return
    if quote is not None and not any(quote in lines[i - 1] for i in range(s, e + 1)):
        problems.append(f"{where}: quote not in lines {span} of {doc}: {quote!r}")


def check_tasks() -> None:
    split_of: dict[str, str] = {}
    for n, t in enumerate(rows(HERE / "tasks.jsonl"), 1):
        where = f"tasks.jsonl:{n}"
        if set(t) != TASK_KEYS:
            problems.append(f"{where}: keys {sorted(set(t) ^ TASK_KEYS)}")
            continue
        check_span(where, t["doc"], t["lines"], t["quote"])
        whole_cell = t["quote"] in lines_of(t["doc"])  # a short table cell is quoted whole
        if len(t["quote"]) < 20 and not whole_cell:
            problems.append(f"{where}: quote shorter than 20 characters")
        if not t["lead"] or set(t["lead"]) & set(t["support"]):
            problems.append(f"{where}: lead empty or shared with support")
        if t["deadline"] is not None and squash(t["deadline"]) not in squash("\n".join(lines_of(t["doc"]))):
            problems.append(f"{where}: deadline not printed in {t['doc']}: {t['deadline']!r}")
        if t["due"] is not None:
            try:
                datetime.date.fromisoformat(t["due"])
            except ValueError:
                problems.append(f"{where}: due not ISO: {t['due']!r}")
            if t["deadline"] is None:
                problems.append(f"{where}: due without a deadline")
        if split_of.setdefault(t["doc"], t["split"]) != t["split"] or t["split"] not in ("dev", "heldout"):
            problems.append(f"{where}: split {t['split']} differs for {t['doc']}")


def check_questions() -> None:
    ids = set()
    task_split = {t["doc"]: t["split"] for t in rows(HERE / "tasks.jsonl")}
    for name in ("dev", "heldout"):
        path = HERE / f"{name}.jsonl"
        if not path.exists():
            continue
        for q in rows(path):
            where = f"{name}.jsonl:{q.get('id')}"
            if set(q) != Q_KEYS or q["intent"] not in INTENTS or q["id"] in ids:
                problems.append(f"{where}: keys, intent or duplicate id")
                continue
            ids.add(q["id"])
            if q["answerable"] != bool(q["gold"]):
                problems.append(f"{where}: answerable iff gold")
            for g in q["gold"]:
                if set(g) != G_KEYS:
                    problems.append(f"{where}: gold keys {sorted(set(g) ^ G_KEYS)}")
                    continue
                hits = [i for i, line in enumerate(lines_of(g["doc"]), 1) if g["quote"] in line]
                if len(hits) != 1 or not 15 <= len(g["quote"]) <= 80:
                    problems.append(f"{where}: quote on {len(hits)} lines / length {len(g['quote'])}: {g['quote']!r}")
                if g["doc"] in task_split and task_split[g["doc"]] != name:
                    problems.append(f"{where}: gold doc {g['doc']} belongs to split {task_split[g['doc']]}")
                if g["deadline"] is not None and squash(g["deadline"]) not in squash("\n".join(lines_of(g["doc"]))):
                    problems.append(f"{where}: deadline not printed: {g['deadline']!r}")


def check_links() -> None:
    path = EVIDENCE / "links.jsonl"
    if not path.exists():
        return
    for n, link in enumerate(rows(path), 1):
        where = f"links.jsonl:{n}"
        if not {"task", "report", "label", "split", "note"} <= set(link) <= {"task", "report", "label", "split", "note",
                                                                          "added"} or link["label"] not in (0, 1):
            problems.append(f"{where}: keys or label")
            continue
        check_span(where, link["task"]["doc"], link["task"]["lines"])
        if link["report"] is None:
            if link["label"] != 0:
                problems.append(f"{where}: a null report must be label 0")
        else:
            check_span(where, link["report"]["doc"], link["report"]["lines"])
        # The split is the task id's hash (eval/evidence/README.md), so added labels cannot pick their side.
        task_key = f"{link['task']['doc']}|{link['task']['section']}".encode()
        if link["split"] != ("a" if int(hashlib.sha1(task_key).hexdigest(), 16) % 2 == 0 else "b"):
            problems.append(f"{where}: split is not the hash of the task id")


if __name__ == "__main__":
    check_tasks()
    check_questions()
    check_links()
    for p in problems:
        print(p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)
