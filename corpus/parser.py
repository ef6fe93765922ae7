"""Structure of a plan: its assigned tasks and the narrative around them.

`parse(doc, lines)` knows no particular file. It reads four layouts:
- a section tree (Roman "II.", numbered "5.", lettered "d)", "*" / "-" / "+" sub-items) whose
  items are followed by labelled lines ("Cơ quan chủ trì: ...", in any order, OCR-damaged or not);
- the same with department names ("Chủ trì thực hiện: Phòng QLCN");
- a table flattened to one cell a line after a header row "STT / Nội dung nhiệm vụ / ...";
- narrative, which becomes `Passage`s of roughly 60-250 words.
The rules and the judgement calls behind them are written up in eval/parser_audit.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kehoach.corpus.deadlines import parse_deadline, read_deadline
from kehoach.corpus.grammar import heading_agencies, read_assignment
from kehoach.corpus.text import DEADLINE, LEAD, SUPPORT, fold, match_label, nfc, normalize_space, ocr_fold
from kehoach.records import Passage, Task

# ---- line shapes ------------------------------------------------------------------

_ROMAN = re.compile(r"^\s*([IVX]{1,5})\s*\.\s*(\S.*)$")
# OCR writes I as 1, l or |: "I1. NHIỆM VỤ", "11 KINH PHÍ". Only trusted before an upper-case title.
_ROMAN_OCR = re.compile(r"^\s*([IVX1l|]{2,5})\s*\.?\s+(\S.*)$")
# OCR may drop the numeral altogether: ". Kết quả thực hiện ..."
_ROMAN_LOST = re.compile(r"^\s*\.\s+(\w.*)$")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.\s+(\S.*)$")
_SUBNUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(\S.*)$")     # "2.3. Xây dựng ..."
_LETTER = re.compile(r"^[\s‘’'`_~•·]*([a-zđ¢])\s*\)\s*(\S.*)$")
# OCR reads "g)" as "2)" or even "2 ": trusted only where g is the next letter due.
_LETTER_G = re.compile(r"^[\s‘’'`_~]*2\s*\)?\s+(\w.*)$")
_STAR = re.compile(r"^[\s\-–—‘’'`_o•·]*\*+\s*(\S.*)$")
_DASH = re.compile(r"^\s*([-–—~=+•·])\s*(\S.*)$")
_ROW = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s*$")
_FOOTNOTE = re.compile(r"^\s*\[\d{1,3}\]")
_TERMINAL = re.compile(r"[.!?]\s*$")
_OPEN_PUNCT = ",;-–—(/&"
_CONNECTIVES = {"va", "cua", "cac", "cho", "voi", "tai", "trong", "tren", "ve", "theo", "den", "thuoc", "nhu"}

_LETTERS = "abcdđefghiklmnopqrstuvxy"
_ROMANS = {"I": 1, "V": 5, "X": 10}
_MAX_TITLE = 200
_PARAGRAPH_WORDS = 40   # a numbered "title" this long, or a long one ending in a full stop, is prose

# A short lettered item that opens with one of these is a task, not a heading grouping sub-items.
_ACTION_VERBS = (
    "xay dung", "tiep tuc", "trien khai", "thuc hien", "to chuc", "phoi hop", "tham muu", "hoan thien",
    "ra soat", "nghien cuu", "day manh", "tang cuong", "ban hanh", "chu tri", "huong dan", "kiem tra",
    "de xuat", "de nghi", "lap", "dau tu", "ho tro", "thanh lap", "bo sung", "dieu chinh", "danh gia",
    "tuyen truyen", "quan triet", "thuc day", "khuyen khich", "uu tien", "chuyen giao", "cap nhat",
    "bao dam", "dam bao", "nang cao", "tap trung", "thu hut", "phat huy", "cu the hoa",
)
# Words an agency cell opens with (folded); task text in a table opens with a verb instead.
_AGENCY_HEADS = (
    "so ", "ubnd", "uy ban", "ban quan ly", "ban chi huy", "bql", "bch", "bo chi huy", "cong an",
    "ngan hang", "lien doan", "dai phat thanh", "dai pt", "van phong", "trung tam", "phong ", "cuc ",
    "chi cuc", "kho bac", "cac so", "cac co quan", "cac to chuc", "cac don vi", "cac phong", "cac hoi",
    "cac co so", "hoi ", "tinh doan", "mat tran", "vien ", "bao quang", "truong ", "cac truong",
    "thanh vien", "tong cong ty", "cong ty", "cac doanh nghiep", "doanh nghiep", "ban dan toc",
    "bo ", "thanh tra",
)
# Header cells of a task table, folded.
_HEADER_WORDS = ("stt", "tt", "noi dung", "nhiem vu", "co quan", "don vi", "chu tri", "phoi hop",
                 "ghi chu", "thoi gian", "thoi han", "san pham", "ket qua", "kinh phi")


def _roman_value(token: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(token):
        v = _ROMANS[ch]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total or None


def _int_to_roman(n: int) -> str:
    out = []
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _cap(text: str, limit: int = _MAX_TITLE) -> str:
    text = normalize_space(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _strip_end(value: str) -> str:
    """A label value or deadline as printed, whitespace-normalised, without closing punctuation."""
    return normalize_space(value).rstrip(" .;,:")


# ---- intermediate records ---------------------------------------------------------

@dataclass
class _Node:
    """A heading: Roman, numbered, or a lettered item that groups sub-items."""

    sid: str
    title: str
    lines: list[int]
    parent: _Node | None
    has_task: bool = False
    paragraph: bool = False     # "1. Thủ trưởng các sở ... có trách nhiệm ...": numbered prose, not a title
    _agency: str | None = field(default=None, repr=False)
    _agency_read: bool = field(default=False, repr=False)

    @property
    def agency(self) -> str | None:
        """The agency a heading names ("2. Sở Xây dựng:"): its items are that agency's tasks."""
        if not self._agency_read:
            self._agency_read = True
            if self.title and not self.paragraph:
                self._agency = heading_agencies(self.title)
                if self._agency is None and self.title.rstrip().endswith(":"):
                    self._agency = read_assignment(self.title).lead
        return self._agency

    def block_agency(self) -> str | None:
        """The nearest enclosing agency heading's agency."""
        node: _Node | None = self
        while node is not None:
            if node.agency:
                return node.agency
            node = node.parent
        return None

    def chain(self) -> list[_Node]:
        out, node = [], self
        while node is not None:
            out.append(node)
            node = node.parent
        return out[::-1]

    def top(self) -> _Node:
        return self.chain()[0]


