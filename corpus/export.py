"""Task tables to CSV and Excel, with Vietnamese column names (CLI and web share this)."""
from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = [("plan", "Văn bản"), ("doc", "Tệp"), ("section", "Mục"), ("lines", "Dòng"), ("text", "Nhiệm vụ"),
           ("lead", "Cơ quan chủ trì"), ("support", "Cơ quan phối hợp"), ("deadline", "Thời gian thực hiện"),
           ("role", "Vai trò")]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}–{value[1]}"
        return "; ".join(str(v) for v in value)
    return str(value)


def table(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    cols = [(k, title) for k, title in COLUMNS if any(k in r for r in rows)] or COLUMNS[:8]
    return [t for _, t in cols], [[_cell(r.get(k)) for k, _ in cols] for r in rows]


def write_csv(rows: list[dict], path: str | Path) -> Path:
    head, body = table(rows)
    path = Path(path)
    # UTF-8 with BOM: Excel opens it with the Vietnamese letters intact.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        w.writerows(body)
    return path


def write_xlsx(rows: list[dict], path: str | Path, sheet: str = "Nhiệm vụ") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    head, body = table(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in body:
        ws.append(r)
    widths = {"Nhiệm vụ": 80, "Văn bản": 40, "Cơ quan chủ trì": 35, "Cơ quan phối hợp": 40}
    for i, h in enumerate(head, 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = widths.get(h, 16)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path = Path(path)
    wb.save(path)
    return path
