"""Builds docs/kh-ubnd-phu-tho-nhan-luc-khu-cong-nghiep-2027-2030.docx from src/ (held-out: never tune on it).

Run with the project venv: python eval/unseen3/make_docx.py. The text in src/ is the document; this script only
lays it out. Source format: one paragraph a line; between `@TABLE` and `@END` a Word table, `@HEADER` gives the
columns (`Group > A ; B` is a merged group header over sub-columns A and B, on a second header row, with the other
header cells merged vertically), `@SECTION n | title` a row whose title is merged over every column after the
first, any other line one row with cells separated by ` | ` (` ¶ ` splits a cell into two paragraphs).
"""
import os

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "kh-ubnd-phu-tho-nhan-luc-khu-cong-nghiep-2027-2030"
SRC = os.path.join(HERE, "src", NAME + ".txt")
OUT = os.path.join(HERE, "docs", NAME + ".docx")


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _fill(cell, text):
    parts = [p.strip() for p in text.split("¶")]
    cell.paragraphs[0].text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def _cells(line):
    return [c.strip() for c in line.split(" | ")]


def _header(d, spec):
    cols, groups = [], []          # groups: (first column index, title, sub-titles)
    for c in _cells(spec):
        if ">" in c:
            title, subs = c.split(">", 1)
            subs = [s.strip() for s in subs.split(";")]
            groups.append((len(cols), title.strip(), subs))
            cols.extend(subs)
        else:
            cols.append(c)
    tb = d.add_table(rows=0, cols=len(cols))
    tb.style = "Table Grid"
    top = tb.add_row()
    _repeat_header(top)
    if not groups:
        for cell, t in zip(top.cells, cols):
            _fill(cell, t)
        return tb, len(cols)
    sub = tb.add_row()
    _repeat_header(sub)
    grouped = {}
    for first, _title, subs in groups:
        for k in range(len(subs)):
            grouped[first + k] = (first, title, subs)
    for i, t in enumerate(cols):
        if i in grouped:
            first, title, subs = grouped[i]
            _fill(sub.cells[i], t)
            if i == first:
                _fill(top.cells[i], title)
        else:
            _fill(top.cells[i], t)
    for first, _title, subs in groups:
        top.cells[first].merge(top.cells[first + len(subs) - 1])
    for i in range(len(cols)):
        if i not in grouped:
            top.cells[i].merge(sub.cells[i])
    return tb, len(cols)


def build(src=SRC, path=OUT):
    with open(src, encoding="utf-8") as f:
        lines = f.read().rstrip("\n").split("\n")
    d = Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    tb, ncols = None, 0
    for line in lines:
        if line == "@TABLE":
            continue
        if line.startswith("@HEADER "):
            tb, ncols = _header(d, line[len("@HEADER "):])
        elif line == "@END":
            tb = None
        elif tb is not None and line.startswith("@SECTION "):
            n, title = _cells(line[len("@SECTION "):])
            row = tb.add_row()
            _fill(row.cells[0], n)
            merged = row.cells[1].merge(row.cells[ncols - 1])
            _fill(merged, title)
        elif tb is not None:
            cells = _cells(line)
            assert len(cells) == ncols, line
            row = tb.add_row()
            for c, t in zip(row.cells, cells):
                if t:
                    _fill(c, t)
        else:
            d.add_paragraph(line)
    d.save(path)
    return path


if __name__ == "__main__":
    print(build())
