"""Agency phrases in running text: where a list of agencies that opens at a head ends.

A phrase opens with a head word (Sở, Bộ, Ban, Cục, Vụ, UBND, Giám đốc …; corpus/data/grammar_words.json), runs
over names joined by ",", "và", "&" or " - ", over remarks in brackets and over name pieces that carry no head
("Vụ Phổ biến, giáo dục pháp luật"), and ends at a verb or a function word that starts the work itself.
Used by the assignment grammar (corpus/grammar.py); all matching is on a lower-cased copy that keeps positions.
"""
from __future__ import annotations

import re

from kehoach.corpus.agency_groups import merge_titled_groups
from kehoach.corpus.grammar_words import NAME_VERBS, words
from kehoach.corpus.phrases import _lower

# Head words of agency phrases, lower case with their marks: "Bộ" is a head, "bố trí" is not (data file).
_HEADS = words("heads")
_PLURAL = r"(?:(?:các|mọi|những)\s+)?"
_COMPOUND = re.compile(r"(?:báo cáo|báo chí|bộ phận|bộ máy|ban hành|phòng chống|phòng ngừa|phòng, chống|hội nghị"
                       r"|hội thảo|hội nhập|đoàn kết|vụ việc|sở hữu|cục bộ|viện dẫn|trường hợp|trường học)(?!\w)")
_SHORT_HEADS = set(words("short_heads"))


def _head_rx(heads) -> re.Pattern[str]:
    return re.compile(_PLURAL + r"(?:" + "|".join(re.escape(h) for h in sorted(set(heads), key=len, reverse=True))
                      + r")(?!\w)")


_HEAD_RX = _head_rx(_HEADS)
_HEAD_END = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in sorted(_HEADS, key=len, reverse=True)) + r")\s+$")
# Places name an agency only inside a list that an agency opened ("UBND các huyện, thị xã X, thành phố Y");
# a heading "Thành phố Mỹ Tho:" alone is a place.
_PLACES = words("places")
_NEXT_HEAD_RX = _head_rx(_HEADS + _PLACES)
# Heads whose name may open with a lower-case verb ("Cục quản lý chất lượng", "Ban quản lý dự án").
_NAMED_BY_WORK = set(words("named_by_work"))
_NAME_TERMS = tuple(words("name_terms"))

# Words that start the work itself: an agency phrase ends before them (lower case, with marks).
_VERBS = words("verbs")
# "chương trình", "quy trình": nouns whose last syllable is a verb (data file) are no verb there.
_NOUNS = words("verb_nouns")


def _verb_alt(verb: str) -> str:
    before = [n[:-len(verb)] for n in _NOUNS if n.endswith(" " + verb)]
    return "".join(f"(?<!{re.escape(b)})" for b in before) + re.escape(verb)


# "cấp tỉnh", "cấp huyện" after a name is its level ("Cục Thi hành án dân sự cấp tỉnh"), not the verb "cấp".
# "công lập", "độc lập": the verb "lập" inside a compound word of a name.
_VERB_RX = re.compile(r"(?<!\w)(?<!công\s)(?<!độc\s)(?!có (?:chức năng|thẩm quyền|liên quan))"
                      r"(?!cấp (?:tỉnh|huyện|xã|trung ương|bộ|cơ sở|quốc gia|thành phố|quận|phường|vùng)(?!\w))(?:"
                      + "|".join(_verb_alt(v) for v in sorted(set(_VERBS), key=len, reverse=True)) + r")(?!\w)")
# Function words that end an agency phrase: the purpose, place or manner of the work follows.
_STOP_RX = re.compile(r"(?<!\w)(?:để|nhằm|về việc|trong việc|trong|theo|tại|trên|đối với|khi|nếu|như|thì"
                      r"|sau khi|trước|chậm nhất|ngày|đề nghị|mà)(?!\w)|[:(.]")   # ";" is a list separator: see _SEP
# A person's title stands for the agency ("Giám đốc Sở X", "Vụ trưởng Vụ X", "Chủ tịch UBND …").
_PERSON = re.compile(r"^(?:(?:phó\s+)?(?:giám đốc|chủ tịch|thủ trưởng|vụ trưởng|cục trưởng|chi cục trưởng|bộ trưởng"
                     r"|chánh văn phòng|tổng giám đốc|trưởng ban|chánh thanh tra|tổng cục trưởng|viện trưởng"
                     r"|hiệu trưởng|trưởng)\s+)(?=\S)", re.I)
_FORCE = re.compile(r"^(?:lực lượng)\s+(?=[A-ZĐÂĂÊÔƠƯ])")


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
    phrase = _debracket(members(phrase)) if "(" in phrase else phrase
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,;:-–—.")
    phrase = re.sub(r"^(?:cho|với|cùng)\s+", "", phrase, flags=re.I)
    phrase = merge_titled_groups(phrase)
    # "Trung tâm X hoặc tổ chức được giao …": a list cut before a piece it could not read ends on no connective
    phrase = re.sub(r"(?:\s*,)?\s+(?:hoặc|và|cùng)$", "", phrase, flags=re.I)
    rest = _PERSON.sub("", phrase, count=1)
    # "Giám đốc Sở X" is Sở X; "Trưởng các thôn, bản" is the villages, a title over a group stands for it
    if rest != phrase and (_HEAD_RX.match(_lower(rest)) or re.match(r"các\s+\w", _lower(rest))):
        phrase = rest
    phrase = _FORCE.sub("", phrase, count=1)
    return phrase or None


