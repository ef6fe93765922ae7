"""Tables of tasks: a header row ("STT / Nội dung nhiệm vụ / Cơ quan chủ trì / …") then one row per task.

Mixed into the parser: it needs the parser's lines, boilerplate and line shapes.
"""
from __future__ import annotations

import re

from kehoach.corpus.deadlines import parse_deadline
from kehoach.corpus.grammar import _VERB_RX, heading_agencies
from kehoach.corpus.layouts.shapes import (
    _AGENCY_HEADS, _FOOTNOTE, _HEADER_WORDS, _Node, _ROW, _Unit, _cap,
)
from kehoach.corpus.text import DEADLINE, LEAD, SUPPORT, fold, ocr_fold


class TableLayout:
    """Finds flattened task tables and turns their rows into units."""

    def _table_regions(self) -> list[tuple[int, int, int, bool]]:
        """(header start, first body line, last body line, has a time column) of each flattened task table."""
        regions = []
        no = 1
        while no <= self.n:
            if fold(self.raw[no - 1]) in ("stt", "tt", "so tt") and no not in self.skip:
                header_end = no
                k = no + 1
                while k <= self.n and k - no <= 24 and not _ROW.match(self.raw[k - 1]):
                    f = fold(self.raw[k - 1])
                    if f and not any(w in f for w in _HEADER_WORDS):
                        break
                    header_end = k
                    k += 1
                cells = " ".join(fold(self.raw[j - 1]) for j in range(no + 1, header_end + 1))
                if any(w in cells for w in _TASK_WORDS):
                    self._headers[header_end + 1] = list(range(no, header_end + 1))
                    end = header_end
                    j = header_end + 1
                    while j <= self.n and not _FOOTNOTE.match(self.raw[j - 1]) and j not in self.skip:
                        if self.raw[j - 1].strip():
                            if self.classify(j)[0] == "roman":
                                break
                            end = j
                        j += 1
                    regions.append((no, header_end + 1, end, "thoi gian" in cells or "thoi han" in cells))
                    no = end + 1
                    continue
            no += 1
        return regions

    def _agency_like(self, text: str) -> bool:
        f = ocr_fold(text) + " "
        words = f.split()
        # ocr_fold reads an opening "B" before a bare vowel as OCR's "Đ" ("Bon vi"), which makes the
        # clean "Ban Quản lý …" a "Dan …": the plain fold is tried too.
        plain = fold(text) + " "
        # A sentence boundary inside the cell ("... đô thị. Phối hợp ...") means prose, not a list of names.
        sentences = any(m.group(1).isupper() for m in re.finditer(r"[.!?]\s+(\w)", text))
        # the folded head list, or the grammar's own reading of a cell that only names agencies ("Vụ Pháp chế",
        # "Các bệnh viện trực thuộc Bộ")
        return 0 < len(words) <= 30 and not sentences and (
            f.startswith(_AGENCY_HEADS) or plain.startswith(_AGENCY_HEADS)
            or heading_agencies(text.strip()) is not None)

    def _deadline_like(self, text: str) -> bool:
        years, recurring = parse_deadline(text)
        return len(text.split()) <= 12 and (years is not None or recurring)

    def _parse_table(self, first: int, last: int, timed: bool, title: _Node | None) -> None:
        """Rows of a flattened table: "5.5", task text (1..n cells), then agency / deadline cells."""
        header = self._headers.get(first, [])
        grid = self._grid_header(first, last, header)
        if grid:
            self._parse_grid(grid[1], grid[0], title)
            return
        rows: list[tuple[str, list[int]]] = []
        for no in range(first, last + 1):
            if not self.raw[no - 1].strip():
                continue
            m = _ROW.match(self.raw[no - 1])
            if m:
                rows.append((m.group(1), []))
            elif rows and _SECTION_ROW.match(self.raw[no - 1]):
                rows.append(("", [no]))      # "II" + its title: a section row, never cells of the row above
            elif rows:
                rows[-1][1].append(no)
            else:
                self.extra_pieces.append((no, no, title))
        dotted = any("." in r for r, _ in rows)
        section_nodes: dict[str, _Node] = {}
        # Empty cells are gone here, so columns are known by content; the header still says whether there
        # is a support column, and which named columns ("Sản phẩm", "Ghi chú") may close a row.
        names = [self.raw[no - 1].strip() for no in header]
        roles = column_roles(names) if names else []
        last_field = max((i for i, r in enumerate(roles) if r in (LEAD, SUPPORT, DEADLINE)), default=len(roles))
        closing = [names[i] for i in range(last_field + 1, len(roles)) if roles[i] == "other"]
        by_header = bool(roles) and roles[0] == "number" and LEAD in roles and "task" in roles
        section: _Node | None = None
        for number, cells in rows:
            if not number:
                if len(cells) > 1:
                    section = _Node(self.raw[cells[0] - 1].strip(), _cap(self.raw[cells[1] - 1]), cells[:2], title)
                    self.table_nodes.append(section)
                continue
            if not cells:
                continue
            # A row with every cell is a task even when sub-rows ("5.1") make undotted numbers look like
            # sections: a group row has its title alone.
            if by_header and len(cells) == len(roles) - 1 and self._cells_fit(cells, roles[1:]):
                # Every cell of this row is there: its columns are the header's, whatever their order.
                parent = section_nodes.get(number.split(".")[0]) if "." in number else None
                parent = parent or section or title
                self._row_by_header(number, cells, names, roles, parent)
                continue
            tail: list[int] = []
            extra: dict[str, str] = {}
            for no in reversed(cells[1:]):
                txt = self.raw[no - 1]
                if len(tail) < 3 and (self._agency_like(txt) or (timed and self._deadline_like(txt))):
                    tail.insert(0, no)
                elif not tail and len(extra) < len(closing):
                    extra[_header_name(closing[len(closing) - 1 - len(extra)])] = txt.strip()
                else:
                    break
            if not tail:
                extra = {}      # no agency or deadline cell found: the closing cells were task text after all
            body = [c for c in cells if c not in tail
                    and not (extra and c > (tail[-1] if tail else cells[-1]))]
            parent = section_nodes.get(number.split(".")[0]) if "." in number else None
            parent = parent or section or title
            if dotted and "." not in number:
                # A section row: its first line is the section's title; anything more is a task of its own.
                node = _Node(number, _cap(self.raw[cells[0] - 1]), [cells[0]], title)
                self.table_nodes.append(node)
                section_nodes[number] = node
                body = body[1:] if tail or len(body) > 1 else []
                parent = node
                if not body:
                    if not tail:
                        continue
                    body, node.lines = [cells[0]], []
            unit = _Unit("row", number, parent, text=body, strip_first=False)
            agencies = [no for no in tail if self._agency_like(self.raw[no - 1])]
            lead_only = bool(roles) and SUPPORT not in roles    # one "thực hiện" column: every agency leads
            for no in tail:
                kind = DEADLINE if no not in agencies else (
                    LEAD if no == agencies[0] or lead_only else SUPPORT)
                unit.labels.append((kind, self.raw[no - 1], [no]))
            unit.fields.update(dict(reversed(list(extra.items()))))
            self.units.append(unit)

    def _cells_fit(self, cells: list[int], roles: list[str]) -> bool:
        """Each cell reads as its column says (agencies under "chủ trì", a time under "thời hạn"): a cell
        written on two lines would shift the rest, and then the row is read by content instead."""
        for no, role in zip(cells, roles):
            txt = self.raw[no - 1]
            if not txt.strip():
                continue
            # the grammar reads marks ("Sở" is a head, "Số hóa" is not); the folded test is looser
            named = heading_agencies(txt) is not None
            if role in (LEAD, SUPPORT) and not (named or self._agency_like(txt)):
                return False
            if role == DEADLINE and not self._deadline_like(txt):
                return False
            if role == "task" and named and not _VERB_RX.match(txt.strip().lower()):
                return False    # a task opens with its work ("Tổ chức hội nghị"), not with an agency
        return True

    def _row_by_header(self, number: str, cells: list[int], names: list[str], roles: list[str],
                       parent: _Node | None) -> None:
        unit = _Unit("row", number, parent, text=[no for no, r in zip(cells, roles[1:]) if r == "task"],
                     strip_first=False)
        for no, name, role in zip(cells, names[1:], roles[1:]):
            txt = self.raw[no - 1].strip()
            if role in (LEAD, SUPPORT, DEADLINE):
                unit.labels.append((role, txt, [no]))
            elif role == "other":
                unit.fields[_header_name(name)] = txt
        self.units.append(unit)

    # -- the section tree

    def _table_title(self, header: int, roman: _Node | None) -> _Node | None:
        """The lines just above a table's header name it (e.g. "PHỤ LỤC / DANH MỤC NHIỆM VỤ ...")."""
        lines: list[int] = []
        k = header - 1
        while k >= 1 and len(lines) < 3 and k not in self.skip and self.raw[k - 1].strip():
            lines.insert(0, k)
            k -= 1
        if not lines:
            return roman
        node = _Node("", _cap(" ".join(self.raw[j - 1] for j in lines)), [], None)
        self.table_nodes.append(node)
        return node

    # -- tables written one cell a line with every cell kept (Word tables): read by the header

    def _section_row(self, no: int) -> bool:
        return bool(_SECTION_ROW.match(self.raw[no - 1]))

    def _fixed_width(self, first: int, last: int, width: int) -> list[list[int]] | None:
        """Rows of a table whose every row is `width` lines opening with a row number, a section mark or
        nothing (a Word table, empty cells kept), else None."""
        starts = range(first, last + 1, width)
        if width < 3 or len(starts) < 2:
            return None
        ok = sum(1 for k in starts if _ROW.match(self.raw[k - 1]) or self._section_row(k)
                 or not self.raw[k - 1].strip())
        if ok < 0.9 * len(starts):
            return None
        return [list(range(k, min(k + width, last + 1))) for k in starts]

    def _marked_rows(self, first: int, last: int, width: int) -> list[list[int]] | None:
        """Rows cut at their row numbers and section marks, when every numbered row has one line per column
        (a table flattened one cell a line, no empty cell dropped): the columns are then known by position,
        whatever their order. Section rows ("I" + title) may be shorter. None when the widths disagree."""
        if width < 3:
            return None
        rows: list[list[int]] = []
        for no in range(first, last + 1):
            if _ROW.match(self.raw[no - 1]) or self._section_row(no):
                rows.append([no])
            elif rows:
                rows[-1].append(no)
            elif self.raw[no - 1].strip():
                return None
        numbered = [r for r in rows if _ROW.match(self.raw[r[0] - 1])]
        if len(numbered) < 2:
            return None
        if rows and len(rows[-1]) > width:          # the table ends; a closing paragraph follows
            tail = rows[-1][width:]
            rows[-1] = rows[-1][:width]
            self.extra_pieces.append((tail[0], tail[-1], None))
        for r in rows:
            while len(r) > 1 and not self.raw[r[-1] - 1].strip() and len(r) > width:
                r.pop()
        exact = sum(1 for r in numbered if len(r) == width)
        if exact < len(numbered) or any(len(r) > width for r in rows):
            return None
        return rows

    def _grid_header(self, first: int, last: int, header: list[int]) -> tuple[list[str], list[list[int]]] | None:
        """Column names and rows of a table whose rows are all as wide as its header, or None.

        A two-row header ("Cơ quan thực hiện" merged over "Chủ trì | Phối hợp") names each column by
        both rows: the upper cell covers the empty ones after it.
        """
        cells = [self.raw[no - 1].strip() for no in header]
        if len(cells) < 3:
            return None
        rows = self._fixed_width(first, last, len(cells)) or self._marked_rows(first, last, len(cells))
        if rows and self._rows_fit(rows, column_roles(cells)):
            return cells, rows
        width = len(cells) // 2
        rows = None if len(cells) % 2 else (self._fixed_width(first, last, width)
                                            or self._marked_rows(first, last, width))
        if not rows:
            return None
        names, above = [], ""
        for top, below in zip(cells[:width], cells[width:]):
            above = top or above
            names.append(f"{above} {below}".strip() if below else above)
        return (names, rows) if self._rows_fit(rows, column_roles(names)) else None

    def _rows_fit(self, rows: list[list[int]], roles: list[str]) -> bool:
        """Most numbered rows read as the header says: rows that only start where a width would put them
        (a flat table whose empty cells were dropped) are not a grid."""
        numbered = [r for r in rows if _ROW.match(self.raw[r[0] - 1]) and len(r) <= len(roles)]
        fit = sum(1 for r in numbered if self._cells_fit(r[1:], roles[1:]))
        return not numbered or fit >= 0.8 * len(numbered)

    def _parse_grid(self, rows: list[list[int]], names: list[str], title: _Node | None) -> None:
        roles = column_roles(names)
        section: _Node | None = title
        section_deadline: tuple[str, int] | None = None
        groups: dict[str, _Node] = {}
        for row in rows:
            start = row[0]
            cells = [self.raw[no - 1].strip() for no in row]
            number = cells[0].rstrip(".")
            filled = [i for i, c in enumerate(cells) if c and i > 0]
            if not filled:
                continue
            if _SECTION_ROW.match(cells[0]) or len(filled) == 1:
                # A section or group row, merged across the columns: a heading, never a task.
                text_no = row[filled[0]]
                parent = title if _SECTION_ROW.match(cells[0]) else (groups.get(number.split(".")[0]) or section)
                node = _Node(number, _cap(self.raw[text_no - 1]), [row[0], text_no], parent)
                self.table_nodes.append(node)
                if _SECTION_ROW.match(cells[0]):
                    section, groups = node, {}
                    years, recurring = parse_deadline(cells[filled[0]])
                    section_deadline = ((cells[filled[0]], text_no)
                                        if (years or recurring) and len(cells[filled[0]].split()) <= 8 else None)
                else:
                    groups[number] = node
                continue
            parent = groups.get(number.rsplit(".", 1)[0]) if "." in number else None
            task_cols = [i for i in filled if roles[i] == "task"] or filled[:1]
            unit = _Unit("row", number or str(start), parent or section, text=[row[i] for i in task_cols],
                         strip_first=False)
            unit.labels.append(("row", "", [row[0]]))    # the TT cell belongs to the row's span
            has_deadline = False
            for i in filled:
                kind = roles[i]
                if kind in (LEAD, SUPPORT, DEADLINE):
                    unit.labels.append((kind, cells[i], [row[i]]))
                    has_deadline = has_deadline or kind == DEADLINE
                elif kind == "other":
                    unit.fields[_header_name(names[i])] = cells[i]
            if not has_deadline and section_deadline:
                unit.labels.append((DEADLINE, section_deadline[0], []))
            self.units.append(unit)


