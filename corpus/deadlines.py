"""Deadlines of plan tasks: which years a deadline text covers, and whether it recurs.

Representation (JSON-friendly, documented in eval/parser_audit.md):
- "năm 2020"                        -> [2020, 2020]
- "năm 2019, 2020", "2021 - 2030"    -> [2019, 2020], [2021, 2030]
- "đến năm 2025"                     -> [None, 2025]   (start not stated)
- "Năm 2021 và những năm tiếp theo"  -> [2021, None]   (open-ended)
- "Năm 2025 - 2030: 80% ...; Năm 2030 - 2045: ..." -> [2025, 2045]   (milestones: the whole span)
- "thường xuyên, hằng năm"           -> None, recurring
- no year at all                     -> None
Works on clean and OCR-damaged text ("nim", "ndm", "Pén nam", "Tirnam 2021 — 2025").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kehoach.corpus.text import nfc, strip_marks

MIN_YEAR, MAX_YEAR = 1950, 2100

# After marks are stripped, OCR spells "năm" as nam / nim / ndm / nem; all are the year word here.
_YEAR_WORD = r"(?:n[aiedo]{1,2}m)"
_DASHES = re.compile(r"[–—‐‑−~]")
# A year is four digits not glued to other digits, slashes (dates, "1428/QĐ") or dots ("4.108").
_YEAR = re.compile(r"(?<![\d/.,])(1[89]\d\d|20\d\d|2100)(?![\d/]|\.\d|,\d)")
_RANGE_SEP = re.compile(r"^\s*(?:-|den|toi)\s*(?:" + _YEAR_WORD + r"\s*)?$")
_UNTIL = re.compile(r"(?:^|[^a-z])(?:[dpb]en|toi|truoc)\s*(?:" + _YEAR_WORD + r")?\s*$")
_OPEN_END = re.compile(r"^\W*(?:va\s+)?(?:cac\s+|nh\w{0,4}\s+)?(?:" + _YEAR_WORD
                       + r"\s+)?(?:tiep\s+theo|tro\s+di|sau\s+do)")
# "tháng 3 năm 2018" and "ngày 26/3/2019" are dates, not deadlines.
_DATE_BEFORE = re.compile(r"(?:thang|ngay)\s*\d{1,2}\s*(?:" + _YEAR_WORD + r")?\s*$")
_RECURRING = re.compile(
    r"\bth\w{1,3}ng\s*xuy\w{0,2}n|\bhan?g\s*(?:" + _YEAR_WORD + r"|quy|thang)\b|\bdinh\s*k[yi]\b|\bmoi\s*"
    + _YEAR_WORD + r"\b"
)
def _normal(text: str) -> str:
    """Marks off, lower case, every dash a hyphen: the years keep their punctuation."""
    s = _DASHES.sub("-", strip_marks(nfc(text or ""))).lower()
    return s.replace("tirnam", "tu nam").replace("tunam", "tu nam")


@dataclass(frozen=True)
class _Mention:
    start: int          # position of the year in the normalised text
    end: int
    year: int
    until: bool         # "đến năm 2025"


def _mentions(s: str) -> list[_Mention]:
    out = []
    for m in _YEAR.finditer(s):
        before = s[max(0, m.start() - 24):m.start()]
        if _DATE_BEFORE.search(before):
            continue
        out.append(_Mention(m.start(), m.end(), int(m.group(1)), bool(_UNTIL.search(before))))
    return out


def years_in_text(text: str) -> list[int]:
    """Years a text speaks of as time (not the years of dates or document numbers), sorted, unique."""
    return sorted({m.year for m in _mentions(_normal(text))})


def parse_deadline(text: str | None) -> tuple[list[int | None] | None, bool]:
    """(years [from, to] or None, recurring) for a deadline as printed; see the module doc."""
    if not text or not text.strip():
        return None, False
    s = _normal(text)
    recurring = bool(_RECURRING.search(re.sub(r"[^a-z0-9]+", " ", s)))
    ms = [m for m in _mentions(s) if MIN_YEAR <= m.year <= MAX_YEAR]
    if not ms:
        return None, recurring
    starts = [m.year for m in ms if not m.until]
    last = max(ms, key=lambda m: (m.year, m.start))
    to: int | None = last.year
    if _OPEN_END.match(s[last.end:]):
        to = None
    frm = min(starts) if starts else None
    if frm is None and to is None:
        return None, recurring
    return [frm, to], recurring
