"""Narrative: what is not a task becomes passages of roughly 60-250 words, cut at section boundaries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kehoach.corpus.layouts.shapes import (
    _Node, _Unit,
)
from kehoach.corpus.text import normalize_space
from kehoach.records import Passage

if TYPE_CHECKING:
    from kehoach.corpus.parser import _Parser

MIN_WORDS, MAX_WORDS = 60, 250


@dataclass
class _Piece:
    lines: list[int]
    sid: str
    node: _Node | None       # the innermost heading above (or the heading itself)


def _common_sid(sids: list[str]) -> str:
    parts = [s.split(".") if s else [] for s in sids]
    out = []
    for level in zip(*parts):
        if len(set(level)) != 1:
            break
        out.append(level[0])
    return ".".join(out)


def _passages(p: _Parser, pieces: list[_Piece], task_spans: list[list[int]]) -> list[Passage]:
    pieces.sort(key=lambda x: x.lines[0])
    starts = sorted(s[0] for s in task_spans)
    groups: list[list[_Piece]] = []
    words = 0

    def nwords(piece: _Piece) -> int:
        return sum(len(p.raw[no - 1].split()) for no in piece.lines)

    def level(sid: str, n: int) -> list[str]:
        return sid.split(".")[:n]

    for piece in pieces:
        if groups:
            last = groups[-1]
            between = any(last[-1].lines[-1] < s < piece.lines[0] for s in starts)
            gap = any(no in p.signature for no in range(last[-1].lines[-1], piece.lines[0]))
            same_top = level(last[-1].sid, 1) == level(piece.sid, 1)
            # Once big enough, a passage ends where a numbered section ends.
            same_sub = words < MIN_WORDS or level(last[-1].sid, 2) == level(piece.sid, 2)
            if not (between or gap) and same_top and same_sub and (
                    words < MIN_WORDS or words + nwords(piece) <= MAX_WORDS):
                last.append(piece)
                words += nwords(piece)
                continue
        groups.append([piece])
        words = nwords(piece)

    out = []
    for group in groups:
        for chunk in _split_long(p, group):
            inside = [x for x in group if chunk[0] <= x.lines[-1] and x.lines[0] <= chunk[-1]]
            sid = _common_sid([x.sid for x in inside])
            node = next((x.node for x in inside if x.node is not None), None)
            chain = [n for n in (node.chain() if node else []) if n.sid and _is_prefix(n.sid, sid)]
            text = normalize_space(" ".join(p.raw[no - 1] for no in chunk))
            out.append(Passage(doc=p.doc, lines=[chunk[0], chunk[-1]], section=sid,
                               headings=_titles(chain), text=text))
    return out


def _titles(chain: list[_Node]) -> list[str]:
    return [n.title for n in chain if n.title and not n.paragraph]


def _is_prefix(a: str, b: str) -> bool:
    return b == a or b.startswith(a + ".")


def _split_long(p: _Parser, group: list[_Piece]) -> list[list[int]]:
    """The group's content lines, cut at line boundaries into runs of at most MAX_WORDS words."""
    lines = [no for piece in group for no in piece.lines if p.raw[no - 1].strip()]
    chunks: list[list[int]] = [[]]
    count = 0
    for no in lines:
        w = len(p.raw[no - 1].split())
        if chunks[-1] and count + w > MAX_WORDS:
            chunks.append([])
            count = 0
        chunks[-1].append(no)
        count += w
    return [c for c in chunks if c]


def _narrative_sid(unit: _Unit) -> str:
    """Sub-item ordinals name tasks; narrative paragraphs take the section they sit in."""
    head, _, last = unit.sid.rpartition(".")
    return head if unit.kind in ("star", "dash", "para", "orphan") and last.isdigit() else unit.sid
