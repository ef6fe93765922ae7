"""From retrieved chunks to an answer: re-rank by intent, decide, and say it in Vietnamese.

The sentence is built only from the tasks' own fields: an agency or a date
that is not in the plan is never invented; a missing field is stated as missing.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kehoach.corpus.grammar import heading_agencies, named_agencies, read_assignment
from kehoach.corpus.text import fold
from kehoach.index.search import Hit
from kehoach.qa.intent import Understanding
from kehoach.records import Answer, Chunk, Result

DEFAULT_CALIBRATION = {
    # Re-ranking bonuses by intent (added to the fused score).
    "bonus_field": 0.6, "bonus_narrative_fact": 0.6, "bonus_agency_lead": 1.0, "bonus_agency_support": 0.3,
    # Logistic model of P(top result answers the question), features in FEATURES order.
    "weights": [0.2, 1.0, 0.2, 2.0, 2.0, -4.0, 0.5, 1.0, 1.0], "bias": -4.0,
    "threshold": 0.3,
    # Other plans are listed when their best task scores at least this share of the top score.
    "multi_plan_ratio": 0.7,
}
FEATURES = ("score", "lexical", "dense_z", "cov_uni", "cov_bi", "unknown", "margin", "is_task", "agency_match")


@lru_cache(maxsize=1)
def load_calibration() -> dict:
    try:
        data = json.loads(resources.files("kehoach.qa").joinpath("calibration.json").read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    return {**DEFAULT_CALIBRATION, **data}


def rerank(hits: list[Hit], u: Understanding, cal: dict) -> list[Hit]:
    agencies = u.scope or set(u.agencies)
    for h in hits:
        c = h.chunk
        bonus = 0.0
        if c.kind == "task":
            wanted = {"lead": c.lead, "deadline": c.deadline, "support": c.support}
            if wanted.get(u.intent):
                bonus += cal["bonus_field"]
            elif u.intent in ("agency_tasks", "lookup"):
                bonus += cal["bonus_field"] / 2
            if agencies:
                if agencies.intersection(c.lead):
                    bonus += cal["bonus_agency_lead"]
                elif agencies.intersection(c.support):
                    bonus += cal["bonus_agency_support"]
        elif u.intent == "fact":
            bonus += cal["bonus_narrative_fact"]
        h.score += bonus
    return sorted(hits, key=lambda h: -h.score)


def features(hits: list[Hit], u: Understanding, unknown: float = 0.0) -> list[float]:
    if not hits:
        return [0.0] * len(FEATURES)
    top = hits[0]
    margin = top.score - hits[1].score if len(hits) > 1 else top.score
    named = u.scope or set(u.agencies)
    agency_match = float(bool(named.intersection(top.chunk.lead) or named.intersection(top.chunk.support)))
    return [top.score, top.lexical, top.dense_z, top.cov_uni, top.cov_bi, unknown, margin,
            float(top.chunk.kind == "task"), agency_match]


def _sigmoid(weights: list[float], bias: float, x: list[float]) -> float:
    if len(weights) != len(x):   # calibration from an older feature set: refit with kehoach eval --calibrate
        return 0.5
    z = bias + sum(w * v for w, v in zip(weights, x))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def confidence(hits: list[Hit], u: Understanding, cal: dict, unknown: float = 0.0) -> float:
    """P(the top result answers the question), calibrated on the dev questions."""
    return _sigmoid(cal["weights"], cal["bias"], features(hits, u, unknown))


def answerable(hits: list[Hit], u: Understanding, cal: dict, unknown: float = 0.0) -> float:
    """P(the plans answer the question at all): decides `found`."""
    return _sigmoid(cal.get("found_weights", cal["weights"]), cal.get("found_bias", cal["bias"]),
                    features(hits, u, unknown))


# ---- the sentence -------------------------------------------------------------------

def _agencies(names: list[str], successor_of) -> str:
    out = []
    for n in names:
        succ = successor_of(n)
        out.append(f"{n} (nay là {succ})" if succ else n)
    return ", ".join(out)


def _where(plan: str, section: str) -> str:
    return f"{plan}, mục {section}" if section else plan


@dataclass
class Composer:
    plans: dict[str, str]                 # doc -> human title
    successor_of: callable                # canonical name -> today's agency or None

    def task_sentence(self, h: Hit, intent: str) -> str:
        c = h.chunk
        where = _where(self.plans.get(c.doc, c.doc), c.section)
        if c.lead:
            lead = f"{_agencies(c.lead, self.successor_of)} chủ trì"
        elif lead_printed(c):
            # The text names who acts but no field was read: never claim the plan names nobody.
            lead = f"chưa đọc được cơ quan chủ trì thành dữ liệu; nguyên văn: «{_quote(c.display_text, 300)}»"
        else:
            lead = "kế hoạch không nêu cơ quan chủ trì"
        support = (f"phối hợp: {_agencies(c.support, self.successor_of)}" if c.support
                   else "kế hoạch không nêu cơ quan phối hợp")
        deadline = (f"thời gian thực hiện: {c.deadline.rstrip('. ')}" if c.deadline
                    else "kế hoạch không nêu thời gian thực hiện")
        # The field asked for comes first; a field the plan leaves out is said to be missing.
        first = {"deadline": deadline, "support": support}.get(intent, lead)
        rest = [p for p in (lead, support, deadline) if p is not first]
        if intent not in ("support",) and not c.support:
            rest = [p for p in rest if p is not support]   # "no coordinators" only matters when asked
        parts = [first[:1].upper() + first[1:], *rest]
        return f"{'; '.join(p for p in parts if p)} ({where})."

    def narrative_sentence(self, h: Hit, intent: str = "") -> str:
        c = h.chunk
        quote = (f"Theo {_where(self.plans.get(c.doc, c.doc), c.section)}, dòng {c.lines[0]}–{c.lines[1]}: "
                 f"«{_quote(c.display_text, 400)}»")
        field = _FIELD_NAMES.get(intent)
        if field:
            # A passage answers, but no task with fields was read from it: say so, and quote it.
            return f"Không đọc được {field} thành dữ liệu từ văn bản; đoạn văn liên quan — {quote}"
        return quote

    def compose(self, u: Understanding, hits: list[Hit], found: bool, cal: dict) -> str:
        if not found or not hits:
            return ("Không tìm thấy nội dung trả lời câu hỏi này trong các kế hoạch đã nạp. "
                    "Hãy thử diễn đạt khác hoặc nêu rõ lĩnh vực, cơ quan.")
        top = hits[0]
        if u.intent == "agency_tasks" and u.agencies:
            return self._agency_tasks(u, hits)
        if top.chunk.kind != "task":
            return self.narrative_sentence(top, u.intent)
        others = self._other_plans(hits, cal)
        if not others:
            return self.task_sentence(top, u.intent)
        lines = [f"Nội dung này có trong {len(others) + 1} văn bản:"]
        for i, h in enumerate([top, *others], 1):
            lines.append(f"{i}) {self.task_sentence(h, u.intent)}")
        return "\n".join(lines)

    def _other_plans(self, hits: list[Hit], cal: dict) -> list[Hit]:
        """The best task of each other plan that answers as fully as the top one: nearly its score,
        every query syllable the top one has, and at least half of the query's syllable pairs."""
        top = hits[0]
        seen, out = {top.chunk.doc}, []
        for h in hits[1:]:
            if (h.chunk.kind == "task" and h.chunk.doc not in seen and top.score > 0
                    and h.score >= cal["multi_plan_ratio"] * top.score
                    and h.cov_uni >= top.cov_uni and h.cov_bi >= 0.5):
                seen.add(h.chunk.doc)
                out.append(h)
        return out

    def _agency_tasks(self, u: Understanding, hits: list[Hit]) -> str:
        names = u.scope or set(u.agencies)
        leads = [h for h in hits if h.chunk.kind == "task" and names.intersection(h.chunk.lead)]
        lead_ids = {h.chunk.id for h in leads}   # ids, not dataclass equality: listings can be long
        supports = [h for h in hits if h.chunk.kind == "task" and h.chunk.id not in lead_ids
                    and names.intersection(h.chunk.support)]
        who = ", ".join(u.agencies)
        if not leads and not supports:
            passages = naming_passages(u, hits)
            if passages:
                # A plan whose tasks were not read as data: the passages that name the agency.
                out = [f"Chưa đọc được nhiệm vụ của {who} thành dữ liệu; các đoạn văn nêu {who}:"]
                for i, h in enumerate(passages[:5], 1):
                    c = h.chunk
                    out.append(f"{i}) «{_quote(c.display_text, 240)}» "
                               f"({_where(self.plans.get(c.doc, c.doc), c.section)}, dòng {c.lines[0]}–{c.lines[1]})")
                return "\n".join(out)
            return f"Không tìm thấy nhiệm vụ phù hợp giao cho {who} trong các kế hoạch đã nạp."
        out = []
        if leads:
            out.append(f"{who} chủ trì {len(leads)} nhiệm vụ phù hợp:")
            for i, h in enumerate(leads[:5], 1):
                c = h.chunk
                text = c.display_text
                if len(text) > 160:
                    text = text[:157].rsplit(" ", 1)[0] + "…"
                dl = c.deadline.rstrip(". ") if c.deadline else "không nêu thời gian"
                out.append(f"{i}) {text} ({dl}; {_where(self.plans.get(c.doc, c.doc), c.section)})")
        if supports:
            out.append(f"Phối hợp thực hiện {len(supports)} nhiệm vụ khác, ví dụ: "
                       + "; ".join(_where(self.plans.get(h.chunk.doc, h.chunk.doc), h.chunk.section)
                                   for h in supports[:3]) + ".")
        return "\n".join(out)