def _capitalised(text: str, i: int) -> bool:
    return i < len(text) and text[i].isupper()


_SPACES = re.compile(r"\s*")
_ACRONYM = re.compile(r"[A-Z][A-ZĐ&]{2,11}(?![\w&])")
_MAX_NAME = 160         # characters one agency name may run to: keeps long lists linear
_SEP = re.compile(r",\s*(?:và|hoặc)(?!\w)|,|(?<!\w)(?:và|hoặc)(?!\w)|&|;|\s-\s")


# The joint office of two bodies is one agency: "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
# "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân".
_JOINT_OFFICE = re.compile(r"văn phòng\s+(?:hđnd|hội đồng nhân dân|đoàn đbqh|đoàn đại biểu quốc hội)"
                           r"(?:\s+(?:tỉnh|thành phố|huyện|quận|xã|phường))?\s+và")
_WEAK_VERBS = set(words("weak_verbs"))
# "…, đặc biệt …", "…, nhất là …": an aside after the list, never the rest of a name.
_NAME_BREAK = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(words("name_breaks"), key=len, reverse=True))
                         + r")(?!\w)")
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


def _opens_work_name(text: str, low: str, start: int, verb: int) -> bool:
    """The verb at `verb` opens the name of the capitalised head right before it, plural or inside a longer
    name: "Các Cục quản lý chuyên ngành", "Hội đồng quản trị các Tổng công ty xây dựng giao thông"."""
    hm = _HEAD_END.search(low, start, verb)
    return bool(hm) and hm.group(0).strip() in _NAMED_BY_WORK and _capitalised(text, hm.start()) \
        and bool(NAME_VERBS.match(low, verb))


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
                    or _HEAD_END.search(low, k, mm.start()) or _name_word(text, low, mm.start())) or (
                    _opens_work_name(text, low, head.start(), mm.start())) or (
                    _in_name_term(low, k, mm) and _capitalised(text, head.start()))):
                mm = rx.search(low, mm.end(), window)   # "Sở Xây dựng", "Bộ Giáo dục và Đào tạo": part of a name
            if mm and rx is _VERB_RX and mm.group(0) == "có":
                mm = _restricted(low, start, mm, window)
            if mm:
                stop = min(stop, mm.start())
        stop = _members_end(text, head, stop)
        country = _COUNTRY_END.search(text, k, stop)
        stop = country.end() if country else stop
        own = _OWN_UNIT_END.search(text, head.start(), stop)
        stop = own.end() if own else stop
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


# "Văn phòng Bộ", "Thanh tra Sở" named short in their own body's document: a lower-case word after the bare
# body is the work ("Văn phòng Bộ thông tin kịp thời …"), since the body's own name would be capitalised.
_OWN_UNIT_END = re.compile(r"(?<!\w)(?:Văn phòng|Thanh tra)\s+(?:Bộ|Sở)(?=\s+(?!(?:và|hoặc|cùng|các)\s)[a-zđà-ỹ])")
# "Tổng Liên đoàn Lao động Việt Nam phát triển …": the country closes a body's name; only a level, a branch or
# a region goes on after it ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "… Việt Nam chi nhánh …", "… khu vực …").
_COUNTRY_END = re.compile(r"(?<=\w\s)Việt Nam(?=\s+(?!(?:" + "|".join(re.escape(w) for w in _PLACES + _HEADS)
                          + r"|khu vực|miền|và|hoặc|cùng|các)(?!\w))[a-zđà-ỹ])")


# "các doanh nghiệp viễn thông (Viettel A, VNPT B)": a plural group and its members, named in brackets
_MEMBER_LIST = re.compile(r"\s*\(\s*([A-ZĐ][^(),;]*(?:,\s*[A-ZĐ][^(),;]*)+)\)")


def _members_end(text: str, head: re.Match, stop: int) -> int:
    """A plural group whose members follow in brackets ends with the brackets: the work comes after them."""
    if not head.group(0).startswith(("các ", "những ")):
        return stop
    at = text.find("(", head.end(), stop)
    m = _MEMBER_LIST.match(text, at - 1 if at > 0 and text[at - 1] == " " else at) if at >= 0 else None
    return m.end() if m else stop


def members(phrase: str) -> str:
    """"các doanh nghiệp viễn thông (Viettel A, VNPT B, MobiFone C)" -> "Viettel A; VNPT B; MobiFone C"."""
    m = re.search(r"(?:^|(?<=[,;]\s)|(?<=\svà\s))(?:các|những)\s+[^(),;]+?" + _MEMBER_LIST.pattern + r"\s*$", phrase,
                  flags=re.IGNORECASE)
    if not m:
        return phrase
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    return phrase[:m.start()] + "; ".join(names)


