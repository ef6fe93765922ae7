"""The agencies a question names, against the results: is the agency asked about in them at all, and in
the role asked for?

Split from answer.py (which composes the sentence): these rules decide `found: false` for a question whose
topic is in the plans but whose agency or role is not (issue 9, deliverable 5).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from kehoach.corpus.grammar import named_agencies, read_assignment
from kehoach.corpus.text import fold
from kehoach.index.search import Hit
from kehoach.qa.intent import Understanding
from kehoach.records import Chunk


@lru_cache(maxsize=1)
def _words() -> dict:
    return json.loads(resources.files("kehoach.qa").joinpath("named_words.json").read_text("utf-8"))


def _mentions(text: str, names: set[str]) -> bool:
    f = fold(text)
    return any(fold(n) and fold(n) in f for n in names)


def _initials(name: str) -> str:
    """"Sở Kế hoạch và Đầu tư" -> "so khdt", "Sở KH&ĐT" -> "so khdt": an abbreviation meets its name."""
    words = [w for w in re.split(r"[\s&\-–,]+", name.strip()) if w]
    if not words:
        return ""
    rest = [w for w in words[1:] if fold(w) != "va"]
    letters = "".join(fold(w) if w.isupper() else fold(w)[:1] for w in rest)   # KH&ĐT: KH, ĐT whole
    return f"{fold(words[0])} {letters}"


def _names_in(c: Chunk, printed: list[str]) -> bool:
    """One of the printed names is among the chunk's agencies, headings or words (folded or abbreviated)."""
    keys = [fold(p) for p in printed]
    # "phòng Lao động cấp huyện" asked, "Phòng Lao động - Thương binh và Xã hội cấp huyện" printed: the level
    # qualifies the name, the name is found without it
    keys += [k for k in (re.sub(r"\s+cap\s+\w+$", "", k) for k in keys) if k not in keys]
    names = [fold(n) for n in (*c.lead, *c.support)]
    text = fold(" ".join([c.display_text, *c.headings]))
    if any(k in text or any(k in n or (n and n in k) for n in names) for k in keys if k):
        return True
    short = {_initials(p) for p in printed}
    return any(_initials(n) in short for n in (*c.lead, *c.support))


def _without_place(name: str) -> list[str]:
    """"Phòng KT-HT&ĐT phường Hòa Khánh" -> "Phòng KT-HT&ĐT": a unit asked with its place is the unit its
    own document names without it. Its document may keep the level word and drop only the proper name
    ("Công an phường" in the ward's own plan): that form too. The first two words are the head and never cut.
    A place word is lowercase inside a name, or opens a proper name ("Quận Hải Châu")."""
    words, places = name.split(), set(_words()["places"])
    for i in range(2, len(words)):
        for n in (2, 1):
            rest = words[i + n:]
            if words[i][:1].isupper() and not (rest and rest[0][:1].isupper()):
                continue   # a capitalised word inside the name ("Ban Chỉ huy Quân sự"), not "quận …"
            if fold(" ".join(words[i:i + n])) in places:
                level = [" ".join(words[:i + n])] if rest and rest[0][:1].isupper() else []
                return [" ".join(words[:i]), *level]
    return [name]


def unit_heads() -> list[str]:
    return list(_words()["units"])


def _own_unit(name: str) -> list[str]:
    """"Thanh tra Bộ Khoa học và Công nghệ" -> "Thanh tra Bộ": a body's plans name its own unit so."""
    folded, words = fold(name), name.split()
    for head in unit_heads():
        n = len(head.split())
        if folded.startswith(head + " ") and len(words) > n + 2:
            return [" ".join(words[:n + 1])]
    return []


def same_printed(asked: str, name: str) -> bool:
    """An agency the directory lacks, as the question prints it, is this name of the corpus: equal after
    folding, with or without its place, by its body's own short form ("Thanh tra Bộ"), or by initials
    ("Phòng KT-HT&ĐT" = "Phòng Kinh tế, Hạ tầng và Đô thị")."""
    forms = {asked, *_without_place(asked), *_own_unit(asked)}
    if fold(name) in {fold(f) for f in forms}:
        return True
    short = {_initials(f) for f in forms}
    mine = _initials(name)
    return len(mine.split()[-1:][0] if mine.split() else "") >= 3 and mine in short


def corpus_names(asked: str, name_lists) -> set[str]:
    """The corpus's names for an agency asked as printed (same_printed), one list of a chunk's agencies at a
    time: two neighbours of a list count as one name too, as a name with a comma may have been read as two
    ("Phòng Kinh tế", "Hạ tầng và Đô thị")."""
    out: set[str] = set()
    for names in name_lists:
        for i, n in enumerate(names):
            if same_printed(asked, n):
                out.add(n)
            elif i + 1 < len(names) and same_printed(asked, f"{n}, {names[i + 1]}"):
                out.update((n, names[i + 1]))
    return out


