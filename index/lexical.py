"""The lexical side: BM25 (bm25s) over folded syllables and pyvi words.

Folding lets "giáo dục", "giao duc" and the OCR's "giao duc" meet; the pyvi
words ("giao_duc") reward a query's multi-syllable words appearing intact; a
query syllable the corpus never saw is widened to its one-edit neighbours in
the vocabulary, which catches OCR spellings like "gido" for "giao".
"""
from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from kehoach.corpus.text import fold, ocr_fold

# Question and function words: they carry no topic and only add noise to BM25.
# Folding merges syllables ("gió"/"giờ" -> "gio", "cơ"/"có" -> "co", "tài"/"tại" -> "tai"),
# so only words that stay unambiguous once folded are listed.
STOPWORDS = frozenset("""
ai gi nao nhieu khong la cua va cac nhung duoc cho ve voi trong tren theo thi nay o phai hay hoac the sao vay
viec a u nhe oi
""".split())


def _words(segmented: str) -> list[str]:
    """pyvi joins the syllables of a word with "_": keep those as folded tokens."""
    out = []
    for tok in segmented.split():
        if "_" in tok:
            parts = [fold(p) for p in tok.split("_")]
            if all(parts):
                out.append("_".join(parts))
    return out


def _bigrams(syllables: list[str]) -> list[str]:
    """Adjacent syllable pairs ("mang+luoi"): a phrase match outranks scattered words."""
    return [f"{a}+{b}" for a, b in zip(syllables, syllables[1:]) if a not in STOPWORDS and b not in STOPWORDS]


def doc_tokens(fields: str, segmented: str) -> list[str]:
    syllables = ocr_fold(fields).split()
    return syllables + _bigrams(syllables) + _words(segmented)


def is_syllable(token: str) -> bool:
    return "_" not in token and "+" not in token


def query_tokens(query: str, segmented: str | None = None) -> list[str]:
    folded = fold(query).split()
    words = _words(segmented) if segmented is not None else []
    return [t for t in folded if t not in STOPWORDS] + _bigrams(folded) + words


class CscScores:
    """A saved bm25s index read with numpy alone: bm25s imports scipy (0.3 s) for what is, at query time,
    one sparse column sum. Scores are bm25s's own (same float32 accumulation, token by token, as its numpy
    backend's `np.add.at`); tests/test_lexical_reader.py compares the two on every eval question."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, num_docs: int,
                 vocab_dict: dict[str, int], dtype: str = "float32"):
        self.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": num_docs}
        self.vocab_dict = vocab_dict
        self.dtype = np.dtype(dtype)

    @classmethod
    def load(cls, directory) -> CscScores:
        import json
        from pathlib import Path

        d = Path(directory)
        params = json.loads((d / "params.index.json").read_text("utf-8"))
        if params.get("method") not in ("lucene", "robertson", "atire"):
            raise ValueError(f"bm25s method {params.get('method')} needs non-occurrence scores")
        arrays = [np.load(d / f"{name}.csc.index.npy", allow_pickle=False) for name in ("data", "indices", "indptr")]
        vocab = json.loads((d / "vocab.index.json").read_text("utf-8"))
        return cls(*arrays, int(params["num_docs"]), vocab, params.get("dtype", "float32"))

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        data, indices, indptr = self.scores["data"], self.scores["indices"], self.scores["indptr"]
        out = np.zeros(self.scores["num_docs"], dtype=self.dtype)
        for t in tokens:
            j = self.vocab_dict.get(t)
            if j is not None:
                a, b = indptr[j], indptr[j + 1]
                np.add.at(out, indices[a:b], data[a:b])
        return out

    def postings(self, token: str) -> np.ndarray | None:
        """Ids of the chunks that contain `token` (sorted), or None for a token the index never saw."""
        j = self.vocab_dict.get(token)
        if j is None or j + 1 >= len(self.scores["indptr"]):
            return None
        indptr = self.scores["indptr"]
        return self.scores["indices"][indptr[j]:indptr[j + 1]]


class LexicalIndex:
    def __init__(self, retriever, vocab: list[str]):
        self.retriever = retriever
        self.vocab = vocab
        self._vocab_set = set(vocab)

    @classmethod
    def build(cls, token_lists: list[list[str]]) -> LexicalIndex:
        import bm25s
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        # An empty token list would make bm25s drop the document and shift ids.
        retriever.index([toks or ["_"] for toks in token_lists], show_progress=False)
        vocab = sorted({t for toks in token_lists for t in toks if is_syllable(t) and not t.isdigit()})
        return cls(retriever, vocab)

    def expand(self, tokens: list[str]) -> list[str]:
        """Unknown syllables -> their nearest vocabulary syllables (one edit), for OCR spellings."""
        out = []
        for tok in tokens:
            out.append(tok)
            if tok in self._vocab_set or not is_syllable(tok) or len(tok) < 3 or tok.isdigit():
                continue
            for cand, _dist, _ in process.extract(tok, self.vocab, scorer=Levenshtein.distance,
                                                  score_cutoff=1, limit=3):
                out.append(cand)
        return out

    def scores(self, tokens: list[str]) -> np.ndarray:
        if not tokens:
            return np.zeros(self.retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.retriever.get_scores(self.expand(tokens)), dtype=np.float32)
