"""Lines of a plan as the parser reads them: blank and wrapped lines, boilerplate (recipients, signature,
national motto), labelled lines and the lines their values wrap onto, and the text of an item.

Mixed into the parser (corpus/parser.py), which holds the document's lines (`raw`, `n`, `width`, `skip`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kehoach.corpus.layouts.shapes import (
    _ACTION_VERBS, _DASH, _LETTER, _LETTER_G, _NUMBER, _OPEN_PUNCT, _PARAGRAPH_WORDS, _STAR, _SUBNUMBER,
    _TERMINAL, _CONNECTIVES, _Unit,
)
from kehoach.corpus.text import fold, normalize_space, ocr_fold

if TYPE_CHECKING:
    from kehoach.corpus.parser import _Parser  # noqa: F401


class LineLayout:
    """What a line is and what an item says, independent of the section tree around it."""

    # -- helpers on lines
    def blank(self, no: int) -> bool:
        return not fold(self.raw[no - 1]) or bool(re.fullmatch(r"\s*\d{1,3}\s*", self.raw[no - 1]))

    def _wrap_width(self) -> int:
        lengths = sorted(len(x.strip()) for x in self.raw if x.strip())
        if not lengths:
            return 80
        return max(40, lengths[int(0.9 * (len(lengths) - 1))])

    def wrapped(self, text: str) -> bool:
        """The physical line was cut by the page width, so the sentence goes on below."""
        t = text.strip()
        if _TERMINAL.search(t):
            return False
        last_word = (ocr_fold(t).split() or [""])[-1]
        return len(t) >= 0.75 * self.width or t[-1] in _OPEN_PUNCT or last_word in _CONNECTIVES

    @staticmethod
    def _prose(title: str) -> bool:
        words = len(title.split())
        return words > _PARAGRAPH_WORDS or (words > 20 and bool(_TERMINAL.search(title)))

    def _boilerplate(self) -> tuple[set[int], set[int]]:
        """(all boilerplate, the signature blocks): recipients ("Nơi nhận"), signer, national motto.

        A signature block runs from "Nơi nhận:" over short or bulleted lines; a long unbulleted
        line (a footnote) or "PHỤ LỤC" (an appendix) ends it.
        """
        skip: set[int] = set()
        signature: set[int] = set()
        inside = False
        for no in range(1, self.n + 1):
            raw = self.raw[no - 1]
            f = ocr_fold(raw)
            if f in ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc"):
                skip.add(no)
                continue
            if not inside and f.startswith("noi nh") and ":" in raw[:15]:
                inside = True
            elif inside and (f.startswith("phu luc") or (len(raw.split()) >= 15 and not _DASH.match(raw))):
                inside = False
            if inside:
                signature.add(no)
        return skip | signature, signature

    @staticmethod
    def _digit_dash(kind: str, data: tuple) -> bool:
        return kind == "dash" and data[1][:1].isdigit()

    def _title_like(self, unit: _Unit) -> bool:
        """A short noun phrase ("Công nghiệp chế biến gỗ, giấy") names a group; it does not assign work."""
        text = self._unit_text(unit)
        f = ocr_fold(text)
        return (len(text.split()) <= 12 and not re.search(r"[.:;,]\s*$", text)
                and not f.startswith(_ACTION_VERBS))

    def _read_label(self, unit: _Unit, no: int, data: tuple[str, str], in_table: dict) -> int:
        """Attach a labelled line and the lines its value wraps onto; return the next line to read."""
        kind, value = data
        used = [no]
        parts = [value] if value else []
        prev = self.raw[no - 1]
        k = no + 1
        while k <= self.n and len(used) <= 6:
            if k in self.skip or k in in_table:
                break
            if self.blank(k):
                k += 1
                continue
            ckind, cdata = self.classify(k)
            if not value and ckind == "dash" and cdata[0] == "+":
                parts.append(cdata[1])        # "Thời gian thực hiện:" then "+ ..." lines
            elif (ckind == "text" or self._digit_dash(ckind, cdata)) and (not parts or self.wrapped(prev)):
                parts.append(self.raw[k - 1])
            else:
                break
            used.append(k)
            prev = self.raw[k - 1]
            k += 1
        unit.labels.append((kind, " ".join(p.strip() for p in parts), used))
        return used[-1] + 1

    # -- output
    def _unit_text(self, unit: _Unit) -> str:
        parts = []
        for i, no in enumerate(unit.text):
            raw = self.raw[no - 1]
            if i == 0 and unit.strip_first:
                raw = self._strip_marker(raw)
            parts.append(raw)
        return normalize_space(" ".join(parts))

    def _strip_marker(self, raw: str) -> str:
        for rx in (_LETTER, _STAR, _DASH, _NUMBER, _SUBNUMBER):
            m = rx.match(raw)
            if m:
                return m.group(m.lastindex)
        m = _LETTER_G.match(raw)
        return m.group(1) if m else raw
