"""From retrieved chunks to an answer: re-rank by intent, decide, and say it in Vietnamese.

The sentence is built only from the tasks' own fields: an agency or a date
that is not in the plan is never invented; a missing field is stated as missing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kehoach.corpus.grammar import heading_agencies, read_assignment
from kehoach.corpus.text import fold
from kehoach.index.search import Hit
from kehoach.qa import status as st
from kehoach.qa import succession
from kehoach.qa.giver import giver_only
from kehoach.qa.intent import Understanding
# Re-exported: the agency and role checks lived here before qa/named.py.
from kehoach.qa.named import agency_absent, naming_passages, role_absent  # noqa: F401
from kehoach.records import Answer, Chunk, Evidence, Result

DEFAULT_CALIBRATION = {
    # Re-ranking bonuses by intent (added to the fused score).
    "bonus_field": 0.6, "bonus_narrative_fact": 0.6, "bonus_agency_lead": 1.0, "bonus_agency_support": 0.3,
    "bonus_asked_head": 0.3,   # a task whose lead (or support) opens with the head asked for ("Bộ nào")
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
            if u.asked_head and u.intent in ("lead", "support") and any(
                    fold(a).startswith(u.asked_head + " ") for a in (c.lead if u.intent == "lead" else c.support)):
                bonus += cal["bonus_asked_head"]   # "Bộ nào …?" is answered by a Bộ
            if agencies:
                if agencies.intersection(c.lead):
                    bonus += cal["bonus_agency_lead"]
                elif agencies.intersection(c.support):
                    bonus += cal["bonus_agency_support"]
        elif u.intent == "fact":
            bonus += cal["bonus_narrative_fact"]
        h.score += bonus
    ranked = sorted(hits, key=lambda h: -h.score)
    return _task_first(ranked, u)


FIELD_INTENTS = ("lead", "support", "deadline")
TASK_SHORTLIST = 5
OPENING_LINES = 3     # a chunk starting this early is the document's header and title
# A score below this share of the task ranked just above it ends an agency's list of tasks on a topic; on the
# bundled plans such falls run 0.45-0.55 where the topic's tasks end and 0.8-1.0 among either side's tasks.
TOPIC_FALL = 0.6


def _task_first(ranked: list[Hit], u: Understanding) -> list[Hit]:
    """A question about a task's field whose best passage is a plan's opening block (its header and title)
    is answered by that plan's best task in the shortlist: the title repeats the question's topic words, the
    assignment is the answer. Narrative further in (a closing section, a period of implementation) answers
    questions about the plan itself and keeps its place."""
    if u.intent not in FIELD_INTENTS or not ranked or ranked[0].chunk.kind == "task" \
            or ranked[0].chunk.lines[0] > OPENING_LINES:
        return ranked
    top = ranked[0]
    mine = [(i, h) for i, h in enumerate(ranked[1:TASK_SHORTLIST], 1)
            if h.chunk.kind == "task" and h.chunk.doc == top.chunk.doc]
    if not mine:
        return ranked
    # The title matched the plan; of its tasks, the one holding most of the question's own words answers
    # (the dense model, reading a task without its title, favours one that repeats the title's subject).
    i, h = max(mine, key=lambda ih: (round(ih[1].cov_uni + ih[1].cov_bi, 6), -ih[0]))
    h.score = max(h.score, top.score)
    return [h] + ranked[:i] + ranked[i + 1:]


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

def _agencies(names: list[str], now_of) -> str:
    out = []
    for n in names:
        now = [h for h in now_of(n) if h != n]
        out.append(f"{n} (nay là {', '.join(now)})" if now else n)
    return ", ".join(out)


def _where(plan: str, section: str) -> str:
    return f"{plan}, mục {section}" if section else plan


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"


def report_name(title: str) -> str:
    """"Báo cáo năm 2025 của Sở KH&CN tỉnh Quảng Ngãi về tình hình ..." -> the part before "về"."""
    return title.split(" về ", 1)[0] if " về " in title else _clip(title, 90)


@dataclass
class Composer:
    plans: dict[str, str]                 # doc -> human title
    successor_of: callable                # canonical name -> today's agency or None
    directory: object = None              # for dated holders and one-way roles; None: successor_of only
    evidence_of: callable = None          # chunk -> list[Evidence]; None: no report linking
    issuers: dict | None = None           # doc -> issuing body as printed in its header

    def holders(self, name: str, as_of=None) -> list[str]:
        if self.directory is not None:
            return succession.holders(self.directory, name, as_of)
        succ = self.successor_of(name)
        return [succ] if succ else [name]

    def evidence(self, chunk) -> list[Evidence]:
        return list(self.evidence_of(chunk)) if self.evidence_of and chunk.kind == "task" else []

    def status_words(self, chunk, as_of=None) -> str:
        """", đã quá hạn từ năm 2020" for an overdue task; "" otherwise."""
        year = st.overdue_since(chunk, as_of)
        return f" — đã quá hạn từ năm {year}" if year else ""

    def evidence_words(self, chunk) -> str:
        ev = self.evidence(chunk)
        if not ev:
            return ""
        e = ev[0]
        return (f" {report_name(self.plans.get(e.doc, e.doc))}, {_where('', e.section).lstrip(', ') or 'đầu văn bản'}"
                f" (dòng {e.lines[0]}–{e.lines[1]}): «{_clip(e.text, 200)}»")

    def task_sentence(self, h: Hit, intent: str, as_of=None) -> str:
        c = h.chunk
        where = _where(self.plans.get(c.doc, c.doc), c.section)
        now_of = lambda n: self.holders(n, as_of)  # noqa: E731
        if c.lead:
            lead = f"{_agencies(c.lead, now_of)} chủ trì"
        elif lead_printed(c):
            # The text names who acts but no field was read: never claim the plan names nobody.
            lead = f"chưa đọc được cơ quan chủ trì thành dữ liệu; nguyên văn: «{_clip(c.display_text, 300)}»"
        else:
            lead = "kế hoạch không nêu cơ quan chủ trì"
        support = (f"phối hợp: {_agencies(c.support, now_of)}" if c.support
                   else "kế hoạch không nêu cơ quan phối hợp")
        deadline = (f"thời gian thực hiện: {c.deadline.rstrip('. ')}{self.status_words(c, as_of)}" if c.deadline
                    else "kế hoạch không nêu thời gian thực hiện")
        # The field asked for comes first; a field the plan leaves out is said to be missing.
        first = {"deadline": deadline, "support": support}.get(intent, lead)
        rest = [p for p in (lead, support, deadline) if p is not first]
        if intent not in ("support",) and not c.support:
            rest = [p for p in rest if p is not support]   # "no coordinators" only matters when asked
        parts = [first[:1].upper() + first[1:], *rest]
        said = f"{'; '.join(p for p in parts if p)} ({where})."
        return said + self.evidence_words(c)

    def narrative_sentence(self, h: Hit, intent: str = "") -> str:
        c = h.chunk
        quote = (f"Theo {_where(self.plans.get(c.doc, c.doc), c.section)}, dòng {c.lines[0]}–{c.lines[1]}: "
                 f"«{_clip(c.display_text, 400)}»")
        field = _FIELD_NAMES.get(intent)
        if field:
            # A passage answers, but no task with fields was read from it: say so, and quote it.
            return f"Không đọc được {field} thành dữ liệu từ văn bản; đoạn văn liên quan — {quote}"
        return quote

    def compose(self, u: Understanding, hits: list[Hit], found: bool, cal: dict, as_of=None) -> str:
        if not found or not hits:
            return ("Không tìm thấy nội dung trả lời câu hỏi này trong các kế hoạch đã nạp. "
                    "Hãy thử diễn đạt khác hoặc nêu rõ lĩnh vực, cơ quan.")
        top = hits[0]
        if u.intent == "agency_tasks" and u.agencies:
            return self._agency_tasks(u, hits, as_of)
        if top.chunk.kind != "task":
            return self.narrative_sentence(top, u.intent)
        others = self._other_plans(hits, cal)
        if not others:
            return self.task_sentence(top, u.intent, as_of)
        lines = [f"Nội dung này có trong {len(others) + 1} văn bản:"]
        for i, h in enumerate([top, *others], 1):
            lines.append(f"{i}) {self.task_sentence(h, u.intent, as_of)}")
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

    def _scope(self, u: Understanding, as_of=None):
        if self.directory is not None and u.agencies:
            found = succession.scope(self.directory, u.agencies[0], as_of)
            if found:
                return found
        return succession.Scope(name=u.agencies[0] if u.agencies else "", own=u.scope or set(u.agencies))

    def leads_first(self, u: Understanding, hits: list[Hit], as_of=None) -> list[Hit]:
        """"What must X do": the tasks X leads (its own or taken over) before those it only supports, as the
        answer lists them; each group keeps its order, and other passages keep their places."""
        scope = self._scope(u, as_of)
        leads = [h for h in hits if h.chunk.kind == "task" and scope.names.intersection(h.chunk.lead)]
        supports = [h for h in hits if h.chunk.kind == "task" and not scope.names.intersection(h.chunk.lead)
                    and scope.names.intersection(h.chunk.support)]
        tasks = iter(leads + supports)
        mine = {id(h) for h in leads + supports}
        return [next(tasks) if id(h) in mine else h for h in hits]

    def _agency_tasks(self, u: Understanding, hits: list[Hit], as_of=None) -> str:
        scope = self._scope(u, as_of)
        rows = [(h, scope.role(h.chunk.lead, h.chunk.support)) for h in hits if h.chunk.kind == "task"]
        rows = on_topic([(h, r) for h, r in rows if r]) if u.keywords else [(h, r) for h, r in rows if r]
        now = [n for n in self.holders(scope.name, as_of) if n != scope.name]
        who = f"{scope.name} (nay là {', '.join(now)})" if now else scope.name
        if not rows:
            passages = naming_passages(u, hits)
            if passages:
                # A plan whose tasks were not read as data: the passages that name the agency.
                out = [f"Chưa đọc được nhiệm vụ của {who} thành dữ liệu; các đoạn văn nêu {who}:"]
                for i, h in enumerate(passages[:5], 1):
                    c = h.chunk
                    out.append(f"{i}) «{_clip(c.display_text, 240)}» "
                               f"({_where(self.plans.get(c.doc, c.doc), c.section)}, dòng {c.lines[0]}–{c.lines[1]})")
                return "\n".join(out)
            return f"Không tìm thấy nhiệm vụ phù hợp giao cho {who} trong các kế hoạch đã nạp."
        by_role = {r: [(h, o) for h, (role, o) in rows if role == r]
                   for r in (succession.LEAD, succession.TAKEN, succession.SUPPORT)}
        out = [f"{who}: {len(rows)} nhiệm vụ phù hợp ({succession.counts_text([r for _, (r, _) in rows])})."]

        def line(i: int, h: Hit, origin: list[str]) -> str:
            c = h.chunk
            dl = c.deadline.rstrip(". ") if c.deadline else "không nêu thời gian"
            took = f"; tiếp nhận từ {', '.join(origin)}" if origin else ""
            ev = "; đã có báo cáo" if self.evidence(c) else ""
            return (f"{i}) {_clip(c.display_text, 160)} ({dl}{self.status_words(c, as_of)}{took}{ev}; "
                    f"{_where(self.plans.get(c.doc, c.doc), c.section)})")
        if by_role[succession.LEAD]:
            out.append(f"Chủ trì {len(by_role[succession.LEAD])} nhiệm vụ:")
            out += [line(i, h, o) for i, (h, o) in enumerate(by_role[succession.LEAD][:5], 1)]
        if by_role[succession.TAKEN]:
            origins = ", ".join(dict.fromkeys(n for _, o in by_role[succession.TAKEN] for n in o))
            out.append(f"Tiếp nhận {len(by_role[succession.TAKEN])} nhiệm vụ từ {origins}:")
            out += [line(i, h, o) for i, (h, o) in enumerate(by_role[succession.TAKEN][:5], 1)]
        if by_role[succession.SUPPORT]:
            out.append(f"Phối hợp thực hiện {len(by_role[succession.SUPPORT])} nhiệm vụ khác, ví dụ: "
                       + "; ".join(_where(self.plans.get(h.chunk.doc, h.chunk.doc), h.chunk.section)
                                   for h, _ in by_role[succession.SUPPORT][:3]) + ".")
        return "\n".join(out)

    def result(self, h: Hit, u: Understanding | None = None, as_of=None) -> Result:
        """One JSON result: the chunk's fields, its status and holders on `as_of`, its evidence."""
        r = to_result(h, self.plans)
        c = h.chunk
        if c.kind != "task":
            return r
        r.due, r.status = st.due_of(c), st.status_of(c, as_of)
        r.held_by = list(dict.fromkeys(x for n in c.lead for x in self.holders(n, as_of)))
        if u is not None and u.agencies:
            role = self._scope(u, as_of).role(c.lead, c.support)
            r.taken_over_from = role[1] if role else []
        r.evidence = self.evidence(c)
        return r