@dataclass
class _Unit:
    """An item or paragraph: a task if it carries labels (or is an item of a task list)."""

    kind: str                       # letter | star | dash | para | number | row | orphan
    sid: str
    parent: _Node | None
    text: list[int] = field(default_factory=list)
    strip_first: bool = True        # drop the item marker from the first line's text
    bullet: str = ""
    labels: list[tuple[str, str, list[int]]] = field(default_factory=list)   # (kind, value, line numbers)

    @property
    def labelled(self) -> bool:
        return bool(self.labels)

    def span(self) -> list[int]:
        nums = self.text + [n for _, _, ns in self.labels for n in ns]
        return [min(nums), max(nums)]


# ---- the parser ---------------------------------------------------------------------

class _Parser:
    def __init__(self, doc: str, lines: list[str]):
        self.doc = doc
        self.raw = [nfc(str(x)).rstrip("\r\n") for x in lines]
        self.n = len(self.raw)
        self.width = self._wrap_width()
        self.skip, self.signature = self._boilerplate()
        self.units: list[_Unit] = []
        self.nodes: list[_Node] = []
        self.extra_pieces: list[tuple[int, int, _Node | None]] = []  # table lines before the first row
        self.table_nodes: list[_Node] = []
        self._shapes: dict[tuple[int, bool], tuple[str, tuple]] = {}

    # -- helpers on lines
    def blank(self, no: int) -> bool:
        return not fold(self.raw[no - 1]) or bool(re.fullmatch(r"\s*\d{1,3}\s*", self.raw[no - 1]))

    def _wrap_width(self) -> int:
        lengths = sorted(len(x.strip()) for x in self.raw if x.strip())
        if not lengths:
            return 80
        return max(40, lengths[int(0.9 * (len(lengths) - 1))])

    def wrapped(self, text: str) -> bool:
        """The physical line was cut by the page width, so the sentence goes on below."""
        t = text.strip()
        if _TERMINAL.search(t):
            return False
        last_word = (ocr_fold(t).split() or [""])[-1]
        return len(t) >= 0.75 * self.width or t[-1] in _OPEN_PUNCT or last_word in _CONNECTIVES

    @staticmethod
    def _prose(title: str) -> bool:
        words = len(title.split())
        return words > _PARAGRAPH_WORDS or (words > 20 and bool(_TERMINAL.search(title)))

    def _boilerplate(self) -> tuple[set[int], set[int]]:
        """(all boilerplate, the signature blocks): recipients ("Nơi nhận"), signer, national motto.

        A signature block runs from "Nơi nhận:" over short or bulleted lines; a long unbulleted
        line (a footnote) or "PHỤ LỤC" (an appendix) ends it.
        """
        skip: set[int] = set()
        signature: set[int] = set()
        inside = False
        for no in range(1, self.n + 1):
            raw = self.raw[no - 1]
            f = ocr_fold(raw)
            if f in ("cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc"):
                skip.add(no)
                continue
            if not inside and f.startswith("noi nh") and ":" in raw[:15]:
                inside = True
            elif inside and (f.startswith("phu luc") or (len(raw.split()) >= 15 and not _DASH.match(raw))):
                inside = False
            if inside:
                signature.add(no)
        return skip | signature, signature

    # -- classification
    def classify(self, no: int, expect_g: bool = False) -> tuple[str, tuple]:
        key = (no, expect_g)
        if key not in self._shapes:
            self._shapes[key] = self._shape(self.raw[no - 1], expect_g)
        return self._shapes[key]

    @staticmethod
    def _shape(raw: str, expect_g: bool) -> tuple[str, tuple]:
        m = _ROMAN.match(raw)
        if m and _roman_value(m.group(1)):
            return "roman", (_roman_value(m.group(1)), m.group(2))
        m = _ROMAN_OCR.match(raw)
        if m and _upper_share(m.group(2)) >= 0.6 and len(m.group(2).split()) >= 2:
            return "roman", (None, m.group(2))
        m = _ROMAN_LOST.match(raw)
        if m and m.group(1)[0].isupper() and len(raw.split()) <= 16:
            return "roman", (None, m.group(1))
        m = _NUMBER.match(raw)
        if m:
            return "number", (int(m.group(1)), m.group(2))
        m = _SUBNUMBER.match(raw)
        if m and not m.group(2)[0].isdigit():
            return "subnumber", (m.group(1), m.group(2))
        m = _LETTER.match(raw)
        if m:
            return "letter", ("c" if m.group(1) == "¢" else m.group(1), m.group(2))
        if expect_g:
            m = _LETTER_G.match(raw)
            if m and m.group(1)[0].isupper():
                return "letter", ("g", m.group(1))
        lab = match_label(raw)
        if lab:
            return "label", lab
        m = _STAR.match(raw)
        if m:
            return "star", (m.group(1),)
        m = _DASH.match(raw)
        if m and (m.group(2)[0].isupper() or m.group(2)[0].isdigit()):
            bullet = "+" if m.group(1) == "+" else ("•" if m.group(1) in "•·" else "-")
            return "dash", (bullet, m.group(2))
        return "text", (raw,)

    # -- table layout
    def _table_regions(self) -> list[tuple[int, int, int, bool]]:
        """(header start, first body line, last body line, has a time column) of each flattened task table."""
        regions = []
        no = 1
        while no <= self.n:
            if fold(self.raw[no - 1]) in ("stt", "tt", "so tt") and no not in self.skip:
                header_end = no
                k = no + 1
                while k <= self.n and k - no <= 8 and not _ROW.match(self.raw[k - 1]):
                    f = fold(self.raw[k - 1])
                    if f and not any(w in f for w in _HEADER_WORDS):
                        break
                    header_end = k
                    k += 1
                cells = " ".join(fold(self.raw[j - 1]) for j in range(no + 1, header_end + 1))
                if "noi dung" in cells or "nhiem vu" in cells:
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
        # A sentence boundary inside the cell ("... đô thị. Phối hợp ...") means prose, not a list of names.
        sentences = any(m.group(1).isupper() for m in re.finditer(r"[.!?]\s+(\w)", text))
        return 0 < len(words) <= 30 and f.startswith(_AGENCY_HEADS) and not sentences

    def _deadline_like(self, text: str) -> bool:
        years, recurring = parse_deadline(text)
        return len(text.split()) <= 12 and (years is not None or recurring)

    def _parse_table(self, first: int, last: int, timed: bool, title: _Node | None) -> None:
        """Rows of a flattened table: "5.5", task text (1..n cells), then agency / deadline cells."""
        rows: list[tuple[str, list[int]]] = []
        for no in range(first, last + 1):
            if not self.raw[no - 1].strip():
                continue
            m = _ROW.match(self.raw[no - 1])
            if m:
                rows.append((m.group(1), []))
            elif rows:
                rows[-1][1].append(no)
            else:
                self.extra_pieces.append((no, no, title))
        dotted = any("." in r for r, _ in rows)
        section_nodes: dict[str, _Node] = {}
        for number, cells in rows:
            if not cells:
                continue
            tail: list[int] = []
            for no in reversed(cells[1:]):
                txt = self.raw[no - 1]
                if len(tail) < 3 and (self._agency_like(txt) or (timed and self._deadline_like(txt))):
                    tail.insert(0, no)
                else:
                    break
            body = [c for c in cells if c not in tail]
            parent = (section_nodes.get(number.split(".")[0]) or title) if "." in number else title
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
            for no in tail:
                kind = DEADLINE if no not in agencies else (LEAD if no == agencies[0] else SUPPORT)
                unit.labels.append((kind, self.raw[no - 1], [no]))
            self.units.append(unit)

    # -- the section tree
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
                    letter_sid, prev_letter = None, None
                    cur = _Unit("number", sid, roman, text=lines)
                    no = lines[-1] + 1
                    last_text, blank_before = self.raw[lines[-1] - 1], False
                    continue
                numbered = _Node(sid, _cap(title), lines, roman,
                                 paragraph=self._prose(title))
                self.nodes.append(numbered)
                subnumbered = letter_node = None
                letter_sid, prev_letter = None, None
                no = lines[-1] + 1
            elif kind == "subnumber":
                close()
                lines = title_lines(no)
                title = " ".join([data[1]] + [self.raw[k - 1] for k in lines[1:]])
                parent = numbered if numbered and data[0].split(".")[0] == numbered.sid.split(".")[-1] else roman
                sid = f"{roman.sid}.{data[0]}" if roman else data[0]
                subnumbered = _Node(sid, _cap(title), lines, parent, paragraph=self._prose(title))
                self.nodes.append(subnumbered)
                letter_node, letter_sid, prev_letter = None, None, None
                no = lines[-1] + 1
            elif kind == "letter":
                close()
                letter = data[0]
                if letter == "d" and prev_letter == "d":
                    letter = "đ"        # OCR drops the stroke: a second "d)" is "đ)"
                prev_letter = letter
                letter_node = None
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
                if cur is not None and not cur.labels:
                    if cur.kind == "letter" and self._title_like(cur):
                        letter_node = to_heading(cur)
                        cur = None
                    elif cur.kind in ("letter", "star", "number") or (
                            cur.kind == "dash" and bullet != cur.bullet):
                        cur.text.append(no)
                        no += 1
                        last_text, blank_before = raw, False
                        continue
                close()
                cur = _Unit("dash", sub_sid("dash"), heading(), text=[no], bullet=bullet)
                no += 1
            else:  # running text
                if (cur is not None and cur.kind in ("para", "number") and not self.wrapped(last_text)
                        and self._assigns(raw)):
                    close()     # a new sentence that assigns work to its own agency is a task of its own
                if cur is not None and not cur.labels:
                    new_paragraph = blank_before and not self.wrapped(last_text)
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

    @staticmethod
    def _assigns(text: str) -> bool:
        """A sentence (not a heading) that names its own lead: "Sở X chủ trì, phối hợp với …"."""
        t = text.strip()
        return len(t.split()) >= 6 and not t.endswith(":") and read_assignment(t).lead is not None

    @staticmethod
    def _digit_dash(kind: str, data: tuple) -> bool:
        return kind == "dash" and data[1][:1].isdigit()

    def _title_like(self, unit: _Unit) -> bool:
        """A short noun phrase ("Công nghiệp chế biến gỗ, giấy") names a group; it does not assign work."""
        text = self._unit_text(unit)
        f = ocr_fold(text)
        return (len(text.split()) <= 12 and not re.search(r"[.:;,]\s*$", text)
                and not f.startswith(_ACTION_VERBS))

    def _read_label(self, unit: _Unit, no: int, data: tuple[str, str], in_table: dict) -> int:
        """Attach a labelled line and the lines its value wraps onto; return the next line to read."""
        kind, value = data
        used = [no]
        parts = [value] if value else []
        prev = self.raw[no - 1]
        k = no + 1
        while k <= self.n and len(used) <= 6:
            if k in self.skip or k in in_table:
                break
            if self.blank(k):
                k += 1
                continue
            ckind, cdata = self.classify(k)
            if not value and ckind == "dash" and cdata[0] == "+":
                parts.append(cdata[1])        # "Thời gian thực hiện:" then "+ ..." lines
            elif (ckind == "text" or self._digit_dash(ckind, cdata)) and (not parts or self.wrapped(prev)):
                parts.append(self.raw[k - 1])
            else:
                break
            used.append(k)
            prev = self.raw[k - 1]
            k += 1
        unit.labels.append((kind, " ".join(p.strip() for p in parts), used))
        return used[-1] + 1

    # -- output
    def _unit_text(self, unit: _Unit) -> str:
        parts = []
        for i, no in enumerate(unit.text):
            raw = self.raw[no - 1]
            if i == 0 and unit.strip_first:
                raw = self._strip_marker(raw)
            parts.append(raw)
        return normalize_space(" ".join(parts))

    def _strip_marker(self, raw: str) -> str:
        for rx in (_LETTER, _STAR, _DASH, _NUMBER, _SUBNUMBER):
            m = rx.match(raw)
            if m:
                return m.group(m.lastindex)
        m = _LETTER_G.match(raw)
        return m.group(1) if m else raw

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
        if unit.parent is not None and unit.parent.block_agency():
            return True
        return self._assigns(self._unit_text(unit))


