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

from kehoach.corpus.restore_marks import doubtful_html
from kehoach.corpus.text import fold, nfc, ocr_fold, strip_marks
from kehoach.ui.columns import (LEAD_ROLES, RESULT_COLUMNS, RESULT_HEADERS, STATUS_COLOURS, STATUS_MARKS,
                                TASK_COLUMNS, TASK_HEADERS, Names, plan_cell, rows, span)

__all__ = ["LEAD_ROLES", "RESULT_HEADERS", "STATUS_COLOURS", "STATUS_MARKS", "TASK_HEADERS", "answer_html",
           "documents_html", "followup_summary", "message_html", "result_rows", "source_html", "task_rows"]


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


def result_rows(results: list[dict], names: Names | None = None) -> list[list[str]]:
    """Rows for the results table (plain strings; the table shows them as text)."""
    return rows(RESULT_COLUMNS, results, names)


def task_rows(tasks: list[dict], names: Names | None = None, clip: bool = True) -> list[list]:
    """Rows for the agency tab; clip=False gives the export's cells (full text, real dates)."""
    return rows(TASK_COLUMNS, tasks, names, export=not clip)


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


def emphasise(text: str, phrases: Iterable[str]) -> str:
    """Escaped `text` with each occurrence of `phrases` (the agencies, the deadline) in <strong>."""
    spans: list[tuple[int, int]] = []
    low = text.casefold()
    for phrase in sorted({p for p in phrases if p and len(p) > 1}, key=len, reverse=True):
        start = low.find(phrase.casefold())
        while start >= 0:
            end = start + len(phrase)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = low.find(phrase.casefold(), end)
    out, pos = [], 0
    for s, e in sorted(spans):
        out.append(f"{esc(text[pos:s])}<strong>{esc(text[s:e])}</strong>")
        pos = e
    return "".join(out) + esc(text[pos:])


def citation_html(result: dict, names: Names | None = None, titles: dict[str, str] | None = None) -> str:
    """Where the answer comes from, by the plan's short name; the full titles one click away
    (`titles`: short name -> full title of every plan the answer names)."""
    where = [plan_cell(result, names or {})]
    if result.get("section"):
        where.append(f"mục {result['section']}")
    if result.get("lines"):
        where.append(f"dòng {span(result['lines'])}")
    titles = dict(titles or {})
    titles.setdefault(where[0], result.get("plan") or result.get("doc") or "")
    body = "".join(f'<div class="kh-cite-title"><strong>{esc(short)}</strong>: {esc(full)}</div>'
                   if short != full else f'<div class="kh-cite-title">{esc(full)}</div>'
                   for short, full in titles.items())
    return f'<details class="kh-cite"><summary>Nguồn: {esc(" · ".join(where))}</summary>{body}</details>'


# A deadline longer than this is a sentence of targets, not a date to pick out in bold.
MAX_BOLD_DEADLINE = 60


def answer_html(answer: dict, names: Names | None = None) -> str:
    """The answer in body text with the agencies and the deadline in bold, plans by their
    short names, where it comes from (full titles one click away), the question it answers,
    and the confidence in words."""
    question = f'<p class="kh-question">Câu hỏi: {esc(answer.get("question"))}</p>'
    if answer.get("error"):
        return (f'<div class="kh-answer kh-rejected">{question}'
                f'<p class="kh-error">{esc(vietnamese_only(answer["error"]))}</p></div>')
    conf = float(answer.get("confidence") or 0.0)
    words = confidence_words(conf)
    level = {"chắc chắn": "high", "khá chắc": "good", "cần kiểm tra": "check"}.get(words, "low")
    if not answer.get("found"):
        words, level = "không tìm thấy", "low"
    results = (answer.get("results") or []) if answer.get("found") else []
    text, titles = answer.get("answer") or "", {}
    for r in results:
        full, short = r.get("plan") or "", (names or {}).get(r.get("doc", ""))
        if full and short and full in text:
            text = text.replace(full, short)
            titles[short] = full
    key = [a for r in results for a in (*(r.get("lead") or []), *(r.get("support") or []))]
    key += [r["deadline"] for r in results if r.get("deadline") and len(r["deadline"]) <= MAX_BOLD_DEADLINE]
    cite = citation_html(results[0], names, titles) if results else ""
    return (f'<div class="kh-answer">{question}'
            f'<p class="kh-answer-text">{emphasise(text, key)}</p>{cite}'
            f'<p class="kh-confidence kh-conf-{level}">Độ tin cậy: <strong>{esc(words)}</strong>'
            f' ({round(conf * 100)}%)</p></div>')


# Messages shared with the JSON API end with an English gloss for API clients
# ("Chưa nhập câu hỏi (empty question)."); the page shows the Vietnamese only.
_GLOSS = re.compile(r"\s*\((?=[^)]*[a-z])[A-Za-z][A-Za-z0-9 _<>=/,'-]*\)(?=\.?$)")


def vietnamese_only(text: str) -> str:
    return _GLOSS.sub("", text or "")


def message_html(text: str, kind: str = "info") -> str:
    return f'<div class="kh-message kh-{esc(kind)}">{esc(vietnamese_only(text))}</div>'


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
    # Doubtful restored words underlined, the printed form on hover (recomputed from the two texts).
    marked = doubtful_html(printed, restored, lambda t: highlight(t, terms)) if restored else []
    rows = []
    for i, text in enumerate(printed):
        n = first + i
        inside = lo is not None and lo <= n <= hi
        cells = f'<td class="kh-ln">{n}</td><td>{highlight(text, terms)}</td>'
        if restored:
            cells += f'<td>{marked[i] if i < len(marked) else ""}</td>'
        rows.append(f'<tr class="{"kh-in" if inside else "kh-ctx"}">{cells}</tr>')
    return (f'<div class="kh-source">{head}<table class="kh-lines"><thead><tr>{cols}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>')


def documents_html(plans: list, names: Names | None = None) -> str:
    """The indexed plans: short name, then the full title (`plans`: PlanInfo or titles)."""
    names = names or {}
    items = []
    for p in plans:
        title = getattr(p, "title", p)
        short = names.get(getattr(p, "doc", ""), "")
        lead = f"<strong>{esc(short)}</strong> — " if short and short != title else ""
        items.append(f"<li>{lead}{esc(title)}</li>")
    return (f'<div class="kh-footer"><span>Văn bản đã lập chỉ mục ({len(items)}):</span>'
            f"<ul>{''.join(items)}</ul><p>Dùng qua API: <code>POST api/ask</code> (JSON), <code>GET api/health</code>; "
            'gradio_client với <code>api_name="/ask"</code>.</p></div>')
