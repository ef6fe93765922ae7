"""CSV (UTF-8 with BOM, so Excel shows Vietnamese) and Excel files of a task table."""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from kehoach.corpus.text import fold

# A cell opening with one of these is run as a formula by spreadsheet programs
# (CSV injection); plan text can open with "-" or "+" bullets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_AGE_S = 3600


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def to_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([[_safe(c) for c in row] for row in rows])
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(headers: list[str], rows: list[list[str]], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = (fold(title) or "nhiem vu")[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            # openpyxl stores a string starting with "=" as a formula; keep it text.
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGH", (10, 80, 30, 30, 20, 40, 10, 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def slug(name: str) -> str:
    return "-".join(fold(name).split())[:60] or "co-quan"


def write_exports(root: Path, agency: str, headers: list[str], rows: list[list[str]]) -> tuple[Path, Path]:
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
    xlsx_path.write_bytes(to_xlsx(headers, rows, agency))
    return csv_path, xlsx_path