_INLINE = re.compile(r"\(([^()]{3,120})\)")
_INLINE_START = re.compile(r"^th\w{0,2}c hien\b")


def _inline_deadline(text: str) -> str | None:
    """"(thực hiện thường xuyên, hằng năm)" inside a task's text stands for its deadline."""
    for m in _INLINE.finditer(text):
        inner = m.group(1)
        years, recurring = parse_deadline(inner)
        if (years or recurring) and (recurring or _INLINE_START.match(ocr_fold(inner))):
            return normalize_space(inner)
    return None


def _make_task(p: _Parser, unit: _Unit) -> Task:
    text = p._unit_text(unit)
    by_kind: dict[str, list[str]] = {LEAD: [], SUPPORT: [], DEADLINE: []}
    for kind, value, _ in unit.labels:
        value = _strip_end(value)
        if value:
            by_kind[kind].append(value)
    lead = "; ".join(by_kind[LEAD]) or None
    support = "; ".join(by_kind[SUPPORT]) or None
    deadline = "; ".join(by_kind[DEADLINE]) or _inline_deadline(text)
    if not unit.labelled or not (lead and deadline):
        # No labels: the sentence itself, or the agency heading above, says who and by when.
        block = unit.parent.block_agency() if unit.parent else None
        said = read_assignment(text, in_block=block is not None)
        if not unit.labelled:
            lead = said.lead or block
            support = said.support
            deadline = deadline or said.deadline
    years, recurring, due = read_deadline(deadline)
    chain = unit.parent.chain() if unit.parent else []
    return Task(
        doc=p.doc, lines=unit.span(), section=unit.sid, headings=_titles(chain),
        text=text, deadline=deadline, deadline_years=years, recurring=recurring, due=due,
        raw_lead=lead, raw_support=support,
    )


