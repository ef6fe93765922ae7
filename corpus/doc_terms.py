"""Names a document defines for itself: its abbreviations and the ministry its "thuộc Bộ" means.

A plan writes an agency's name once in full and then short: "Trung tâm Phục vụ hành chính công tỉnh (sau
đây gọi là Trung tâm PVHCC)", "Tập đoàn Điện lực Việt Nam (EVN)", "Bộ Giáo dục và Đào tạo (GDĐT)". Later
mentions ("Trung tâm PVHCC có trách nhiệm …", "7. EVN, …:", "các sở GDĐT") mean the full name, so the
agencies of a task are written out with the document's own definitions. A ministry's directive says "các
đơn vị thuộc Bộ" for its own units: that is the issuing ministry (its letterhead, or the Bộ trưởng who
signs or speaks), so the group reads "các đơn vị thuộc Bộ Công Thương".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kehoach.corpus.agency_phrase import _HEAD_RX, _VERB_RX, agency_list_end
from kehoach.corpus.grammar_words import words
from kehoach.corpus.phrases import _lower
from kehoach.corpus.text import fold, nfc, normalize_space

# "(sau đây gọi tắt là X)", "(gọi tắt là X)", "(viết tắt là X)", "(sau đây viết tắt: X)"
_DEFINE = re.compile(r"\(\s*(?:[^()]{0,80}?,\s*)?(?:sau\s+đây\s+)?(?:được\s+)?(?:gọi|viết)(?:\s+(?:tắt|chung))?"
                     r"(?:\s+là|\s*:)"
                     r"\s+[\"“]?([^()\"”]{2,40}?)[\"”]?\s*\)", re.IGNORECASE)
_ACRONYM_DEF = re.compile(r"\(\s*([A-ZĐ][A-ZĐ&]{1,11})\s*\)")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LINKS = {"và", "các", "của", "-", "&"}
_MINISTRY_LINE = re.compile(r"^\s*BỘ\s+[A-ZĐÀ-Ỹ]")
_MINISTER = re.compile(r"Bộ trưởng (Bộ (?:[A-ZĐ][\w-]*|và|[a-zđ][\w-]*)(?:\s+(?:[A-ZĐ][\w-]*|và|[a-zđ][\w-]*)){0,6}?)"
                       r"(?=\s+(?:yêu cầu|chỉ thị|quyết định|ban hành)(?!\w))")   # the issuing voice, not a citation


# "các đơn vị (chức năng) thuộc Bộ", "các bệnh viện trực thuộc Bộ" = the issuing ministry's; "thuộc Bộ, cơ quan
# ngang Bộ" = of every ministry.
_OWN_UNITS = re.compile(r"((?<!\w)(?:trực\s+)?(?:thuộc|của))\s+Bộ"
                        r"(?=\s*(?:[;:)]|,(?!\s*cơ quan ngang)|và\s|$))")


@dataclass
class DocTerms:
    abbreviations: dict[str, str] = field(default_factory=dict)   # short form as printed -> full name
    ministry: str | None = None                                   # "Bộ Công Thương"
    commune: tuple[str, str] | None = None                        # issuer's ("phường", "Thuận Hóa")
    printed: str = field(default="", repr=False)                  # the document's text, to complete names

    def spell(self, text: str) -> str:
        """The text with every long acronym it defines in one spelling ("Nafiqaved" -> "NAFIQAVED"), so the
        grammar reads it as an agency wherever it stands in a list."""
        for short in self.abbreviations:
            if short.isupper() and len(short) >= 5:
                text = re.sub(rf"(?<![\w&]){re.escape(short)}(?![\w&])", short, text, flags=re.IGNORECASE)
        return text

    def expand(self, raw: str | None) -> str | None:
        """An agency text with the document's short forms written out and its own ministry named."""
        if not raw:
            return raw
        out = raw
        for short in sorted(self.abbreviations, key=len, reverse=True):
            # a long acronym is also printed in title case ("NAFIQAVED", "Nafiqaved")
            flags = re.IGNORECASE if short.isupper() and len(short) >= 5 else 0
            full = self.abbreviations[short]
            out = _write_out(out, short, full, flags)
        out = _STANDARD_RX().sub(lambda m: _standard_short_forms()[m.group(0)], out) if _standard_short_forms() else out
        if self.ministry:
            out = _OWN_UNITS.sub(lambda m: f"{m.group(1)} {self.ministry}", out)
        return _LOCAL_UNIT.sub(self._complete, out) if self.printed else out

    def _complete(self, m: re.Match) -> str:
        """"Công an phường" in a ward's letter that prints "Công an phường Hòa Khánh" in its address list: a
        unit named by its level alone is the one of that level the document names in full, when it names one."""
        name = m.group(0)
        found = {normalize_space(x.group(1)) for x in re.finditer(
            rf"(?<!\w){re.escape(name)}[ \t]+([^\W\d_]+(?:[ \t]+[^\W\d_]+)*?)(?=[ \t]*(?:$|[,;.)]|và\s))",
            self.printed, flags=re.MULTILINE) if all(w[:1].isupper() for w in x.group(1).split())}
        if len(found) == 1:
            return f"{name} {found.pop()}"
        # "Công an phường" in the ward's own plan that never prints it in full: the issuing commune's unit
        if self.commune and len(found) == 0 and _lower(name).endswith(" " + self.commune[0]):
            return f"{name} {self.commune[1]}"
        return name


