"""Agencies named by their head: "Vụ Pháp luật dân sự - kinh tế" is an agency even when no
directory lists it, because it starts with "Vụ" and a capitalised name.

The vocabulary is data (corpus/data/agencies/heads.json): heads, their kind and level,
the heads that are also common words ("phòng, chống", "báo cáo", "ban hành") and so need
a capitalised name after them, and the words that end a name in running text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kehoach.corpus.agency_data import NATIONAL_DIR, read_json
from kehoach.corpus.text import fold, nfc, normalize_space

_TOKEN = re.compile(r"[^\W_]+(?:[&-][^\W_]+)*|[-–&]|[^\w\s]", re.UNICODE)
MAX_NAME_WORDS = 14


@dataclass(frozen=True)
class Head:
    words: tuple[str, ...]      # folded words of the head as printed ("bo", "chi", "huy")
    label: str                  # the head as the data file prints it
    kind: str
    level: str
    needs_name: bool = False
    not_after: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HeadWords:
    heads: tuple[Head, ...]
    groups: frozenset[str]      # "các", "những": a head after them names several agencies
    # Word runs that end a name in running text, lower case with their marks: folded, "từ"
    # (a stop) would also stop "Kế hoạch Đầu tư".
    stops: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def vocabulary() -> HeadWords:
    path = NATIONAL_DIR / "heads.json"
    data = read_json(path) if path.is_file() else {}
    heads = []
    for row in data.get("heads", []):
        for form in (row["head"], *row.get("abbreviations", [])):
            heads.append(Head(tuple(fold(form).split()), nfc(row["head"]), row["kind"], row.get("level", "any"),
                              bool(row.get("needs_name")) and form == row["head"],
                              frozenset(nfc(w).lower() for w in row.get("not_after", []))))
    heads.sort(key=lambda h: -len(h.words))
    stops = sorted((tuple(nfc(s).lower().split()) for s in data.get("stops", [])), key=len, reverse=True)
    return HeadWords(tuple(heads), frozenset(fold(g) for g in data.get("groups", [])), tuple(stops))


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


def _same_marks(words: list[str], head: Head) -> bool:
    """Marked words must carry the head's marks ("Bảo Định" is not "Báo"); unmarked ones may lack them."""
    label = nfc(head.label).lower().split()
    return len(label) != len(words) or all(w.isascii() or w.lower() == h for w, h in zip(words, label))


def head_at(words: list[str], i: int, strict: bool = True) -> Head | None:
    """The head starting at words[i], if the words there read as an agency's name.

    `strict` (running text): the head is printed with a capital, and a head that is also a
    common word needs a capitalised word after it. In an agency field (not strict) the
    position already says it is an agency, so only the common-word exclusions apply.
    """
    if i >= len(words):
        return None
    folded = [fold(w) for w in words[i:i + 6]]
    if strict and len(words[i]) > 1 and words[i].isupper() and i + 1 < len(words) and words[i + 1].isupper():
        return None     # an all-capitals heading ("NHIỆM VỤ THỰC HIỆN"): the directory reads those
    for head in vocabulary().heads:
        n = len(head.words)
        if tuple(folded[:n]) != head.words or not _same_marks(words[i:i + n], head):
            continue
        if strict and not _capital(words[i]):
            continue
        nxt = words[i + n] if i + n < len(words) else None
        if nxt is None or not nxt[:1].isalnum():
            if head.needs_name or strict:
                continue
            return head
        if nxt.lower() in head.not_after or (strict and head.needs_name and not _capital(nxt)):
            continue
        return head
    return None


def _stop_at(words: list[str], j: int) -> bool:
    lower = [w.lower() for w in words[j:j + 4]]
    return any(tuple(lower[:len(s)]) == s for s in vocabulary().stops)


@dataclass(frozen=True)
class HeadPhrase:
    start: int          # index of the first word
    end: int            # index after the last word
    head: Head


def scan(words: list[str], i: int, strict: bool = True) -> HeadPhrase | None:
    """The agency name that starts at words[i] in running text, up to the word that ends it.

    A name goes on through its lower-case words ("Vụ Pháp luật dân sự - kinh tế") and stops at
    punctuation, at a word of the `stops` list printed in lower case ("chủ trì", "phối hợp"),
    and at "và" unless a capitalised word that is not another head follows.
    """
    head = head_at(words, i, strict=strict)
    if head is None:
        return None
    j = i + len(head.words)
    end = j
    while j < len(words) and j - i < MAX_NAME_WORDS:
        w = words[j]
        if w in ("-", "–", "&"):
            j += 1
            continue
        if not w[:1].isalnum():
            break
        if fold(w) == "va":
            nxt = words[j + 1] if j + 1 < len(words) else ""
            if not _capital(nxt) or head_at(words, j + 1, strict=True):
                break
            j += 1
            continue
        if not _capital(w) and _stop_at(words, j):
            break
        if j > i + len(head.words) and head_at(words, j, strict=True) and fold(words[j - 1]) != "va":
            break   # "Sở Tài chính Sở Nội vụ": a new head starts a new name
        j += 1
        end = j
    if end == i + len(head.words):
        return None
    return HeadPhrase(i, end, head)


def recognise_field(piece: str) -> Head | None:
    """The head of a piece of an agency field, when the whole piece reads as one agency's name
    (not "Sở Tư pháp chủ trì, phối hợp với …": a name ends where a verb starts)."""
    words = _TOKEN.findall(normalize_space(nfc(piece)))
    if len(words) < 2 or len(words) > MAX_NAME_WORDS + 4:
        return None
    phrase = scan(words, 0, strict=False)
    return phrase.head if phrase and phrase.end == len(words) else None


_GROUP_PREFIX = re.compile(r"^(?:(?:đối với|giao|đề nghị)\s+)?(?:các|những)\s+(\w+(?:\s\w+)?)\s*:\s*(.+)$",
                           re.IGNORECASE | re.DOTALL)


def group_prefix(text: str) -> tuple[str, str] | None:
    """("Sở", "Kế hoạch và Đầu tư, Xây dựng") for "Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng"."""
    m = _GROUP_PREFIX.match(normalize_space(nfc(text)))
    if not m:
        return None
    words = m.group(1).split()
    for n in (2, 1):
        label = " ".join(words[:n])
        if len(words) >= n and any(h.words == tuple(fold(label).split()) for h in vocabulary().heads):
            return label[:1].upper() + label[1:], m.group(2)
    return None


def leading_head(piece: str) -> str | None:
    """The head a piece starts with, as printed ("Sở" of "Sở Xây dựng"), for bare names after it."""
    words = _TOKEN.findall(normalize_space(nfc(piece)))
    head = head_at(words, 0, strict=False) if len(words) > 1 else None
    return " ".join(words[:len(head.words)]) if head else None
