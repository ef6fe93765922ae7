"""Syllables with their marks, to tell apart words that folding merges ("pháo hoa" / "Văn hóa", "lễ hội" /
"lề đường"). Folding is right for retrieval (users type without marks); deciding whether a passage holds what
was asked is better done with the marks when the question prints them (a question on a "lễ hội pháo hoa"
would otherwise be answered by a notice on pavements, by "lề" and "hóa").

The key of a syllable is its letters with vowel marks (ă â ê ô ơ ư đ) and, apart, its tone: the tone may sit on
either vowel in old and new spelling ("hoà" = "hòa", "thuỷ" = "thủy").
"""
from __future__ import annotations

import re
import unicodedata

from kehoach.corpus.text import fold

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}   # huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"[^\W\d_]+")


def key(syllable: str) -> tuple[str, str]:
    d = unicodedata.normalize("NFD", syllable.lower())
    tone = "".join(ch for ch in d if ch in _TONES)
    return unicodedata.normalize("NFC", "".join(ch for ch in d if ch not in _TONES)), tone


def marked(syllable: str) -> bool:
    """The syllable prints a mark: a question typed without marks says nothing about them."""
    return fold(syllable) != syllable.lower()


def marked_forms(text: str) -> dict[str, set[tuple[str, str]]]:
    """folded syllable -> the keys of its marked forms in `text` (syllables printed without marks left out)."""
    out: dict[str, set[tuple[str, str]]] = {}
    for w in _WORD.findall(text or ""):
        if marked(w):
            out.setdefault(fold(w), set()).add(key(w))
    return out


def keys_of(text: str) -> set[tuple[str, str]]:
    return {key(w) for w in _WORD.findall(text or "")}


def holds(text: str, syllable: str, forms: set[tuple[str, str]]) -> bool:
    """`text` holds the folded `syllable` in one of the asked `forms`, or prints it without marks (a document
    typed without marks says nothing about them either)."""
    return any(fold(w) == syllable and (not marked(w) or key(w) in forms) for w in _WORD.findall(text or ""))
