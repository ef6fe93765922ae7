"""Case of restored words: re-applied from the printed word, not from the model.

Headings in capitals keep capitals even where OCR printed a stray lower-case
letter ("I. MUC PiCH" -> "I. MỤC ĐÍCH"); a capital first letter is kept, except
a capital I where the restored word starts with "l": the two glyphs are the same
stroke, so "môi nguồn Iuc" is "mọi nguồn lực", not "Lực".
"""
from __future__ import annotations

from kehoach.corpus.restore_tokens import OCR_LETTERS, Piece

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