_FIELD_NAMES = {"lead": "cơ quan chủ trì", "support": "cơ quan phối hợp", "deadline": "thời hạn"}


def lead_printed(c: Chunk) -> bool:
    """The task's own sentence, or the agency heading above it, names who acts."""
    if read_assignment(c.display_text).lead:
        return True
    return any(heading_agencies(h) for h in c.headings[-2:])


def to_result(h: Hit, plans: dict[str, str]) -> Result:
    c = h.chunk
    return Result(doc=c.doc, plan=plans.get(c.doc, c.doc), lines=list(c.lines), section=c.section, text=c.text,
                  lead=list(c.lead), support=list(c.support), deadline=c.deadline, score=round(h.score, 4),
                  text_restored=c.text_restored, due=c.due)


def on_topic(rows: list[tuple[Hit, object]]) -> list[tuple[Hit, object]]:
    """An agency's tasks ranked for a topic, up to the first sharp fall in relevance: the retrieval depth is
    no count of tasks "about" the topic, and past the fall come the agency's other work (or another
    province's namesake department). Without a fall, all of them."""
    for i in range(1, len(rows)):
        before, here = rows[i - 1][0].score, rows[i][0].score
        if before > 0 and here < TOPIC_FALL * before:
            return rows[:i]
    return rows


