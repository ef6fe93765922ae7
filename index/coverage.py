"""Coverage: which of a query's syllables and syllable pairs a chunk holds (a signal of the hybrid fusion and a
feature of the confidence). A mixin of index/search.py's Searcher, which supplies `chunks`, `lexical`,
`contexts` and the per-chunk caches `_token_sets` and `_fold_sets`."""
from __future__ import annotations

import numpy as np

from kehoach.corpus.text import fold
from kehoach.index import marks
from kehoach.index.chunks import lexical_fields
from kehoach.index.lexical import doc_tokens, is_syllable, query_tokens


class Coverage:
    def _coverage(self, toks: list[str], ids: np.ndarray, context: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """`coverage` for many chunks at once; with `context` > 0, a query token found only in the chunk's
        document context (index/doc_context.py) counts for that share of a token found in the chunk."""
        hits, cols, counts = self._token_hits(toks, ids)
        hits = hits.astype(np.float32)
        if context:
            ctx = self.contexts.present(cols, [self.chunks[int(i)].doc for i in ids])
            hits = np.maximum(hits, context * ctx)
        w_hits = hits * np.array([counts[t] for t in cols], np.float32)
        n_uni = sum(counts[t] for t in cols if "+" not in t)
        n_bi = sum(counts[t] for t in cols if "+" in t)
        k = sum("+" not in t for t in cols)
        cov_uni = w_hits[:, :k].sum(1) / n_uni if n_uni else np.zeros(len(ids), np.float32)
        cov_bi = w_hits[:, k:].sum(1) / n_bi if n_bi else np.zeros(len(ids), np.float32)
        return cov_uni.astype(np.float32), cov_bi.astype(np.float32)

    def _token_hits(self, toks: list[str], ids: np.ndarray) -> tuple[np.ndarray, list[str], dict[str, int]]:
        """[len(ids), distinct query tokens (syllables, then pairs)]: is the token in the chunk, read off the
        BM25 postings where the index has them.

        A chunk's coverage tokens are its BM25 tokens (OCR-folded syllables and pairs) plus its plainly
        folded words; the postings answer the first part without tokenising any chunk, so only the cheap
        `fold` runs per candidate (the cold first query spent 0.3 s in `ocr_fold` here).
        """
        uni = list(dict.fromkeys(t for t in toks if "+" not in t))
        bi = list(dict.fromkeys(t for t in toks if "+" in t))
        cols = [*uni, *bi]
        counts = {t: toks.count(t) for t in cols}      # a repeated query token counts each time
        postings = getattr(self.lexical.retriever, "postings", None)
        if postings is None:
            hits = np.array([[t in self._tokens_of(int(i)) for t in cols] for i in ids], bool)
            return hits.reshape(len(ids), len(cols)), cols, counts
        mark = np.zeros(len(self.chunks), bool)
        hits = np.zeros((len(ids), len(cols)), bool)
        for j, t in enumerate(cols):
            docs = postings(t)
            if docs is not None and len(docs):
                mark[docs] = True
                hits[:, j] = mark[ids]
                mark[docs] = False
        if uni:
            # Plainly folded words hold no pairs, so only syllables are looked up in them.
            hits[:, :len(uni)] |= np.array([[t in f for t in uni] for f in map(self._folded_of, ids.tolist())],
                                           bool).reshape(len(ids), len(uni))
        return hits, cols, counts

    def _folded_of(self, i: int) -> frozenset[str]:
        present = self._fold_sets.get(i)
        if present is None:
            present = frozenset(fold(lexical_fields(self.chunks[i])).split())
            self._fold_sets[i] = present
        return present

    def _tokens_of(self, i: int) -> frozenset[str]:
        present = self._token_sets.get(i)
        if present is None:
            fields = lexical_fields(self.chunks[i])
            present = frozenset(doc_tokens(fields, "")) | frozenset(fold(fields).split())
            self._token_sets[i] = present
        return present

    def coverage(self, toks: list[str], i: int) -> tuple[float, float]:
        """Shares of the query's syllables and of its syllable pairs present in chunk i."""
        present = self._tokens_of(i)
        uni = [t for t in toks if "+" not in t]
        bi = [t for t in toks if "+" in t]
        return (sum(t in present for t in uni) / len(uni) if uni else 0.0,
                sum(t in present for t in bi) / len(bi) if bi else 0.0)


    def topic_coverage(self, text: str, ids: list[int], printed: str | None = None) -> list[tuple[float, int]]:
        """For each chunk: the share (weighted by IDF) of the syllables of `text` that the chunk's own words
        hold, among those its document's context does not (title, issuer, subject), and how many such
        syllables there are. The header says which plan; what the question asks of it must be in the passage
        itself. Numbers are left out: a year matches a year of any plan. With `printed` (the same words as the
        user typed them), a syllable the user wrote with marks must be in a clean passage with those marks
        (index/marks.py); an OCR passage's restored marks are not trusted for that."""
        toks = [t for t in dict.fromkeys(query_tokens(text)) if is_syllable(t) and not t.isdigit()]
        if not toks or not ids:
            return [(1.0, 0) for _ in ids]
        cols = toks
        asked = marks.marked_forms(printed or "")
        own = np.array([[t in have and self._same_marks(t, asked.get(t), i) for t in cols]
                        for i, have in zip(ids, map(self._words_of_task, ids))], bool)
        ctx = self.contexts.present(cols, [self.chunks[i].doc for i in ids])
        idf = np.array([self._idf.get(t, self._idf_unknown) for t in cols], np.float32)
        out = []
        for row_own, row_ctx in zip(own, ctx):
            asked = ~row_ctx
            weight = float((idf * asked).sum())
            out.append((float((idf * asked * row_own).sum()) / weight if weight else 1.0, int(asked.sum())))
        return out

    def _same_marks(self, syllable: str, forms: set | None, i: int) -> bool:
        c = self.chunks[i]
        if not forms or c.text_restored is not None:
            return True
        return marks.holds(" ".join([c.text, *c.headings[-2:], c.deadline or ""]), syllable, forms)

    def _words_of_task(self, i: int) -> frozenset[str]:
        """A chunk's lexical words without the names of its agencies: "Công ty Khai thác thủy lợi" leading a
        task on canals says nothing about "khai thác nước dưới đất"."""
        c = self.chunks[i]
        text = f" {fold(' '.join([c.text, c.text_restored or '', *c.headings[-2:], c.deadline or '']))} "
        for name in sorted({fold(n) for n in (*c.lead, *c.support) if n}, key=len, reverse=True):
            text = text.replace(f" {name} ", " ")
        return frozenset(doc_tokens(text, "")) | frozenset(text.split())