# ---- passages -------------------------------------------------------------------------

MIN_WORDS, MAX_WORDS = 60, 250


@dataclass
class _Piece:
    lines: list[int]
    sid: str
    node: _Node | None       # the innermost heading above (or the heading itself)


def _common_sid(sids: list[str]) -> str:
    parts = [s.split(".") if s else [] for s in sids]
    out = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        out.append(level[0])
    return ".".join(out)


def _passages(p: _Parser, pieces: list[_Piece], task_spans: list[list[int]]) -> list[Passage]:
    pieces.sort(key=lambda x: x.lines[0])
    starts = sorted(s[0] for s in task_spans)
    groups: list[list[_Piece]] = []
    words = 0

    def nwords(piece: _Piece) -> int:
        return sum(len(p.raw[no - 1].split()) for no in piece.lines)

    def level(sid: str, n: int) -> list[str]:
        return sid.split(".")[:n]

    for piece in pieces:
        if groups:
            last = groups[-1]
            between = any(last[-1].lines[-1] < s < piece.lines[0] for s in starts)
            gap = any(no in p.signature for no in range(last[-1].lines[-1], piece.lines[0]))
            same_top = level(last[-1].sid, 1) == level(piece.sid, 1)
            # Once big enough, a passage ends where a numbered section ends.
            same_sub = words < MIN_WORDS or level(last[-1].sid, 2) == level(piece.sid, 2)
            if not (between or gap) and same_top and same_sub and (
                    words < MIN_WORDS or words + nwords(piece) <= MAX_WORDS):
                last.append(piece)
                words += nwords(piece)
                continue
        groups.append([piece])
        words = nwords(piece)

    out = []
    for group in groups:
        for chunk in _split_long(p, group):
            inside = [x for x in group if chunk[0] <= x.lines[-1] and x.lines[0] <= chunk[-1]]
            sid = _common_sid([x.sid for x in inside])
            node = next((x.node for x in inside if x.node is not None), None)
            chain = [n for n in (node.chain() if node else []) if n.sid and _is_prefix(n.sid, sid)]
            text = normalize_space(" ".join(p.raw[no - 1] for no in chunk))
            out.append(Passage(doc=p.doc, lines=[chunk[0], chunk[-1]], section=sid,
                               headings=_titles(chain), text=text))
    return out


