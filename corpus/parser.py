"""Structure of a plan: its assigned tasks and the narrative around them.

`parse(doc, lines)` knows no particular file. The layouts live in corpus/layouts/ (line shapes, tables,
narrative); who does what is read by the one assignment grammar of corpus/grammar.py. It reads:
- a section tree (Roman "II.", numbered "5.", lettered "d)", "*" / "-" / "+" sub-items) whose
  items are followed by labelled lines ("Cơ quan chủ trì: ...", in any order, OCR-damaged or not);
- the same with department names ("Chủ trì thực hiện: Phòng QLCN");
- a table flattened to one cell a line after a header row "STT / Nội dung nhiệm vụ / ...";
- agency-headed blocks ("2. Sở Xây dựng:") and inline assignments ("Sở X chủ trì, phối hợp với …");
- narrative, which becomes `Passage`s of roughly 60-250 words.
The rules and the judgement calls behind them are written up in eval/parser_audit.md.
"""
from __future__ import annotations

from kehoach.corpus.layouts.shapes import _Node, _Unit, _cap, _int_to_roman, shape
from kehoach.corpus.layouts.narrative import _narrative_sid, _passages, _Piece
from kehoach.corpus.layouts.blocks import BlockLayout, closing_clause, make_task
from kehoach.corpus.layouts.lines import LineLayout
from kehoach.corpus.layouts.tables import TableLayout
from kehoach.corpus.doc_terms import read_terms
from kehoach.corpus.text import nfc
from kehoach.records import Passage, Task

# ---- the parser ---------------------------------------------------------------------

