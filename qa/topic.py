"""Is what the question asks in the best passages at all, beyond the words of their plan's header?

A question about a plan the corpus holds, on a matter the plan does not treat ("Cơ quan nào cấp giấy phép khai
thác nước mặt … ở <tỉnh> năm 2027?" over that province's plan on rural water), matches the plan's header words
(the province, the year, the subject) and draws a confident top result whose own text holds none of what is
asked. Refusing then is right: the plans do not answer (issue 9, deliverable 5).
"""
from __future__ import annotations

from kehoach.corpus.text import fold
from kehoach.index.search import Hit
from kehoach.qa.intent import Understanding, keywords

DEPTH = 5          # the passages looked at: a question one of them answers is not refused
MIN_SHARE = 0.3    # under this share (by IDF) of the asked words in a passage's own text, it does not answer
MIN_WORDS = 3      # fewer asked words beyond the header than this: the header itself may be what is asked
# A top passage whose meaning stands this far (z-score of the dense cosine over the corpus) above the rest answers
# in other words: "mở lớp bồi dưỡng bảo mật cho kỹ thuật viên" asked, "đào tạo an toàn thông tin cho cán bộ"
# printed. On the development sets the answered paraphrases read 3.99-4.66, the near misses that the words
# rightly refuse at most 3.44 (their best passage shares the plan, not the matter).
MEANING_Z = 3.85
MEANING_SHARE = MIN_SHARE / 2


def topic_words(u: Understanding) -> str:
    """The question without how it asks and without the agencies it names, known to the directory or printed
    by their head (their names are no topic, and a passage's own agencies are not counted either)."""
    return keywords(fold(_without_agencies(u)))


def _without_agencies(u: Understanding) -> str:
    from kehoach.qa.named import printed_agencies
    text = u.question
    for s in sorted({*u.surfaces, *printed_agencies(u.question)}, key=len, reverse=True):
        text = text.replace(s, " ")
    return text


def topic_missing(searcher, u: Understanding, hits: list[Hit]) -> bool:
    """None of the best passages holds MIN_SHARE of the asked words their plan's header lacks. Not for
    "what must X do" (the agency's own tasks are listed: its name is the topic). A top passage whose meaning
    plainly matches (MEANING_Z) answers with MEANING_SHARE of the words: words alone cannot tell a paraphrase
    from a miss, but a paraphrase still shares some of them (a festival asked, a notice on pavements read
    4.48 by the dense model and shares only "tổ chức")."""
    if u.intent == "agency_tasks" or not hits:
        return False
    ids = [h.chunk.id for h in hits[:DEPTH]]
    coverage = searcher.topic_coverage(topic_words(u), ids, printed=_without_agencies(u))
    if hits[0].dense_z >= MEANING_Z and coverage[0][0] >= MEANING_SHARE:
        return False
    return all(n >= MIN_WORDS and share < MIN_SHARE for share, n in coverage)


def subject_off_topic(searcher, u: Understanding, hits: list[Hit]) -> bool:
    """"<X> phải … trước ngày nào?": the question opens with the agency that acts. When the top task is another
    agency's and X's own best task in the passages holds under MIN_SHARE of the asked words, the plan gives X
    no such task: the other agency's deadline would answer a question nobody asked (a department's report on
    traffic accidents asked, the plan sets only the transport department's report)."""
    names = u.scope or set(u.agencies)
    if u.intent != "deadline" or not names or not hits or hits[0].chunk.kind != "task":
        return False
    if not any(fold(u.question).startswith(fold(s) + " ") for s in u.surfaces if fold(s)):
        return False

    def acts(h: Hit) -> bool:
        return h.chunk.kind == "task" and bool(names.intersection((*h.chunk.lead, *h.chunk.support)))
    if acts(hits[0]):
        return False
    mine = next((h for h in hits[:DEPTH] if acts(h)), None)
    if mine is None:
        return False   # X in no task at all: qa/named.py's agency_absent decides
    (share, n), = searcher.topic_coverage(topic_words(u), [mine.chunk.id], printed=_without_agencies(u))
    return n >= MIN_WORDS and share < MIN_SHARE
