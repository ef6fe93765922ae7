"""Builds docs/nq-cp-nhan-luc-ban-dan-2027-2030.docx from src/nq-cp-nhan-luc-ban-dan-2027-2030.txt.

Development set written by an independent author. Run with the project venv:
python eval/unseen4/make_docx.py. The text is the document; this script only lays it out.
Source format: paragraphs; a `TABLE` line, the header row and rows with cells joined by ` | `
(`§ I | title` = section row merged over the remaining columns, `\\n` inside a cell = two paragraphs);
an `END` line, then paragraphs after the table.
"""
import os
import sys

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
NAME = "nq-cp-nhan-luc-ban-dan-2027-2030"
SRC = os.path.join(HERE, "src", NAME + ".txt")
OUT = os.path.join(HERE, "docs", NAME + ".docx")


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _fill(cell, text):
    parts = text.split("\\n")
    cell.paragraphs[0].text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def _parse(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    t, e = lines.index("TABLE"), lines.index("END")
    rows = [[c.strip() for c in r.split(" | ")] for r in lines[t + 1:e] if r.strip()]
    return lines[:t], rows, [x for x in lines[e + 1:] if x.strip()]


def build(src=SRC, path=OUT):
    before, rows, after = _parse(src)
    header, rows = rows[0], rows[1:]
    d = Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    for p in before:
        d.add_paragraph(p)
    tb = d.add_table(rows=0, cols=len(header))
    tb.style = "Table Grid"
    hr = tb.add_row()
    _repeat_header(hr)
    for c, text in zip(hr.cells, header):
        _fill(c, text)
    for r in rows:
        row = tb.add_row()
        if r[0].startswith("§ "):
            _fill(row.cells[0], r[0][2:])
            _fill(row.cells[1].merge(row.cells[len(header) - 1]), r[1])
            continue
        for c, text in zip(row.cells, r):
            if text:
                _fill(c, text)
    for p in after:
        d.add_paragraph(p)
    d.save(path)
    return path


if __name__ == "__main__":
    print(build(*sys.argv[1:]))
