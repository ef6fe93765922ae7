"""One set of rules for everything a user sends: CLI, batch files, JSON API, Gradio, Python API.

Every entry point checks its input here, so a value refused by one is refused by all,
with the same one-line Vietnamese message (an English hint in brackets for logs).
Nothing here raises anything but InputError on bad input.
"""
from __future__ import annotations

import codecs
import json
import math
from collections.abc import Callable, Collection
from typing import Any

K_MIN, K_MAX = 1, 50
YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_AGENCY_CHARS = 200
MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 20
FILTER_KEYS = ("doc", "agency", "year_from", "year_to", "status", "as_of")


class InputError(ValueError):
    """A request that is refused; str() is the message shown to the user, status the HTTP code."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


# ---- text --------------------------------------------------------------------------------

def _surrogates(text: str) -> tuple[bool, bool]:
    """(has bytes that were not UTF-8, has lone UTF-16 surrogates).

    Python turns undecodable bytes of argv and file names into U+DC80..U+DCFF
    ("surrogateescape"); JSON "\\ud800" escapes give other lone surrogates.
    """
    escaped = lone = False
    for ch in text:
        if "\ud800" <= ch <= "\udfff":
            if "\udc80" <= ch <= "\udcff":
                escaped = True
            else:
                lone = True
    return escaped, lone


def text_problem(text: str, what: str = "Câu hỏi") -> str | None:
    """A message if `text` cannot be encoded as UTF-8 (invalid bytes, lone surrogates), else None."""
    escaped, lone = _surrogates(text)
    if escaped:
        return f"{what} chứa byte không hợp lệ (không phải UTF-8); hãy nhập lại bằng bảng mã Unicode (invalid bytes)."
    if lone:
        return f"{what} chứa ký tự không hợp lệ (nửa cặp UTF-16 lẻ); hãy nhập lại (lone surrogate)."
    return None


def printable(text: str) -> str:
    """`text` with anything UTF-8 cannot carry replaced by U+FFFD, safe to print or send as JSON."""
    if not any(_surrogates(text)):
        return text
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)


def check_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} phải là một chuỗi văn bản (must be a string).")
    problem = text_problem(value, what)
    if problem:
        raise InputError(problem)
    return value


def check_question(question: Any, max_chars: int) -> str:
    """The stripped question, or InputError (missing, not text, invalid text, empty, too long)."""
    if question is None:
        raise InputError("Thiếu câu hỏi (missing question).")
    if not isinstance(question, str):
        raise InputError("Câu hỏi phải là một chuỗi văn bản (question must be a string).")
    check_text(question, "Câu hỏi")
    q = question.strip()
    if not q:
        raise InputError("Chưa nhập câu hỏi (empty question).")
    if len(q) > max_chars:
        raise InputError(f"Câu hỏi dài {len(q)} ký tự, tối đa {max_chars} ký tự (question too long).")
    return q


def question_problem(question: Any, max_chars: int) -> str | None:
    """The engine's rule: everything check_question refuses, and text that is not Vietnamese."""
    from kehoach.qa.intent import looks_vietnamese
    if isinstance(question, str):
        problem = text_problem(question)
        if problem:
            return problem
    q = (question or "").strip() if isinstance(question, str) or question is None else None
    if q is None:
        return "Câu hỏi phải là một chuỗi văn bản (question must be a string)."
    if not q:
        return "Câu hỏi trống: hãy nhập nội dung cần tìm, ví dụ «Sở nào chủ trì giáo dục STEM?»."
    if len(q) > max_chars:
        return f"Câu hỏi quá dài ({len(q)} ký tự; tối đa {max_chars}). Hãy rút gọn câu hỏi."
    if not looks_vietnamese(q):
        return "Câu hỏi cần viết bằng tiếng Việt (có hoặc không dấu), ví dụ «hạn chót xây dựng trung tâm dữ liệu?»."
    return None


# ---- numbers -----------------------------------------------------------------------------

