""""X giao ai …?": the question asks whom X gives the work to. A task X leads itself names no one X gave it
to, so it does not answer (issue 9: a ministry's own task was offered as the body it assigns)."""
from __future__ import annotations

import re

from kehoach.corpus.text import fold
from kehoach.index.search import Hit
from kehoach.qa.intent import Understanding

_GIVES = re.compile(r"\bgiao\s+(?:cho\s+)?(?:ai|don vi nao|co quan nao|so nao|bo nao|phong nao)\b")


def givers(u: Understanding) -> set[str]:
    """The agencies the question names before "giao ai": those who give the work, not those asked about."""
    folded = fold(u.question)
    m = _GIVES.search(folded)
    if not m:
        return set()
    before = folded[:m.start()]
    return {a for a in u.agencies if fold(a) and fold(a) in before}


def giver_only(u: Understanding, hits: list[Hit]) -> bool:
    """The best task is led by the giver alone: nobody it gave the work to is printed there."""
    if u.intent != "lead" or not hits or hits[0].chunk.kind != "task" or not hits[0].chunk.lead:
        return False
    named = givers(u)
    return bool(named) and set(hits[0].chunk.lead) <= named