def _in_name_term(low: str, k: int, verb: re.Match) -> bool:
    """The verb lies inside a term of law that a name holds ("… dự án đầu tư xây dựng …": both "đầu tư" and
    "xây dựng" are in it)."""
    for term in _NAME_TERMS:
        at = low.find(term, max(k, verb.end() - len(term)), verb.start() + len(term))
        if at >= 0 and at <= verb.start() and verb.end() <= at + len(term):
            return True
    return False


def _name_word(text: str, low: str, i: int) -> bool:
    """The capitalised verb at `i` goes on a name printed in title case ("Công ty Cổ phần Cấp nước Long An",
    "Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp"): a word that names a body's work, or one a capitalised
    name follows closely. A verb in capitals belongs to an upper-case title; "… Việt Nam / Chỉ đạo các cấp …"
    (a heading run on into its item: the verb takes a plural object) is the work."""
    word = re.match(r"\w+", text[i:])
    if not word or word.group(0).isupper() or not re.search(r"\w\s+$", text[max(0, i - 3):i]):
        return False
    verb = _VERB_RX.match(low, i)
    after = text[verb.end():verb.end() + 50].split()[:3] if verb else []
    if after and after[0].lower() in ("các", "những", "mọi", "cho", "việc"):
        return False    # the verb takes its object: "Chỉ đạo các cấp …"
    before = text[max(0, i - 30):i].split()
    # "… và Tân Lập": a proper name's last syllable after its capitalised first one (an acronym ends a name)
    # a one-syllable verb only: "… Ba Tơ Tổ chức tiêm chủng" is the work
    one_syllable = bool(verb) and " " not in verb.group(0)
    return bool(NAME_VERBS.match(low, i)) or bool(
        one_syllable and before and before[-1][:1].isupper() and not before[-1].isupper()) or \
        any(w[:1].isupper() for w in after)


def _restricted(low: str, start: int, has: re.Match, window: int) -> re.Match | None:
    """"UBND các xã, phường có điểm thi chịu trách nhiệm …": after a plural group, "có" and a short object
    before the work narrow the group ("those that have …"); the verb after them starts the work."""
    work = _VERB_RX.search(low, has.end(), window)
    stop = _STOP_RX.search(low, has.end(), window)
    between = low[has.end():work.start()] if work else ""
    if (work and work.group(0) not in _WEAK_VERBS and (not stop or stop.start() >= work.start())
            and re.search(r"(?<!\w)(?:các|những)\s", low[start:has.start()])
            and 1 <= len(between.split()) <= 5 and not re.search(r"[,;]", between)):
        return work
    return has


def _agency_inside(text: str, low: str, start: int, end: int) -> bool:
    """A new agency inside a name piece ("…, nhất là các Sở …"); a lower-case head word there is the object of
    the work the name holds ("Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp")."""
    for m in _NEXT_HEAD_RX.finditer(low, start, end):
        if (m.start() == 0 or not low[m.start() - 1].isalnum()) and (
                _capitalised(text, m.start()) or re.match(r"(?:các|mọi|những)\s", low[m.start():])):
            return True
    return False


def _name_goes_on(text: str, low: str, pos: int, limit: int) -> tuple[int, int] | None:
    """"Vụ Phổ biến, giáo dục pháp luật, Vụ …", "Phòng Kinh tế, Hạ tầng và Đô thị chủ trì": a short piece
    after a comma, with no head of its own, that a new agency or the work itself follows, is the rest of
    the name. Returns (end of the name, where the list goes on), the two equal when the list ends there."""
    start = _SPACES.match(low, pos).end()
    if start >= limit or not low[start].isalpha() or _ACRONYM.match(text, start) or _NAME_BREAK.match(low, start):
        return None
    # "Trường Đào tạo, bồi dưỡng cán bộ …": a second work after the one that opened the name goes on naming it
    paired = NAME_VERBS.match(low, start) if NAME_VERBS.search(low, max(0, pos - 16), pos) else None
    window = min(limit, start + (70 if paired else 50))
    ends = []
    for rx in (_VERB_RX, _STOP_RX):
        m = rx.search(low, paired.end() if paired and rx is _VERB_RX else start, window)
        while m and rx is _VERB_RX and _capitalised(text, m.start()) and _name_word(text, low, m.start()):
            m = rx.search(low, m.end(), window)     # "Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp"
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
    # a capitalised piece may run longer ("…, Tài chính và Quản lý doanh nghiệp"): it is a name's own words
    longest = 9 if paired else 8 if text[start].isupper() else 6
    if not 1 <= words <= longest or _agency_inside(text, low, start + 1, end):
        return None
    if not text[start].isupper() and not paired and not goes_on and (words > 3 or what in _WEAK_VERBS or what == ""):
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


