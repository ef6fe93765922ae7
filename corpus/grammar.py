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

from kehoach.corpus.agency_phrase import (  # noqa: F401 (agency_list_end re-exported)
    _ACRONYM, _HEAD_RX, _HEADS, _PERSON, _SPACES, _STOP_RX, _VERB_RX, _clean, _expand_bare_list, _head_rx,
    _list_from, agency_list_end,
)
from kehoach.corpus.agency_phrase import _NEXT_HEAD_RX, _WEAK_VERBS
from kehoach.corpus.agency_groups import named_places
from kehoach.corpus.agency_split import named_agencies, split_agencies  # noqa: F401 (re-exported)
from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.grammar_words import words
from kehoach.corpus.phrases import _lower, deadline_phrase, fold_aligned, recurs  # noqa: F401 (re-exported)
from kehoach.corpus.text import nfc

# Plural groups ("các địa phương", "các cơ sở") that inside an agency block do not replace the heading's agency.
_GENERIC = re.compile(r"(?:các|mọi|những)\s+(?:địa phương|cơ quan|đơn vị|ngành|cơ sở|tổ chức|hộ|tỉnh)(?!\w)")

_CLAUSE_OPENER = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(words("clause_openers"), key=len,
                                                                             reverse=True)) + r")(?!\w)")
# "Đề nghị quận, huyện, thị xã và các xã, phường …": places asked to act are their People's Committees.
_PLACES_ALT = "|".join(re.escape(w) for w in sorted(words("places"), key=len, reverse=True))
_PLACE_RX = re.compile(r"(?:các\s+)?(?:" + _PLACES_ALT + r")(?!\w)")
_PLACE_GROUP = re.compile(r"(^|\s(?:và|cùng)\s+)(?=(?:các\s+)?(?:" + _PLACES_ALT + r")(?!\w))", re.IGNORECASE)
_PLACE_WORD = re.compile(r"(?<!\w)(?:" + _PLACES_ALT + r"|các|và)(?!\w)|[,;/]", re.IGNORECASE)


def _only_places(text: str | None) -> bool:
    """Place words and capitalised place names only ("quận, huyện, thị xã", "huyện Bình Sơn")."""
    return bool(text) and all(w[:1].isupper() for w in _PLACE_WORD.sub(" ", text).split())


_ASIDE = re.compile(r"\s*,\s*(?:" + "|".join(re.escape(w) for w in sorted(words("name_breaks"), key=len, reverse=True))
                    + r")(?:\s+là)?\s+")
_LEAD_WORDS = re.compile(r"(?<!\w)chủ trì(?!\w)")
# "phối hợp (chặt chẽ) với / cùng (với)", "kết hợp với", "chủ trì cùng"
_WITH = re.compile(r"(?<!\w)(?:(?:phối|kết) hợp(?:\s+chặt\s+chẽ)?(?:\s*(?:cùng\s+)?(?:với|cùng))?"
                   r"|chủ trì,?\s+cùng(?:\s+với)?)(?!\w)")
_GIVE = re.compile(r"\s*(?:giao(?:\s+cho)?|đề nghị|yêu cầu|ủy quyền(?:\s+cho)?|uỷ quyền(?:\s+cho)?)\s+")
_HEADING_PREFIX = re.compile(r"\s*(?:(?:riêng\s+)?đối với|trách nhiệm của|nhiệm vụ của|giao(?:\s+cho)?|đề nghị|yêu cầu"
                             r"|về phía)\s+")
# "Sở X - thường trực kế hoạch", "Sở X (cơ quan chủ trì)" closing a heading; a bracket that closes and a
# sentence that goes on ("Phòng X (cơ quan thường trực Ban Chỉ huy) chủ trì, phối hợp …") is no heading.
_ROLE_TAIL = re.compile(r"\s*(?:[-–—]\s*(?:cơ quan\s+)?(?:thường trực|chủ trì|đầu mối)[^:]*"
                        r"|\(\s*(?:cơ quan\s+)?(?:thường trực|chủ trì|đầu mối)[^:()]*\)?)$")
_BULLET = re.compile(r"^[\s\-–—+*•·]*(?:[a-zđ]\)|\d{1,3}(?:\.\d{1,3})*\.?|[ivx]{1,5}\.)?\s*")



_COMMITTEE_HEAD = re.compile(r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)$")


@dataclass
class Assignment:
    """Agencies and deadline an item or sentence names, as printed (None where it names none)."""

    lead: str | None = None
    support: str | None = None
    deadline: str | None = None


