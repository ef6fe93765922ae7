"""Positions-keeping folds, and the deadline a sentence of running text states.

`fold_aligned` and `_lower` keep one character for one, so a match found on the folded text cuts the
printed text at the same place: phrases are returned as printed.
"""
from __future__ import annotations

import re

from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.grammar_words import words
from kehoach.corpus.text import nfc, strip_marks


def fold_aligned(text: str) -> str:
    """Lower case, marks off, đ -> d, one character for one: positions match the text as given."""
    out = []
    for ch in text:
        f = strip_marks(ch).lower()
        out.append(f[:1] if f else " ")
    return "".join(out)


def _lower(text: str) -> str:
    """Lower case with marks, one character for one (NFC Vietnamese keeps its length)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join((c.lower()[:1] or c) for c in text)


# ---- deadlines inside running text ---------------------------------------------------------

# The word that introduces a time is printed with it, and so are what sharpens that word: "chậm nhất trong
# tháng 6 năm 2027", "từ nay đến hết tháng 5/2024", an hour before the day ("trước 16 giờ 00 ngày 25/3/2024").
_TRIGGER = re.compile(r"(?:(?<!\w)(?:cham nhat(?: la)?|tu nay)\s+(?=(?:trong|den|truoc)\s))?"
                      r"(?:truoc|cham nhat(?: la)?|trong|den"
                      r"|cuoi|het|tu|han chot|ngay)?"
                      r"(?:\s+\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2}(?:\s*phut)?)?)?"
                      r"\s*(?:(?<=den )het\s+)?(?:ngay|thang|quy|qui|nam)?\s*$")
# Time expressions, best first: a date, month, quarter or half; then a year closed by "trong/hết/cuối";
# then "đến năm …", which is as often the horizon of the work's object as its deadline.
_TIMES = (
    re.compile(r"(?:ngay\s*)?\d{1,2}\s*(?:/|thang)\s*\d{1,2}\s*(?:/|nam)\s*\d{4}"
               r"|(?<![\d/.-])\d{1,2}([.-])\d{1,2}\1\d{4}(?![\d.-]\d)"            # "30-6-2026", "31.12.2026"
               r"|(?<![\d/])\d{1,2}\s*/\s*\d{4}"
               # "tháng 3/2026", "tháng 3-4/2026", "tháng 11, 12/2026", "tháng 9 và tháng 10 năm 2026"
               r"|thang\s*\d{1,2}(?:\s*(?:-|,|va)\s*(?:thang\s*)?\d{1,2})*\s*(?:/|nam)\s*\d{4}"
               r"|qu[yi]\s*(?:iv|iii|ii|i|[1-4])\b(?:\s*(?:,|va|-)\s*(?:qu[yi]\s*)?(?:iv|iii|ii|i|[1-4])\b)*"
               r"\s*(?:/|nam)?\s*\d{4}|(?:6|06)\s*thang\s*(?:dau|cuoi)\s*nam\s*\d{4}"),
    # "…; thời gian: năm 2026 - 2027": a year after a time label is the deadline it labels
    re.compile(r"(?:(?:het|trong|cuoi)\s+|(?<=thoi gian: )|(?<=thoi han: ))nam\s*\d{4}(?:\s*-\s*\d{4})?"
               # "hoàn thành trong giai đoạn 2026 - 2027": the period the work is done in
               r"|(?<=hoan thanh )trong\s+giai\s+doan\s*\d{4}\s*[-–—]\s*\d{4}"),
    re.compile(r"den\s+nam\s*\d{4}(?:\s*-\s*\d{4})?"),
)
# A planning horizon names the period planned, not the time the work is due: "quy hoạch … giai đoạn đến năm
# 2020 và tầm nhìn đến năm 2030", "định hướng đến năm 2030".
_HORIZON = re.compile(r"(?:giai doan|tam nhin|dinh huong)\s*$")
_HORIZON_AFTER = re.compile(r"\s*(?:,\s*|va\s+)?tam nhin")
# The date of an act or a record cited ("Quyết định số 12/QĐ-UBND ngày …", "biên bản kiểm tra ngày …"); a
# deadline word after the act ("… thực hiện Chỉ thị trước ngày …", "… Nghị định số 5/NĐ-CP, trình … trước ngày …")
# makes the date the work's deadline, not the act's.
_CITED = re.compile(r"(?:\bso\s*\d[^\s,;]*|quyet dinh|nghi quyet|nghi dinh|chi thi|thong tu|cong van|bien ban)"
                    r"(?:(?!(?:truoc|cham nhat|han chot)\b)[^,;]){0,25}$")
# "giáo dục thường xuyên", "chi thường xuyên" name a kind of education or spending, not a recurrence (data file).
_NOT_A_KIND = "".join(f"(?<!{re.escape(w)} )" for w in words("regular_kinds"))
# "các tuyến đường thường xuyên ngập úng": where something often happens, not a duty that recurs (data file).
_NOT_A_STATE = r"(?!\s+(?:" + "|".join(re.escape(w) for w in words("regular_states")) + r")(?!\w))"
# A day of every year or of the year after the one reported: "trước ngày 15/12 hằng năm", "trước ngày 31
# tháng 01 năm sau" (each year's report by January of the next). Preferred to a bare "hằng năm" elsewhere.
_RECUR_DAY = (r"(?<!\w)(?:trước\s+ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}|\s+tháng\s+\d{1,2})?\s+"
              r"(?:(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần)|(?:của\s+)?năm\s+(?:sau|tiếp theo|kế tiếp)(?!\w)))")
_PERIOD_NOTE = r"(?:\s*\([^()]{0,80}\))?"
_RECUR = re.compile(
    _RECUR_DAY
    + r"|(?<!\w)(?:định kỳ|định kì)"
    r"(?:\s+trước\s+ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}|\s+(?:của\s+)?tháng\s+(?:cuối|đầu)\s+(?:quý|năm))"
    r"|\s+(?:vào\s+)?thứ\s+\w+(?=\s+(?:hằng|hàng)))?"
    # "định kỳ 6 tháng", "định kỳ 02 tuần/lần", "định kỳ 03 tháng một lần"
    r"(?:\s+(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày)"
    r"|\s+0?\d{1,2}\s+(?:tháng|tuần|ngày|năm)(?:\s+một\s+lần|\s*/\s*lần)?"
    r"|\s+0?\d{1,2}\s+lần\s*/\s*(?:năm|quý|tháng|tuần)|\s+mỗi\s+(?:năm|quý|tháng|tuần))?"
    r"(?:\s*,\s*(?:hằng|hàng)\s+(?:năm|quý|tháng)(?!\w))?"     # "định kỳ 6 tháng, hằng năm": two periods
    r"(?:\s*,\s*trước\s+ngày\s+\d{1,2}(?![\d/]))?"                # "định kỳ hằng tháng, trước ngày 5": the day
    + _PERIOD_NOTE +
    # "định kỳ 6 tháng (trước ngày 20/6) và hằng năm (trước ngày 15/12)": two periods, each with its day
    r"(?:\s*(?:,|và)\s*(?:hằng|hàng)\s+(?:năm|quý|tháng)(?!\w)" + _PERIOD_NOTE + ")?"
    # "theo chu kỳ 02 năm": every two years
    r"|(?<!\w)(?:theo\s+)?chu kỳ\s+0?\d{1,2}\s+(?:năm|tháng|quý|tuần)(?!\w)"
    r"|(?<!\w)" + _NOT_A_KIND + r"thường xuyên(?!\w)" + _NOT_A_STATE +
    r"|(?<!\w)\d{1,2}\s+(?:buổi|lần)\s*/\s*(?:ngày|tuần|tháng|quý|năm)(?!\w)"    # "02 buổi/tuần": a frequency
    r"|(?<!\w)(?:hằng năm|hàng năm|hằng quý|hàng quý|hằng tháng|hàng tháng|hằng tuần|hàng tuần"
    r"|hằng ngày|hàng ngày)(?!\w)")
_RECUR_DAY_RX = re.compile(_RECUR_DAY)


# "từ ngày 15/11 đến hết ngày 31/12/2025", "đợt 1 trong tháng 3-4/2026 và đợt 2 trong tháng 9-10/2026",
# "6 tháng đầu năm trước ngày 15/6/2026 và cả năm trước ngày 15/12/2026": one deadline runs to its last time.
_RUN_GAP = re.compile(r"\s*,?\s*(?:va|den|toi|-)\s[^.;:()]{0,30}$")


def _run_end(f: str, end: int) -> int:
    """Where a time expression that goes on ("… và …", "… đến hết …") to another one ends."""
    while True:
        nxt = _TIMES[0].search(f, end, end + 45)
        if not nxt or not _RUN_GAP.match(f[end:nxt.start()] + " ") and not _RUN_GAP.match(f[end:nxt.start()]):
            return end
        end = nxt.end()


# Folding merges a trigger with other words ("đầu tư" folds to "dau tu", like "từ"): a trigger printed with
# marks must be printed as the trigger.
_TRIGGER_FORMS = {"tu": "từ", "den": "đến", "het": "hết", "truoc": "trước", "cuoi": "cuối", "ngay": "ngày"}


def _printed_as_trigger(t: str, trig: re.Match) -> bool:
    word = next(iter(t[trig.start():trig.end()].lower().split()), "")
    expected = _TRIGGER_FORMS.get(strip_marks(word))
    return expected is None or word == strip_marks(word) or word == expected


def deadline_phrase(text: str) -> str | None:
    """The deadline a sentence states, as printed ("trước ngày 30/9/2010", "trong quý IV năm 2009")."""
    t = nfc(text)
    f = fold_aligned(t)
    found = list(_RECUR.finditer(_lower(t)))
    # the recurrence that names its day wins over a bare "hằng năm" said elsewhere in the sentence
    recurring = next((m for m in found if _RECUR_DAY_RX.search(m.group(0))), found[0] if found else None)
    for rank, rx in enumerate(_TIMES):
        if rank == len(_TIMES) - 1:
            bare = _bare_year(t, f)
            if bare:
                return bare
            if recurring:
                break   # "định kỳ hằng năm" is the deadline of a duty whose object runs "đến năm 2030"
        for m in rx.finditer(f):
            if _CITED.search(f[max(0, m.start() - 50):m.start()]) or _HORIZON.search(f, max(0, m.start() - 20),
                                                                                   m.start()) \
                    or _HORIZON_AFTER.match(f, m.end()):
                continue
            trig = _TRIGGER.search(f, max(0, m.start() - 30), m.start())
            start = trig.start() if trig and trig.group(0).strip() and _printed_as_trigger(t, trig) else m.start()
            end = _run_end(f, m.end())
            if end == m.end() and start < m.start() and re.fullmatch(r"tu\s+(?:(?:ngay|thang|quy|qui|nam)\s*)?",
                                                                f[start:m.start()]):
                continue    # "bán vé từ ngày 15/11/2031", "từ tháng 3/2031": a start with no end is no deadline
            phrase = t[start:end].strip(" ,;.")
            years, _, due = read_deadline(phrase)
            if years or due:
                return phrase
    return t[recurring.start():recurring.end()].strip(" ,;.") if recurring else None


# "… trình Thủ tướng Chính phủ năm 2026.", "hoàn thành năm 2026": a bare year that closes a clause whose verb
# completes the work is its deadline; "Kế hoạch năm 2026", "dự toán ngân sách năm 2026" name the object's year.
_BARE_YEAR = re.compile(r"(?<=\s)nam\s*(\d{4})(?=\s*(?:[.;]|$))")
_COMPLETES = re.compile(r"(?<!\w)(?:hoan thanh|xong|trinh|ban hanh|hoan tat)(?!\w)")
_OBJECT_YEAR = re.compile(r"(?:ke hoach|du toan|ngan sach|chuong trinh|de an|nhiem vu|chi tieu|tong ket|ket qua"
                          r"|tinh hinh|bao cao|hoc|vu|giai doan|nhiem ky|tai chinh)\s*$")


_AUTHORITY = re.compile(r"(?:thu tuong|chinh phu|uy ban|ubnd|hoi dong|hdnd|quoc hoi|bo truong|bo |so |giam doc"
                        r"|chu tich)")


def _bare_year(t: str, f: str) -> str | None:
    for m in _BARE_YEAR.finditer(f):
        clause = f[max(f.rfind(";", 0, m.start()), f.rfind(".", 0, m.start()), 0):m.start()]
        verbs = list(_COMPLETES.finditer(clause))
        if not verbs or _OBJECT_YEAR.search(clause) or _CITED.search(clause[-50:]):
            continue
        gap = clause[verbs[-1].end():].split()
        # the year follows the verb, or the body the work goes to ("trình Thủ tướng Chính phủ năm 2026")
        if len(gap) <= 1 or verbs[-1].group(0) == "trinh" and len(gap) <= 6 and _AUTHORITY.match(" ".join(gap)):
            before = re.search(r"truoc\s+$", f[:m.start()])     # "hoàn thành trước năm 2029"
            return t[before.start() if before else m.start():m.end()]
    return None


def recurs(text: str) -> bool:
    """The sentence sets a recurring duty ("định kỳ", "hằng năm", "thường xuyên")."""
    return bool(_RECUR.search(_lower(nfc(text))))
