"""Question understanding: intent, agency named, years, topic words.

Rules over folded text, so "khi nào", "khi nao" and "KHI NÀO" are one cue.
Cue lists (intent_cues.json) describe how Vietnamese asks, not what the known questions say.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

from kehoach.corpus.text import fold

INTENTS = ("lead", "support", "deadline", "agency_tasks", "lookup", "fact")


def _load_cues() -> dict[str, tuple[str, ...]]:
    data = json.loads(resources.files("kehoach.qa").joinpath("intent_cues.json").read_text("utf-8"))
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


_CUES = _load_cues()
_DEADLINE, _SUPPORT, _LEAD = _CUES["deadline"], _CUES["support"], _CUES["lead"]
_AGENCY_TASKS, _FACT, _LOOKUP = _CUES["agency_tasks"], _CUES["fact"], _CUES["lookup"]
_SENDS, _SENDS_TO = _CUES["sends"], _CUES["sends_to"]

_WHO = ("so nao", "don vi nao", "co quan nao")   # the agency is the answer, not the subject

# "Bộ nào", "Sở nào", "Vụ nào": the kind of agency the question asks for (the head its name opens with).
# Not "nhiệm vụ nào", "cán bộ nào": the head must not close another word.
_ASKED_HEAD = re.compile(r"(?<!\w)(?<!nhiem )(?<!can )(?<!su )"
                         r"(tong cuc|chi cuc|trung tam|bo|so|vu|cuc|phong|ban|dai|hoi)\s+nao(?!\w)")
_YEAR = re.compile(r"\b(19[89]\d|20[0-9]\d)\b")
_RANGE = re.compile(r"\b(20\d\d)\s*(?:-|–|—|den|toi|đến|tới)\s*(?:nam\s*)?(20\d\d)\b")


@dataclass
class Understanding:
    question: str
    intent: str
    agencies: list[str] = field(default_factory=list)     # canonical names named in the question
    scope: set[str] = field(default_factory=set)          # those, their predecessors, departments
    years: list[int | None] | None = None                 # [from, to]
    topic: str = ""                                       # what to retrieve with (dense side)
    keywords: str = ""                                    # topic words only (lexical side), folded
    asked_head: str = ""                                  # "bo" for "Bộ nào …?", folded
    surfaces: list[str] = field(default_factory=list)     # the agencies as the question printed them


# How a question asks, not what it asks about: dropped from the lexical query so that BM25
# and coverage measure the topic ("giáo dục STEM"), not "Sở nào chủ trì".
_ASKING = sorted({*_DEADLINE, *_SUPPORT, *_LEAD, *_AGENCY_TASKS, "co quan", "don vi", "thuc hien", "duoc giao",
                  "giao cho", "la gi", "so nao", "nao", "gi", "lo", "bay gio", "hien nay",
                  "nhiem vu", "viec", "khong", "the nao", "nhu the nao", "ke hoach nao"} - {"tien do"},
                 key=lambda c: (-len(c), c))  # ties in a fixed order: set order varies per run


def keywords(folded: str) -> str:
    padded = f" {folded} "
    for cue in _ASKING:
        padded = padded.replace(f" {cue} ", " ")
    return " ".join(padded.split())


def _has(folded: str, cues: tuple[str, ...]) -> bool:
    padded = f" {folded} "
    return any(f" {c} " in padded for c in cues)


def _printed_over_prefix(mentions: list, printed: list) -> list:
    """A question may shorten a directory name ("Sở giáo dục"), but when the words it shares with one are
    the start of a longer name printed with its own head ("Trung tâm Khuyến ngư Quốc gia" is not "Trung tâm
    Khuyến công …"), the printed name is the agency asked about."""
    out = []
    for m in mentions:
        longer = next((p for p in printed if p.start == m.start and p.end > m.end and p.agency.recognised), None)
        if longer is not None and not fold(m.agency.name).startswith(fold(longer.surface)):
            m = longer
        out.append(m)
    return out


def _common_noun(m, question: str) -> bool:
    """A collective entry reached by its bare noun inside the sentence ("khuyến khích doanh nghiệp tận
    dụng…", "vườn ươm doanh nghiệp") is the topic: questions name a collective agency in the plural
    ("các doanh nghiệp") or open with it."""
    if getattr(m.agency, "kind", None) != "group" or m.start is None or not question[:m.start].strip():
        return False
    first = m.surface.split()[0] if m.surface.split() else ""
    return first[:1].islower() and fold(first) not in ("cac", "nhung")


def _other_place(m, question: str) -> bool:
    """A directory name reached by its start ("Ủy ban nhân dân thành phố" of "… thành phố Quảng Ngãi") that
    the question goes on with another proper name ("… thành phố Hải Phòng"): another body, not this one."""
    if m.end is None or not m.surface:
        return False
    nxt = question[m.end:].split()[:1]
    if not nxt or not nxt[0][:1].isupper():
        return False
    surface = fold(m.surface)
    longer = [fold(n) for n in (m.agency.name, *getattr(m.agency, "aliases", ())) if fold(n).startswith(surface + " ")]
    return bool(longer) and not any(n.startswith(f"{surface} {fold(nxt[0])}") for n in longer)


def _addressee(m, question: str) -> bool:
    """An agency the work is sent or reported to ("gửi Sở Tài chính", "trình Bộ", "báo cáo tình hình về Bộ Y
    tế"): the question's topic, not who does the work. A sending verb right before the name, or a word that
    leads to the addressee right before it with a sending verb earlier in the question."""
    if m.start is None:
        return False
    before = f" {fold(question[:m.start])} "
    if before.endswith((" giao ", " giao cho ")):
        return False   # "báo cáo … giao cho Sở X": the work is given to X, X does it
    if any(before.endswith(f" {v} ") for v in _SENDS):
        return True
    return any(before.endswith(f" {w} ") for w in _SENDS_TO) and any(f" {v} " in before for v in _SENDS)


def _unit_of(m, question: str):
    """"Thanh tra" + "Bộ Khoa học và Công nghệ": the inspectorate of that ministry, not the ministry."""
    if m.start is None:
        return m
    from kehoach.corpus.agency_data import Agency
    from kehoach.corpus.agency_scan import Mention
    from kehoach.qa.named import unit_heads
    before = question[:m.start].rstrip()
    for head in unit_heads():
        words = before.split()[-len(head.split()):]
        if len(words) == len(head.split()) and fold(" ".join(words)) == head:
            start = len(before) - len(" ".join(words))
            printed = question[start:len(before)]
            name = f"{printed[:1].upper()}{printed[1:]} {m.name}"
            # A body's own unit ("Thanh tra Bộ X"): its span covers the head only, so that the body's name
            # stays in the topic and finds the body's own plans.
            return Mention(Agency(name=name, kind="unit", recognised=True), start, len(before), question[start:m.end])
    return m


def understand(question: str, directory=None) -> Understanding:
    folded = fold(question)
    agencies: list[str] = []
    scope: set[str] = set()
    surfaces: list[str] = []
    topic = question
    if directory is not None:
        by_head = directory.find_in_text(question, by_head=True)
        mentions = [m for m in _printed_over_prefix(directory.find_in_text(question), by_head)
                    if not _common_noun(m, question) and not _other_place(m, question)
                    and not _addressee(m, question)]
        mentions = [_unit_of(m, question) for m in mentions]
        if not mentions and _has(folded, _AGENCY_TASKS) and not _has(folded, _WHO):
            # "What must <an agency the directory lacks, printed by its head> do": that agency, as printed
            # ("Phòng KT-HT&ĐT phường X"); the engine matches it to the corpus's own names (qa/named.py).
            mentions = [m for m in by_head if m.agency.recognised and m.start is not None][:1]
        agencies = list(dict.fromkeys(m.name for m in mentions))
        surfaces = list(dict.fromkeys(m.surface for m in mentions if m.surface))
        # One way: what the agency was given and what it took over, never its successor's tasks.
        from kehoach.qa.succession import filter_names
        scope = set().union(*(filter_names(directory, a) for a in agencies)) if agencies else set()
        # Cut the agency out of the topic: its name says nothing about the task sought.
        spans = sorted((getattr(m, "start", None), getattr(m, "end", None)) for m in mentions)
        if spans and all(s is not None for s, _ in spans):
            parts, last = [], 0
            for s, e in spans:
                parts.append(question[last:s])
                last = e
            parts.append(question[last:])
            topic = " ".join(p.strip() for p in parts if p.strip()) or question

    years = None
    if m := _RANGE.search(folded):
        years = [int(m.group(1)), int(m.group(2))]
    elif ys := _YEAR.findall(folded):
        ys = sorted(int(y) for y in ys)
        years = [ys[0], ys[-1]]

    asked = _ASKED_HEAD.search(folded)
    if agencies and _has(folded, _AGENCY_TASKS) and not _has(folded, _WHO):
        intent = "agency_tasks"
    elif _has(folded, _DEADLINE) and not _has(folded, ("bao nhieu", "ty le")):
        intent = "deadline"
    elif _has(folded, _SUPPORT):
        intent = "support"
    elif _has(folded, _LEAD) or asked:
        intent = "lead"
    elif _has(folded, _FACT):
        intent = "fact"
    elif agencies and (_has(folded, _LOOKUP) or len(folded.split()) <= len(fold(" ".join(agencies)).split()) + 3):
        intent = "agency_tasks"
    else:
        intent = "lookup"
    topic = topic if intent == "agency_tasks" else question
    return Understanding(question=question, intent=intent, agencies=agencies, scope=scope, years=years,
                         topic=topic, keywords=keywords(fold(topic)), asked_head=asked.group(1) if asked else "",
                         surfaces=surfaces)


# ---- rejecting what is not a question in Vietnamese ------------------------------

_ONSET = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l",
          "m", "n", "p", "r", "s", "t", "v", "x", "")
_SYLLABLE = re.compile(
    r"^(?:" + "|".join(_ONSET) + r")(?:[aeiouy]{1,3})(?:ch|nh|ng|c|m|n|p|t)?$")
_VI_MARKS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)


def looks_vietnamese(text: str) -> bool:
    """Marked Vietnamese letters, or mostly words shaped like Vietnamese syllables."""
    if _VI_MARKS.search(text):
        return True
    words = [w for w in fold(text).split() if w.isalpha()]
    if not words:
        return False
    # Short all-capital tokens are abbreviations (STEM, KCN, UBND): neutral.
    raw_caps = {fold(w) for w in re.findall(r"\b[A-ZĐ&]{2,6}\b", text)}
    words = [w for w in words if w not in raw_caps]
    if not words:
        return True
    ok = sum(bool(_SYLLABLE.match(w)) for w in words)
    return ok / len(words) >= 0.7
