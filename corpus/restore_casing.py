"""Case of restored words: re-applied from the printed word, not from the model.

Headings in capitals keep capitals even where OCR printed a stray lower-case
letter ("I. MUC PiCH" -> "I. MỤC ĐÍCH"); a capital first letter is kept, except
a capital I where the restored word starts with "l": the two glyphs are the same
stroke, so "môi nguồn Iuc" is "mọi nguồn lực", not "Lực".
"""
from __future__ import annotations

import math
import unicodedata
from collections import Counter

from kehoach.corpus.ocr_detect import canonical, is_valid_syllable
from kehoach.corpus.restore_tokens import STOPS, OCR_LETTERS, Piece, pieces

# Printed capitals that are one stroke, like a lower-case "l".
_STROKES = set("I|1")


def caps_line(parts: list[str | Piece]) -> bool:
    """A heading in capitals ("I. MUC PiCH, YEU CAU"): OCR's stray lower-case letters are still capitals."""
    letters = [ch for p in parts if isinstance(p, Piece) for ch in p.core if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters)


def is_caps(core: str, in_caps_line: bool) -> bool:
    letters = [ch for ch in core if ch.isalpha()]
    if len(letters) < 2:
        return in_caps_line and bool(letters) and letters[0].isupper()
    if all(ch.isupper() for ch in letters):
        return True
    if letters[0].isupper() and any(ch.isupper() for ch in letters[2:]) and letters[1].islower():
        return True   # a name in camel case ("IoT", "VietGAP"): no syllable has a capital inside
    return in_caps_line and any(ch.isupper() for ch in letters[1:])


def apply_case(text: str, printed: str, caps: bool) -> str:
    if caps:
        return text.upper()
    first = next((ch for ch in printed if ch.isalpha() or ch in OCR_LETTERS), "")
    if first in _STROKES and text[:1] == "l":
        return text
    if first.isupper():
        return text[:1].upper() + text[1:]
    return text


def case_counts(lines: list[str]) -> tuple[Counter, Counter]:
    """Per syllable: times written with a capital inside a sentence, times in lower case there.
    "Inside" = right after a word with no stop between (line breaks inside a paragraph do not stop)."""
    caps: Counter = Counter()
    lower: Counter = Counter()
    for line in lines:
        mid = False
        for p in pieces(unicodedata.normalize("NFC", line)):
            if isinstance(p, str):
                continue
            if p.lead and any(ch in STOPS for ch in p.lead):
                mid = False
            if p.kind == "word" and len(p.core) > 1 and not p.core.isupper():
                c = canonical(p.core)
                if mid and is_valid_syllable(c):
                    (caps if p.core[0].isupper() else lower)[c] += 1
                mid = not any(ch in STOPS for ch in p.trail)
            else:
                mid = False
        # A line of running text ends its sentence or heading.
    return caps, lower


class CaseModel:
    """log P(printed with a capital | syllable, inside a sentence), relative to the average word.

    A capital in mid-sentence is evidence for a name ("Tịnh Phong", "Dung Quất") or an agency
    word ("Sở", "Kế hoạch"); lower case is evidence against a syllable only names use.
    """

    def __init__(self, caps: dict[str, int], lower: dict[str, int], strength: float = 2.0) -> None:
        total_caps, total = sum(caps.values()), sum(caps.values()) + sum(lower.values())
        self.base = (total_caps + 1) / (total + 2)
        self.caps, self.lower, self.k = caps, lower, strength

    def logp(self, syllable: str, capital: bool) -> float:
        c, n = self.caps.get(syllable, 0), self.caps.get(syllable, 0) + self.lower.get(syllable, 0)
        p = (c + self.k * self.base) / (n + self.k)
        return math.log(p / self.base) if capital else math.log((1 - p) / (1 - self.base))

    def printed_capital(self, printed: str) -> bool | None:
        """True / False for a word printed with / without a capital first letter; None when the
        first glyph is a stroke that reads either way ("Iuc")."""
        first = next((ch for ch in printed if ch.isalpha() or ch in OCR_LETTERS), "")
        if not first or first in _STROKES:
            return None
        return first.isupper()
