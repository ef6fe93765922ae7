"""Documents -> chunks: one per task, narrative chunks for text outside tasks.

A task chunk carries its headings and its lead/support/deadline as context so
that "who leads X" can be answered from the chunk alone. Every chunk keeps its
pyvi word segmentation: the customer's "Vietnamese-tokenized chunks" as data.
"""
from __future__ import annotations

from functools import lru_cache

from kehoach.records import Chunk, Document, Passage, Task

CHUNKER_VERSION = 3   # 3: task chunks carry `due` and the row's other named columns (`fields`)
MAX_WORDS = 250      # narrative chunks longer than this are split at line boundaries
MIN_WORDS = 60       # shorter neighbours under one heading are merged


@lru_cache(maxsize=1)
def _vi_tokenizer():
    from pyvi import ViTokenizer
    return ViTokenizer


def segment(text: str) -> str:
    """pyvi word segmentation: "giáo dục STEM" -> "giáo_dục STEM"."""
    if not text.strip():
        return ""
    return _vi_tokenizer().tokenize(text)


def _task_chunk(task: Task) -> Chunk:
    return Chunk(id=-1, doc=task.doc, lines=list(task.lines), section=task.section, kind="task",
                 text=task.text, text_restored=task.text_restored, headings=list(task.headings),
                 segmented="", lead=list(task.lead), support=list(task.support), deadline=task.deadline,
                 deadline_years=list(task.deadline_years) if task.deadline_years else None,
                 recurring=task.recurring, due=task.due, fields=dict(task.fields))


def _split_passage(p: Passage, doc: Document) -> list[Chunk]:
    """Split a long passage at line boundaries into pieces of at most MAX_WORDS."""
    start, end = p.lines
    restored = doc.restored_lines
    pieces: list[Chunk] = []
    buf: list[int] = []
    words = 0
    for ln in range(start, end + 1):
        n = len(doc.lines[ln - 1].split())
        if buf and words + n > MAX_WORDS:
            pieces.append(_narrative(doc, buf, p, restored))
            buf, words = [], 0
        buf.append(ln)
        words += n
    if buf:
        pieces.append(_narrative(doc, buf, p, restored))
    return pieces


def _narrative(doc: Document, lns: list[int], p: Passage, restored: list[str] | None) -> Chunk:
    text = " ".join(doc.lines[i - 1].strip() for i in lns if doc.lines[i - 1].strip())
    rtext = " ".join(restored[i - 1].strip() for i in lns if restored[i - 1].strip()) if restored else None
    return Chunk(id=-1, doc=doc.doc, lines=[lns[0], lns[-1]], section=p.section, kind="narrative",
                 text=text, text_restored=rtext, headings=list(p.headings), segmented="")


def _merge_short(passages: list[Passage]) -> list[Passage]:
    """Merge consecutive short passages of one section so chunks are not fragments."""
    out: list[Passage] = []
    for p in passages:
        prev = out[-1] if out else None
        if (prev and prev.section == p.section and prev.lines[1] < p.lines[0]
                and len(prev.text.split()) < MIN_WORDS
                and len(prev.text.split()) + len(p.text.split()) <= MAX_WORDS):
            out[-1] = Passage(doc=p.doc, lines=[prev.lines[0], p.lines[1]], section=p.section,
                              headings=p.headings, text=f"{prev.text} {p.text}",
                              text_restored=(f"{prev.text_restored} {p.text_restored}"
                                             if prev.text_restored and p.text_restored else None))
        else:
            out.append(p)
    return out


def document_chunks(doc: Document) -> list[Chunk]:
    chunks = [_task_chunk(t) for t in doc.tasks]
    for p in _merge_short(doc.passages):
        if len(p.text.split()) > MAX_WORDS:
            chunks.extend(_split_passage(p, doc))
        else:
            chunks.append(Chunk(id=-1, doc=p.doc, lines=list(p.lines), section=p.section, kind="narrative",
                                text=p.text, text_restored=p.text_restored, headings=list(p.headings),
                                segmented=""))
    chunks.sort(key=lambda c: (c.lines[0], c.lines[1]))
    for c in chunks:
        c.segmented = segment(dense_body(c))
    return chunks


def dense_body(chunk: Chunk) -> str:
    """The chunk's own words as the dense model should read them (restored when OCR)."""
    return chunk.display_text


def dense_text(chunk: Chunk, plan_title: str = "", segmented: bool = False) -> str:
    """What the dense model embeds: nearest heading, the task, and its fields as context."""
    body = chunk.segmented if segmented and chunk.segmented else dense_body(chunk)
    parts = []
    if chunk.headings:
        parts.append(chunk.headings[-1].rstrip(" .:") + ".")
    parts.append(body)
    if chunk.lead:
        parts.append("Cơ quan chủ trì: " + ", ".join(chunk.lead) + ".")
    if chunk.support:
        parts.append("Cơ quan phối hợp: " + ", ".join(chunk.support) + ".")
    if chunk.deadline:
        parts.append("Thời gian thực hiện: " + chunk.deadline)
    return " ".join(parts)


def lexical_fields(chunk: Chunk) -> str:
    """What the lexical side indexes: printed and restored text, headings and fields.

    The printed form keeps OCR spellings matchable; the restored form lets a
    properly typed query meet text whose OCR spelling was far off.
    """
    parts = [chunk.text]
    if chunk.text_restored:
        parts.append(chunk.text_restored)
    parts.extend(chunk.headings[-2:])
    parts.extend(chunk.lead)
    parts.extend(chunk.support)
    if chunk.deadline:
        parts.append(chunk.deadline)
    parts.extend(chunk.fields.values())
    return " ".join(parts)