def _write_out(text: str, short: str, full: str, flags: int) -> str:
    """Each mention of `short` written out as `full`, except where the text prints the full name already
    ("Phòng Kinh tế" inside "Phòng Kinh tế, Hạ tầng và Đô thị" stays as it is)."""
    printed = [m.span() for m in re.finditer(re.escape(full), text, flags=re.IGNORECASE)]

    def one(m: re.Match) -> str:
        inside = any(a <= m.start() and m.end() <= b for a, b in printed)
        return m.group(0) if inside else full
    pattern = re.escape(short)
    if short[:1].islower():     # "các đơn vị" defined is "Các đơn vị" opening a heading
        pattern = f"(?i:{re.escape(short[0])}){re.escape(short[1:])}"

    def cased(m: re.Match) -> str:
        out = one(m)
        return out[:1].upper() + out[1:] if out is not m.group(0) and m.group(0)[:1].isupper() else out
    return re.sub(rf"(?<![\w&]){pattern}(?![\w&])", cased, text, flags=flags)


# "Sở GTVT", "Bộ LĐ-TB&XH": a head and the acronym of a standard name. The directory (corpus/agencies.json and
# corpus/data/agencies/) lists these short forms; a task's agencies are written out with them as with the
# document's own definitions. A form two entries share is left as printed.
_SHORT_FORM = re.compile(r"(?:Sở|Bộ|Cục|Tổng cục|Vụ|Chi cục)\s+[A-ZĐ][A-ZĐ&\-]{1,11}")


@lru_cache(maxsize=1)
def _standard_short_forms() -> dict[str, str]:
    from kehoach.corpus.agencies import Directory
    seen: dict[str, set[str]] = {}
    for e in Directory.load().entries:
        for form in e.abbreviations:
            form = nfc(form)
            if _SHORT_FORM.fullmatch(form) and fold(e.name).split()[0] == fold(form).split()[0]:
                seen.setdefault(form, set()).add(e.name)
    return {form: next(iter(names)) for form, names in seen.items() if len(names) == 1}


@lru_cache(maxsize=1)
def _STANDARD_RX() -> re.Pattern[str]:
    forms = sorted(_standard_short_forms(), key=len, reverse=True)
    return re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w&])")


def _initials(words: list[str]) -> str:
    return "".join(fold(w)[:1] for w in words)


def _by_initials(before: str, acronym: str) -> str | None:
    """The words just before "(ABC)" whose initials spell ABC ("Giáo dục và Đào tạo (GDĐT)")."""
    target = fold(acronym).replace("&", "")
    words = [m for m in _WORD.finditer(before)][-12:]
    for i in range(len(words) - 1, -1, -1):
        span = words[i:]
        content = [w.group(0) for w in span if _lower(w.group(0)) not in _LINKS]
        if not content or not content[0][:1].isupper():
            continue
        if _initials(content) == target:
            return before[span[0].start():].strip(" ,")
        if len(_initials(content)) > len(target):
            return None
    return None


# "1. Phòng X (sau đây gọi là …)", "- Công ty Y (…)": a list marker opens the line as its start would.
_OPENS = re.compile(r"(?:^\s*(?:[-–—+*•]|\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ]\)|[ivx]{1,5}\.)?|[,;:(]"
                    r"|(?<!\w)(?:với|cùng|của|là|có|giao|đề nghị|gồm))\s*$")


def _after_verb(before: str) -> bool:
    """"… yêu cầu Cục X (sau đây gọi là …)": the name opens right after the verb whose object it is."""
    verbs = list(_VERB_RX.finditer(before))
    return bool(verbs) and not before[verbs[-1].end():].strip()


def _defined_name(before: str, listed: bool = False) -> str | None:
    """The agency phrase that ends right before a "(sau đây gọi là …)" or "(ABC)" remark: from the last
    capitalised head that opens a list item to the remark ("…, Cục quản lý chất lượng, an toàn vệ sinh và thú
    y thuỷ sản"; "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường" is one office, not its "Ủy ban").
    `listed`: only after a comma or at the start (a foreign acronym, "… và Liên minh Châu Âu (EVFTA)")."""
    low = _lower(before)
    last = None
    for m in _HEAD_RX.finditer(low, max(0, len(low) - 160)):
        if (m.start() == 0 or not low[m.start() - 1].isalnum()) and before[m.start():m.start() + 1].isupper():
            head = low[max(0, m.start() - 40):m.start()]
            if (re.search(r"(?:^|[,;:(])\s*$", head) if listed else _OPENS.search(head) or _after_verb(head)):
                last = m
    if last is None:
        return None
    name = before[last.start():].strip(" ,")
    return name if 2 <= len(name.split()) <= 16 else None