def qualified_names(question: str, surfaces: list[str], name_lists) -> set[str]:
    """Names of the corpus that go on from an agency the question names with the place words the question
    prints after it: "Sở Xây dựng các tỉnh …" asked, "Sở Xây dựng các tỉnh, thành phố trực thuộc trung ương"
    led by a national plan. The directory reads the question's "Sở Xây dựng" only; the place words say which
    bodies are meant, and the national plan's name for them is one the question begins."""
    padded, places = f" {fold(question)} ", {"cac", *_words()["places"]}
    starts = set()
    for s in surfaces:
        at = padded.find(f" {fold(s)} ")
        if at < 0:
            continue
        after = padded[at + len(fold(s)) + 2:].split()[:2]
        if after and after[0] in places:
            starts.add(f"{fold(s)} {after[0]}")
    if not starts:
        return set()
    return {n for names in name_lists for n in names if any(f"{fold(n)} ".startswith(f"{p} ") for p in starts)}


def printed_agencies(question: str) -> list[str]:
    """Agencies the question prints by head and name, without a head word that closes an ordinary word
    ("phục vụ Đề án 06" holds no "Vụ"; "cơ sở Y tế" no "Sở"): those words are listed in named_words.json."""
    compounds = {fold(w) for w in _words()["compounds"]}
    out = []
    for p in named_agencies(question):
        at = question.find(p)
        before = question[:at].split()[-1:] if at > 0 else []
        head = fold(p.split()[0]) if p.split() else ""
        if before and f"{fold(before[0])} {head}" in compounds:
            continue
        out.append(p)
    return out


def asks_who(u: Understanding) -> bool:
    """"Cơ quan nào / ai / Bộ nào …": the answer is an agency, so any agency the question names belongs to
    the topic (whom the work is reported to, whose plan it is), not to the role asked about."""
    padded = f" {fold(u.question)} "
    return bool(u.asked_head) or any(f" {c} " in padded for c in _words()["who"])


def naming_passages(u: Understanding, hits: list[Hit]) -> list[Hit]:
    names = u.scope or set(u.agencies)
    return [h for h in hits if h.chunk.kind != "task" and _mentions(h.chunk.display_text, names)]


def _issued_by(doc: str, names: set[str], issuers: dict | None) -> bool:
    """The plan was issued by the agency named: a ministry's units act in its name ("the deadline of Bộ X's
    circular" is answered by the task its Cục leads in Bộ X's plan)."""
    issuer = fold((issuers or {}).get(doc) or "")
    return bool(issuer) and any(fold(n) and (issuer == fold(n) or issuer.startswith(fold(n) + " ")) for n in names)


def agency_absent(u: Understanding, hits: list[Hit], depth: int = 5, issuers: dict | None = None) -> bool:
    """The question names agencies, and none of the best results gives them any role or names them."""
    names = u.scope or set(u.agencies)
    if not names and hits:
        # An agency the directory does not know ("Bộ Y tế" in a province's directory): read it off the
        # question by its head and look for it, as printed, in the results.
        printed = printed_agencies(u.question)
        return bool(printed) and not any(_names_in(h.chunk, printed) for h in hits[:depth * 2])
    if not names or not hits:
        return False
    in_topic = asks_who(u) and u.intent != "support"
    by_issuer = u.intent not in ("support", "agency_tasks")
    top = hits[0].chunk
    if u.intent == "deadline" and top.kind == "task" and _mentions(top.display_text, names | set(u.surfaces)):
        # "When must the transport firms finish …": the top task names them as those it puts to work ("chỉ
        # đạo các doanh nghiệp vận tải …") while a department leads it; the deadline asked is that task's.
        return False
    for h in hits[:depth]:
        c = h.chunk
        if names.intersection(c.lead) or names.intersection(c.support):
            return False
        if (c.kind != "task" or not (c.lead or c.support)) and _mentions(c.display_text, names):
            return False
        if in_topic and _mentions(c.display_text, names | set(u.surfaces)):
            return False   # named as the question names it ("các địa phương" for the provinces' committees)
        if by_issuer and _issued_by(c.doc, names, issuers):
            return False
    return True


def role_absent(u: Understanding, hits: list[Hit]) -> bool:
    """Who works with X on a task that X leads and whose plan names no partner: the task is in the plans,
    the role asked about is not, so there is nothing to answer (never a partner made up). X is an agency
    the question names, or the task's own lead as printed in the question (a company, a city's inspectorate
    the directory does not list)."""
    if u.intent != "support" or not hits:
        return False
    c = hits[0].chunk
    names = u.scope or set(u.agencies)
    asked = f" {fold(u.question)} "

    def is_asked(lead: str) -> bool:
        return lead in names or (len(fold(lead).split()) >= 2 and f" {fold(lead)} " in asked)
    if c.kind != "task":
        # A passage no task was read from: its item that puts X to work, read by the same grammar.
        for item in _items(c.display_text):
            a = read_assignment(item)
            if a.lead and is_asked(a.lead):
                return not a.support
        return False
    return bool(c.lead) and not c.support and any(is_asked(n) for n in c.lead)


_ITEM_START = re.compile(r"\s+(?=(?:\d+(?:\.\d+)*\.|[a-zđ]\)|[-–+])\s)")


def _items(text: str) -> list[str]:
    """A passage's numbered or dashed items ("2.5. …", "b) …", "- …"), each read on its own."""
    return [p.strip() for p in _ITEM_START.split(text) if p.strip()]
