"""Checking what the page and API clients send, with one-line Vietnamese messages.

Shared by the JSON route and the Gradio endpoints so both refuse the same
things the same way.
"""
from __future__ import annotations

from typing import Any

K_MIN, K_MAX = 1, 50
YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_AGENCY_CHARS = 200
FILTER_KEYS = ("doc", "agency", "year_from", "year_to", "status", "as_of")


class InputError(ValueError):
    """A request the server refuses; str() is the message shown to the user."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def check_question(question: Any, max_chars: int) -> str:
    if question is None:
        raise InputError("Thiếu câu hỏi (missing question).")
    if not isinstance(question, str):
        raise InputError("Câu hỏi phải là một chuỗi văn bản (question must be a string).")
    q = question.strip()
    if not q:
        raise InputError("Chưa nhập câu hỏi (empty question).")
    if len(q) > max_chars:
        raise InputError(f"Câu hỏi dài {len(q)} ký tự, tối đa {max_chars} ký tự (question too long).")
    return q


def check_k(k: Any, default: int) -> int:
    """An integer number of results, clamped to 1..50; anything else is refused."""
    if k is None:
        k = default
    # JSON true/false would pass as int; a float like 5.0 is what some clients send for 5.
    if isinstance(k, bool) or not isinstance(k, (int, float)) or k != int(k):
        raise InputError("Số kết quả k phải là số nguyên (k must be an integer).")
    return max(K_MIN, min(K_MAX, int(k)))


def _year(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise InputError(f"{name} phải là một năm, ví dụ 2025 (year must be an integer).")
    year = int(value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError(f"{name} phải trong khoảng {YEAR_MIN}–{YEAR_MAX} (year out of range).")
    return year


def check_filters(filters: Any, docs: set[str]) -> dict | None:
    """Known keys only (a misspelt key would silently filter nothing); empty values dropped."""
    if filters is None:
        return None
    if not isinstance(filters, dict):
        raise InputError("Bộ lọc phải là một đối tượng JSON (filters must be an object).")
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise InputError(f"Bộ lọc không hợp lệ: {', '.join(map(str, unknown))}; chỉ dùng "
                         f"{', '.join(FILTER_KEYS)} (unknown filter).")
    out: dict[str, Any] = {}
    doc = filters.get("doc")
    if doc not in (None, ""):
        if not isinstance(doc, str) or doc not in docs:
            raise InputError(f"Không có văn bản {str(doc)[:80]!r} trong chỉ mục (unknown document).")
        out["doc"] = doc
    agency = filters.get("agency")
    if agency not in (None, ""):
        if not isinstance(agency, str) or len(agency) > MAX_AGENCY_CHARS:
            raise InputError(f"Tên cơ quan phải là chuỗi tối đa {MAX_AGENCY_CHARS} ký tự (bad agency).")
        if agency.strip():
            out["agency"] = agency.strip()
    year_from = _year(filters.get("year_from"), "Từ năm")
    year_to = _year(filters.get("year_to"), "Đến năm")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(f"Từ năm {year_from} lớn hơn đến năm {year_to} (year_from > year_to).")
    if year_from is not None:
        out["year_from"] = year_from
    if year_to is not None:
        out["year_to"] = year_to
    status, as_of = filters.get("status"), filters.get("as_of")
    try:
        from kehoach.qa.status import parse_date, parse_statuses
        if status not in (None, "", []):
            if not isinstance(status, (str, list)):
                raise ValueError("Trạng thái phải là chuỗi hoặc danh sách (status must be a string or a list).")
            out["status"] = sorted(parse_statuses(status) or [])
        if as_of not in (None, ""):
            if not isinstance(as_of, str):
                raise ValueError("Ngày as_of phải là chuỗi YYYY-MM-DD (as_of must be a date string).")
            out["as_of"] = parse_date(as_of).isoformat()
    except ValueError as err:
        raise InputError(str(err)) from None
    return {k: v for k, v in out.items() if v not in (None, [])} or None
