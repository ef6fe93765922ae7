"""Deadlines of plan tasks: which years a deadline text covers, and whether it recurs.

Representation (JSON-friendly, documented in eval/parser_audit.md):
- "năm 2020"                        -> [2020, 2020]
- "năm 2019, 2020", "2021 - 2030"    -> [2019, 2020], [2021, 2030]
- "đến năm 2025"                     -> [None, 2025]   (start not stated)
- "Năm 2021 và những năm tiếp theo"  -> [2021, None]   (open-ended)
- "Năm 2025 - 2030: 80% ...; Năm 2030 - 2045: ..." -> [2025, 2045]   (milestones: the whole span)
- "thường xuyên, hằng năm"           -> None, recurring
- no year at all                     -> None
- dates, months, quarters, halves    -> their year ("quý II/2025" -> [2025, 2025]); "trước ngày 30/9/2010"
                                        -> [None, 2010]. A date inside a citation ("Quyết định số 36/2016/QĐ-UBND
                                        ngày 29/7/2016") is not a deadline.
`due` is the ISO date of the last day a deadline allows: a date itself, the last day of a month, quarter, half
or year, the end of a range; None when open-ended, recurring without a year, or no time at all.
Works on clean and OCR-damaged text ("nim", "ndm", "Pén nam", "Tirnam 2021 — 2025").
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

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
    r"\b\d{1,2}\s*(?:buoi|lan)\s+(?:ngay|tuan|thang|quy|nam)\b(?!\s*\d)"     # "02 buổi/tuần"
    r"|\bth\w{1,3}ng\s*xuy\w{0,2}n|\bhan?g\s*(?:" + _YEAR_WORD + r"|quy|thang|tuan|ngay)\b|\bdinh\s*k[yi]\b|\bmoi\s*"
    + _YEAR_WORD + r"\b"
    r"|\bchu\s*k[yi]\s*\d"                                                  # "theo chu kỳ 02 năm"
    # each year's, by a day of the next ("trước ngày 31/01 năm sau")
    r"|\btruoc\s*ngay\s*\d{1,2}\s*(?:/|thang)\s*\d{1,2}\s*(?:cua\s*)?nam\s*(?:sau|tiep\s*theo|ke\s*tiep)\b"
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
    before: bool = False    # "trước năm 2029": the year itself is not allowed


_BEFORE_YEAR = re.compile(r"(?:^|[^a-z])truoc\s*" + _YEAR_WORD + r"\s*$")


def _mentions(s: str) -> list[_Mention]:
    out = []
    for m in _YEAR.finditer(s):
        before = s[max(0, m.start() - 24):m.start()]
        if _DATE_BEFORE.search(before):
            continue
        out.append(_Mention(m.start(), m.end(), int(m.group(1)), bool(_UNTIL.search(before)),
                            bool(_BEFORE_YEAR.search(before))))
    return out


def years_in_text(text: str) -> list[int]:
    """Years a text speaks of as time (not the years of dates or document numbers), sorted, unique."""
    return sorted({m.year for m in _mentions(_normal(text))})


# ---- dates, months, quarters and halves ----------------------------------------------------

_Y = r"(1[89]\d\d|20\d\d|2100)"
_ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PERIODS = [
    # (kind, pattern); groups give day, month, year or quarter, half as the kind says
    ("date", re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*" + _Y + r"(?![\d/])")),
    ("date", re.compile(r"ngay\s*(\d{1,2})\s*(?:thang|/)\s*(\d{1,2})\s*(?:" + _YEAR_WORD + r"|/)\s*" + _Y)),
    # "quý II/2025", "quý I, II/2026" (a list of quarters ends with the last)
    ("quarter", re.compile(r"qu[yi]\s*(?:(?:iv|iii|ii|i|[1-4])\s*(?:,|va|-)\s*(?:qu[yi]\s*)?)*(iv|iii|ii|i|[1-4])\b"
                           r"\s*(?:/|-|" + _YEAR_WORD + r")?\s*" + _Y)),
    ("half", re.compile(r"(?:6|06|sau)\s*thang\s*(dau|cuoi)\s*(?:" + _YEAR_WORD + r")?\s*" + _Y)),
    ("half", re.compile(r"nua\s*(dau|cuoi)\s*(?:" + _YEAR_WORD + r")?\s*" + _Y)),
    ("month", re.compile(r"thang\s*(?:\d{1,2}\s*(?:-|,|va)\s*(?:thang\s*)?)*(\d{1,2})\s*(?:/|-|" + _YEAR_WORD
                         + r")\s*" + _Y)),
    ("month", re.compile(r"(?<![\d/.])(\d{1,2})\s*/\s*" + _Y + r"(?![\d/])")),
]
# A date that belongs to a cited document ("Quyết định số 36/2016/QĐ-UBND ngày 29/7/2016").
_CITATION = re.compile(r"(?:\bso\s*\S*\d\S*|\b(?:quyet dinh|nghi quyet|nghi dinh|chi thi|thong tu|cong van"
                       r"|van ban|luat|ke hoach|thong bao)\b[^;,]{0,30})\s*(?:ngay)?\s*$")
_FROM = re.compile(r"(?:^|[^a-z])tu\s*(?:ngay|thang|nam|quy|qui)?\s*$")
_UNTIL_WORDS = re.compile(r"(?:truoc|den|cham nhat|han chot|hoan thanh|xong)\w*\s*(?:ngay|thang|quy|qui|"
                          + _YEAR_WORD + r")?\s*$")


@dataclass(frozen=True)
class _Period:
    start: int
    end: int
    first: date         # first day the expression covers
    last: date          # last day it covers
    until: bool         # "trước / đến / chậm nhất ..."
    since: bool         # "từ tháng 1/2010": a start, not a deadline


def _last_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _period(kind: str, m: re.Match) -> tuple[date, date] | None:
    try:
        if kind == "date":
            d = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return d, d
        if kind == "month":
            y, mo = int(m.group(2)), int(m.group(1))
            return date(y, mo, 1), _last_of_month(y, mo)
        if kind == "quarter":
            q, y = _ROMAN_Q[m.group(1)], int(m.group(2))
            return date(y, 3 * q - 2, 1), _last_of_month(y, 3 * q)
        if kind == "half":
            y = int(m.group(2))
            return (date(y, 1, 1), date(y, 6, 30)) if m.group(1) == "dau" else (date(y, 7, 1), date(y, 12, 31))
    except ValueError:
        return None
    return None


def _periods(s: str) -> list[_Period]:
    """Dated expressions in normalised text, longest first where they overlap; citations left out."""
    taken: list[tuple[int, int]] = []
    out: list[_Period] = []
    for kind, rx in _PERIODS:
        for m in rx.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            span = _period(kind, m)
            if span is None or not (MIN_YEAR <= span[1].year <= MAX_YEAR):
                continue
            before = s[max(0, m.start() - 60):m.start()]
            if kind == "date" and (_CITATION.search(before) or re.search(r"thang\s*$", before)):
                continue    # "tháng 3-5/2025" is a run of months, not 3 May
            taken.append((m.start(), m.end()))
            near = s[max(0, m.start() - 24):m.start()]
            out.append(_Period(m.start(), m.end(), span[0], span[1], bool(_UNTIL_WORDS.search(near)),
                               bool(_FROM.search(near))))
    return sorted(out, key=lambda p: p.start)


def read_deadline(text: str | None) -> tuple[list[int | None] | None, bool, str | None]:
    """(years [from, to] or None, recurring, due as ISO date or None) for a deadline as printed."""
    if not text or not text.strip():
        return None, False, None
    s = _normal(text)
    recurring = bool(_RECURRING.search(re.sub(r"[^a-z0-9]+", " ", s)))
    periods = _periods(s)
    inside = [(p.start, p.end) for p in periods]
    ms = [m for m in _mentions(s) if MIN_YEAR <= m.year <= MAX_YEAR
          and not any(a <= m.start < b for a, b in inside)
          and not _CITATION.search(s[max(0, m.start - 60):m.start])]
    if not ms and not periods:
        return None, recurring, None
    # (start year or None, end year or None, last day, position) of every time expression
    spans: list[tuple[int | None, int | None, date | None, int]] = []
    for p in periods:
        spans.append((None if p.until else p.first.year, None if p.since else p.last.year,
                      None if p.since else p.last, p.start))
    for m in ms:
        to: int | None = m.year - 1 if m.before else m.year
        if _OPEN_END.match(s[m.end:]):
            to = None
        spans.append((None if m.until else m.year, to, date(to, 12, 31) if to else None, m.start))
    starts = [a for a, _, _, _ in spans if a is not None]
    ends = [b for _, b, _, _ in spans if b is not None]
    last_pos = max(pos for _, _, _, pos in spans)
    open_end = any(b is None and pos == last_pos and a is not None for a, b, _, pos in spans)
    frm = min(starts) if starts else None
    to = None if open_end or not ends else max(ends)
    if frm is None and to is None:
        return None, recurring, None
    dues = [d for _, _, d, _ in spans if d is not None]
    due = max(dues).isoformat() if dues and to is not None else None
    if recurring and not periods and not ms:
        due = None
    return [frm, to], recurring, due


def parse_deadline(text: str | None) -> tuple[list[int | None] | None, bool]:
    """(years [from, to] or None, recurring) for a deadline as printed; see the module doc."""
    years, recurring, _ = read_deadline(text)
    return years, recurring


def due_date(text: str | None) -> str | None:
    """ISO date of the last day a deadline allows, or None; see the module doc."""
    return read_deadline(text)[2]
