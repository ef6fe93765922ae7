"""Line shapes of a plan and the intermediate records every layout shares.

A line is a Roman, numbered, sub-numbered or lettered heading, a labelled line, a "*" / "-" / "+" item
or running text; OCR damage of the markers is tolerated where the context makes it safe.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kehoach.corpus.grammar import heading_agencies, read_assignment
from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.text import DEADLINE, match_label, normalize_space

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
_ROW = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){0,2})\.?\s*$")   # "140.", "11.12"
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
    "bo ", "thanh tra", "hiep hoi", "thue tinh", "thue thanh pho", "thue co so",
)
# Header cells of a task table, folded.
_HEADER_WORDS = ("stt", "tt", "noi dung", "nhiem vu", "co quan", "don vi", "chu tri", "phoi hop",
                 "ghi chu", "thoi gian", "thoi han", "san pham", "ket qua", "kinh phi", "chi tieu", "thuc hien",
                 "tien do", "cong viec", "trach nhiem", "hoat dong", "giai phap", "han hoan thanh", "thoi diem",
                 "lo trinh", "dau moi", "ten du an", "de an", "danh muc")


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
    full: str | None = None     # the whole heading when `title` was cut short for display
    _agency: str | None = field(default=None, repr=False)
    _agency_read: bool = field(default=False, repr=False)

    @property
    def agency(self) -> str | None:
        """The agency a heading names ("2. Sở Xây dựng:"): its items are that agency's tasks."""
        if not self._agency_read:
            self._agency_read = True
            title = self.full or self.title
            if title and (not self.paragraph or title.rstrip().endswith(":")):
                self._agency = heading_agencies(title)
                if self._agency is None and title.rstrip().endswith(":"):
                    self._agency = read_assignment(title).lead
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
    fields: dict[str, str] = field(default_factory=dict)    # other named table columns, as printed

    @property
    def labelled(self) -> bool:
        return bool(self.labels)

    def span(self) -> list[int]:
        nums = self.text + [n for _, _, ns in self.labels for n in ns]
        return [min(nums), max(nums)]


_TIMED = re.compile(r"^[\s\-–—+*•]*(thời (?:gian|hạn)(?:\s+[^\W\d]+){1,6})\s*:\s*(\S.*)$", re.IGNORECASE)


def _timed_label(raw: str) -> tuple[str, str] | None:
    """"Thời gian trình Chính phủ: tháng 11/2026", "Thời hạn báo cáo: hằng quý": a time label naming the step
    it times is a deadline label when what follows reads as a time."""
    m = _TIMED.match(raw)
    if not m:
        return None
    years, recurring, due = read_deadline(m.group(2))
    return (DEADLINE, m.group(2).strip()) if years or recurring or due else None


def shape(raw: str, expect_g: bool) -> tuple[str, tuple]:
    """The kind of a line ("roman", "number", "letter", "label", "dash", …) and its parts."""
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
    lab = match_label(raw) or _timed_label(raw)
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
