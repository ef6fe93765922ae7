"""The header block of a Vietnamese administrative document: letterhead, number, place and
date, kind and title, read before the body starts.

Only the header speaks about the document itself: the body cites other acts with their
own numbers and dates ("Căn cứ Quyết định số 76/2004/QĐ-TTg ngày 06/5/2004"), so nothing
is taken from it but the plan's own period ("Thời gian thực hiện: đến năm 2030"). What the
header does not print stays None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kehoach.corpus.text import normalize_space, ocr_fold

HEADER_LINES = 30
# Folded first words of a title line -> the kind as printed.
DOC_TYPES = {"ke hoach": "kế hoạch", "chi thi": "chỉ thị", "quyet dinh": "quyết định", "thong bao": "thông báo",
             "cong dien": "công điện", "phu luc": "phụ lục", "bao cao": "báo cáo", "chuong trinh": "chương trình",
             "de an": "đề án", "nghi quyet": "nghị quyết", "cong van": "công văn", "huong dan": "hướng dẫn",
             "to trinh": "tờ trình"}
_NUMBER = re.compile(r"\bS[ốoô6]\s*[:.]?\s*(\d{0,5}\s*/\s*[A-ZĐ][A-ZĐa-zđ0-9&\-]*(?:/[A-ZĐ0-9\-]+)?)")
_DATE = re.compile(r"ng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})", re.IGNORECASE)
_MOTTO = ("cong hoa xa hoi", "doc lap", "dang cong san viet nam")
# Lines where the body has begun: nothing after them is header.
_BODY = re.compile(r"^(can cu|thuc hien|de |nham |theo |trong |hien nay|ngay \d|tham du|sau khi|dieu \d|"
                   r"[ivx]+\.|\d+\.|[a-z]\)|-)")
_HORIZON = r"(?:\s*,?\s*(?:định hướng|tầm nhìn)\s+(?:đến|tới)\s+năm\s+\d{4})?"
_PERIOD = re.compile(rf"(giai đoạn\s+\d{{4}}\s*[-–]\s*\d{{4}}{_HORIZON}|(?:đến|tới)\s+năm\s+\d{{4}}{_HORIZON}"
                     rf"|(?:năm\s+|thời kỳ\s+)?\d{{4}}\s*[-–]\s*\d{{4}}{_HORIZON})", re.IGNORECASE)
_PERIOD_LABEL = re.compile(r"^\s*(?:[\dIVX]+[.)]\s*)?thời gian thực hiện\s*[:：]\s*(.{3,80}?)\s*[.;]?\s*$",
                           re.IGNORECASE)


@dataclass
class Header:
    doc_type: str | None = None       # as printed, lower case ("chỉ thị")
    number: str | None = None
    date: str | None = None           # ISO
    letterhead: list[str] | None = None   # agency lines above the title, as printed
    authority: str | None = None      # "Thủ tướng Chính phủ" printed under a decision's title
    subject: str | None = None        # the title's words after the kind
    subject_inline: bool = False      # kind and subject share one line ("Chỉ thị về …")
    label: str | None = None          # the kind with its numeral as printed ("Phụ lục I")
    period: str | None = None


def _kind_of(line: str) -> tuple[str, str] | None:
    """(doc_type, rest of the line) when the line is a title line."""
    key = ocr_fold(line.strip())
    for k, label in DOC_TYPES.items():
        if key == k or key.startswith(k + " ") or key.startswith(k + ":"):
            words = len(k.split())
            rest = normalize_space(line).split(None, words)
            return label, (rest[words] if len(rest) > words else "").lstrip(": ")
    return None


def _iso(m: re.Match[str]) -> str | None:
    d, mo, y = (int(x) for x in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= mo <= 12 and 1945 <= y <= 2100 else None


def read_header(lines: list[str]) -> Header:
    out = Header()
    head = [normalize_space(ln) for ln in lines[:HEADER_LINES] if ln.strip() and not set(ln.strip()) <= set("-_=*")]
    title_at = None
    for i, line in enumerate(head[:15]):
        f = ocr_fold(line)
        if f.startswith("dien:") or f.startswith("dien "):
            out.doc_type = out.doc_type or "công điện"     # the telegram's "Điện: <addressee>" line
            continue
        if (kind := _kind_of(line)) is not None:
            title_at = i
            out.doc_type, rest = kind
            out.label = out.doc_type.capitalize()
            if m := re.match(r"^([IVXLC]+|\d+)\b[.:]?\s*(.*)$", rest):
                out.label, rest = f"{out.label} {m.group(1)}", m.group(2)   # "Phụ lục I", "Phụ lục 1: …"
            if rest:
                out.subject, out.subject_inline = rest, not rest.isupper() and rest[:1].islower()
            break
        if _BODY.match(f) or len(line) > 160:
            break
    above = head[:title_at] if title_at is not None else head[:8]
    for line in above:
        if not out.number and (m := _NUMBER.search(line)):
            out.number = re.sub(r"\s+", "", m.group(1))
        if not out.date and (m := _DATE.search(line)):
            out.date = _iso(m)
    out.letterhead = [ln for ln in above if not any(ocr_fold(ln).startswith(m) for m in _MOTTO)
                      and not _NUMBER.search(ln) and not _DATE.search(ln) and ":" not in ln
                      and not any(c.isdigit() for c in ln) and len(ln.split()) <= 10]
    if title_at is not None:
        below = head[title_at + 1:title_at + 4]
        if not out.subject and below and (below[0].isupper() or not _BODY.match(ocr_fold(below[0]))):
            out.subject = below[0]
            below = below[1:]
        if below and len(below[0].split()) <= 10 and not _BODY.match(ocr_fold(below[0])) \
                and ocr_fold(below[0]).startswith(("thu tuong", "uy ban nhan dan", "ubnd", "bo truong", "chu tich",
                                                   "chinh phu", "giam doc")):
            out.authority = below[0]
    out.period = _period(lines, out.subject)
    return out


def _period(lines: list[str], subject: str | None) -> str | None:
    """The plan's own period: a "Thời gian thực hiện:" line said once with a year (a label
    repeated under every task is each task's deadline), else the span its title names."""
    said = [m.group(1).strip() for line in lines if (m := _PERIOD_LABEL.match(line))]
    if len(said) == 1 and re.search(r"\d{4}", said[0]):
        return said[0]
    if subject and (m := _PERIOD.search(subject)):
        found = normalize_space(m.group(1))
        return found.lower() if found.isupper() else found
    return None
