"""Keys of agency names, and splitting a printed agency field into pieces.

Matching works on keys: `fold` and `ocr_fold` of a name, then `_normalize`
(drops what carries no identity: "liên quan", "tỉnh <home province>", "(báo cáo)").
Names, aliases and abbreviations all become keys of their entry.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from kehoach.corpus.grammar_words import words
from kehoach.corpus.text import fold, nfc, normalize_space, ocr_fold


# ---- keys ---------------------------------------------------------------------

HOME_PROVINCE = json.loads((resources.files("kehoach.corpus") / "agencies.json").read_text(encoding="utf-8"))[
    "province"]
PARENS = re.compile(r"\([^()]*\)")
# "Sở" after folding OCR output: "S&"->"so", "S6"->"so", "S¢"->"se", "Sé"->"se", "8¢"->"8", "S".
_SO_LIKE = re.compile(r"^[s8][a-z0-9]?$")
# "các" as OCR prints it ("céc", "cic", "cdc"); "cục" keeps its u.
_CAC_LIKE = re.compile(r"^c[a-tv-z]c$")
_LEAD_FILLER = re.compile(r"^theo chuc nang( va)?( nhiem vu)?( duoc giao)?( cua)?\b ?")
# Words before a name that address its head, not another body: "Giao Giám đốc Sở Tư pháp",
# "Trách nhiệm của Chủ tịch UBND các huyện" name Sở Tư pháp and UBND các huyện.
LEAD_ROLE = re.compile(r"^(?:(?:giao|đề nghị|trách nhiệm của|đối với)\s+)?(?:(?:ông|bà)\s+)?"
                       r"(?:giám đốc|chủ tịch|thủ trưởng|trưởng ban|tổng cục trưởng|chi cục trưởng|cục trưởng|"
                       r"vụ trưởng|bộ trưởng)\s+(?=\S)", re.IGNORECASE)
# Tails that are not part of any name: "theo đề xuất của cơ quan chủ trì", "nơi dự kiến ...".
_JUNK_TAILS = (
    re.compile(r" theo de xuat\b.*$"),
    re.compile(r" noi (du kien|co|dat|dien ra|trien khai)\b.*$"),
    re.compile(r" (chu tri )?thuc hien$"),
    re.compile(r" bao cao$"),
)
# Tails that qualify a name without changing which agency it is. Keys are kept with
# and without them: OCR damage inside a tail ("Quéng Ngai") must not hide the name.
_QUALIFIER_TAILS = (
    re.compile(r" (co )?lien quan$"),
    re.compile(rf" tren dia ban( tinh)?( {fold(HOME_PROVINCE)})?$"),
    re.compile(r" cac cap$"),
)
# Whole pieces that name nobody ("phù hợp với yêu cầu công việc cụ thể").
_FILLER = re.compile(r"^(phu hop voi\b.*|thuc hien|bao cao|chu tri|phoi hop)$")
# The directory's own province (agencies.json "province"): a closing "tỉnh <home>" adds nothing to a key,
# unless it is all that tells the agency apart ("UBND tỉnh", "Công an tỉnh", "Báo <home>"). Matched before
# folding, with its marks, because folded "tinh" is also the "Tịnh" of "huyện Sơn Tịnh". Other provinces'
# names stay in the key: "Đài Phát thanh Hà Nội" is not the home province's radio.
_HOME = r"\s+".join(map(re.escape, HOME_PROVINCE.split()))
_PROVINCE_TAILS = (
    (re.compile(rf"(\s+tỉnh)?\s+{_HOME}$|\s+tỉnh$", re.IGNORECASE), 3),
    (re.compile(rf"\s+{_HOME}$", re.IGNORECASE), 2),
)


def _strip_tails(key: str, tails: tuple[re.Pattern[str], ...]) -> str:
    before = None
    while key != before:
        before = key
        for tail in tails:
            key = tail.sub("", key)
    return key


def _normalize(folded: str) -> list[str]:
    """Keys of one folded name: as printed (less junk), and without its qualifiers."""
    toks: list[str] = []
    for i, tok in enumerate(folded.split()):
        if tok == "iy":   # "Quản Iy": OCR reads l as capital I; no Vietnamese word is "iy"
            tok = "ly"
        elif _CAC_LIKE.match(tok):
            tok = "cac"
        if _SO_LIKE.match(tok) and (i == 0 or (toks and toks[-1] in ("cac", "thuoc"))):
            tok = "so"
        if toks and toks[-1] == tok:  # "UBND các huyện, huyện, ...": a doubled word is a typo
            continue
        toks.append(tok)
    key = _LEAD_FILLER.sub("", " ".join(toks))
    # "Ủy ban nhân dân" and "UBND" are one word for matching: "Uỷ ban nhân dân các huyện" is "UBND các huyện".
    key = re.sub(r"\buy ban nhan dan\b", "ubnd", key)
    if key.startswith("cac phong "):   # "các phòng QLTM, KHTCTH" lists departments
        key = key[4:]
    key = _strip_tails(key, _JUNK_TAILS)
    bare = _strip_tails(key, _JUNK_TAILS + _QUALIFIER_TAILS)
    return [k for k in dict.fromkeys((key, bare)) if k and not _FILLER.match(k)]


def without_province(text: str) -> str:
    for tail, keep_words in _PROVINCE_TAILS:
        short = tail.sub("", text)
        if short != text and len(short.split()) >= keep_words:
            return short
    return text


def name_keys(text: str, strip_province: bool = True) -> tuple[str, ...]:
    """Keys of a name: plain and OCR-repaired fold (they differ on "&", digits), with and without tails."""
    bare = normalize_space(PARENS.sub(" ", nfc(text or "")))
    keys: list[str] = []
    for variant in dict.fromkeys((bare, without_province(bare) if strip_province else bare)):
        keys += _normalize(fold(variant)) + _normalize(ocr_fold(variant))
    return tuple(dict.fromkeys(keys))


def compact(key: str) -> str:
    return key.replace(" ", "")


# ---- splitting a printed field ------------------------------------------------

_FIELD_TOKEN = re.compile(r"[(),;]|[^\s(),;]+")
_BULLETS = re.compile(r"^[\s\-–—~+*•·.‘'`_]+")
_TRAILING = re.compile(r"[\s.;,:]+$")


_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[a-zđ]\)|[IVXL]+\.)\s+(?=\S)")


def clean_field(text: str) -> str:
    """The field without bullets, numbering ("5.", "a)") and the role words before its name."""
    text = _BULLETS.sub("", normalize_space(nfc(text)))
    return _TRAILING.sub("", LEAD_ROLE.sub("", _NUMBERING.sub("", text)))


def field_pieces(text: str) -> list[tuple[int, int]]:
    """Spans of `text` between commas, semicolons and "và", outside parentheses."""
    spans: list[tuple[int, int]] = []
    start = end = None
    depth = 0
    for m in _FIELD_TOKEN.finditer(text):
        tok = m.group()
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (tok in ",;" or fold(tok) == "va"):
            if start is not None:
                spans.append((start, end))
            start = end = None
            continue
        if start is None:
            start = m.start()
        end = m.end()
    if start is not None:
        spans.append((start, end))
    return spans


# ---- free-text scanning -------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
# Unaccented "so" after these words is "số" ("chuyen doi so", "kinh te so", "ha tang so"),
# the plans' most common topic, not "Sở": "chuyen doi so y te" names no agency.
DIGITAL_BEFORE = frozenset({"doi", "te", "hoi", "quyen", "lieu", "tang", "nghe", "thuat", "hoa"})
# "cơ sở" (facility, base) is never "Sở": "cơ sở quy hoạch", "các cơ sở thương mại".
BASE_BEFORE = frozenset({"cơ", "co"})


def marked(token: str) -> bool:
    return not token.isascii()


def nfc_with_origin(text: str) -> tuple[str, list[tuple[int, int]]]:
    """NFC text and, for each of its characters, the span of `text` it came from.

    Callers cut the question at a mention's offsets, so they must hold in the text as given.
    """
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])
        out.append(chunk)
        origin.extend([(i, j)] * len(chunk))
        i = j
    return "".join(out), origin


@dataclass
class TrieNode:
    children: dict[str, TrieNode] = field(default_factory=dict)
    surfaces: set[str] = field(default_factory=set)   # lower-case tokens as printed in names
    terminals: set[str] = field(default_factory=set)  # entries whose form ends here
    weak: set[str] = field(default_factory=set)       # ... only once their province was dropped
    below: set[str] = field(default_factory=set)      # entries whose form passes here


def surface_forms(text: str) -> list[list[str]]:
    """Word lists a name may appear as in a question: as given, and without "tỉnh Quảng Ngãi"."""
    bare = normalize_space(PARENS.sub(" ", nfc(text)))
    return [[w.lower() for w in WORD.findall(v)] for v in dict.fromkeys((bare, without_province(bare)))]


# First words of keys that say what kind of body a name is: a key headed by one never
# matches a key headed by another ("Bộ Thông tin và Truyền thông" is not "Sở TTTT",
# however close the rest of the letters).
_HEAD_CLASS = frozenset({"so", "bo", "cuc", "vu", "chi", "tong", "ban", "phong", "vien"})
# ... and a key of one level never matches a key of another ("thanh tra thanh pho" / "thanh tra chinh phu").
_LEVEL_WORDS = tuple(fold(w) for w in words("levels"))


def head_clash(key: str, other: str) -> bool:
    a, b = key.split(" ", 1)[0], other.split(" ", 1)[0]
    if a != b and a in _HEAD_CLASS and b in _HEAD_CLASS:
        return True
    mine, theirs = _levels(key), _levels(other)
    return bool(mine) and bool(theirs) and not mine & theirs   # OCR may garble one of several


def _levels(key: str) -> set[str]:
    padded = f" {key} "
    return {w for w in _LEVEL_WORDS if f" {w} " in padded}