# A unit of local government named by its level alone, at the end of a piece of a list ("Công an phường").
_LOCAL_UNIT = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words("local_units")) + r")\s+(?:"
                         + "|".join(re.escape(w) for w in sorted(words("places"), key=len, reverse=True))
                         + r")(?=\s*(?:$|[,;]|và\s))", re.IGNORECASE)
_ADDRESSED = re.compile(r"(?<!\w)(?:đề nghị|yêu cầu|giao(?:\s+cho)?|gửi|chỉ đạo)\s+")


def _defined_group(before: str) -> str | None:
    """"… đề nghị các Bộ, cơ quan trung ương và Ủy ban nhân dân các tỉnh (sau đây gọi chung là các Bộ, cơ quan,
    địa phương)": a group's short name stands for the whole list of agencies addressed before it."""
    low = _lower(before)
    starts = [m.end() for m in _ADDRESSED.finditer(low)]
    start = starts[-1] if starts else len(low) - len(low.lstrip(" -–—+•"))
    name = before[start:].strip(" ,")
    if not 2 <= len(name.split()) <= 30:
        return None
    end = agency_list_end(before, low, start)
    return name if end >= len(before.rstrip(" ,")) else None


def read_terms(lines: list[str]) -> DocTerms:
    terms = DocTerms(printed="\n".join(nfc(x) for x in lines))
    for raw in lines:
        line = nfc(raw)
        for m in _DEFINE.finditer(line):
            short = m.group(1).strip()
            # "(cơ quan thường trực của Ban Chỉ đạo …, sau đây gọi tắt là BCĐ)": the name is inside
            inner = line[m.start() + 1:m.start(1)]
            inner = inner[:inner.rfind(",")] if "," in inner else ""
            before = inner if inner.strip() else line[:m.start()]
            full = _by_initials(before, short) if short.isupper() else None
            full = full or (_defined_group(before) if re.match(r"các\s", short, re.I) else _defined_name(before))
            if full and short not in terms.abbreviations and fold(full) != fold(short):
                terms.abbreviations[short] = full
        for m in _ACRONYM_DEF.finditer(line):
            short = m.group(1)
            # "…, Cục quản lý chất lượng … (NAFIQAVED)": a foreign acronym names the agency before it when
            # that agency opens a list item (after a comma or at the start), not a phrase's tail ("… và Liên minh")
            full = _by_initials(line[:m.start()], short) or (_defined_name(line[:m.start()], listed=True)
                                                             if len(short) >= 4 else None)
            if full and short not in terms.abbreviations:
                terms.abbreviations[short] = full
    terms.commune = _issuing_commune(lines[:8])
    for raw in lines[:8]:
        if _MINISTRY_LINE.match(raw) and len(raw.split()) <= 8:
            terms.ministry = _title_case(raw.strip())
            break
    if terms.ministry is None:
        for raw in lines[:40]:
            m = _MINISTER.search(nfc(raw))
            if m:
                terms.ministry = m.group(1)
                break
    return terms


# A commune's letterhead: "ỦY BAN NHÂN DÂN" over "PHƯỜNG AN HÒA", or "UBND XÃ AN HÒA" on one line. Only the
# commune level: its units ("Công an xã") are named nowhere else and no directory holds them, whereas a province's
# ("Công an tỉnh") are resolved in the context of the province by the directory (corpus/agency_context.py).
_COMMITTEE_LINE = re.compile(r"^\s*(?:(?:ỦY|UỶ) BAN NHÂN DÂN|UBND)\s*$")
_COMMUNE_LINE = re.compile(
    r"^\s*(?:(?:(?:ỦY|UỶ) BAN NHÂN DÂN|UBND)\s+)?(XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\s+(\S[^\d:]{0,40}?)\s*$")


def _issuing_commune(head: list[str]) -> tuple[str, str] | None:
    """("phường", "An Hòa") when the document's letterhead is a commune's People's Committee."""
    for i, raw in enumerate(head):
        line = nfc(raw).strip()
        m = _COMMUNE_LINE.match(line)
        # the committee on the same line, or on the line above
        if m and line.isupper() and (m.start(1) > 0 or i > 0 and _COMMITTEE_LINE.match(nfc(head[i - 1]))):
            return m.group(1).lower(), " ".join(w[:1] + w[1:].lower() for w in m.group(2).split())
    return None


def _title_case(letterhead: str) -> str:
    """"BỘ TƯ PHÁP" -> "Bộ Tư pháp": the directory's spelling of the ministry, else each word capitalised."""
    from kehoach.corpus.agency_data import national
    key = fold(letterhead)
    for agency in national()[0]:
        if fold(agency.name) == key:
            return agency.name
    words = letterhead.lower().split()
    return " ".join(w[:1].upper() + w[1:] if i == 0 or w not in ("và", "các") else w for i, w in enumerate(words))
