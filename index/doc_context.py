"""The words a whole document stands under: its title, issuer, subject and the issuing body's lines.

A task of "Chỉ thị … của UBND tỉnh X về phòng, chống hạn mặn" never repeats the province or "hạn mặn":
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
        # A word every document's header holds ("kế hoạch", "ủy ban") tells no plan from another.
        common = frozenset.intersection(*self._tokens.values()) if len(self._tokens) > 1 else frozenset()
        self._tokens = {name: toks - common for name, toks in self._tokens.items()}

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


def level_lexical(scores_of, toks: list[str], ids: np.ndarray, chunk_doc: np.ndarray, present) -> np.ndarray:
    """BM25 of the candidates with each query token that is a context word of a chunk's document scored, for
    every candidate of that document, as the best of them scores it: the header block, which repeats the
    title, keeps no lead on those words over the tasks it stands above (raw BM25, not yet normalised).

    `scores_of(token)` is BM25 of every chunk for one token, `chunk_doc` the document index of every chunk,
    `present(tokens, ids)` the context test of DocContexts for the candidates. Only candidates are compared,
    so the cost does not grow with the corpus."""
    distinct = list(dict.fromkeys(toks))
    ctx = present(distinct, ids)                    # [len(ids), len(distinct)]
    docs = chunk_doc[ids]
    delta = np.zeros(len(ids), np.float32)
    for j, t in enumerate(distinct):
        if not ctx[:, j].any():
            continue
        s = scores_of(t)[ids] * toks.count(t)
        best = np.zeros(int(docs.max()) + 1, np.float32)
        np.maximum.at(best, docs, s)
        delta += np.where(ctx[:, j], best[docs] - s, 0.0)
    return delta


def context_ranking(searcher, syl: list[str], ids: np.ndarray, own: tuple, lex: np.ndarray | None,
                    lexical_query: str, doc: str | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """Coverage and BM25 as the fusion ranks by them, with the documents' context words (weights
    `doc_context`, `doc_context_lex` of the fusion; 0 turns either off). Only the ranking reads them: the
    features the confidence was calibrated on keep the chunk's own coverage and BM25. Not when the search
    keeps to one document (`doc`, a plan the question cites by number or the user chose): which plan is
    settled, and a question about the plan itself ("Kế hoạch 214 thực hiện đến năm nào?") is answered by
    its header and opening passages."""
    f = searcher.fusion
    w_cov, w_lex = float(f.get("doc_context") or 0.0), float(f.get("doc_context_lex") or 0.0)
    if doc:
        w_cov = w_lex = 0.0
    uni, bi = searcher._coverage(syl, ids, context=w_cov) if w_cov else own
    cov = (uni + bi) / 2 if any("+" in t for t in syl) else uni
    if not w_lex or lex is None:
        return cov, None
    toks, denom = searcher._query_terms(lexical_query)
    docs_of = lambda ts, i: searcher.contexts.present(ts, [searcher.chunks[int(k)].doc for k in i])  # noqa: E731
    delta = level_lexical(lambda t: searcher.lexical.scores([t]), toks, ids, searcher._chunk_doc, docs_of)
    return cov, lex[ids] + w_lex * delta / denom