_NOT_ADDRESSEE = re.compile(r"(?:các|những)\s+(?:nhiệm vụ|giải pháp|nội dung|mục tiêu|chỉ tiêu|chương trình|đề án"
                            r"|dự án|lĩnh vực|vấn đề|biện pháp|hoạt động|yêu cầu|chính sách|công trình|khu|tuyến"
                            r"|văn bản|kết quả|loại|bước|điều|căn cứ|quy định|hình thức|phương án)(?!\w)")


_SETTLEMENT = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(words("settlements"), key=len, reverse=True))
                         + r")$")


def heading_agencies(title: str) -> str | None:
    """The agencies a heading names when it names nothing else ("2. Sở Xây dựng:"), or None."""
    found = _heading_agencies(title)
    # "7. Trưởng thôn:" heads the items every thôn does: the title over a bare community word is the communities
    person = _PERSON.match(found) if found else None
    start = person.end() if person else 0
    if found and _SETTLEMENT.match(_lower(found), start):
        return "Các " + found[start:]
    return found


def _heading_agencies(title: str) -> str | None:
    t = nfc(title)
    t = _BULLET.sub("", t, count=1) if _BULLET.match(t) else t
    colon = t.rstrip().endswith(":")
    t = t.strip().rstrip(":").strip()
    # "Riêng đối với Ủy ban nhân dân các tỉnh, đề nghị:": the request closing a scope heading asks that scope
    t = re.sub(r"^((?:riêng\s+)?đối với\s.*?)\s*,?\s*(?:đề nghị|yêu cầu)$", r"\1", t, flags=re.IGNORECASE)
    t = re.sub(r"\s*\([^()]*\)\s*$", "", t) if not re.fullmatch(r"\([^()]*\)", t) else t  # "(NAFIQAVED)"
    low = _lower(t)
    m = _HEADING_PREFIX.match(low)
    start = m.end() if m else 0
    role = _ROLE_TAIL.search(low, start)
    limit = role.start() if role else len(low)
    person = _PERSON.match(t[start:])        # "Bộ trưởng các Bộ: Tài chính, …"
    if person and re.match(r"\s*(?:các\s+)?(?:sở|bộ|ban|cục|vụ|phòng)\s*:", low[start + person.end():]):
        start += person.end()
    bare = re.match(r"\s*(?:các\s+)?(?:sở|bộ|ban|cục|vụ|phòng)\s*:", low[start:])
    if bare:
        if not colon and _bare_list_works(t, low, start + bare.end(), limit):
            return None     # "Bộ trưởng các Bộ: Y tế, Công an chỉ đạo …" is a sentence that assigns, no heading
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


def _bare_list_works(t: str, low: str, pos: int, limit: int) -> int | None:
    """Where the work starts after the names of a bare list ("các Bộ: Y tế, Công an chỉ đạo …"): the first
    lower-case verb, when one follows the capitalised names; None when the list runs to the end."""
    for m in _VERB_RX.finditer(low, pos, limit):
        if not t[m.start()].isupper():
            return m.start() if len(low[m.end():limit].split()) >= 2 else None
    return None


def read_assignment(text: str, in_block: bool = False) -> Assignment:
    """Lead and support an item or sentence names itself, and a deadline inside it.

    `in_block`: the item sits under an agency heading, so a leading "Chủ trì, phối hợp với Y" or
    "Phối hợp với Y" names only the support (the heading agency leads), and a generic subject
    ("các địa phương …") does not replace the heading's agency.
    """
    t = nfc(text)
    out = _labelled_inline(t) or _read_assignment(t, in_block)
    if out.lead is None and out.support is None:
        # "Rà soát mạng lưới … (Sở Y tế chủ trì, Sở Nội vụ phối hợp; hoàn thành trong quý III/2026)."
        for m in re.finditer(r"\(([^()]{8,300})\)", t):
            if _LEAD_WORDS.search(_lower(m.group(1))):
                inner = _read_assignment(m.group(1), False)
                if inner.lead:
                    out.lead, out.support = inner.lead, inner.support
                    break
    if out.lead is None and out.support is None:
        # "Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo …": a time clause, then the sentence
        low = _lower(t)
        # "Trên cơ sở …, các địa phương …", "Đối với …; …: các chủ đầu tư …": grounds or scope, then the subject
        opened = _CLAUSE_OPENER.match(low, _BULLET.match(low).end())
        # "Tổng hợp … Chỉ số năm 2025 của các bộ, cơ quan ngang bộ, …": an item that opens with its work has
        # no time clause before a subject; its commas separate the objects of that work.
        works = _VERB_RX.match(low, _BULLET.match(low).end())
        for comma in [m.start() for m in re.finditer(r"[,:;]" if opened else r"[,:]", low)][:5 if opened else 3]:
            timed = comma < 80 and not works and re.search(r"định kỳ|trước|chậm nhất|hằng năm|hàng năm|tháng|quý|năm \d"
                                             r"|(?<!\w)(?:khi|nếu|trường hợp)(?!\w)", low[:comma])
            # "Cuối tháng 3 năm 2010: các cơ quan … hoàn thành …", "…, đề nghị các địa phương …"
            if timed or opened or re.match(r"\s*(?:đề nghị|giao)\s", low[comma + 1:]):
                rest = _read_assignment(t[comma + 1:], in_block)
                if rest.lead:
                    out.lead, out.support = rest.lead, rest.support
                    break
    if out.lead:
        _second_actor(t, out)
    out.deadline = out.deadline or deadline_phrase(t)
    return out


