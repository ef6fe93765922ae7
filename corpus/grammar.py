"""Who does what: the assignment grammar shared by every layout.

Vietnamese administrative documents assign work in a handful of phrasings, whatever their layout:
- "<cơ quan> chủ trì(,) phối hợp với / cùng <cơ quan…> <việc>"
- "Giao (cho) <cơ quan> (chủ trì) …", "Đề nghị <cơ quan> …", "<cơ quan> có / chịu trách nhiệm …",
  "<cơ quan> phối hợp với <cơ quan> …", "<cơ quan> <động từ> …" at the start of an item;
- a heading that names one or several agencies ("3. Sở Tài chính:", "2. Bộ Quốc phòng, Bộ Công an:",
  "Giao Giám đốc Sở X:", "Trách nhiệm của …", "Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng");
  inside it, "Chủ trì, phối hợp với <Y> …" means the heading agency leads and Y supports.

Agency phrases are found by their head word (Sở, Bộ, Ban, Cục, Vụ, UBND, …), not by a directory, so an
agency no list knows is still read, as printed. A phrase runs on over names joined by ",", "và", "các"
until a verb or a function word starts the work itself. Canonical names are the resolver's job.
All matching is done on a folded copy of the text that keeps every character's position.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.text import nfc, strip_marks

# Head words of agency phrases, folded. Longer heads first so "tong cuc" wins over "cuc".
_HEADS = sorted((
    "so", "bo", "ban", "cuc", "tong cuc", "vu", "chi cuc", "uy ban nhan dan", "uy ban", "ubnd", "phong",
    "trung tam", "vien", "hoc vien", "van phong", "thanh tra", "cong an", "bo chi huy", "bo tu lenh",
    "kho bac", "ngan hang", "dai", "bao", "hoi", "lien doan", "doan", "mat tran", "tinh doan", "thanh doan",
    "thong tan xa", "tap doan", "tong cong ty", "cong ty", "truong", "dai hoc", "quan doi", "quan khu",
    "bo doi", "chinh quyen", "co quan", "don vi", "doanh nghiep", "dia phuong", "nganh", "cac to chuc",
    "hiep hoi", "lien minh", "ubmttq", "thuong truc", "chu tich", "giam doc", "thu truong", "thu tuong",
    "pho thu tuong", "bo truong", "tong giam doc", "chanh van phong", "hdnd", "hoi dong", "ban chi dao",
    "to cong tac",
    "cac so", "cac bo", "cac nganh", "cac tinh", "cac dia phuong", "cac co quan", "cac don vi",
    "vien kiem sat", "toa an", "bhxh", "bao hiem xa hoi", "ngan hang nha nuoc", "kiem toan",
), key=len, reverse=True)
_HEAD_RX = re.compile(r"(?:cac\s+|moi\s+|nhung\s+)?(?:" + "|".join(re.escape(h) for h in _HEADS) + r")\b")
# Places name an agency only inside a list that an agency opened ("UBND các huyện, thị xã X, thành phố Y");
# a heading "Thành phố Mỹ Tho:" alone is a place.
_PLACES = ("tinh", "thanh pho", "huyen", "quan", "xa", "phuong", "thi xa", "thi tran")
_NEXT_HEAD_RX = re.compile(r"(?:cac\s+|moi\s+|nhung\s+)?(?:" + "|".join(
    re.escape(h) for h in sorted(_HEADS + list(_PLACES), key=len, reverse=True)) + r")\b")

# Words that start the work itself: an agency phrase ends before them (folded, whole words).
# Matched with their marks (lower case): folded, "tải" in "Vận tải" would read as "tại".
_VERBS = (
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "xây dựng", "tổ chức", "triển khai",
    "thực hiện", "dự thảo", "nghiên cứu", "hướng dẫn", "kiểm tra", "rà soát", "tham mưu", "đề xuất",
    "trình", "lập", "ban hành", "tuyên truyền", "theo dõi", "tổng hợp", "báo cáo", "chỉ đạo", "khẩn trương",
    "chủ động", "tiếp tục", "tăng cường", "quản lý", "đảm bảo", "bảo đảm", "căn cứ", "sửa đổi", "bổ sung",
    "hoàn thành", "hoàn thiện", "đánh giá", "cung cấp", "phân bổ", "bố trí", "giám sát", "thanh tra",
    "xử lý", "cập nhật", "điều chỉnh", "thông báo", "phê duyệt", "tiếp nhận", "giải quyết", "đẩy mạnh",
    "quy định", "hỗ trợ", "ưu tiên", "đảm nhiệm", "nghiêm túc", "được", "phải", "cần", "có", "là", "sẽ",
    "thực thi", "soạn thảo", "xem xét", "tập trung", "đôn đốc", "nắm bắt", "phát động", "vận động",
    "chuẩn bị", "làm", "đưa", "mở", "ký", "nâng cao", "chỉ định", "cử", "giao", "lựa chọn", "trình bày",
    "thẩm định", "cấp", "bàn", "nghiêm", "kịp thời", "thường xuyên", "rút", "đề nghị", "thống nhất",
)
_VERB_RX = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(set(_VERBS), key=len, reverse=True))
                      + r")(?!\w)")
# Function words that end an agency phrase: the purpose, place or manner of the work follows.
_STOP_RX = re.compile(r"(?<!\w)(?:để|nhằm|về việc|trong việc|trong|theo|tại|trên|đối với|khi|nếu|như|thì"
                      r"|sau khi|trước|chậm nhất|ngày)(?!\w)|[:;(.]")
_LEAD_WORDS = re.compile(r"\bchu tri\b")
_WITH = re.compile(r"\b(?:phoi hop voi|phoi hop cung|phoi hop va|phoi hop|cung voi|cung)\b")
_RESPONSIBLE = re.compile(r"\b(?:co trach nhiem|chiu trach nhiem|chu dong|khan truong|tiep tuc)\b")
_GIVE = re.compile(r"^\s*(?:giao(?:\s+cho)?|de nghi|yeu cau|uy quyen cho|uy quyen)\s+")
_HEADING_PREFIX = re.compile(r"^\s*(?:doi voi|trach nhiem cua|nhiem vu cua|giao(?:\s+cho)?|de nghi|yeu cau"
                             r"|ve phia)\s+")
_ROLE_TAIL = re.compile(r"\s*[-–—(]\s*(?:co quan\s+)?(?:thuong truc|chu tri|dau moi)[^:]*$")
_BULLET = re.compile(r"^[\s\-–—+*•·]*(?:[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*\.?|[ivx]{1,5}\.)?\s*")


def fold_aligned(text: str) -> str:
    """Lower case, marks off, đ -> d, one character for one: positions match the text as given."""
    out = []
    for ch in text:
        f = strip_marks(ch).lower()
        out.append(f[:1] if f else " ")
    return "".join(out)


@dataclass
class Assignment:
    """Agencies and deadline an item or sentence names, as printed (None where it names none)."""

    lead: str | None = None
    support: str | None = None
    deadline: str | None = None


def _clean(phrase: str) -> str | None:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–—.")
    phrase = re.sub(r"^(?:cho|với|cùng)\s+", "", phrase, flags=re.I)
    return phrase or None


def _lower_aligned(text: str, f: str) -> str:
    low = text.lower()
    return low if len(low) == len(f) else f


def agency_list_end(text: str, f: str, start: int, limit: int | None = None) -> int:
    """End of the list of agency phrases that starts at `start` (or `start` when none does).

    Each phrase opens with a head ("Sở", "các Bộ", "Uỷ ban nhân dân"); phrases are joined by ",", "và",
    "&" or "-". The list ends at a verb, a function word or a piece that opens with no head.
    """
    limit = len(f) if limit is None else limit
    low = _lower_aligned(text, f)
    spaces = re.compile(r"\s*")
    pos = start
    end = start
    head_rx = _HEAD_RX
    while pos < limit:
        pos = spaces.match(f, pos).end()
        head = head_rx.match(f, pos)
        if not head:
            break
        head_rx = _NEXT_HEAD_RX
        # the name: up to the next verb, stop word or list separator
        k = head.end()
        stop = limit
        for rx in (_VERB_RX, _STOP_RX):
            mm = rx.search(low, k, limit)
            while mm and rx is _VERB_RX and _capitalised(text, mm.start()) and mm.start() - k < 40:
                mm = rx.search(low, mm.end(), limit)   # "Sở Xây dựng": a capitalised verb is part of a name
            if mm:
                stop = min(stop, mm.start())
        sep = None
        for sm in re.compile(r",|\bva\b|&|;|\s-\s").finditer(f, k, stop):
            nxt = spaces.match(f, sm.end()).end()
            if _NEXT_HEAD_RX.match(f, nxt) or f[sm.start()] in ",;":
                sep = sm      # "và" and "-" join two agencies only when an agency follows; else a name goes on
                break
        end = sep.start() if sep else stop
        while end > pos and f[end - 1] == " ":
            end -= 1
        if not sep:
            break
        pos = sep.end()
        if not _NEXT_HEAD_RX.match(f, spaces.match(f, pos).end()):
            break
    return end


def _capitalised(text: str, i: int) -> bool:
    return i < len(text) and text[i].isupper()


def _list_from(text: str, f: str, start: int, limit: int | None = None) -> tuple[str | None, int]:
    end = agency_list_end(text, f, start, limit)
    return (_clean(text[start:end]), end) if end > start else (None, start)


def _expand_bare_list(text: str) -> str:
    """"các Sở: Kế hoạch và Đầu tư, Xây dựng" names each Sở: "Sở Kế hoạch và Đầu tư, Sở Xây dựng"."""
    m = re.match(r"^\s*(?:các\s+)?(Sở|Bộ|Ban|Cục|Vụ|Phòng)\s*:\s*(.+)$", text, flags=re.I)
    if not m:
        return text
    head = m.group(1)[0].upper() + m.group(1)[1:].lower()
    first, _, rest = m.group(2).partition(";")
    names = [n.strip() for n in first.split(",") if n.strip()]
    out = ", ".join(f"{head} {n}" for n in names)
    return out + ("; " + rest.strip() if rest.strip() else "")


def heading_agencies(title: str) -> str | None:
    """The agencies a heading names when it names nothing else ("2. Sở Xây dựng:"), or None."""
    t = nfc(title)
    t = _BULLET.sub("", t, count=1) if _BULLET.match(t) else t
    t = t.strip().rstrip(":").strip()
    f = fold_aligned(t)
    m = _HEADING_PREFIX.match(f)
    start = m.end() if m else 0
    role = _ROLE_TAIL.search(f, start)
    limit = role.start() if role else len(f)
    if re.match(r"\s*(?:cac\s+)?(?:so|bo|ban|cuc|vu|phong)\s*:", f[start:]):
        return _clean(_expand_bare_list(t[start:limit]))
    if len(f[start:limit].split()) > 40:
        return None
    lead, end = _list_from(t, f, start, limit)
    if lead is None:
        return None
    rest = f[end:limit].strip(" ,.:;")
    # "Giao Giám đốc Sở X:" / "Sở X - thường trực kế hoạch:" name an agency and nothing more
    if rest and not re.fullmatch(r"(?:va\s+)?(?:cac\s+)?(?:co quan|don vi|nganh)?\s*(?:lien quan|co lien quan)?", rest):
        return None
    return lead


def read_assignment(text: str, in_block: bool = False) -> Assignment:
    out = _read_assignment(text, in_block)
    if out.lead is None and out.support is None:
        # "Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo …": a time clause, then the sentence
        f = fold_aligned(nfc(text))
        comma = f.find(",")
        if 0 < comma < 80 and re.search(r"dinh ky|truoc|cham nhat|hang nam|hang quy|thang|quy|nam \d", f[:comma]):
            rest = _read_assignment(nfc(text)[comma + 1:], in_block)
            out.lead, out.support = rest.lead, rest.support
    return out


def _read_assignment(text: str, in_block: bool = False) -> Assignment:
    """Lead and support an item or sentence names itself, and a deadline inside it.

    `in_block`: the item sits under an agency heading, so a leading "Chủ trì, phối hợp với Y" or
    "Phối hợp với Y" names only the support (the heading agency leads).
    """
    t = nfc(text)
    f = fold_aligned(t)
    out = Assignment(deadline=deadline_phrase(t))
    body = _BULLET.match(f).end() if _BULLET.match(f) else 0
    give = _GIVE.match(f, body)
    if give:
        lead, end = _list_from(t, f, give.end())
        if lead:
            out.lead = lead
            _support_after(t, f, end, out)
            return out
    lead_m = _LEAD_WORDS.search(f, body)
    head = _HEAD_RX.match(f, body)
    if head:
        lead, end = _list_from(t, f, body)
        gap = len(f[end:end + 40]) - len(f[end:end + 40].lstrip(" ,"))
        after = f[end + gap:end + 40]
        if lead and (after.startswith(("chu tri", "phoi hop", "co trach nhiem", "chiu trach nhiem"))
                     or _VERB_RX.match(_lower_aligned(t, f), end + gap)):
            if after.startswith("phoi hop") and not in_block:
                out.lead = lead
            else:
                out.lead = lead
            _support_after(t, f, end, out)
            return out
    if in_block and (f.startswith("chu tri", body) or f.startswith("phoi hop", body)
                     or f.startswith("chu dong phoi hop", body)):
        _support_after(t, f, body, out)
        return out
    if lead_m and lead_m.start() - body < 200:
        # "... , Sở X chủ trì, phối hợp với ..." later in the sentence
        seg_start = max(f.rfind(c, 0, lead_m.start()) for c in ".;:") + 1
        seg = f[seg_start:lead_m.start()]
        hm = None
        for m in _HEAD_RX.finditer(seg):
            if m.start() == 0 or seg[m.start() - 1] in " ,":
                hm = m
                break
        if hm:
            lead, end = _list_from(t, f, seg_start + hm.start(), lead_m.start())
            if lead and f[end:lead_m.start()].strip(" ,") == "":
                out.lead = lead
                _support_after(t, f, lead_m.start(), out)
    return out


def _support_after(text: str, f: str, pos: int, out: Assignment) -> None:
    """"… phối hợp với / cùng <Y>" close after `pos` names the support."""
    m = _WITH.search(f, pos, min(len(f), pos + 60))
    if not m:
        return
    support, _ = _list_from(text, f, m.end())
    if support:
        out.support = support


# ---- deadlines inside running text ---------------------------------------------------------

_TRIGGER = re.compile(r"(?:(?:hoan thanh|xong)\s+)?(?:truoc|cham nhat(?: la)?|trong|den"
                      r"|cuoi|het|tu|vao|han chot|ngay)?\s*(?:ngay|thang|quy|qui|nam)?\s*$")
_TIME = re.compile(
    r"(?:ngay\s*)?\d{1,2}\s*(?:/|thang)\s*\d{1,2}\s*(?:/|nam)\s*\d{4}"
    r"|\d{1,2}\s*/\s*\d{4}|thang\s*\d{1,2}(?:\s*-\s*\d{1,2})?\s*(?:/|nam)\s*\d{4}"
    r"|qu[yi]\s*(?:iv|iii|ii|i|[1-4])\b\s*(?:/|nam)?\s*\d{4}|(?:6|06)\s*thang\s*(?:dau|cuoi)\s*nam\s*\d{4}"
    r"|(?:truoc|cham nhat|han chot)\s+(?:ngay\s*)?\d{1,2}\s*(?:/|thang)\s*\d{1,2}(?!\d)(?!\s*(?:/|nam)\s*\d)"
    r"|(?:den|het|trong|cuoi)\s+nam\s*\d{4}(?:\s*-\s*\d{4})?"
)
_RECUR = re.compile(r"\b(?:dinh ky[^.;,]{0,60}|thuong xuyen|hang nam|hang quy|hang thang|hàng năm)\b")


def deadline_phrase(text: str) -> str | None:
    """The deadline a sentence states, as printed ("trước ngày 30/9/2010", "trong quý IV năm 2009")."""
    t = nfc(text)
    f = fold_aligned(t)
    for m in _TIME.finditer(f):
        if re.search(r"(?:\bso\s*\d\S*|quyet dinh|nghi quyet|nghi dinh|chi thi|thong tu|cong van)[^,;]{0,25}$",
                     f[max(0, m.start() - 50):m.start()]):
            continue
        trig = _TRIGGER.search(f, max(0, m.start() - 30), m.start())
        start = trig.start() if trig and trig.group(0).strip() else m.start()
        phrase = t[start:m.end()].strip(" ,;.")
        years, recurring, due = read_deadline(phrase)
        if years or due:
            return phrase[0].upper() + phrase[1:] if phrase[:1].islower() and start == 0 else phrase
    m = _RECUR.search(f)
    if m:
        end = m.end()
        par = t.find(")", end) if "(" in t[m.start():end] and ")" not in t[m.start():end] else -1
        return t[m.start():(par + 1 if par > 0 else end)].strip(" ,;.")
    return None


# ---- one agency per name --------------------------------------------------------------------

# Heads that open a new agency inside a printed list when a capitalised name follows ("…, Sở Nội vụ");
# "sở, ban, ngành" stays one group.
_STRONG = ("so", "bo", "ban", "cuc", "tong cuc", "chi cuc", "vu", "uy ban", "ubnd", "trung tam", "vien",
           "van phong", "thanh tra", "cong an", "ngan hang", "kho bac", "hoi", "bao", "dai", "lien minh",
           "lien doan", "mat tran", "tinh doan", "bo chi huy", "hoc vien", "tong cong ty", "quan ly thi truong",
           "canh sat", "ban chi dao", "hoi dong", "to chuc", "co quan", "luc luong", "chinh quyen", "hiep hoi")
_STRONG_RX = re.compile(r"(?:" + "|".join(re.escape(h) for h in sorted(_STRONG, key=len, reverse=True))
                        + r")\b")


def _opens_agency(text: str, f: str, pos: int) -> bool:
    if re.match(r"cac\s+\w", f[pos:]):
        return True
    m = _STRONG_RX.match(f, pos)
    if not m:
        return False
    nxt = re.compile(r"\s*").match(f, m.end()).end()
    return nxt < len(text) and (text[nxt].isupper() or text[nxt].isdigit()
                                 or m.group(0) in ("cong an", "uy ban", "ubnd", "chinh quyen"))


def split_agencies(raw: str | None) -> list[str]:
    """"Sở Xây dựng, Sở Giao thông vận tải và các ngành, đơn vị liên quan" -> one entry per agency or group."""
    if not raw:
        return []
    out: list[str] = []
    for part in re.split(r"\s*;\s*", nfc(raw)):
        f = fold_aligned(part)
        start = 0
        for m in re.finditer(r",|\bva\b|&|\s-\s", f):
            nxt = re.compile(r"\s*").match(f, m.end()).end()
            if _opens_agency(part, f, nxt):
                piece = _clean(part[start:m.start()])
                if piece:
                    out.append(piece)
                start = nxt
        piece = _clean(part[start:])
        if piece:
            out.append(piece)
    return out
