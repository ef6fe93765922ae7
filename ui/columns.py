"""The columns of the page's tables and of their CSV/Excel exports, defined once.

Each table is one list of `Column`s: header, share of the page width, Excel width,
and how to read the cell from a result or task dict. The page, the exports and the
CLI's export all take their headers, widths and cells from these lists, so adding a
column (a status, evidence) is one entry here.

Plans are named by a short label ("KH 66/KH-UBND (18/5/2020)") built from their
PlanInfo; the full title stays one click away (source panel, answer citation, footer).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kehoach.records import PlanInfo

MAX_CELL_CHARS = 400
ROLE_WORDS = {"lead": "Chủ trì", "support": "Phối hợp", "chủ trì": "Chủ trì", "phối hợp": "Phối hợp",
              "tiếp nhận": "Tiếp nhận"}
STATUS_MARKS = {"overdue": "Quá hạn", "due_this_year": "Đến hạn trong năm", "upcoming": "Còn hạn",
                "recurring": "Thường xuyên", "no_deadline": "Không nêu hạn"}
# Cell colours of the status column (the tab's table; exports carry the words only).
STATUS_COLOURS = {"Quá hạn": "#fde2e1", "Đến hạn trong năm": "#fff1d6", "Còn hạn": "#e3f6e5",
                  "Thường xuyên": "#e3eefc", "Không nêu hạn": "#f1f1f1"}
LEAD_ROLES = ("lead", "chủ trì")

# Standard abbreviations of Vietnamese document types (Nghị định 30/2020/NĐ-CP, Phụ lục III).
DOC_TYPE_ABBR = {"kế hoạch": "KH", "chỉ thị": "CT", "quyết định": "QĐ", "thông báo": "TB",
                 "công điện": "CĐ", "phụ lục": "PL", "báo cáo": "BC", "chương trình": "CTr",
                 "nghị quyết": "NQ", "công văn": "CV", "hướng dẫn": "HD", "đề án": "ĐA"}
KIND_ABBR = {"plan": "KH", "report": "BC"}
SHORT_TITLE_CHARS = 64
# The issuer's place ("UBND tỉnh Quảng Ngãi" -> "UBND"): every plan of a deployment shares it.
_PLACE = re.compile(r"\s+(tỉnh|thành phố|huyện|thị xã)\s.*$", re.IGNORECASE)

Names = dict[str, str]  # doc -> short plan name


def _date_vi(iso: str | None) -> str:
    """"2020-05-18" -> "18/5/2020", the way Vietnamese documents print dates."""
    try:
        d = dt.date.fromisoformat(iso or "")
    except ValueError:
        return ""
    return f"{d.day}/{d.month}/{d.year}"


def as_date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso or "")
    except ValueError:
        return None


def short_plan_name(info: PlanInfo) -> str:
    """"KH 66/KH-UBND (18/5/2020)"; without a number, the issuer stands in for it; with
    neither number nor date, the title clipped."""
    abbr = DOC_TYPE_ABBR.get((info.doc_type or "").strip().lower()) or _type_in_title(info.title) \
        or KIND_ABBR.get(info.kind, "VB")
    number = (info.number or "").strip().strip("/")
    date = _date_vi(info.date)
    when = f" ({date})" if date else ""
    if any(ch.isdigit() for ch in number.split("/")[0]):
        return f"{abbr} {number}{when}"
    if date and info.issuer:
        return f"{abbr} {_PLACE.sub('', info.issuer.strip())}{when}"
    title = _without_kind_and_issuer(" ".join((info.title or info.doc).split()), info, abbr)
    if len(title) <= SHORT_TITLE_CHARS:
        return title
    cut = title[: SHORT_TITLE_CHARS - 1]
    head = cut.rsplit(" ", 1)[0]          # at a word boundary, unless one long word (a file name)
    return (head if len(head) > SHORT_TITLE_CHARS // 2 else cut).rstrip(" ,;:-") + "…"


def _type_in_title(title: str | None) -> str | None:
    """The document type a title opens with ("Quyết định ngày …" -> "QĐ")."""
    low = (title or "").lower()
    return next((a for w, a in DOC_TYPE_ABBR.items() if low.startswith(w + " ")), None)


def _without_kind_and_issuer(title: str, info: PlanInfo, abbr: str) -> str:
    """"Kế hoạch của UBND tỉnh X triển khai …" -> "KH triển khai …": the words that say what the
    plan is about come first once the document type and the issuer are dropped."""
    words = [w for w, a in DOC_TYPE_ABBR.items() if a == abbr]
    low = title.lower()
    kind = next((w for w in words if low.startswith(w + " ")), None)
    if kind is None:
        return title
    rest = title[len(kind):].strip()
    issuer = " ".join((info.issuer or "").split())
    if issuer and rest.lower().startswith(f"của {issuer.lower()}"):
        rest = rest[len("của ") + len(issuer):].strip(" ,")
    return f"{abbr} {rest}" if rest else title


def short_names(plans: Iterable[PlanInfo]) -> Names:
    """Short names by doc; two plans that would share one keep apart by their file name."""
    plans = list(plans)
    names = {p.doc: short_plan_name(p) for p in plans}
    seen: dict[str, int] = {}
    for n in names.values():
        seen[n] = seen.get(n, 0) + 1
    return {d: (n if seen[n] == 1 else f"{n} · {d}") for d, n in names.items()}


def _join(names: Iterable[str] | None) -> str:
    return "; ".join(names or [])


def clip(text: str | None, limit: int = MAX_CELL_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def span(lines: list[int] | None) -> str:
    if not lines:
        return ""
    return str(lines[0]) if lines[0] == lines[-1] else f"{lines[0]}–{lines[-1]}"


def plan_cell(row: dict, names: Names) -> str:
    return names.get(row.get("doc", "")) or row.get("plan") or row.get("doc", "")


def section_cell(row: dict, names: Names) -> str:
    """Section and line span together ("III.4.d, dòng 484–499"), for tables with no room for both."""
    lines = span(row.get("lines"))
    return ", ".join(p for p in (row.get("section") or "", f"dòng {lines}" if lines else "") if p)


@dataclass(frozen=True)
class Column:
    header: str
    web: str                                   # share of the page table's width
    excel: float                               # Excel column width, in characters
    cell: Callable[[dict, Names], object]      # value from a result/task dict
    kind: str = "text"                         # "text" | "long" (clipped on the page) | "date"


def _text(row: dict, _: Names) -> str:
    return " ".join((row.get("text_restored") or row.get("text") or "").split())


RESULT_COLUMNS = [
    Column("Nhiệm vụ", "40%", 80, _text, "long"),
    Column("Cơ quan chủ trì", "15%", 30, lambda r, _: _join(r.get("lead"))),
    Column("Cơ quan phối hợp", "14%", 30, lambda r, _: _join(r.get("support"))),
    Column("Thời gian", "11%", 22, lambda r, _: r.get("deadline") or ""),
    Column("Văn bản", "13%", 28, plan_cell),
    Column("Mục", "7%", 10, lambda r, _: r.get("section") or ""),
]

def _role(t: dict, _: Names) -> str:
    word = ROLE_WORDS.get(t.get("role") or "", t.get("role") or "")
    return f"{word} từ {_join(t['taken_over_from'])}" if t.get("taken_over_from") else word


def _now(t: dict, _: Names) -> str:
    """Today's holders when they differ from the lead: "nay là Sở KH&CN"."""
    moved = [h for h in t.get("held_by") or [] if h not in (t.get("lead") or [])]
    return f"nay là {_join(moved)}" if moved else ""