def _second_actor(t: str, out: Assignment) -> None:
    """"Giao Sở A thẩm định …; Sở B hoàn chỉnh hồ sơ …": a clause after ";" that opens with another agency and
    its own work (not its support: "…; Sở B phối hợp …") makes that agency a lead too."""
    low = _lower(t)
    for m in re.finditer(r";\s*", low):
        if re.match(r"(?:các|những|mọi)\s", low[m.end():]) and not named_places(t, low, m.end(), _VERB_RX):
            continue    # "…; các cơ quan thuộc Bộ quan tâm …": a plural group asked along is no named actor
        if not _HEAD_RX.match(low, m.end()):
            continue
        clause = _read_assignment(t[m.end():], False)
        lead = clause.lead
        if not lead or _lower(lead) in _lower(out.lead):
            continue
        after = _SPACES.match(low, m.end() + len(lead)).end()
        if re.match(r"(?:cùng\s+)?(?:phối hợp|kết hợp|tham gia|cùng)(?!\w)", low[after:]):
            continue
        out.lead = f"{out.lead}; {_named_before(t, low, m.start(), lead)}"


def _named_before(t: str, low: str, pos: int, lead: str) -> str:
    """"… báo cáo về Chi cục Chăn nuôi và Thú y …; Chi cục tổng hợp …": a bare head is the body of that head
    the sentence named before it."""
    head = _lower(lead).strip()
    if head not in _HEADS:
        return lead
    named = None
    for m in re.finditer(rf"(?<!\w){re.escape(head)}\s+", low[:pos]):
        if t[m.start()].isupper() and t[m.end():m.end() + 1].isupper():
            named = split_agencies(_list_from(t, low, m.start(), pos)[0])[:1] or None
    return named[0] if named else lead


def member_lead(text: str, heading: str) -> Assignment | None:
    """"- Viettel X phối hợp với …" under "3. Sở A, Trung tâm B và Viettel X:": an item that opens with one of
    the agencies its heading names, then its work, names its own lead, even one no head word opens."""
    t = nfc(text)
    low = _lower(t)
    body = _BULLET.match(low).end()
    names = set()
    for piece in split_agencies(heading):
        names.add(piece)
        names.update(re.split(r"\s*(?:,|(?<!\w)và(?!\w))\s*", piece))
    for name in sorted((n.strip() for n in names), key=len, reverse=True):
        if len(name.split()) >= 2 and low.startswith(_lower(name), body):
            end = body + len(name)
            if _VERB_RX.match(low, _SPACES.match(low, end).end()) and end < len(low) and low[end] == " ":
                out = Assignment(lead=t[body:end])
                _support_after(t, low, end, out)
                return out
    return None


