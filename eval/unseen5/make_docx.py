"""Builds docs/kh-ubnd-tuyen-quang-hop-tac-xa-ocop-2026-2028.docx from src/ (development set eval/unseen5).

Run with the project venv: python eval/unseen5/make_docx.py. The source text is the document; this script only
lays it out: paragraphs before `===TABLE===`, then a table (first row the repeating header, `## STT | title` a
section row whose title is merged over the other columns, ` | ` between cells, `\\n` inside a cell for two
paragraphs, empty cells left empty), then paragraphs after `===END===`.
"""
import os

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "kh-ubnd-tuyen-quang-hop-tac-xa-ocop-2026-2028"
SRC = os.path.join(HERE, "src", NAME + ".txt")
OUT = os.path.join(HERE, "docs", NAME + ".docx")


def _repeat_header(row):
    # A header row marked to repeat on every page, as in real appendix tables.
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _fill(cell, text):
    parts = text.split("\\n")
    cell.paragraphs[0].text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def _parse(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    a, b = lines.index("===TABLE==="), lines.index("===END===")
    rows = [[c.strip() for c in ln.split(" | ")] for ln in lines[a + 1:b]]
    return lines[:a], rows, [ln for ln in lines[b + 1:] if ln.strip()]


def build(src=SRC, out=OUT):
    before, rows, after = _parse(src)
    d = Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    for t in before:
        d.add_paragraph(t)
    header = rows[0]
    tb = d.add_table(rows=0, cols=len(header))
    tb.style = "Table Grid"
    hr = tb.add_row()
    _repeat_header(hr)
    for c, t in zip(hr.cells, header):
        _fill(c, t)
    for r in rows[1:]:
        row = tb.add_row()
        if r[0].startswith("## "):
            _fill(row.cells[0], r[0][3:])
            _fill(row.cells[1].merge(row.cells[len(header) - 1]), r[1])
            continue
        for c, t in zip(row.cells, r):
            if t:
                _fill(c, t)
    for t in after:
        d.add_paragraph(t)
    d.save(out)
    return out


if __name__ == "__main__":
    print(build())