def _evidence(t: dict, _: Names) -> str:
    ev = t.get("evidence")
    if ev is None:          # no index loaded (kehoach tasks): nothing is claimed either way
        return ""
    if not ev:
        return "Chưa thấy báo cáo"
    e = ev[0]
    return f"Đã có báo cáo — mục {e.get('section') or '?'}, dòng {span(e.get('lines'))}: {e.get('text')}"


TASK_COLUMNS = [
    Column("Vai trò", "7%", 14, _role),
    Column("Nhiệm vụ", "24%", 80, _text, "long"),
    Column("Cơ quan chủ trì", "11%", 30, lambda t, _: _join(t.get("lead"))),
    Column("Cơ quan phối hợp", "10%", 30, lambda t, _: _join(t.get("support"))),
    Column("Thời gian", "8%", 22, lambda t, _: t.get("deadline") or ""),
    Column("Hạn", "7%", 12, lambda t, _: t.get("due"), "date"),  # "31/12/2019" on one line at 1,400 px
    Column("Nay do", "7%", 24, _now),
    Column("Trạng thái", "6%", 16, lambda t, _: STATUS_MARKS.get(t.get("status") or "", "")),
    Column("Báo cáo", "8%", 50, _evidence, "long"),
    Column("Văn bản", "7%", 28, plan_cell),
    Column("Mục", "5%", 22, section_cell),
]

RESULT_HEADERS = [c.header for c in RESULT_COLUMNS]
TASK_HEADERS = [c.header for c in TASK_COLUMNS]


def widths(columns: list[Column]) -> list[str]:
    return [c.web for c in columns]


def excel_widths(columns: list[Column]) -> dict[str, float]:
    return {c.header: c.excel for c in columns}


def rows(columns: list[Column], items: list[dict], names: Names | None = None, *,
         export: bool = False) -> list[list]:
    """Cells of `columns` for `items`. On the page every cell is a string (dates as d/m/yyyy,
    long text clipped); for export, dates are `datetime.date` and nothing is clipped."""
    names = names or {}
    out = []
    for item in items:
        row = []
        for c in columns:
            value = c.cell(item, names)
            if c.kind == "date":
                value = as_date(value) if export else _date_vi(value)
            elif c.kind == "long" and not export:
                value = clip(value)
            row.append("" if value is None else value)
        out.append(row)
    return out