def _read_assignment(t: str, in_block: bool) -> Assignment:
    low = _lower(t)
    out = Assignment()
    m = _BULLET.match(low)
    body = m.end() if m else 0
    give = _GIVE.match(low, body)
    if give:
        lead, end = _list_from(t, low, give.end())
        if not lead and _PLACE_RX.match(low, give.end()):
            lead, end = _list_from(t, low, give.end(), None, _NEXT_HEAD_RX)
            lead = _PLACE_GROUP.sub(lambda m: m.group(1) + "Ủy ban nhân dân ", lead) if _only_places(lead) else None
        if lead:
            out.lead = lead
            _support_after(t, low, end, out)
            return out
    head = _HEAD_RX.match(low, body)
    # "Tỉnh Đoàn", "Huyện ủy X" are bodies of their own; "UBND các xã A, B" and "Xã A, xã B" are places
    named = named_places(t, low, body, _VERB_RX) if not head or _COMMITTEE_HEAD.search(head.group(0)) else None
    if named:
        # "Xã A, xã B và xã C bố trí …": places named as the subject are their People's Committees
        out.lead = named[0]
        _support_after(t, low, named[1], out)
        return out
    acronym = _ACRONYM.match(t, body)
    verb = _VERB_RX.match(low, _SPACES.match(low, acronym.end()).end()) if acronym else None
    # "CNTT là nền tảng …", "OCOP được …": a weak verb after an acronym describes a thing, no body at work
    if verb and verb.group(0) not in _WEAK_VERBS:
        # "- EVN phối hợp với …": a body named by its acronym (the document defines it), then its work
        out.lead = acronym.group(0)
        _support_after(t, low, acronym.end(), out)
        return out
    person = _PERSON.match(t[body:])
    named_at = body + (person.end() if person else 0)
    bare = re.match(r"(?:các\s+)?(?:sở|bộ|ban|cục|vụ|phòng)\s*:", low[named_at:])
    work = _bare_list_works(t, low, named_at + bare.end(), len(low)) if bare else None
    if work:
        # "Bộ trưởng các Bộ: Y tế, Công an chỉ đạo …": each ministry of the bare list leads
        out.lead = _clean(_expand_bare_list(t[named_at:work]))
        _support_after(t, low, work, out)
        return out
    if _HEAD_RX.match(low, body):
        lead, end = _list_from(t, low, body)
        aside = _ASIDE.match(low, end) if lead else None
        if aside:
            # "Các cơ quan thuộc Bộ, đặc biệt là các Cục …, cần …": the aside narrows the subject, the work follows
            _, aside_end = _list_from(t, low, aside.end())
            end = aside_end if aside_end > aside.end() else end
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
    """"… phối hợp với / cùng <Y>" after `pos`, in the same sentence, names the support; so does
    "A chủ trì, <Y> phối hợp" (the supporting agencies before the verb)."""
    for m in _WITH.finditer(low, pos):
        support, end = _list_from(text, low, _SPACES.match(low, m.end()).end(), None, _NEXT_HEAD_RX)
        if support:
            # "phối hợp với các địa phương, đặc biệt là với các Sở …": the partners singled out are partners too
            aside = _ASIDE.match(low, end)
            if aside:
                more, _ = _list_from(text, low, re.match(r"(?:với\s+)?", low[aside.end():]).end() + aside.end(),
                                     None, _NEXT_HEAD_RX)
                support = f"{support}, {more}" if more else support
            out.support = support
            return
    for m in _SUPPORTERS.finditer(low, pos):
        start = _SPACES.match(low, m.end()).end()
        support, end = _list_from(text, low, start, None, _NEXT_HEAD_RX)
        if support and re.match(r"\s*(?:cùng\s+)?phối hợp(?!\s*(?:với|cùng|chặt))", low[end:]):
            out.support = support
            return


# "…, Sở Nội vụ, Sở Tài chính phối hợp": a clause whose agencies then say "phối hợp" with no partner after it.
_SUPPORTERS = re.compile(r"(?:chủ trì|[,;])(?=\s)")
# Labels written inside a sentence: "Cơ quan chủ trì: Sở Y tế; cơ quan phối hợp: Sở Tài chính; thời gian: …"
_INLINE_TIME = re.compile(r"thời (?:gian|hạn)(?:\s+(?:hoàn thành|thực hiện))?\s*:\s*(?=([^;.]{2,60}))")
_INLINE_LABEL = re.compile(r"(?:cơ quan|đơn vị)\s+(chủ trì|phối hợp)(?:\s+thực hiện)?\s*:\s*")


def _labelled_inline(t: str) -> Assignment | None:
    low = _lower(t)
    found = list(_INLINE_LABEL.finditer(low))
    if not found:
        return None
    out = Assignment()
    for m in found:
        stop = low.find(";", m.end())
        name, _ = _list_from(t, low, m.end(), stop if stop > 0 else None, _NEXT_HEAD_RX)
        if name and m.group(1) == "chủ trì" and out.lead is None:
            out.lead = name
        elif name and m.group(1) == "phối hợp" and out.support is None:
            out.support = name
    when = _INLINE_TIME.search(low)
    if when and read_deadline(t[when.end():when.end() + len(when.group(1))])[0]:
        out.deadline = t[when.end():when.end() + len(when.group(1))].strip(" .")
    return out if out.lead else None


