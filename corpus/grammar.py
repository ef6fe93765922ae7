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

from kehoach.corpus.grammar_words import LOWER_GROUPS, NAME_VERBS
from kehoach.corpus.phrases import _lower, deadline_phrase, fold_aligned, recurs  # noqa: F401 (re-exported)
from kehoach.corpus.text import nfc

# Head words of agency phrases, lower case with their marks: "Bộ" is a head, "bố trí" is not.
# Longer heads first so "tổng cục" wins over "cục". Both spellings of "Ủy/Uỷ", "Tòa/Toà" are listed.
_HEADS = (
    "sở", "bộ", "ban", "cục", "tổng cục", "vụ", "chi cục", "ủy ban nhân dân", "uỷ ban nhân dân", "ủy ban",
    "uỷ ban", "ubnd", "phòng", "trung tâm", "viện", "học viện", "văn phòng", "thanh tra", "công an",
    "bộ chỉ huy", "bộ tư lệnh", "kho bạc", "ngân hàng", "đài", "báo", "hội", "liên đoàn", "đoàn", "mặt trận",
    "tỉnh đoàn", "thành đoàn", "tổng liên đoàn", "chi nhánh", "trạm", "thông tấn xã", "tập đoàn", "tổng công ty", "công ty", "trường", "đại học",
    "quân đội", "quân khu", "bộ đội", "chính quyền", "cơ quan", "đơn vị", "doanh nghiệp", "địa phương",
    "ngành", "các tổ chức", "hiệp hội", "liên minh", "ubmttq", "thường trực", "chủ tịch", "giám đốc",
    "thủ trưởng", "bộ trưởng", "tổng giám đốc", "chánh văn phòng", "vụ trưởng",
    "cục trưởng", "hđnd", "hội đồng", "ban chỉ đạo", "bcđ", "tổ công tác", "viện kiểm sát", "tòa án", "toà án",
    "bhxh", "bảo hiểm xã hội", "kiểm toán", "lực lượng", "cảnh sát", "quản lý thị trường", "hải quan",
    "tổ chức pháp chế", "chủ đầu tư", "nhà trường", "cơ sở", "viện nghiên cứu",
)
_PLURAL = r"(?:(?:các|mọi|những)\s+)?"
_COMPOUND = re.compile(r"(?:báo cáo|báo chí|bộ phận|bộ máy|ban hành|phòng chống|phòng ngừa|phòng, chống|hội nghị"
                       r"|hội thảo|hội nhập|đoàn kết|vụ việc|sở hữu|cục bộ|viện dẫn|trường hợp|trường học)(?!\w)")
_SHORT_HEADS = {"sở", "bộ", "ban", "cục", "vụ", "viện", "đài", "báo", "hội", "đoàn", "phòng", "trường"}


def _head_rx(heads) -> re.Pattern[str]:
    return re.compile(_PLURAL + r"(?:" + "|".join(re.escape(h) for h in sorted(set(heads), key=len, reverse=True))
                      + r")(?!\w)")


