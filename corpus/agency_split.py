"""One agency per name: a printed list of agencies cut into its agencies or groups, and the agencies a
question names. The phrase itself is found by corpus/agency_phrase.py."""
from __future__ import annotations

import re

from kehoach.corpus.agency_groups import place_committees
from kehoach.corpus.agency_phrase import (
    _HEAD_RX, _JOINT_OFFICE, _NAMED_BY_WORK, _SPACES, _VERB_RX, _clean, _debracket, _list_from,
)
from kehoach.corpus.grammar_words import LOWER_GROUPS, NAME_VERBS, words
from kehoach.corpus.phrases import _lower, fold_aligned
from kehoach.corpus.text import fold, nfc

_NAMED_BY_WORK_F = {fold(h) for h in _NAMED_BY_WORK}

# Heads that open a new agency inside a printed list when a capitalised name follows ("…, Sở Nội vụ");
# "sở, ban, ngành" stays one group.
_STRONG = words("strong_heads")
_STRONG_RX = re.compile(r"(?:" + "|".join(re.escape(h) for h in sorted(_STRONG, key=len, reverse=True))
                        + r")\b")


def _opens_agency(text: str, f: str, pos: int) -> bool:
    if re.match(r"cac\s+\w", f[pos:]):
        return True
    m = _STRONG_RX.match(f, pos)
    if not m:
        return False
    after = _SPACES.match(f, m.end()).end()
    if m.group(0) in ("co quan", "to chuc", "luc luong") and LOWER_GROUPS.match(_lower(text), after):
        return True     # "…, cơ quan báo chí ở địa phương": a lower-case group of agencies
    if (" " in m.group(0) and m.group(0) not in ("co quan", "to chuc", "luc luong")) or m.group(0) == "ubnd":
        return True     # "Cảnh sát giao thông", "cơ quan báo chí": a two-syllable head opens a name
    nxt = re.compile(r"\s*").match(f, m.end()).end()
    if f.startswith("cac ", nxt):
        return True     # "… và Trưởng các tổ dân phố", "…, Giám đốc các sở": a head over a plural group
    if m.group(0) in _NAMED_BY_WORK_F and NAME_VERBS.match(_lower(text), nxt):
        return True     # "…, Cục quản lý chất lượng …"
    return nxt < len(text) and (text[nxt].isupper() or text[nxt].isdigit())


_PLACE_F = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(w)) for w in sorted(words("places"), key=len,
                                                                                 reverse=True))
                      + r")\b(?! hoi\b)")     # "xã hội" is no commune


def _places_after_group(f: str, start: int, sep: re.Match, nxt: int) -> bool:
    """"các Sở, ngành, quận, huyện, thị xã": a plural group of departments, then the places whose committees
    act with them, is two groups; "Sở Y tế các tỉnh, thành phố" and "các xã, phường" stay one."""
    return (sep.group(0) == "," and f.startswith("cac ", start) and bool(_PLACE_F.match(f, nxt))
            and not _PLACE_F.search(f, start, sep.start()))


def split_agencies(raw: str | None) -> list[str]:
    """"Sở Xây dựng, Sở Giao thông vận tải và các ngành, đơn vị liên quan" -> one entry per agency or group."""
    if not raw:
        return []
    out: list[str] = []
    for part in re.split(r"\s*;\s*", nfc(raw)):
        part = _debracket(part) if "(" in part else part     # "Bộ Tài chính (Kho bạc Nhà nước)": two agencies
        places = place_committees(part, _VERB_RX)
        if places:
            out.extend(places)      # "UBND Thành phố A, Thành phố B": each place's committee
            continue
        f = fold_aligned(part)
        start = 0
        for m in re.finditer(r",|\bva\b|\bhoac\b|&|\s-\s", f):
            nxt = re.compile(r"\s*").match(f, m.end()).end()
            joint = _JOINT_OFFICE.search(_lower(part), start, m.end())
            if joint and joint.end() == m.end():
                continue
            if m.group(0).strip() == "-" and f.startswith("chi nhanh", nxt):
                continue    # "Công ty X - Chi nhánh Y", "Ngân hàng Nhà nước - Chi nhánh tỉnh Z": the body's branch
            if _opens_agency(part, f, nxt) or _places_after_group(f, start, m, nxt):
                piece = _clean(part[start:m.start()])
                if piece:
                    out.append(piece)
                start = nxt
        piece = _clean(part[start:])
        if piece:
            out.append(piece)
    return out


# Heads of named institutions: "ngành CN", "cơ quan X" are not the name of an agency.
_INSTITUTION = re.compile(r"(?:sở|bộ|ban|cục|tổng cục|vụ|chi cục|ủy ban|uỷ ban|ubnd|phòng|trung tâm|viện|học viện"
                          r"|văn phòng|thanh tra|công an|kho bạc|ngân hàng|đài|báo|hội|liên đoàn|mặt trận|tỉnh đoàn"
                          r"|tổng công ty|bộ chỉ huy|bộ tư lệnh)\s")


def named_agencies(text: str) -> list[str]:
    """Agencies a sentence (a question) names by head and name ("Bộ Y tế", "Sở Tài chính Hà Nội");
    questions about an agency ("Sở nào", "cơ quan nào") and bare groups name none."""
    t = nfc(text)
    low = _lower(t)
    out: list[str] = []
    pos = 0
    while pos < len(low):
        m = _HEAD_RX.search(low, pos)
        if not m:
            break
        if m.start() > 0 and low[m.start() - 1].isalnum():
            pos = m.end()
            continue
        name, end = _list_from(t, low, m.start())
        pos = max(end, m.end())
        if not name:
            continue
        for piece in split_agencies(re.sub(r"\s+hay\s+", ", ", name)):
            # spoken words of a question end the name: "Sở Nội vụ giờ …", "Sở Công Thương ai lo …"
            piece = re.split(r"\s+(?:giờ|bây giờ|ai|lo|định|cũ|mới|nay|thì|hiện)(?!\w)|\?", piece)[0].strip()
            words = piece.split()
            if (len(words) >= 2 and words[1][:1].isupper() and _INSTITUTION.match(_lower(piece))
                    and not re.search(r"(?<!\w)(?:nào|gì)(?!\w)", piece.lower())):
                out.append(piece)
    return out