def _titles(chain: list[_Node]) -> list[str]:
    return [n.title for n in chain if n.title and not n.paragraph]


def _is_prefix(a: str, b: str) -> bool:
    return b == a or b.startswith(a + ".")


def _split_long(p: _Parser, group: list[_Piece]) -> list[list[int]]:
    """The group's content lines, cut at line boundaries into runs of at most MAX_WORDS words."""
    lines = [no for piece in group for no in piece.lines if p.raw[no - 1].strip()]
    chunks: list[list[int]] = [[]]
    count = 0
    for no in lines:
        w = len(p.raw[no - 1].split())
        if chunks[-1] and count + w > MAX_WORDS:
            chunks.append([])
            count = 0
        chunks[-1].append(no)
        count += w
    return [c for c in chunks if c]


def _narrative_sid(unit: _Unit) -> str:
    """Sub-item ordinals name tasks; narrative paragraphs take the section they sit in."""
    head, _, last = unit.sid.rpartition(".")
    return head if unit.kind in ("star", "dash", "para", "orphan") and last.isdigit() else unit.sid


def parse(doc: str, lines: list[str]) -> tuple[list[Task], list[Passage]]:
    """Tasks (in document order) and narrative passages of one plan."""
    p = _Parser(doc, lines)
    p.run()
    task_tops = {u.parent.top().sid if u.parent else None for u in p.units if u.labelled and u.kind != "row"}
    tasks: list[Task] = []
    pieces: list[_Piece] = []
    for unit in p.units:
        if p.is_task(unit, task_tops):
            tasks.append(_make_task(p, unit))
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

