"""The words a whole document stands under: its title, issuer, subject and the issuing body's lines.

A task of "Chỉ thị … của UBND tỉnh Tây Ninh về phòng, chống hạn mặn" never repeats "Tây Ninh" or "hạn mặn":
its document says it once, in the header. Read chunk by chunk, a question naming the province or the plan's
subject then matches the header block best (it holds every such word) and the task that answers loses to it,
or to a look-alike task of another plan. Counting a document's context words as present in each of its
chunks, for the coverage the fusion ranks by, puts all of a document's chunks level on those words and lets
the words of the task decide among them (issue 9: questions about plans the product never saw).
"""
from __future__ import annotations

import numpy as np

from kehoach.corpus.text import fold
from kehoach.index.lexical import doc_tokens

OPENING_LINES = 2   # "ỦY BAN NHÂN DÂN / PHƯỜNG HÒA KHÁNH": the issuing body opens every administrative text
HEADER_SCAN = 8     # blank lines before the header are skipped, within this many


def context_text(d) -> str:
    """Title, issuer and subject as read by the metadata, plus the issuing body's own lines (the metadata
    may miss the place: "UBND" read where the header prints "ỦY BAN NHÂN DÂN PHƯỜNG HÒA KHÁNH")."""
    info = d.info
    first = [ln.strip() for ln in (d.restored_lines or d.lines)[:HEADER_SCAN] if ln.strip()][:OPENING_LINES]
    return " ".join(p for p in (info.title, info.issuer, info.subject, *first) if p)


class DocContexts:
    """Context tokens per document, in the forms coverage compares (BM25 tokens and plainly folded words)."""

    def __init__(self, docs: dict):
        self._tokens = {}
        for name, d in docs.items():
            text = context_text(d)
            self._tokens[name] = frozenset(doc_tokens(text, "")) | frozenset(fold(text).split())

    def present(self, toks: list[str], docs: list[str]) -> np.ndarray:
        """[len(docs), len(toks)]: is token j among the context words of document i."""
        out = np.zeros((len(docs), len(toks)), bool)
        rows: dict[str, np.ndarray] = {}
        for i, doc in enumerate(docs):
            row = rows.get(doc)
            if row is None:
                have = self._tokens.get(doc, frozenset())
                row = rows[doc] = np.array([t in have for t in toks], bool)
            out[i] = row
        return out
