"""Vietnamese text utilities: NFC, the project's one `fold`, OCR-tolerant matching.

Every comparison in the project goes through `fold` so that "Sở", "so", "SỞ"
and OCR's "S&" can meet. Never feed folded text to the dense model: it loses
the marks the model relies on.
"""
from __future__ import annotations

import re
import unicodedata
from rapidfuzz import fuzz

_SPACES = re.compile(r"\s+")
# Letters and digits survive folding; everything else becomes a space.
_NON_WORD = re.compile(r"[^0-9a-z]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _build_fold_table() -> dict[int, str]:
    """Every Latin letter with marks (U+00C0..U+024F, U+1E00..U+1EFF) -> its bare letter."""
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii():
            table[cp] = base
    return table


_FOLD_TABLE = _build_fold_table()


def strip_marks(text: str) -> str:
    """Accents off and đ -> d, keeping case and punctuation."""
    return unicodedata.normalize("NFC", text).translate(_FOLD_TABLE) if text else ""


def fold(text: str) -> str:
    """Accents off, đ -> d, lower-case, punctuation to spaces, spaces collapsed."""
    if not text:
        return ""
    s = text if text.isascii() else strip_marks(text)
    return _NON_WORD.sub(" ", s.lower()).strip()


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

# Folded label forms; the best-scoring form wins.
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
# A deadline label may name what it times ("Thời gian thực hiện xây dựng kế hoạch: năm 2020");
# agency labels take no such qualifier, so "Phối hợp thực hiện các nhiệm vụ: ..." stays prose.
# The qualified form must match more closely: the words after it give a sentence room to look alike.
_QUALIFIED = {DEADLINE: 4}
_QUALIFIED_MIN = 88.0

_BULLET = re.compile(r"^[\s\-–—~+*•·.‘'`_o]*")


def _label_score(key: str, kind: str, form: str) -> float:
    score = fuzz.ratio(key, form)
    extra = _QUALIFIED.get(kind, 0)
    words, n = key.split(), len(form.split())
    if extra and n >= 3 and n < len(words) <= n + extra:
        prefix = fuzz.ratio(" ".join(words[:n]), form)
        if prefix >= _QUALIFIED_MIN:
            score = max(score, prefix)
    return score


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
    if not key or len(key.split()) > 8:
        return None
    best: tuple[float, str] | None = None
    for kind, forms in LABELS.items():
        for form in forms:
            score = _label_score(key, kind, form)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, kind)
    if best is None:
        return None
    return best[1], value.strip()
