"""Turning answers, tasks and source passages into safe HTML and table rows.

Every piece of user or document text is HTML-escaped here, before any markup
of ours (highlight marks, layout) is added around it: nothing a question or a
plan contains can become markup on the page.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from kehoach.corpus.text import fold, nfc, ocr_fold, strip_marks

RESULT_HEADERS = ["Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Văn bản", "Mục"]
TASK_HEADERS = ["Vai trò", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Văn bản",
                "Mục", "Dòng", "Nay do", "Trạng thái", "Báo cáo"]
ROLE_WORDS = {"lead": "Chủ trì", "support": "Phối hợp", "chủ trì": "Chủ trì", "phối hợp": "Phối hợp",
              "tiếp nhận": "Tiếp nhận"}
STATUS_MARKS = {"overdue": "Quá hạn", "due_this_year": "Đến hạn trong năm", "upcoming": "Còn hạn",
                "recurring": "Thường xuyên", "no_deadline": "Không nêu hạn"}
# Cell colours of the status column (the tab's table; exports carry the words only).
STATUS_COLOURS = {"Quá hạn": "#fde2e1", "Đến hạn trong năm": "#fff1d6", "Còn hạn": "#e3f6e5",
                  "Thường xuyên": "#e3eefc", "Không nêu hạn": "#f1f1f1"}
LEAD_ROLES = ("lead", "chủ trì")
MAX_CELL_CHARS = 400

# Question words carry no content: marking every "nào" or "là" in a passage only adds noise.
_NOT_HIGHLIGHTED = frozenset(
    "nao gi ai dau bao gio khi la ve cua va co khong phai lam the nhu nhung hay han chot cho voi "
    "thi de duoc".split())
# A well-formed folded Vietnamese syllable (onset, vowels, coda). OCR damage breaks the
# shape ("gido" for "giáo"); a well-formed word one letter away from a query word is a
# different word ("gian" is not "giao") and must not be marked.
_SYLLABLE = re.compile(r"^(ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}"
                       r"(ch|ng|nh|[cmnpt])?$")
# Runs of letters/digits, plus the symbols OCR puts inside words ("S&", "ngh¢"), so they can be
# matched through `ocr_fold`.
_WORD = re.compile(r"[\w&¢©®§€£ﬂﬁ¥]+")


def confidence_words(confidence: float) -> str:
    if confidence >= 0.8:
        return "chắc chắn"
    if confidence >= 0.6:
        return "khá chắc"
    if confidence >= 0.35:
        return "cần kiểm tra"
    return "không chắc"


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# folded query word -> the accented spellings the question used; None: any spelling (the
# question wrote it without marks, so "so" may be "Sở" or "số").
Terms = dict[str, frozenset[str] | None]


def query_terms(question: str) -> Terms:
    terms: dict[str, set[str] | None] = {}
    for token in _WORD.findall(nfc(question or "")):
        for part in fold(token).split():
            if len(part) < 2 or part in _NOT_HIGHLIGHTED:
                continue
            spelled = token.lower() if strip_marks(token) != token and fold(token) == part else None
            if spelled is None:
                terms[part] = None
            elif part not in terms:
                terms[part] = {spelled}
            elif terms[part] is not None:
                terms[part].add(spelled)
    return {k: (frozenset(v) if v is not None else None) for k, v in terms.items()}


def _matches(word: str, terms: Terms) -> bool:
    folded = fold(word)
    if folded in terms:
        spellings = terms[folded]
        # Marks in both question and text must agree ("Sở" is not "số"); text printed
        # without marks (OCR, typed plainly) cannot tell them apart.
        return spellings is None or strip_marks(word) == word or nfc(word).lower() in spellings
    repaired = ocr_fold(word)
    if repaired in terms:
        return True
    # OCR swaps one letter in longer words ("gido" for "giáo"); short words would match
    # too much at one edit.
    if len(repaired) >= 4 and not _SYLLABLE.match(repaired):
        return any(len(t) >= 4 and t[0] == repaired[0] and Levenshtein.distance(repaired, t) <= 1
                   for t in terms)
    return False


def highlight(text: str, terms: Terms) -> str:
    """Escaped `text` with the words that fold to a query term wrapped in <mark>."""
    if not text:
        return ""
    out, pos = [], 0
    for m in _WORD.finditer(text):
        if terms and _matches(m.group(), terms):
            out.append(esc(text[pos:m.start()]))
            out.append(f"<mark>{esc(m.group())}</mark>")
            pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _join(names: Iterable[str] | None) -> str:
    return "; ".join(names or [])


def _clip(text: str | None, limit: int = MAX_CELL_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def result_rows(results: list[dict]) -> list[list[str]]:
    """Rows for the results table (plain strings; the table shows them as text)."""
    return [[_clip(r.get("text_restored") or r.get("text")), _join(r.get("lead")), _join(r.get("support")),
             r.get("deadline") or "", r.get("plan") or r.get("doc", ""), r.get("section") or ""]
            for r in results]


def _span(lines: list[int] | None) -> str:
    if not lines:
        return ""
    return str(lines[0]) if lines[0] == lines[-1] else f"{lines[0]}–{lines[-1]}"


def task_rows(tasks: list[dict], clip: bool = True) -> list[list[str]]:
    """Rows for the agency tab and its CSV/Excel export (export passes clip=False)."""
    cut = _clip if clip else (lambda s: " ".join((s or "").split()))
    return [[_role(t), cut(t.get("text")),
             _join(t.get("lead")), _join(t.get("support")), t.get("deadline") or "",
             t.get("plan") or t.get("doc", ""), t.get("section") or "", _span(t.get("lines")),
             _now(t), STATUS_MARKS.get(t.get("status") or "", ""), _evidence_cell(t, cut)]
            for t in tasks]


def _role(t: dict) -> str:
    word = ROLE_WORDS.get(t.get("role") or "", t.get("role") or "")
    return f"{word} từ {_join(t['taken_over_from'])}" if t.get("taken_over_from") else word


def _now(t: dict) -> str:
    """Today's holders when they differ from the lead: "nay là Sở KH&CN"."""
    moved = [h for h in t.get("held_by") or [] if h not in (t.get("lead") or [])]
    return f"nay là {_join(moved)}" if moved else ""


