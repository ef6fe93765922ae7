"""CSV (UTF-8 with BOM, so Excel shows Vietnamese) and Excel files of a task table."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kehoach.corpus.text import fold, nfc
from kehoach.ui.columns import RESULT_COLUMNS, TASK_COLUMNS, excel_widths

# A cell opening with one of these is run as a formula by spreadsheet programs
# (CSV injection); plan text can open with "-" or "+" bullets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_AGE_S = 3600
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "dd/mm/yyyy"
# Widths by header name for callers that pass none (`kehoach tasks --xlsx`).
KNOWN_WIDTHS = {**excel_widths(RESULT_COLUMNS), **excel_widths(TASK_COLUMNS), "Văn bản": 40, "Tệp": 28,
                "Dòng": 10, "Mục": 10}


def _safe(cell: object) -> object:
    if isinstance(cell, str):
        return "'" + cell if cell.startswith(_FORMULA_START) else cell
    return cell


def _csv_cell(cell: object) -> str:
    # ISO dates: every spreadsheet program reads 2025-12-31 as a date, whatever its locale.
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return "" if cell is None else str(_safe(cell))


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_csv_cell(c) for c in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


def sheet_title(title: str) -> str:
    """Excel's rules for a sheet name (at most 31 characters, none of []:*?/\\), diacritics kept."""
    clean = " ".join(_SHEET_FORBIDDEN.sub(" ", nfc(title or "")).split()).strip("'")
    return clean[:31].rstrip() or "Nhiệm vụ"


def to_xlsx(headers: list[str], rows: list[list], title: str, widths: dict[str, float] | None = None) -> bytes:
    """One sheet named after `title`; column widths looked up by header name (unknown
    headers keep Excel's default), dates stored as dates, text never run as a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([None if c == "" else c for c in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                # openpyxl stores a string starting with "=" as a formula; keep it text.
                cell.data_type = "s"
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, header in enumerate(headers, 1):
        width = (widths or KNOWN_WIDTHS).get(header)
        if width:
            ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def slug(name: str) -> str:
    return "-".join(fold(name).split())[:60] or "co-quan"


def write_exports(root: Path, agency: str, headers: list[str], rows: list[list],
                  widths: dict[str, float] | None = None) -> tuple[Path, Path]:
    """Write both files in a fresh folder under `root` (concurrent users never share a
    file), after removing folders older than an hour (Gradio has served them by then)."""
    root.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in root.iterdir():
        if old.is_dir() and now - old.stat().st_mtime > _MAX_AGE_S:
            shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(dir=root))
    name = f"nhiem-vu-{slug(agency)}"
    csv_path, xlsx_path = folder / f"{name}.csv", folder / f"{name}.xlsx"
    csv_path.write_bytes(to_csv(headers, rows))
    xlsx_path.write_bytes(to_xlsx(headers, rows, agency, widths))
    return csv_path, xlsx_path