# A section row's mark: a Roman numeral or one capital letter ("I", "II.", "A", "B").
_SECTION_ROW = re.compile(r"^\s*(?:[IVX]{1,5}|[A-HĐ])\s*\.?\s*$")


def _header_name(text: str) -> str:
    t = " ".join(text.split())
    return t[:1].upper() + t[1:].lower() if t.isupper() else t


def column_roles(headers: list[str]) -> list[str]:
    """What each column holds, from its header alone: number, task, lead, support, deadline or other."""
    folded = [fold(h) for h in headers]
    has_time = any(w in f for f in folded for w in ("thoi gian", "thoi han", "han hoan thanh", "thoi diem"))
    roles: list[str] = []
    for i, f in enumerate(folded):
        if f in ("stt", "tt", "so tt") or (i == 0 and len(f) <= 5):
            role = "number"
        elif "phoi hop" in f:
            role = SUPPORT
        elif "chu tri" in f or (("co quan" in f or "don vi" in f) and ("thuc hien" in f or "trach nhiem" in f)) \
                or f in ("co quan", "thuc hien", "trach nhiem thuc hien", "trach nhiem") or "dau moi" in f:
            role = LEAD
        elif any(w in f for w in ("thoi gian", "thoi han", "han hoan thanh", "thoi diem", "lo trinh")) \
                or ("tien do" in f and not has_time):
            role = DEADLINE
        elif any(w in f for w in _TASK_WORDS + ("ten du an", "de an")) and "ket qua" not in f \
                and TASK_SEEN not in roles:
            role = "task"
        else:
            role = "other"
        roles.append(role)
    return roles


TASK_SEEN = "task"
# Header words of the column that holds the work itself.
_TASK_WORDS = ("noi dung", "nhiem vu", "chi tieu", "cong viec", "hoat dong", "giai phap", "danh muc")
