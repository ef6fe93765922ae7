"""Agency-headed blocks and inline assignments: which units are tasks, and who does them.

Mixed into the parser (it needs the parser's lines); the phrases themselves are read by corpus/grammar.py.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kehoach.corpus.deadlines import parse_deadline, read_deadline
from kehoach.corpus.grammar import deadline_phrase, heading_agencies, member_lead, read_assignment, recurs
from kehoach.corpus.layouts.narrative import _titles
from kehoach.corpus.layouts.shapes import _strip_end, _Unit
from kehoach.corpus.text import DEADLINE, LEAD, SUPPORT, nfc, normalize_space, ocr_fold
from kehoach.records import Task

if TYPE_CHECKING:
    from kehoach.corpus.parser import _Parser


class BlockLayout:
    """Shapes of items that assign work by naming agencies rather than by labelled lines."""

    def _agency_heading(self, unit: _Unit) -> bool:
        """A one-line item that only names agencies ("c) Bộ Nội vụ", "- Vụ Nuôi trồng thuỷ sản:"), or an
        unmarked line that does so with a colon ("Các tổ dân phố:")."""
        if unit.kind == "para" and len(unit.text) == 1 and not unit.labels:
            return self._heading_line(self.raw[unit.text[0] - 1])
        if unit.kind not in ("letter", "dash", "star") or len(unit.text) != 1 or unit.labels:
            return False
        line = self.raw[unit.text[0] - 1].strip()
        return (unit.kind == "letter" or line.endswith(":")) and heading_agencies(line) is not None

    def _colon_item(self, unit: _Unit) -> bool:
        """"- Chỉ đạo lực lượng thanh tra …:" announces sub-items that belong to it."""
        return (unit.kind == "dash" and not unit.labels and self.raw[unit.text[-1] - 1].rstrip().endswith(":")
                and not self._agency_heading(unit))

    @staticmethod
    def _heading_line(text: str) -> bool:
        t = text.strip()
        return t.endswith(":") and len(t.split()) <= 20 and heading_agencies(t) is not None

    def _same_actor(self: _Parser, unit: _Unit, text: str) -> bool:
        """"3. Công ty X (sau đây gọi là Công ty Y) vận hành …" then "Công ty Y lập kế hoạch …, trước ngày …": a
        sentence whose actor is the item's own, named again, goes on the item. Unmarked paragraphs stay apart."""
        if unit.kind not in ("number", "letter", "dash", "star"):
            return False
        said = read_assignment(self.terms.spell(text)).lead
        own = read_assignment(self.terms.spell(self._unit_text(unit))).lead
        return bool(said and own) and ocr_fold(self.terms.expand(said)) == ocr_fold(self.terms.expand(own))

    @staticmethod
    def _assigns(text: str) -> bool:
        """A sentence (not a heading) that names its own lead: "Sở X chủ trì, phối hợp với …"."""
        t = text.strip()
        if all(w.isupper() and len(w) > 1 for w in t.split()[:3]):
            return False    # "ỦY BAN NHÂN DÂN THÀNH PHỐ …": a letterhead names its issuer, it assigns nothing
        if closing_clause(t) or _CHAIRS.search(t.lower()) or heading_agencies(t) is not None:
            return False    # "… chịu trách nhiệm thi hành Quyết định này", "4. Đề nghị các Sở: Tài chính, Y tế"
        return len(t.split()) >= 6 and not t.endswith(":") and read_assignment(t).lead is not None


# Sentences that assign nothing of their own: the closing order to carry out the document itself, the
# invitation to report difficulties, the notice "để … biết, thực hiện"; chairing a meeting is no task either.
_CLOSING = re.compile(
    r"(?<!việc )(?:thực hiện|thi hành|triển khai)\s+(?:nghiêm\s+(?:túc\s+)?)?(?:(?:các\s+)?nội dung\s+)?"
    r"(?:quyết định|chỉ thị|kế hoạch|thông báo|công văn|văn bản|nghị quyết|chương trình)\s+này\s*[./;]*\s*$"
    r"|(?<!\w)nếu có (?:khó khăn|vướng mắc|phát sinh)"
    r"|(?<!\w)để\s+(?:các\s+)?[^.]{0,160}biết(?:,|\s+và)?\s+(?:thực hiện|phối hợp|theo dõi)?\s*[./]*\s*$")
_CHAIRS = re.compile(r"(?<!\w)chủ trì\s+(?:cuộc\s+|buổi\s+|phiên\s+)?(?:họp|hội nghị|làm việc)(?!\w)")


def closing_clause(text: str) -> bool:
    return bool(_CLOSING.search(nfc(text).lower()))


_INLINE = re.compile(r"\(([^()]{3,120})\)")
_INLINE_START = re.compile(r"^th\w{0,2}c hien\b")


def _inline_deadline(text: str) -> str | None:
    """"(thực hiện thường xuyên, hằng năm)" inside a task's text stands for its deadline."""
    for m in _INLINE.finditer(text):
        inner = m.group(1)
        years, recurring = parse_deadline(inner)
        if (years or recurring) and (recurring or _INLINE_START.match(ocr_fold(inner))):
            # "định kỳ 06 tháng một lần (tháng 01 và tháng 6 hàng năm)": the brackets spell out the
            # period printed before them; the deadline is the whole phrase.
            whole = deadline_phrase(text)
            return whole if whole and inner in whole else normalize_space(inner)
    return None


def _last_deadline(p: _Parser, unit: _Unit) -> str | None:
    """"Lấy mẫu …:" + "Đợt 1: trong quý II/2026;" + "Đợt 2: trong quý IV/2026": an item with dated
    sub-items is done when its last one is."""
    best: tuple[str, str] | None = None
    for no in unit.text[1:]:
        phrase = deadline_phrase(p.raw[no - 1])
        due = read_deadline(phrase)[2] if phrase else None
        if due and (best is None or due > best[0]):
            best = (due, phrase)
    return best[1] if best else None


def make_task(p: _Parser, unit: _Unit) -> Task:
    """The task a unit stands for: labels first, then what its sentence or its agency heading says."""
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
        said = read_assignment(p.terms.spell(text), in_block=block is not None)
        if block and said.lead is None:
            said = member_lead(p.terms.spell(text), block) or said
        if not unit.labelled:
            lead = said.lead or block
            support = said.support
            deadline = deadline or said.deadline
        elif not lead and not support:
            # "- Hướng dẫn …" then "Thời gian thực hiện: …": a deadline label leaves the agency to the item
            lead = said.lead or block
            support = said.support
    if not unit.labelled and len(unit.text) > 1 and p.raw[unit.text[0] - 1].rstrip().endswith(":"):
        deadline = _last_deadline(p, unit) or deadline
    years, recurring, due = read_deadline(deadline)
    # "định kỳ 6 tháng báo cáo …; hết năm 2010 tổng kết": the deadline is the date, the duty still recurs
    recurring = recurring or (not unit.labelled and recurs(text))
    chain = unit.parent.chain() if unit.parent else []
    return Task(
        doc=p.doc, lines=unit.span(), section=unit.sid, headings=_titles(chain),
        text=text, deadline=deadline, deadline_years=years, recurring=recurring, due=due,
        raw_lead=p.terms.expand(lead), raw_support=p.terms.expand(support), fields=dict(unit.fields),
    )
