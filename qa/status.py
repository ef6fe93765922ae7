"""Deadline status of a task against a date: quá hạn, đến hạn trong năm, còn hạn, thường xuyên, không nêu hạn.

Works on anything with the deadline fields of records.Task / records.Chunk.
"""
from __future__ import annotations

from datetime import date

OVERDUE, DUE_THIS_YEAR, UPCOMING, RECURRING, NO_DEADLINE = (
    "overdue", "due_this_year", "upcoming", "recurring", "no_deadline")
STATUSES = (OVERDUE, DUE_THIS_YEAR, UPCOMING, RECURRING, NO_DEADLINE)   # also the sort order
WORDS = {OVERDUE: "quá hạn", DUE_THIS_YEAR: "đến hạn trong năm", UPCOMING: "còn hạn",
         RECURRING: "thường xuyên", NO_DEADLINE: "không nêu hạn"}
_ALIASES = {**{w: s for s, w in WORDS.items()}, "qua han": OVERDUE, "den han trong nam": DUE_THIS_YEAR,
            "con han": UPCOMING, "thuong xuyen": RECURRING, "khong neu han": NO_DEADLINE}


def due_of(item) -> str | None:
    """ISO last day the deadline allows.

    The parser's `due` when it sets one; until then the end of the last year of
    `deadline_years` (the only place that fallback lives).
    """
    if getattr(item, "due", None):
        return item.due
    years = getattr(item, "deadline_years", None) or []
    last = years[-1] if years else None
    return f"{int(last):04d}-12-31" if last else None


def parse_date(text: str | date | None) -> date:
    """`--as-of` value (YYYY-MM-DD or YYYY) -> date; today when empty. ValueError in Vietnamese."""
    if isinstance(text, date):
        return text
    if not text:
        return date.today()
    t = str(text).strip()
    try:
        return date(int(t), 12, 31) if t.isdigit() and len(t) == 4 else date.fromisoformat(t)
    except ValueError:
        raise ValueError(f"Ngày không hợp lệ «{t}»: dùng dạng YYYY-MM-DD, ví dụ 2026-01-01.") from None


def status_of(item, as_of: date | str | None = None) -> str:
    today = parse_date(as_of)
    due = due_of(item)
    if due is None:
        years = getattr(item, "deadline_years", None) or []
        # "Năm 2020 và những năm tiếp theo" has a start and no end: an ongoing duty.
        ongoing = getattr(item, "recurring", False) or (len(years) == 2 and years[0] and not years[1])
        return RECURRING if ongoing else NO_DEADLINE
    end = date.fromisoformat(due)
    if end < today:
        return OVERDUE
    if end.year == today.year:
        return DUE_THIS_YEAR
    return RECURRING if getattr(item, "recurring", False) else UPCOMING


def parse_statuses(text: str | list | None) -> set[str] | None:
    """"overdue,due_this_year" or ["quá hạn"] -> a set of statuses; None for no filter."""
    if not text:
        return None
    from kehoach.corpus.text import fold
    parts = text if isinstance(text, (list, tuple, set)) else str(text).split(",")
    out = set()
    for p in parts:
        key = str(p).strip()
        if not key:
            continue
        hit = key if key in STATUSES else _ALIASES.get(key) or _ALIASES.get(fold(key))
        if hit is None:
            raise ValueError(f"Trạng thái không hợp lệ «{key}»: chọn trong {', '.join(STATUSES)}.")
        out.add(hit)
    return out or None


def sort_key(item, as_of=None) -> tuple:
    """Most urgent first: by status, then the earliest due date."""
    return STATUSES.index(status_of(item, as_of)), due_of(item) or "9999"


def overdue_since(item, as_of=None) -> int | None:
    """The year the deadline passed, for "đã quá hạn từ năm 2020"; None when not overdue."""
    return int(due_of(item)[:4]) if status_of(item, as_of) == OVERDUE else None
