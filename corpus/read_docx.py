""".docx files: paragraphs and table cells numbered as lines in body order, after a check that the zip
cannot expand into a decompression bomb.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kehoach.corpus.load_error import check_line_lengths, fail

# Decompression bombs: a .docx (a zip) may not expand beyond this, nor by more than MAX_RATIO overall
# (real Word files compress about 3-20 times; a bomb, thousands).
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 150


def check_zip(path: Path, data: bytes) -> None:
    """Refuse a .docx whose members would expand beyond the caps, before anything is decompressed.

    zipfile never returns more than a member's declared size (a lie ends in a CRC error), so
    the declared sizes bound what python-docx can be made to read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return   # judged (and reported as corrupt) by the reader itself
    expanded = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    mb = f"{expanded / 2**20:,.0f}".replace(",", ".")
    if expanded > MAX_EXPANDED_BYTES:
        raise fail(path, f"giải nén ra {mb} MB (tối đa {MAX_EXPANDED_BYTES // 2**20} MB) — có thể là "
                         "«bom giải nén», không đọc (decompression bomb)")
    if expanded > 10 * 2**20 and expanded / packed > MAX_RATIO:
        raise fail(path, f"tỉ lệ nén bất thường ({expanded / packed:.0f}:1, giải nén ra {mb} MB) — có thể là "
                         "«bom giải nén», không đọc (decompression bomb)")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Runs of a paragraph, including those inside links, tracked insertions, smart tags, content controls and
# simple fields (python-docx's Paragraph.text sees only the first two). Deleted runs are left out.
_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r"
    " | ./w:fldSimple/w:r"
)


def _docx_blocks(parent, out: list[str]) -> None:
    """Paragraphs and tables in body order; a table gives its non-empty cells one per line, row by row."""
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            out.extend("".join(r.text for r in child.xpath(_RUNS)).split("\n"))
        elif child.tag == _W + "tbl":
            _docx_table(child, out)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _docx_blocks(content, out)


def _docx_table(tbl, out: list[str]) -> None:
    """A table row by row, exactly one line per grid column, so its rows can be read by the header.

    A cell's paragraphs are joined into its one line. A cell merged across k columns (gridSpan) is
    written once, then k - 1 empty lines; empty cells and the continuations of vertically merged
    cells are empty lines. Every row therefore has as many lines as the header has columns.
    """
    for row in tbl.iterchildren(_W + "tr"):
        for cell in row.iterchildren(_W + "tc"):
            cell_lines: list[str] = []
            _docx_blocks(cell, cell_lines)
            out.append(_join_cell([line.strip() for line in cell_lines if line.strip()]))
            span = cell.find(f"{_W}tcPr/{_W}gridSpan")
            try:
                extra = int(span.get(_W + "val")) - 1 if span is not None else 0
            except (TypeError, ValueError):
                extra = 0
            out.extend([""] * max(0, min(extra, 50)))


def _join_cell(parts: list[str]) -> str:
    """A cell's paragraphs on one line. A paragraph that ends without punctuation followed by one that
    opens with a capital or a list mark is a separate entry ("Hội đồng nhân dân tỉnh" / "Sở Tài chính"),
    so a "; " keeps the two apart; a lower-case paragraph continues the sentence before it."""
    line = ""
    for part in parts:
        if line and not line.endswith((",", ";", ":", ".")) and (part[0].isupper() or part[0] in "-+•–"):
            line += "; "
        elif line:
            line += " "
        line += part
    return line


def docx_lines(path: Path, data: bytes) -> list[str]:
    import docx

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(path, "đây là tệp Word cũ (.doc) mang đuôi .docx; hãy mở bằng Word và lưu thành .docx")
    check_zip(path, data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        lines: list[str] = []
        _docx_blocks(body, lines)
    except Exception:  # noqa: BLE001 - zipfile, lxml and python-docx each raise their own errors
        raise fail(path, "tệp .docx bị hỏng hoặc không phải .docx (corrupt docx)") from None
    check_line_lengths(path, lines)
    return lines