def _evidence_cell(t: dict, cut) -> str:
    ev = t.get("evidence")
    if ev is None:
        return ""
    if not ev:
        return "Chưa thấy báo cáo"
    e = ev[0]
    return cut(f"Đã có báo cáo — mục {e.get('section') or '?'}, dòng {_span(e.get('lines'))}: {e.get('text')}")


def followup_summary(name: str, tasks: list[dict], as_of) -> str:
    """"Sở X: 41 nhiệm vụ (18 chủ trì, 3 phối hợp, 20 tiếp nhận) trong 3 văn bản; tính đến 01/01/2026:
    11 quá hạn, …; 16 đã có báo cáo." """
    from kehoach.qa.status import STATUSES, WORDS
    from kehoach.qa.succession import counts_text
    states = [t.get("status") for t in tasks]
    by_state = ", ".join(f"{states.count(s)} {WORDS[s]}" for s in STATUSES if states.count(s))
    reported = sum(bool(t.get("evidence")) for t in tasks)
    day = as_of.strftime("%d/%m/%Y") if hasattr(as_of, "strftime") else str(as_of)
    roles = [t.get("role") for t in tasks]
    # A plan's own list has no role: the counts by role only mean something for an agency.
    split = f" ({counts_text(roles)})" if any(roles) else ""
    return (f"{name}: {len(tasks)} nhiệm vụ{split} trong {len({t['doc'] for t in tasks})} văn bản; "
            f"tính đến {day}: {by_state}; {reported} đã có báo cáo.")


def answer_html(answer: dict) -> str:
    """The answer sentence, the question it answers, and the confidence in words."""
    question = f'<p class="kh-question">Câu hỏi: {esc(answer.get("question"))}</p>'
    if answer.get("error"):
        return f'<div class="kh-answer kh-rejected">{question}<p class="kh-error">{esc(answer["error"])}</p></div>'
    conf = float(answer.get("confidence") or 0.0)
    words = confidence_words(conf)
    level = {"chắc chắn": "high", "khá chắc": "good", "cần kiểm tra": "check"}.get(words, "low")
    if not answer.get("found"):
        words, level = "không tìm thấy", "low"
    return (f'<div class="kh-answer">{question}'
            f'<p class="kh-answer-text">{esc(answer.get("answer"))}</p>'
            f'<p class="kh-confidence kh-conf-{level}">Độ tin cậy: <strong>{esc(words)}</strong>'
            f' ({round(conf * 100)}%)</p></div>')


def message_html(text: str, kind: str = "info") -> str:
    return f'<div class="kh-message kh-{esc(kind)}">{esc(text)}</div>'


def source_html(source: dict, question: str, lines: list[int] | None = None) -> str:
    """The passage around a result, numbered, query words marked; OCR plans also show
    the diacritics-restored reading next to the printed text."""
    terms = query_terms(question)
    printed = source.get("lines") or []
    restored = source.get("restored")
    first = int(source.get("start") or 1)
    lo, hi = (lines[0], lines[-1]) if lines else (None, None)
    head = (f'<div class="kh-source-title">{esc(source.get("plan") or source.get("doc"))}'
            f' — dòng {first}–{first + len(printed) - 1}</div>')
    cols = '<th>Dòng</th><th>Văn bản gốc</th>' + ('<th>Đọc lại có dấu</th>' if restored else "")
    rows = []
    for i, text in enumerate(printed):
        n = first + i
        inside = lo is not None and lo <= n <= hi
        cells = f'<td class="kh-ln">{n}</td><td>{highlight(text, terms)}</td>'
        if restored:
            cells += f'<td>{highlight(restored[i] if i < len(restored) else "", terms)}</td>'
        rows.append(f'<tr class="{"kh-in" if inside else "kh-ctx"}">{cells}</tr>')
    return (f'<div class="kh-source">{head}<table class="kh-lines"><thead><tr>{cols}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def documents_html(titles: list[str]) -> str:
    items = "".join(f"<li>{esc(t)}</li>" for t in titles)
    return (f'<div class="kh-footer"><span>Văn bản đã lập chỉ mục ({len(titles)}):</span>'
            f"<ul>{items}</ul><p>Dùng qua API: <code>POST api/ask</code> (JSON), <code>GET api/health</code>; "
            'gradio_client với <code>api_name="/ask"</code>.</p></div>')