_HEAD_RX = _head_rx(_HEADS)
_HEAD_END = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)) + r")\s+$")
# Places name an agency only inside a list that an agency opened ("UBND các huyện, thị xã X, thành phố Y");
# a heading "Thành phố Mỹ Tho:" alone is a place.
_PLACES = ("tỉnh", "thành phố", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn", "đặc khu")
_NEXT_HEAD_RX = _head_rx(_HEADS + _PLACES)
# Heads whose name may open with a lower-case verb ("Cục quản lý chất lượng", "Ban quản lý dự án").
_NAMED_BY_WORK = {"cục", "chi cục", "tổng cục", "ban", "trung tâm", "phòng", "viện", "vụ", "hội đồng", "sở"}
_NAMED_BY_WORK_F = {"cuc", "chi cuc", "tong cuc", "ban", "trung tam", "phong", "vien", "vu", "hoi dong", "so"}
# Plural groups ("các địa phương", "các cơ sở") that inside an agency block do not replace the heading's agency.
_GENERIC = re.compile(r"(?:các|mọi|những)\s+(?:địa phương|cơ quan|đơn vị|ngành|cơ sở|tổ chức|hộ|tỉnh)(?!\w)")

# Words that start the work itself: an agency phrase ends before them (lower case, with marks).
_VERBS = (
    "chủ trì", "phối hợp", "có trách nhiệm", "chịu trách nhiệm", "xây dựng", "tổ chức", "triển khai",
    "thực hiện", "dự thảo", "nghiên cứu", "hướng dẫn", "kiểm tra", "rà soát", "tham mưu", "đề xuất",
    "trình", "lập", "ban hành", "tuyên truyền", "theo dõi", "tổng hợp", "báo cáo", "chỉ đạo", "khẩn trương",
    "chủ động", "tiếp tục", "tăng cường", "quản lý", "đảm bảo", "bảo đảm", "căn cứ", "sửa đổi", "bổ sung",
    "hoàn thành", "hoàn thiện", "đánh giá", "cung cấp", "phân bổ", "bố trí", "giám sát",
    "xử lý", "cập nhật", "điều chỉnh", "thông báo", "phê duyệt", "tiếp nhận", "giải quyết", "đẩy mạnh",
    "quy định", "hỗ trợ", "ưu tiên", "đảm nhiệm", "nghiêm túc", "được", "phải", "cần", "có", "là", "sẽ",
    "thực thi", "soạn thảo", "xem xét", "tập trung", "đôn đốc", "nắm bắt", "phát động", "vận động",
    "chuẩn bị", "làm", "đưa", "mở", "nâng cao", "chỉ định", "cử", "lựa chọn", "trình bày",
    "thẩm định", "cấp", "nghiêm", "kịp thời", "thường xuyên", "rút", "đề nghị", "thống nhất",
    "cân đối", "hình thành", "phân công", "quán triệt", "phổ biến", "tập huấn", "bồi dưỡng", "đào tạo",
    "tiến hành", "rà", "thu hút", "huy động", "sắp xếp", "kết hợp", "hoàn chỉnh", "nhanh chóng", "sớm",
    "cùng", "tích cực", "dành", "sử dụng", "áp dụng", "tạo", "giữ", "xác định", "gửi", "chấp hành",
    "xin", "yêu cầu", "đã", "đang", "chịu", "cam kết", "nghiên", "thông qua",
    "kiểm soát", "đăng tải", "công bố", "vận hành", "duy trì", "ra quân", "thống kê", "phát hiện", "ký",
    "lấy ý kiến", "tham gia", "giám định", "truy xuất", "đề ra", "mua sắm", "thanh tra", "số hóa",
)
# "cấp tỉnh", "cấp huyện" after a name is its level ("Cục Thi hành án dân sự cấp tỉnh"), not the verb "cấp".
_VERB_RX = re.compile(r"(?<!\w)(?!có (?:chức năng|thẩm quyền|liên quan))"
                      r"(?!cấp (?:tỉnh|huyện|xã|trung ương|bộ|cơ sở|quốc gia|thành phố|quận|phường|vùng)(?!\w))(?:"
                      + "|".join(re.escape(v) for v in sorted(set(_VERBS), key=len, reverse=True)) + r")(?!\w)")
# Function words that end an agency phrase: the purpose, place or manner of the work follows.
_STOP_RX = re.compile(r"(?<!\w)(?:để|nhằm|về việc|trong việc|trong|theo|tại|trên|đối với|khi|nếu|như|thì"
                      r"|sau khi|trước|chậm nhất|ngày|đề nghị)(?!\w)|[:(.]")   # ";" is a list separator: see _SEP
_LEAD_WORDS = re.compile(r"(?<!\w)chủ trì(?!\w)")
# "phối hợp (chặt chẽ) với / cùng (với)", "kết hợp với", "chủ trì cùng"
_WITH = re.compile(r"(?<!\w)(?:(?:phối|kết) hợp(?:\s+chặt\s+chẽ)?(?:\s*(?:cùng\s+)?(?:với|cùng))?"
                   r"|chủ trì,?\s+cùng(?:\s+với)?)(?!\w)")
_GIVE = re.compile(r"\s*(?:giao(?:\s+cho)?|đề nghị|yêu cầu|ủy quyền(?:\s+cho)?|uỷ quyền(?:\s+cho)?)\s+")
_HEADING_PREFIX = re.compile(r"\s*(?:đối với|trách nhiệm của|nhiệm vụ của|giao(?:\s+cho)?|đề nghị|yêu cầu"
                             r"|về phía)\s+")
_ROLE_TAIL = re.compile(r"\s*[-–—(]\s*(?:cơ quan\s+)?(?:thường trực|chủ trì|đầu mối)[^:]*$")
_BULLET = re.compile(r"^[\s\-–—+*•·]*(?:[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*\.?|[ivx]{1,5}\.)?\s*")
# A person's title stands for the agency ("Giám đốc Sở X", "Vụ trưởng Vụ X", "Chủ tịch UBND …").
_PERSON = re.compile(r"^(?:(?:phó\s+)?(?:giám đốc|chủ tịch|thủ trưởng|vụ trưởng|cục trưởng|chi cục trưởng|bộ trưởng"
                     r"|chánh văn phòng|tổng giám đốc|trưởng ban|chánh thanh tra|tổng cục trưởng|viện trưởng"
                     r"|hiệu trưởng|trưởng)\s+)(?=\S)", re.I)
_FORCE = re.compile(r"^(?:lực lượng)\s+(?=[A-ZĐÂĂÊÔƠƯ])")


@dataclass
class Assignment:
    """Agencies and deadline an item or sentence names, as printed (None where it names none)."""

    lead: str | None = None
    support: str | None = None
    deadline: str | None = None


_DEFINES = re.compile(r"(?<!\w)(?:gọi|viết tắt|sau đây|là|thường trực|chủ trì|đầu mối|qua|để|b/c)(?!\w)")


# A unit of a body and the body itself: "(Sở X)" after "Phòng Y" says whose Phòng it is.
_UNIT = re.compile(r"(?:phòng|văn phòng|chi cục|cục|vụ|trung tâm|thanh tra|ban|đội|trạm|chi nhánh)(?!\w)")
_PARENT = re.compile(r"(?:sở|bộ|ủy ban nhân dân|uỷ ban nhân dân|ubnd|tổng cục)(?!\w)")


def _debracket(phrase: str) -> str:
    """"Bộ Tài chính (Kho bạc Nhà nước)" names two agencies; "(cơ quan thường trực)", "(sau đây gọi là X)"
    are remarks and go."""
    def one(m: re.Match) -> str:
        inner = m.group(1).strip()
        low = _lower(inner)
        if inner[:1].isupper() and _HEAD_RX.match(low) and not _DEFINES.search(low) and not _VERB_RX.search(low):
            outer = _lower(phrase[:m.start()]).split(",")[-1].strip()
            if _PARENT.match(low) and _UNIT.match(outer):
                return ""   # "Phòng Kế hoạch - Tài chính (Sở Nông nghiệp và Môi trường)": the unit's parent
            return ", " + inner
        return ""
    out = re.sub(r"\s*\(([^()]{0,160})\)", one, phrase)
    return out if out.strip(" ,") else phrase


def _clean(phrase: str) -> str | None:
    phrase = _debracket(phrase) if "(" in phrase else phrase
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–—.")
    phrase = re.sub(r"^(?:cho|với|cùng)\s+", "", phrase, flags=re.I)
    rest = _PERSON.sub("", phrase, count=1)
    if rest != phrase and _HEAD_RX.match(_lower(rest)):
        phrase = rest
    phrase = _FORCE.sub("", phrase, count=1)
    return phrase or None


def _capitalised(text: str, i: int) -> bool:
    return i < len(text) and text[i].isupper()


_SPACES = re.compile(r"\s*")
_ACRONYM = re.compile(r"[A-Z][A-ZĐ&]{2,11}(?![\w&])")
_MAX_NAME = 160         # characters one agency name may run to: keeps long lists linear
_SEP = re.compile(r",\s*và(?!\w)|,|(?<!\w)và(?!\w)|&|;|\s-\s")


# The joint office of two bodies is one agency: "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
# "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân".
_JOINT_OFFICE = re.compile(r"văn phòng\s+(?:hđnd|hội đồng nhân dân|đoàn đbqh|đoàn đại biểu quốc hội)"
                           r"(?:\s+(?:tỉnh|thành phố|huyện|quận|xã|phường))?\s+và")
_WEAK_VERBS = {"là", "có", "được", "phải", "cần", "sẽ", "đã", "đang", "chịu"}
_BRACKET = re.compile(r"\([^()]{0,160}\)")


def _mask_brackets(low: str) -> str:
    """A remark in brackets inside a list ("Tập đoàn Điện lực Việt Nam (sau đây viết tắt là EVN) và …") is
    blanked out, length kept: the list goes on over it and nothing inside is read as a verb or a name."""
    return _BRACKET.sub(lambda m: "_" * len(m.group(0)), low) if "(" in low else low


def _acronym_opens_list(text: str, low: str, pos: int) -> bool:
    m = _ACRONYM.match(text, pos)
    if not m:
        return False
    sep = _SEP.match(low, _SPACES.match(low, m.end()).end())
    return bool(sep) and bool(_NEXT_HEAD_RX.match(low, _SPACES.match(low, sep.end()).end()))


def agency_list_end(text: str, low: str, start: int, limit: int | None = None, heads=None) -> int:
    """End of the list of agency phrases that starts at `start` (or `start` when none does).

    Each phrase opens with a head ("Sở", "các Bộ", "Uỷ ban nhân dân"); phrases are joined by ",", "và",
    "&" or "-". The list ends at a verb, a function word or a piece that opens with no head.
    """
    limit = len(low) if limit is None else limit
    low = _mask_brackets(low)
    pos = start
    end = start
    head_rx = heads or _HEAD_RX
    while pos < limit:
        pos = _SPACES.match(low, pos).end()
        head = head_rx.match(low, pos)
        if not head and (head_rx is _NEXT_HEAD_RX or _acronym_opens_list(text, low, pos)):
            # Inside a list an acronym is an agency ("phối hợp với NAFIQAVED, Sở Y tế"), and so is one that
            # opens a list of agencies ("EVN, Tập đoàn Xăng dầu Việt Nam và …:").
            head = _ACRONYM.match(text, pos)
        if not head:
            break
        first = head_rx is not _NEXT_HEAD_RX
        head_rx = _NEXT_HEAD_RX
        k = head.end()
        window = min(limit, k + _MAX_NAME)
        nxt = _SPACES.match(low, k).end()
        if _COMPOUND.match(low, head.start()) or (
                first and head.group(0) in _SHORT_HEADS and not _capitalised(text, nxt)
                and not _capitalised(text, head.start())):
            break       # "báo cáo", "ban hành", "vụ việc": a one-syllable head needs a name ("Báo Pháp luật")
        stop = window
        for rx in (_VERB_RX, _STOP_RX):
            mm = rx.search(low, k, window)
            if mm and rx is _VERB_RX and head.group(0).endswith("thanh tra") and mm.start() - k <= 1:
                mm = rx.search(low, mm.end(), window)   # "Thanh tra xây dựng" is an inspectorate
            while mm and rx is _VERB_RX and (_capitalised(text, mm.start()) and (
                    mm.start() - k <= 1 or re.search(r"(?:\svà|\s-|&)\s*$", low[k:mm.start()])
                    or _HEAD_END.search(low, k, mm.start())) or (
                    mm.start() - k <= 1 and _capitalised(text, head.start()) and head.group(0) in _NAMED_BY_WORK
                    and NAME_VERBS.match(low, mm.start()))):
                mm = rx.search(low, mm.end(), window)   # "Sở Xây dựng", "Bộ Giáo dục và Đào tạo": part of a name
            if mm:
                stop = min(stop, mm.start())
        sep = None
        for sm in _SEP.finditer(low, k, stop):
            nxt = _SPACES.match(low, sm.end()).end()
            if _JOINT_OFFICE.search(low, pos, sm.end()) and _JOINT_OFFICE.search(low, pos, sm.end()).end() == sm.end():
                continue    # "Văn phòng HĐND và UBND phường" is one office
            if _NEXT_HEAD_RX.match(low, nxt) or low[sm.start()] in ",;":
                sep = sm      # "và" and "-" join two agencies only when an agency follows; else a name goes on
                break
        end = sep.start() if sep else stop
        while end > pos and low[end - 1] == " ":
            end -= 1
        if first and end <= k and head.group(0) in _SHORT_HEADS:
            end = pos       # a bare "Bộ" / "Sở" with no name after it names no one
            break
        if not sep:
            break
        pos = sep.end()
        nxt = _SPACES.match(low, pos).end()
        if not _NEXT_HEAD_RX.match(low, nxt) and not _ACRONYM.match(text, nxt):
            more = _name_goes_on(text, low, pos, limit) if low[sep.start()] == "," else None
            if more is None:
                break
            end, pos = more
            if pos == end:
                break
    return end


def _name_goes_on(text: str, low: str, pos: int, limit: int) -> tuple[int, int] | None:
    """"Vụ Phổ biến, giáo dục pháp luật, Vụ …", "Phòng Kinh tế, Hạ tầng và Đô thị chủ trì": a short piece
    after a comma, with no head of its own, that a new agency or the work itself follows, is the rest of
    the name. Returns (end of the name, where the list goes on), the two equal when the list ends there."""
    start = _SPACES.match(low, pos).end()
    if start >= limit or not low[start].isalpha() or _ACRONYM.match(text, start):
        return None
    window = min(limit, start + 50)
    ends = []
    for rx in (_VERB_RX, _STOP_RX):
        m = rx.search(low, start, window)
        if m:
            ends.append((m.start(), False, m.group(0)))
    for sm in _SEP.finditer(low, start, window):
        after = _SPACES.match(low, sm.end()).end()
        if _NEXT_HEAD_RX.match(low, after) or _ACRONYM.match(text, after):
            ends.append((sm.start(), True, sm.end()))
            break
    if window == limit:
        ends.append((limit, False, ""))
    if not ends:
        return None
    at, goes_on, what = min(ends)
    end = at
    while end > start and low[end - 1] in " ,":
        end -= 1
    words = len(low[start:end].split())
    if not 1 <= words <= 6 or _NEXT_HEAD_RX.search(low, start + 1, end):
        return None
    if not text[start].isupper() and not goes_on and (words > 3 or what in _WEAK_VERBS or what == ""):
        return None     # "…, nhất là …": a lower-case piece must end at a verb of the work or a new agency
    return (end, what) if goes_on else (end, end)



def _list_from(text: str, low: str, start: int, limit: int | None = None, heads=None) -> tuple[str | None, int]:
    end = agency_list_end(text, low, start, limit, heads)
    return (_clean(text[start:end]), end) if end > start else (None, start)


def _expand_bare_list(text: str) -> str:
    """"các Sở: Kế hoạch và Đầu tư, Xây dựng" names each Sở: "Sở Kế hoạch và Đầu tư, Sở Xây dựng"; so does
    "Bộ trưởng các Bộ: Tài chính, Công an theo chức năng, nhiệm vụ được giao" (the tail is not a name)."""
    m = re.match(r"^\s*(?:các\s+)?(Sở|Bộ|Ban|Cục|Vụ|Phòng)\s*:\s*(.+)$", text, flags=re.I)
    if not m:
        return text
    head = m.group(1)[0].upper() + m.group(1)[1:].lower()
    first, _, rest = m.group(2).partition(";")
    low = _lower(first)
    # the names are capitalised ("Xây dựng", "Công an"); a lower-case verb or function word ends them
    cut = [x.start() for rx in (_STOP_RX, _VERB_RX) for x in rx.finditer(low) if not first[x.start()].isupper()]
    first = first[:min(cut)] if cut else first
    names = [n.strip() for n in first.split(",") if n.strip()]
    out = ", ".join(f"{head} {n}" for n in names)
    return out + ("; " + rest.strip() if rest.strip() else "")


_NOT_ADDRESSEE = re.compile(r"(?:các|những)\s+(?:nhiệm vụ|giải pháp|nội dung|mục tiêu|chỉ tiêu|chương trình|đề án"
                            r"|dự án|lĩnh vực|vấn đề|biện pháp|hoạt động|yêu cầu|chính sách|công trình|khu|tuyến"
                            r"|văn bản|kết quả|loại|bước|điều|căn cứ|quy định|hình thức|phương án)(?!\w)")


def heading_agencies(title: str) -> str | None:
    """The agencies a heading names when it names nothing else ("2. Sở Xây dựng:"), or None."""
    t = nfc(title)
    t = _BULLET.sub("", t, count=1) if _BULLET.match(t) else t
    colon = t.rstrip().endswith(":")
    t = t.strip().rstrip(":").strip()
    t = re.sub(r"\s*\([^()]*\)\s*$", "", t) if not re.fullmatch(r"\([^()]*\)", t) else t  # "(NAFIQAVED)"
    low = _lower(t)
    m = _HEADING_PREFIX.match(low)
    start = m.end() if m else 0
    role = _ROLE_TAIL.search(low, start)
    limit = role.start() if role else len(low)
    person = _PERSON.match(t[start:])        # "Bộ trưởng các Bộ: Tài chính, …"
    if person and re.match(r"\s*(?:các\s+)?(?:sở|bộ|ban|cục|vụ|phòng)\s*:", low[start + person.end():]):
        start += person.end()
    if re.match(r"\s*(?:các\s+)?(?:sở|bộ|ban|cục|vụ|phòng)\s*:", low[start:]):
        return _clean(_expand_bare_list(t[start:limit]))
    body = low[start:limit]
    if not body.strip() or len(body.split()) > 30 or t.isupper():   # "TỔ CHỨC THỰC HIỆN" is a section title
        return None
    lead, end = _list_from(t, low, start, limit, _head_rx(_HEADS + ("tổ chức",)))
    if lead is None:
        # "Các doanh nghiệp viễn thông … trên địa bàn tỉnh:" — a plural addressee heading its items
        if colon and re.match(r"(?:các|những)\s+\w", body.strip()) and not _NOT_ADDRESSEE.match(body.strip()) \
                and not _VERB_RX.search(body):
            return _clean(t[start:limit])
        return None
    rest = low[end:limit].strip(" ,.:;")
    if not rest or re.fullmatch(r"(?:và\s+)?(?:các\s+)?(?:cơ quan|đơn vị|ngành)?\s*(?:liên quan|có liên quan)?", rest):
        return lead
    # "Vụ Phổ biến, giáo dục pháp luật", "Các tỉnh nuôi tôm trọng điểm": a name with no verb goes on to the end
    if not _VERB_RX.search(low, end, limit) and not re.search(r"[.;]", rest):
        return _clean(t[start:limit])
    return None


def read_assignment(text: str, in_block: bool = False) -> Assignment:
    """Lead and support an item or sentence names itself, and a deadline inside it.

    `in_block`: the item sits under an agency heading, so a leading "Chủ trì, phối hợp với Y" or
    "Phối hợp với Y" names only the support (the heading agency leads), and a generic subject
    ("các địa phương …") does not replace the heading's agency.
    """
    t = nfc(text)
    out = _read_assignment(t, in_block)
    if out.lead is None and out.support is None:
        # "Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo …": a time clause, then the sentence
        low = _lower(t)
        for comma in [m.start() for m in re.finditer(r"[,:]", low)][:3]:
            timed = comma < 80 and re.search(r"định kỳ|trước|chậm nhất|hằng năm|hàng năm|tháng|quý|năm \d"
                                             r"|(?<!\w)(?:khi|nếu|trường hợp)(?!\w)", low[:comma])
            # "Cuối tháng 3 năm 2010: các cơ quan … hoàn thành …", "…, đề nghị các địa phương …"
            if timed or re.match(r"\s*(?:đề nghị|giao)\s", low[comma + 1:]):
                rest = _read_assignment(t[comma + 1:], in_block)
                if rest.lead:
                    out.lead, out.support = rest.lead, rest.support
                    break
    out.deadline = deadline_phrase(t)
    return out


def _read_assignment(t: str, in_block: bool) -> Assignment:
    low = _lower(t)
    out = Assignment()
    m = _BULLET.match(low)
    body = m.end() if m else 0
    give = _GIVE.match(low, body)
    if give:
        lead, end = _list_from(t, low, give.end())
        if lead:
            out.lead = lead
            _support_after(t, low, end, out)
            return out
    if _HEAD_RX.match(low, body):
        lead, end = _list_from(t, low, body)
        gap = _SPACES.match(low, end).end()
        gap = gap + 1 if low[gap:gap + 1] == "," else gap
        gap = _SPACES.match(low, gap).end()
        acts = _VERB_RX.match(low, gap) or _STOP_RX.match(low, gap) and low[gap:gap + 1].isalpha()
        # "Sở Y tế: chủ trì kiểm tra …" — the agency, a colon, then its work
        acts = acts or (low[gap:gap + 1] == ":" and len(low[gap + 1:].split()) >= 3)
        if lead and acts and not (in_block and _GENERIC.match(low, body)):
            out.lead = lead
            _support_after(t, low, end, out)
            return out
    if in_block:
        _support_after(t, low, body, out)
        return out
    lead_m = _LEAD_WORDS.search(low, body)
    if lead_m and lead_m.start() - body < 200:
        # "…, Sở X chủ trì, phối hợp với …" later in the sentence
        seg_start = max(low.rfind(c, 0, lead_m.start()) for c in ".;:") + 1
        for hm in _HEAD_RX.finditer(low, seg_start, lead_m.start()):
            if re.fullmatch(r"[\s(\-–—+*•]*|.*,\s*", low[seg_start:hm.start()]):
                lead, end = _list_from(t, low, hm.start(), lead_m.start())
                if lead and low[end:lead_m.start()].strip(" ,") == "":
                    out.lead = lead
                    _support_after(t, low, lead_m.start(), out)
                break
    return out


def _support_after(text: str, low: str, pos: int, out: Assignment) -> None:
    """"… phối hợp với / cùng <Y>" after `pos`, in the same sentence, names the support."""
    for m in _WITH.finditer(low, pos):
        support, _ = _list_from(text, low, _SPACES.match(low, m.end()).end(), None, _NEXT_HEAD_RX)
        if support:
            out.support = support
            return


# ---- one agency per name --------------------------------------------------------------------

# Heads that open a new agency inside a printed list when a capitalised name follows ("…, Sở Nội vụ");
# "sở, ban, ngành" stays one group.
_STRONG = ("so", "bo", "ban", "cuc", "tong cuc", "chi cuc", "vu", "uy ban", "ubnd", "trung tam", "vien",
           "van phong", "thanh tra", "cong an", "ngan hang", "kho bac", "hoi", "bao", "dai", "lien minh",
           "lien doan", "mat tran", "tinh doan", "bo chi huy", "hoc vien", "tong cong ty", "quan ly thi truong",
           "canh sat", "ban chi dao", "hoi dong", "to chuc", "co quan", "luc luong", "chinh quyen", "hiep hoi",
           "chu tich", "giam doc", "thu truong", "cuc truong", "vu truong", "chi cuc truong", "tap doan",
           "benh vien", "dai hoc", "truong",
           "tong lien doan", "phong", "tram", "chi nhanh")
_STRONG_RX = re.compile(r"(?:" + "|".join(re.escape(h) for h in sorted(_STRONG, key=len, reverse=True))
                        + r")\b")


def _opens_agency(text: str, f: str, pos: int) -> bool:
    if re.match(r"cac\s+\w", f[pos:]):
        return True
    m = _STRONG_RX.match(f, pos)
    if not m:
        return False
    if m.group(0) in ("co quan", "to chuc", "luc luong") and LOWER_GROUPS.match(_lower(text), _SPACES.match(f, m.end()).end()):
        return True     # "…, cơ quan báo chí ở địa phương": a lower-case group of agencies
    if (" " in m.group(0) and m.group(0) not in ("co quan", "to chuc", "luc luong")) or m.group(0) == "ubnd":
        return True     # "Cảnh sát giao thông", "cơ quan báo chí": a two-syllable head opens a name
    nxt = re.compile(r"\s*").match(f, m.end()).end()
    if m.group(0) in _NAMED_BY_WORK_F and NAME_VERBS.match(_lower(text), nxt):
        return True     # "…, Cục quản lý chất lượng …"
    return nxt < len(text) and (text[nxt].isupper() or text[nxt].isdigit())


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
            joint = _JOINT_OFFICE.search(_lower(part), start, m.end())
            if joint and joint.end() == m.end():
                continue
            if _opens_agency(part, f, nxt):
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