def _integer(value: Any, message: str) -> int:
    """An int from an int or an integral finite float (JSON clients send 5.0); NaN, ±inf, 1e400 refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(message)
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise InputError(message)
    return int(value)


def check_k(k: Any, default: int) -> int:
    """Number of results: an integer ≥ 1; more than K_MAX is served as K_MAX."""
    if k is None:
        k = default
    k = _integer(k, f"Số kết quả k phải là số nguyên từ {K_MIN} đến {K_MAX} (k must be an integer).")
    if k < K_MIN:
        raise InputError(f"Số kết quả k phải từ {K_MIN} đến {K_MAX}, không phải {k} (k out of range).")
    return min(K_MAX, k)


def check_year(value: Any, name: str = "Năm") -> int | None:
    if value is None or value == "":
        return None
    year = _integer(value, f"{name} phải là một năm, ví dụ 2025 (year must be an integer).")
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError(f"{name} phải trong khoảng {YEAR_MIN}–{YEAR_MAX}, không phải {year} (year out of range).")
    return year


# ---- filters -----------------------------------------------------------------------------

def resolve_doc(doc: str, docs: Collection[str]) -> str:
    """A document named exactly or by a unique prefix ("002" for 002_…txt); InputError naming it otherwise."""
    shown = printable(str(doc))[:80]
    if doc in docs:
        return doc
    matches = sorted(d for d in docs if d.startswith(doc)) if doc else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InputError(f"«{shown}» khớp nhiều văn bản: {', '.join(matches[:5])}; hãy ghi rõ hơn "
                         "(ambiguous document).")
    listed = ", ".join(sorted(docs)[:8]) + ("…" if len(docs) > 8 else "")
    raise InputError(f"Không có văn bản «{shown}» trong chỉ mục. Các văn bản: {listed} (unknown document).")


def check_agency(agency: Any, known: Callable[[str], bool] | None = None) -> str | None:
    if agency in (None, ""):
        return None
    if not isinstance(agency, str) or len(agency) > MAX_AGENCY_CHARS:
        raise InputError(f"Tên cơ quan phải là chuỗi tối đa {MAX_AGENCY_CHARS} ký tự (bad agency).")
    check_text(agency, "Tên cơ quan")
    agency = agency.strip()
    if agency and known is not None and not known(agency):
        raise InputError(f"Không nhận ra cơ quan «{agency}». Xem danh sách: kehoach agencies (unknown agency).")
    return agency or None


def check_filters(filters: Any, docs: Collection[str], agency_known: Callable[[str], bool] | None = None
                  ) -> dict | None:
    """Known keys only (a misspelt key would silently filter nothing); empty values dropped."""
    if filters is None:
        return None
    if not isinstance(filters, dict):
        raise InputError("Bộ lọc phải là một đối tượng JSON (filters must be an object).")
    unknown = sorted(map(str, set(filters) - set(FILTER_KEYS)))
    if unknown:
        raise InputError(f"Bộ lọc không hợp lệ: {printable(', '.join(unknown))[:120]}; chỉ dùng "
                         f"{', '.join(FILTER_KEYS)} (unknown filter).")
    out: dict[str, Any] = {}
    doc = filters.get("doc")
    if doc not in (None, ""):
        if not isinstance(doc, str):
            raise InputError("Tên văn bản phải là một chuỗi (document must be a string).")
        check_text(doc, "Tên văn bản")
        out["doc"] = resolve_doc(doc, docs)
    agency = check_agency(filters.get("agency"), agency_known)
    if agency:
        out["agency"] = agency
    year_from = check_year(filters.get("year_from"), "Từ năm")
    year_to = check_year(filters.get("year_to"), "Đến năm")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError(f"Từ năm {year_from} lớn hơn đến năm {year_to} (year_from > year_to).")
    if year_from is not None:
        out["year_from"] = year_from
    if year_to is not None:
        out["year_to"] = year_to
    out.update(check_followup(filters.get("status"), filters.get("as_of")))
    return out or None


def check_followup(status: Any, as_of: Any) -> dict[str, Any]:
    """Deadline statuses (a string, comma-separated, or a list) and the as-of date (YYYY-MM-DD)."""
    from kehoach.qa.status import parse_date, parse_statuses
    out: dict[str, Any] = {}
    try:
        if status not in (None, "", []):
            if not isinstance(status, (str, list)):
                raise ValueError("Trạng thái phải là chuỗi hoặc danh sách (status must be a string or a list).")
            check_text(status if isinstance(status, str) else " ".join(map(str, status)), "Trạng thái")
            out["status"] = sorted(parse_statuses(status) or [])
        if as_of not in (None, ""):
            if not isinstance(as_of, str):
                raise ValueError("Ngày as_of phải là chuỗi YYYY-MM-DD (as_of must be a date string).")
            check_text(as_of, "Ngày")
            out["as_of"] = parse_date(as_of).isoformat()
    except ValueError as err:
        raise InputError(str(err)) from None
    return {k: v for k, v in out.items() if v}


# ---- JSON ----------------------------------------------------------------------------------

def json_depth(raw: str) -> int:
    """Deepest nesting of arrays/objects, in one pass that skips strings (json.loads recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse_json(body: bytes, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A request body -> JSON value; size, encoding, depth and non-finite numbers refused with InputError."""
    if len(body) > max_bytes:
        raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    bad = InputError('Nội dung phải là JSON, ví dụ {"question": "..."} (body must be JSON).')
    try:
        raw = body.decode("utf-8")
    except UnicodeDecodeError:
        raise bad from None
    if json_depth(raw) > max_depth:
        raise InputError(f"JSON lồng quá sâu (tối đa {max_depth} cấp) (JSON nested too deeply).")

    def no_constant(name: str):
        raise InputError(f"JSON không nhận giá trị {name}; hãy gửi một số hữu hạn (non-finite number).")
    try:
        return json.loads(raw, parse_constant=no_constant)
    except InputError:
        raise
    except (ValueError, RecursionError):
        raise bad from None


# ---- batch files -----------------------------------------------------------------------------

_UTF16_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_batch(data: bytes) -> list[tuple[int, str | None, str | None]]:
    """A batch file's bytes -> [(line number, text, None) or (line number, None, error)].

    Read like the corpus loaders read plans (BOMs, UTF-16 with or without BOM, UTF-8,
    the 8-bit Vietnamese encodings), except that a few bad bytes in a UTF-8 file spoil
    only their own line: every other line is still asked.
    """
    from kehoach.corpus import file_text
    from kehoach.corpus.load_error import LoadError
    text = None
    if data.startswith(_UTF16_BOMS) or file_text.utf16_without_bom(data) is not None:
        try:
            text = file_text.decode_text(data, _BatchPath())
        except LoadError:
            text = None
    if text is None:
        raw_lines = data.split(b"\n")
        if data.startswith(codecs.BOM_UTF8):
            raw_lines[0] = raw_lines[0][len(codecs.BOM_UTF8):]
        decoded = []
        for raw in raw_lines:
            try:
                decoded.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(None)
        bad = sum(d is None for d in decoded)
        if bad and bad > len(decoded) // 2:
            # Mostly not UTF-8: a whole file in TCVN3/VNI/cp1258, which the loaders can read.
            try:
                text = file_text.decode_text(data, _BatchPath())
            except LoadError:
                text = None
        if text is None:
            out = []
            for n, d in enumerate(decoded, 1):
                if d is None:
                    out.append((n, None, f"Dòng {n}: có byte không hợp lệ (không phải UTF-8) — bỏ qua."))
                else:
                    out.append((n, d.rstrip("\r"), None))
            return out
    return [(n, line, None) for n, line in enumerate(file_text.split_lines(text), 1)]


class _BatchPath(str):
    """What the loaders' messages call the batch file."""

    def __new__(cls):
        return super().__new__(cls, "tệp câu hỏi")