def build_answer(question: str, u: Understanding, hits: list[Hit], composer: Composer, k: int,
                 cal: dict, unknown: float = 0.0, as_of=None, topic_elsewhere: bool = False,
                 topic_missing: bool = False) -> Answer:
    conf = confidence(hits, u, cal, unknown)
    # Tasks filtered by the agency the question names answer "what does X do" by construction.
    issuers = composer.issuers
    listed = u.intent == "agency_tasks" and bool(u.agencies) and bool(hits) \
        and not agency_absent(u, hits, len(hits), issuers)
    found = bool(hits) and (answerable(hits, u, cal, unknown) >= cal["threshold"] or listed)
    if found and agency_absent(u, hits, issuers=issuers):
        # The topic is in the plans but the agency asked about has no part in it: no answer, not a guess.
        found = False
    if found and role_absent(u, hits):
        found = False
    if found and giver_only(u, hits):
        found = False
    if found and topic_missing:
        # The best passages match the plan's header, not what is asked of it (qa/topic.py).
        found = False
    if found and topic_elsewhere:
        # The topic is in a plan where the agency asked about has no task: no answer from its other plans.
        found = False
    text = composer.compose(u, hits, found, cal, as_of)
    if u.intent == "agency_tasks" and u.agencies:
        hits = composer.leads_first(u, hits, as_of)
    return Answer(question=question, intent=u.intent, found=found, confidence=conf, answer=text,
                  results=[composer.result(h, u, as_of) for h in hits[:k]])