_FIELD_NAMES = {"lead": "cơ quan chủ trì", "support": "cơ quan phối hợp", "deadline": "thời hạn"}


def _quote(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def lead_printed(c: Chunk) -> bool:
    """The task's own sentence, or the agency heading above it, names who acts."""
    if read_assignment(c.display_text).lead:
        return True
    return any(heading_agencies(h) for h in c.headings[-2:])


def _mentions(text: str, names: set[str]) -> bool:
    f = fold(text)
    return any(fold(n) and fold(n) in f for n in names)


def _initials(name: str) -> str:
    """"Sở Kế hoạch và Đầu tư" -> "so khdt", "Sở KH&ĐT" -> "so khdt": an abbreviation meets its name."""
    words = [w for w in re.split(r"[\s&\-–]+", name.strip()) if w]
    if not words:
        return ""
    rest = [w for w in words[1:] if fold(w) != "va"]
    letters = "".join(fold(w) if w.isupper() else fold(w)[:1] for w in rest)   # KH&ĐT: KH, ĐT whole
    return f"{fold(words[0])} {letters}"


def _names_in(c: Chunk, printed: list[str]) -> bool:
    """One of the printed names is among the chunk's agencies, headings or words (folded or abbreviated)."""
    keys = [fold(p) for p in printed]
    names = [fold(n) for n in (*c.lead, *c.support)]
    text = fold(" ".join([c.display_text, *c.headings]))
    if any(k in text or any(k in n or (n and n in k) for n in names) for k in keys if k):
        return True
    short = {_initials(p) for p in printed}
    return any(_initials(n) in short for n in (*c.lead, *c.support))


def naming_passages(u: Understanding, hits: list[Hit]) -> list[Hit]:
    names = u.scope or set(u.agencies)
    return [h for h in hits if h.chunk.kind != "task" and _mentions(h.chunk.display_text, names)]


def agency_absent(u: Understanding, hits: list[Hit], depth: int = 5) -> bool:
    """The question names agencies, and none of the best results gives them any role or names them."""
    names = u.scope or set(u.agencies)
    if not names and hits:
        # An agency the directory does not know ("Bộ Y tế" in a province's directory): read it off the
        # question by its head and look for it, as printed, in the results.
        printed = named_agencies(u.question)
        return bool(printed) and not any(_names_in(h.chunk, printed) for h in hits[:depth * 2])
    if not names or not hits:
        return False
    for h in hits[:depth]:
        c = h.chunk
        if names.intersection(c.lead) or names.intersection(c.support):
            return False
        if (c.kind != "task" or not (c.lead or c.support)) and _mentions(c.display_text, names):
            return False
    return True


def to_result(h: Hit, plans: dict[str, str]) -> Result:
    c = h.chunk
    return Result(doc=c.doc, plan=plans.get(c.doc, c.doc), lines=list(c.lines), section=c.section, text=c.text,
                  lead=list(c.lead), support=list(c.support), deadline=c.deadline, score=round(h.score, 4),
                  text_restored=c.text_restored, due=c.due)


def build_answer(question: str, u: Understanding, hits: list[Hit], composer: Composer, k: int,
                 cal: dict, unknown: float = 0.0) -> Answer:
    conf = confidence(hits, u, cal, unknown)
    # Tasks filtered by the agency the question names answer "what does X do" by construction.
    listed = u.intent == "agency_tasks" and bool(u.agencies) and bool(hits) and not agency_absent(u, hits, len(hits))
    found = bool(hits) and (answerable(hits, u, cal, unknown) >= cal["threshold"] or listed)
    if found and agency_absent(u, hits):
        # The topic is in the plans but the agency asked about has no part in it: no answer, not a guess.
        found = False
    text = composer.compose(u, hits, found, cal)
    return Answer(question=question, intent=u.intent, found=found, confidence=conf, answer=text,
                  results=[to_result(h, composer.plans) for h in hits[:k]])
