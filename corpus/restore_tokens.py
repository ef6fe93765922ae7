"""Tokens of printed text for the diacritic restorer: pieces of a line, plain-letter skeletons, LM tokens.

A line is split on whitespace into pieces (leading punctuation, core, trailing
punctuation) classed as a word to restore, a number, a code or punctuation; the
same walk turns clean text into the LM's tokens, so training and decoding agree.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kehoach.corpus.lm import ABBR, COMMA, NUM, STOP, UNK
from kehoach.corpus.ocr_detect import canonical, is_valid_syllable


# Symbols OCR prints for letters; inside a word they are never punctuation.
OCR_LETTERS = {
    "&": "o", "¢": "e", "©": "o", "®": "o", "§": "s", "€": "e", "£": "e", "ﬂ": "d", "ﬁ": "fi",
    "|": "l", "¥": "y", "0": "o", "6": "o", "1": "l", "3": "a", "4": "a", "8": "o", "5": "s",
    "9": "o", "@": "a",
}
_LEAD = "\"'“”‘’([{<«-–—*+•·…~_.,;:!?"
_TRAIL = ".,;:!?)]}>»\"'“”‘’…-–—*"
STOPS = set(".;:!?")
_SPACE_SPLIT = re.compile(r"(\s+)")


@dataclass
class Piece:
    """One whitespace-separated chunk: leading punctuation, core, trailing punctuation."""

    lead: str
    core: str
    trail: str
    kind: str            # "word" (to restore), "num", "code", "punct"


def _fold_char(ch: str) -> str:
    if ch in OCR_LETTERS:
        return OCR_LETTERS[ch]
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch.lower())[:1]
    return base if base.isascii() and base.isalpha() else ""


def skeleton(observed: str) -> str:
    """Plain-letter guess at a printed word: marks off, OCR symbols and digits to letters."""
    return "".join(_fold_char(ch) for ch in observed)


def _kind(core: str) -> str:
    letters = sum(ch.isalpha() for ch in core)
    digits = sum(ch.isdigit() for ch in core)
    ocr = sum(ch in OCR_LETTERS and not ch.isdigit() for ch in core)
    if letters + ocr == 0:
        return "num" if digits else "punct"
    # "x@y" (xây) is a word; an e-mail address has a dot and stays a code.
    if "/" in core or "." in core.strip(".") or core.count("@") > 1:
        return "code"
    if digits:
        # "s6", "16n", "v6i" are words; "5G", "4.108", "2021-2025" are not.
        uppers = sum(ch.isupper() for ch in core)
        # One digit inside a long word is a misread letter ("1lgillen"); more are a code ("itrung210").
        if uppers > 1 or (uppers == 1 and not core[0].isupper()) or (len(core) > 5 and digits > 1) \
                or digits > 2 * (letters + ocr):
            return "code"
        if core[-1].isupper():
            return "code"
    if "-" in core:
        inner_upper = any(ch.isupper() for ch in core[1:])
        if inner_upper or digits:
            return "code"
    return "word"


_ROMAN = re.compile(r"[IVXL]+[1Il]?")


def split_piece(chunk: str) -> Piece:
    i, j = 0, len(chunk)
    while i < j and chunk[i] in _LEAD:
        i += 1
    while j > i and chunk[j - 1] in _TRAIL:
        j -= 1
        if chunk[i:j].endswith("./"):
            j -= 1   # "./." closes an administrative text: punctuation, not part of a code
    core, trail = chunk[i:j], chunk[j:]
    if not core:
        return Piece(chunk[:i], core, trail, "punct")
    if (len(core) == 1 and trail.startswith(")")) or _ROMAN.fullmatch(core):
        # List markers "a)", "¢)" and section numbers "II", "I1" are labels, not words.
        return Piece(chunk[:i], core, trail, "code")
    return Piece(chunk[:i], core, trail, _kind(core))


def roman_label(core: str) -> str:
    """A section number the scan printed with a "1" or "l" for its last "I" ("X1", "Il") in plain
    capitals: a digit or a small l never ends a Roman numeral, and the glyphs are the same stroke."""
    if _ROMAN.fullmatch(core) and core[-1] in "1l" and len(core) > 1:
        return core[:-1] + "I"
    return core


_JOINERS = "/:;,"


def _code_like(core: str) -> bool:
    """A capital followed by more capitals ("CTr", "TU", "KH"): an abbreviation, not a word. A
    small first letter with a capital inside ("tAn") is a word whose mark the scan printed big."""
    return core[:1].isupper() and any(ch.isupper() for ch in core[1:])


def _word_like(core: str) -> bool:
    return len(core) > 1 and core.isalpha() and any(ch in "aeiouy" for ch in skeleton(core))


def _joined_words(chunk: str) -> list[str | Piece] | None:
    """Words the print joined with slashes, colons, semicolons or commas and no space ("Ngai/Ké",
    "xã/phường/thị", "hién:nam", "so,nganh,dia") as separate pieces, each mark kept as the trailing
    punctuation of the word before it. Codes ("CTr/TU", "37-CTr/TU", "KH/UBND"), numbers and addresses
    are left whole. Slashes alone join words as printed ("tấn/năm"); other marks only words of two or
    more letters with a vowel, since a scan also prints stray colons inside one damaged word ("dl:qu")."""
    if any(ch.isdigit() for ch in chunk):
        return None
    start = len(chunk) - len(chunk.lstrip(_LEAD))
    stop = start + len(chunk.strip(_LEAD + _TRAIL))
    cuts = [i for i in range(start, stop) if chunk[i] in _JOINERS]
    if not cuts:
        return None
    segments, prev = [], 0
    for cut in cuts:
        segments.append(chunk[prev:cut])
        prev = cut + 1
    parts = [split_piece(x) for x in [*segments, chunk[prev:]]]
    if not all(p.kind == "word" for p in parts) or any(p.trail for p in parts[:-1]) \
            or any(p.lead for p in parts[1:]) or any(_code_like(p.core) for p in parts):
        return None
    if any(chunk[c] != "/" for c in cuts) and not all(_word_like(p.core) for p in parts):
        return None
    out: list[str | Piece] = []
    for p, cut in zip(parts, cuts):
        p.trail = chunk[cut]
        out += [p, ""]
    return [*out, parts[-1]]


def pieces(line: str) -> list[str | Piece]:
    """The line as alternating whitespace strings and Pieces (joining them gives the line back;
    two words joined by a slash or other mark are two Pieces with an empty string between them)."""
    out: list[str | Piece] = []
    for part in _SPACE_SPLIT.split(line):
        if not part or part.isspace():
            out.append(part)
        else:
            out.extend(_joined_words(part) or [split_piece(part)])
    return out


def render(parts: list[str | Piece]) -> str:
    return "".join(p if isinstance(p, str) else p.lead + p.core + p.trail for p in parts)


def clean_tokens(lines: list[str]) -> list[str]:
    """LM tokens of clean text, exactly as the decoder sees a restored paragraph."""
    out: list[str] = []

    def punct(text: str) -> None:
        tok = punct_token(text)
        if tok is None:
            return
        if out and out[-1] in (STOP, COMMA):
            if tok == STOP:
                out[-1] = tok
            return
        out.append(tok)

    for line in lines:
        for p in pieces(unicodedata.normalize("NFC", line)):
            if isinstance(p, str):
                continue
            punct(p.lead)
            if p.kind == "word":
                c = canonical(p.core)
                out.append(c if is_valid_syllable(c) else ABBR)
            elif p.kind in ("num", "code"):
                out.append(NUM if p.kind == "num" else UNK)
            else:
                punct(p.core)
            punct(p.trail)
    return out


def punct_token(text: str) -> str | None:
    if not text:
        return None
    return STOP if any(ch in STOPS for ch in text) else COMMA