class _Parser(TableLayout, BlockLayout, LineLayout):
    _shape = staticmethod(shape)

    def __init__(self, doc: str, lines: list[str]):
        self.doc = doc
        self.raw = [nfc(str(x)).rstrip("\r\n") for x in lines]
        self.n = len(self.raw)
        self.width = self._wrap_width()
        self.skip, self.signature = self._boilerplate()
        self.terms = read_terms(self.raw)       # the document's own abbreviations and ministry
        self.units: list[_Unit] = []
        self.nodes: list[_Node] = []
        self.extra_pieces: list[tuple[int, int, _Node | None]] = []  # table lines before the first row
        self.table_nodes: list[_Node] = []
        self._shapes: dict[tuple[int, bool], tuple[str, tuple]] = {}
        self._headers: dict[int, list[int]] = {}     # first body line of a table -> its header lines

    # -- classification
    def classify(self, no: int, expect_g: bool = False) -> tuple[str, tuple]:
        key = (no, expect_g)
        if key not in self._shapes:
            self._shapes[key] = self._shape(self.raw[no - 1], expect_g)
        return self._shapes[key]

    def run(self) -> None:
        tables = self._table_regions()
        in_table: dict[int, tuple[int, int, int, bool]] = {}
        for region in tables:
            for no in range(region[0], region[2] + 1):
                in_table[no] = region
        roman: _Node | None = None
        numbered: _Node | None = None
        subnumbered: _Node | None = None    # "2.3." under "2."
        letter_node: _Node | None = None    # a lettered item that turned out to be a heading
        letter_sid: str | None = None       # the lettered context sub-items hang from
        prev_letter: str | None = None
        prev_number = 0
        prev_roman = 0
        dash_head: tuple[str, _Node | None] | None = None   # (bullet, the heading it hid) of "- Vụ X:" blocks
        first_dash: dict[int, str] = {}     # id of a heading -> the bullet of its first dash item
        ordinals: dict[str, int] = {}
        cur: _Unit | None = None
        last_text = ""                      # the previous non-blank line, as printed
        blank_before = False

        def close() -> None:
            nonlocal cur
            if cur is not None and (cur.text or cur.labels):
                self.units.append(cur)
            cur = None

        def heading() -> _Node | None:
            return letter_node or subnumbered or numbered or roman

        def sub_sid(kind: str) -> str:
            """Sub-items take an ordinal under their item or heading ("II.2.d.2"); loose text does not."""
            base = letter_sid or (heading().sid if heading() else "")
            if kind == "para" and not base:
                return ""
            ordinals[base] = ordinals.get(base, 0) + 1
            return f"{base}.{ordinals[base]}" if base else str(ordinals[base])

        def title_lines(start: int) -> list[int]:
            out = [start]
            k = start + 1
            while (k <= self.n and k not in self.skip and k not in in_table and not self.blank(k)
                   and self.wrapped(self.raw[k - 2]) and self.classify(k)[0] == "text"):
                out.append(k)
                k += 1
            return out

        def to_heading(unit: _Unit) -> _Node:
            node = _Node(unit.sid, _cap(self._unit_text(unit)), list(unit.text), heading())
            self.nodes.append(node)
            return node

        no = 1
        while no <= self.n:
            if no in in_table:
                close()
                region = in_table[no]
                title = self._table_title(region[0], roman)
                self._parse_table(region[1], region[2], region[3], title)
                no = region[2] + 1
                continue
            if no in self.signature:
                # Signature and recipients end the body: what follows (an appendix) starts afresh.
                close()
                roman = numbered = subnumbered = letter_node = None
                dash_head = None
                letter_sid = prev_letter = None
                prev_number = prev_roman = 0
            if no in self.skip or self.blank(no):
                blank_before = True
                no += 1
                continue
            expect_g = prev_letter in ("e", "f")
            kind, data = self.classify(no, expect_g)
            raw = self.raw[no - 1]

            if kind == "roman":
                close()
                value = data[0] or prev_roman + 1
                prev_roman = value
                lines = title_lines(no)
                title = " ".join([data[1]] + [self.raw[k - 1] for k in lines[1:]])
                roman = _Node(_int_to_roman(value), _cap(title), lines, None)
                self.nodes.append(roman)
                numbered = subnumbered = letter_node = None
                dash_head = None
                letter_sid, prev_letter, prev_number = None, None, 0
                no = lines[-1] + 1
            elif kind == "number" and data[0] in (1, prev_number + 1, prev_number + 2):
                close()
                prev_number = data[0]
                lines = title_lines(no)
                title = " ".join([data[1]] + [self.raw[k - 1] for k in lines[1:]])
                sid = f"{roman.sid}.{data[0]}" if roman else str(data[0])
                if self._assigns(title):
                    # "3. Sở Xây dựng có trách nhiệm …": a numbered sentence that assigns work is a task
                    numbered = subnumbered = letter_node = None
                    dash_head = None
                    letter_sid, prev_letter = None, None
                    cur = _Unit("number", sid, roman, text=lines)
                    no = lines[-1] + 1
                    last_text, blank_before = self.raw[lines[-1] - 1], False
                    continue
                numbered = _Node(sid, _cap(title), lines, roman,
                                 paragraph=self._prose(title), full=title)
                self.nodes.append(numbered)
                subnumbered = letter_node = None
                dash_head = None
                letter_sid, prev_letter = None, None
                no = lines[-1] + 1
            elif kind == "subnumber":
                close()
                lines = title_lines(no)
                title = " ".join([data[1]] + [self.raw[k - 1] for k in lines[1:]])
                parent = numbered if numbered and data[0].split(".")[0] == numbered.sid.split(".")[-1] else roman
                sid = f"{roman.sid}.{data[0]}" if roman else data[0]
                if self._assigns(title):
                    # "2.3. Sở Y tế chủ trì …": like a numbered one, a sub-numbered sentence that assigns is a task
                    subnumbered = letter_node = None
                    dash_head = None
                    letter_sid, prev_letter = None, None
                    cur = _Unit("number", sid, parent, text=lines)
                    no = lines[-1] + 1
                    last_text, blank_before = self.raw[lines[-1] - 1], False
                    continue
                subnumbered = _Node(sid, _cap(title), lines, parent, paragraph=self._prose(title), full=title)
                self.nodes.append(subnumbered)
                letter_node, letter_sid, prev_letter = None, None, None
                dash_head = None
                no = lines[-1] + 1
            elif kind == "letter":
                close()
                letter = data[0]
                if letter == "d" and prev_letter == "d":
                    letter = "đ"        # OCR drops the stroke: a second "d)" is "đ)"
                prev_letter = letter
                letter_node = None
                dash_head = None
                base = subnumbered or numbered or roman
                letter_sid = f"{base.sid}.{letter}" if base else letter
                cur = _Unit("letter", letter_sid, base, text=[no])
                no += 1
            elif kind == "label":
                last = subnumbered or numbered
                if cur is None and last is not None and self.nodes[-1] is last:
                    # Nothing opened since the numbered heading: the numbered item is itself the task.
                    self.nodes.remove(last)
                    cur = _Unit("number", last.sid, last.parent, text=list(last.lines))
                    if last is subnumbered:
                        subnumbered = None
                    else:
                        numbered = None
                if cur is None:
                    # Labels under no item at all: kept as narrative, never a task.
                    cur = _Unit("orphan", sub_sid("para"), heading(), text=[no], strip_first=False)
                    no += 1
                else:
                    no = self._read_label(cur, no, data, in_table)
            elif kind == "star":
                if cur is not None and cur.kind == "letter" and not cur.labels:
                    letter_node = to_heading(cur)
                    cur = None
                close()
                cur = _Unit("star", sub_sid("star"), heading(), text=[no])
                no += 1
            elif kind == "dash" and cur is not None and self._digit_dash(kind, data) and self.wrapped(last_text):
                cur.text.append(no)     # "... Năm 2030 / — 2045: ..." is a wrapped range, not a new item
                no += 1
            elif kind == "dash":
                bullet = data[0]
                if dash_head is not None and bullet == dash_head[0]:
                    letter_node = dash_head[1]      # the agency sub-block ("- Vụ X:" + "+" items) ends
                    dash_head = None
                    close()
                if cur is not None and not cur.labels:
                    if cur.kind == "letter" and self._title_like(cur):
                        letter_node = to_heading(cur)
                        cur = None
                    elif cur.kind == "para" and self._agency_heading(cur):
                        letter_node = to_heading(cur)     # "Các tổ dân phố:" then "-" items
                        cur = None
                    elif cur.kind == "dash" and bullet != cur.bullet and self._agency_heading(cur):
                        dash_head = (cur.bullet, letter_node)
                        letter_node = to_heading(cur)
                        cur = None
                    elif cur.kind in ("letter", "star", "number") or (
                            cur.kind == "dash" and (bullet != cur.bullet or self._colon_item(cur))
                            and not (bullet != cur.bullet and bullet == first_dash.get(id(heading())))):
                        cur.text.append(no)
                        no += 1
                        last_text, blank_before = raw, False
                        continue
                close()
                # "- item", a sentence, "+ sub-items", then "- item": the section's first bullet starts an item
                first_dash.setdefault(id(heading()), bullet)
                cur = _Unit("dash", sub_sid("dash"), heading(), text=[no], bullet=bullet)
                no += 1
            else:  # running text
                sentence = cur is not None and not cur.labels and not self.wrapped(last_text)
                if sentence and cur.kind != "orphan" and not self._colon_item(cur) and (
                        self._assigns(raw) and not self._same_actor(cur, raw) or self._heading_line(raw)
                        or closing_clause(raw)):
                    close()     # a new sentence that assigns work, names the agency of what follows, or closes
                elif sentence and cur.kind == "para" and cur.parent is not None and cur.parent.block_agency():
                    close()     # an agency block without markers: each sentence on its own line is a task
                if cur is not None and not cur.labels:
                    new_paragraph = (blank_before and not self.wrapped(last_text)) or self._agency_heading(cur)
                    if cur.kind == "letter" and new_paragraph and self._title_like(cur):
                        letter_node = to_heading(cur)
                        cur = _Unit("para", sub_sid("para"), heading(), text=[no], strip_first=False)
                    else:
                        cur.text.append(no)
                else:
                    close()
                    cur = _Unit("para", sub_sid("para"), heading(), text=[no], strip_first=False)
                no += 1
            last_text, blank_before = raw, False
        close()


    def is_task(self, unit: _Unit, task_tops: set[str | None]) -> bool:
        if unit.kind == "orphan" or not unit.text or not self._unit_text(unit):
            return False
        if unit.kind == "row" or unit.labelled:
            return True
        top = unit.parent.top().sid if unit.parent else None
        if unit.kind in ("letter", "star", "dash", "number") and top in task_tops:
            return True
        if unit.kind == "number":
            return True
        if unit.kind == "para" and closing_clause(self._unit_text(unit)):
            return False
        if unit.parent is not None and unit.parent.block_agency():
            return True
        return self._assigns(self._unit_text(unit))


def parse(doc: str, lines: list[str]) -> tuple[list[Task], list[Passage]]:
    """Tasks (in document order) and narrative passages of one plan."""
    p = _Parser(doc, lines)
    p.run()
    task_tops = {u.parent.top().sid if u.parent else None for u in p.units if u.labelled and u.kind != "row"}
    tasks: list[Task] = []
    pieces: list[_Piece] = []
    for unit in p.units:
        if p.is_task(unit, task_tops):
            tasks.append(make_task(p, unit))
            node = unit.parent
            while node is not None:
                node.has_task = True
                node = node.parent
        else:
            content = sorted(set(unit.text + [n for _, _, ns in unit.labels for n in ns]))
            pieces.append(_Piece(content, _narrative_sid(unit), unit.parent))
    for node in p.nodes + p.table_nodes:
        if not node.has_task and node.lines:
            pieces.append(_Piece(list(node.lines), node.sid, node))
    for first, last, node in p.extra_pieces:
        pieces.append(_Piece(list(range(first, last + 1)), node.sid if node else "", node))
    tasks.sort(key=lambda t: t.lines[0])
    return tasks, _passages(p, pieces, [t.lines for t in tasks])

