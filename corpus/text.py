"""Vietnamese text utilities: NFC, the project's one `fold`, OCR-tolerant matching.

Every comparison in the project goes through `fold` so that "Sở", "so", "SỞ"
and OCR's "S&" can meet. Never feed folded text to the dense model: it loses
the marks the model relies on.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

_SPACES = re.compile(r"\s+")
# Letters and digits survive folding; everything else becomes a space.
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)
    return "".join(c for c in base if not unicodedata.combining(c)).lower()


def strip_marks(text: str) -> str:
    """Accents off and đ -> d, keeping case and punctuation."""
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
        elif ch in "đ":
            out.append("d")
        elif ch == "Đ":
            out.append("D")
        else:
            base = unicodedata.normalize("NFD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(out)


def fold(text: str) -> str:
    """Accents off, đ -> d, lower-case, punctuation to spaces, spaces collapsed."""
    if not text:
        return ""
    s = "".join(ch if ch.isascii() else _fold_char(ch) for ch in text).lower()
    return _NON_WORD.sub(" ", s).strip()


def fold_tokens(text: str) -> list[str]:
    return fold(text).split()


# OCR of these plans turns some letters into look-alike symbols and digits.
# Inside a word (a letter on at least one side) they are almost always a letter.
_OCR_IN_WORD = {
    "&": "o", "¢": "e", "©": "o", "®": "o", "§": "s", "€": "e", "£": "e",
    "0": "o", "6": "o", "1": "l", "3": "a", "4": "a", "8": "o", "5": "s",
    "ﬂ": "d", "ﬁ": "fi", "|": "l", "¥": "y",
}
_OCR_WORD = re.compile(r"\S+")


def _ocr_word(word: str) -> str:
    if not any(ch.isalpha() for ch in word if ch not in _OCR_IN_WORD):
        return word  # a number, a date, a code: leave it alone
    chars = list(word)
    for i, ch in enumerate(chars):
        if ch in _OCR_IN_WORD:
            left = chars[i - 1].isalpha() if i > 0 else False
            right = chars[i + 1].isalpha() if i + 1 < len(chars) else False
            if left or right or ch in "&¢ﬂ":
                chars[i] = _OCR_IN_WORD[ch]
    w = "".join(chars)
    # A capital P or B opening a word stands for Đ in this OCR ("Pau tu", "Bon vi").
    if len(w) > 1 and w[0] in "PB" and w[1:2].islower() and w[1:2] in "aăâeêoôơuưiy":
        w = "D" + w[1:]
    return w


def ocr_fold(text: str) -> str:
    """`fold` after undoing the symbol/digit confusions of OCR inside words.

    Used for matching labels, agency names and keywords in damaged text; clean
    text goes through unchanged apart from folding.
    """
    return fold(" ".join(_ocr_word(w) for w in _OCR_WORD.findall(text or "")))


def normalize_space(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# ---- labels -------------------------------------------------------------------

LEAD, SUPPORT, DEADLINE = "lead", "support", "deadline"

# Folded label forms; the first matching family wins, longer forms first.
LABELS: dict[str, tuple[str, ...]] = {
    SUPPORT: (
        "co quan phoi hop thuc hien", "don vi phoi hop thuc hien", "co quan phoi hop",
        "don vi phoi hop", "phoi hop thuc hien",
    ),
    LEAD: (
        "co quan chu tri thuc hien", "don vi chu tri thuc hien", "co quan chu tri",
        "don vi chu tri", "chu tri thuc hien", "co quan thuc hien", "don vi thuc hien",
        "co quan chu tri thuc hien",
    ),
    DEADLINE: (
        "thoi gian thuc hien", "thoi gian hoan thanh", "thoi han thuc hien",
        "thoi han hoan thanh", "thoi gian",
    ),
}

_BULLET = re.compile(r"^[\s\-–—~+*•·.‘'`_o]*")


def match_label(line: str, threshold: float = 80.0) -> tuple[str, str] | None:
    """Recognise a labelled line ("- Cơ quan chủ trì: ...") even when OCR-damaged.

    Returns (kind, value-as-printed) or None. The label must sit before a colon
    at the start of the line, so a task sentence that merely mentions "phối hợp"
    is never mistaken for a label.
    """
    body = _BULLET.sub("", line)
    head, sep, value = body.partition(":")
    if not sep or len(head) > 48:
        return None
    key = ocr_fold(head)
    if not key or len(key.split()) > 7:
        return None
    best: tuple[float, str] | None = None
    for kind, forms in LABELS.items():
        for form in forms:
            score = fuzz.ratio(key, form)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, kind)
    if best is None:
        return None
    return best[1], value.strip()


def contains_folded(haystack: str, needle: str) -> bool:
    """Whole-word containment on folded text."""
    h, n = f" {fold(haystack)} ", f" {fold(needle)} "
    return n.strip() != "" and n in h
