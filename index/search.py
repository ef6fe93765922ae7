"""Dense, lexical and hybrid retrieval over the stored index, with metadata filters.

The fusion is a weighted sum of calibrated scores rather than a rank fusion:
  dense:   z-score of the cosine against the corpus's own score distribution
           for this query (a query the model does not understand gets a flat
           distribution, hence small z, hence little say);
  lexical: BM25 divided by the most the query's terms could contribute (the
           sum of their IDFs), so an answer that matches none of the rare
           words scores near zero however the rest of the corpus scores;
  coverage: share of the query's syllables present in the chunk.
Dense scores of chunks from OCR documents get their own weight, because even
restored text is less reliable for the dense model than clean text.
Weights are tuned on eval/dev.jsonl (see eval/README.md) and live in Config.fusion.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from kehoach.config import Config
from kehoach.index.coverage import Coverage
from kehoach.index.doc_context import DocContexts, context_ranking
from kehoach.index.lexical import CscScores, LexicalIndex, is_syllable, query_tokens
from kehoach.index.segmenter import segment
from kehoach.index.store import IndexError_, IndexStore, StoredDoc
from kehoach.records import Chunk, Task

DEFAULT_FUSION = {"w_dense": 1.0, "w_dense_ocr": 0.6, "w_lex": 4.0, "w_cov": 1.0, "pool": 200, "doc_context": 1.0,
                  "doc_context_lex": 0.5}
MODES = ("hybrid", "dense", "lexical")


@dataclass
class Hit:
    chunk: Chunk
    score: float
    dense: float = 0.0       # cosine
    dense_z: float = 0.0
    lexical: float = 0.0     # normalised BM25 in [0, ~1]
    cov_uni: float = 0.0     # share of the query's syllables in the chunk
    cov_bi: float = 0.0      # share of the query's syllable pairs in the chunk


@dataclass
class Signals:
    """Per-candidate scores of one query, aligned with `ids` (chunk ids)."""

    ids: np.ndarray
    cos: np.ndarray | None
    z: np.ndarray | None
    lex: np.ndarray | None
    cov: np.ndarray | None
    ocr: np.ndarray
    cov_uni: np.ndarray | None = None
    cov_bi: np.ndarray | None = None
    lex_rank: np.ndarray | None = None   # BM25 as the fusion ranks by it (document context), else `lex`


@dataclass
class Filters:
    doc: str | None = None
    agency: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    status: frozenset[str] | None = None   # deadline statuses (qa.status) to keep
    as_of: str | None = None               # ISO date the status is computed against; today if None

    @classmethod
    def from_dict(cls, d: dict | None) -> Filters:
        d = d or {}

        def year(v):
            try:
                return int(v) if v not in (None, "") else None
            except (TypeError, ValueError):
                return None
        from kehoach.qa.status import parse_statuses
        status = parse_statuses(d.get("status"))
        return cls(doc=d.get("doc") or None, agency=(d.get("agency") or "").strip() or None,
                   year_from=year(d.get("year_from", d.get("year"))),
                   year_to=year(d.get("year_to", d.get("year"))),
                   status=frozenset(status) if status else None, as_of=d.get("as_of") or None)

    def active(self) -> bool:
        return any(v is not None for v in (self.doc, self.agency, self.year_from, self.year_to, self.status))


def years_overlap(item: Chunk | Task, lo: int | None, hi: int | None) -> bool:
    """Does a task or chunk fall in [lo, hi]? Shared by search filters and `kehoach tasks --year`."""
    if item.recurring:
        return True          # "thường xuyên, hằng năm" holds for every year
    if not item.deadline_years:
        return False
    a, b = item.deadline_years
    a = a if a is not None else -math.inf
    b = b if b is not None else math.inf
    return (lo is None or b >= lo) and (hi is None or a <= hi)


class Searcher(Coverage):
    """Everything loaded once; `search` is safe to call from several threads."""

    def __init__(self, cfg: Config, manifest: dict, chunks: list[Chunk], docs: list[StoredDoc],
                 vectors: np.ndarray, index, lexical: LexicalIndex, encoder=None):
        self.cfg = cfg
        self.manifest = manifest
        self.chunks = chunks
        self.docs = {d.doc: d for d in docs}
        self.vectors = vectors
        self.index = index
        self.lexical = lexical
        self._encoder = encoder
        self._threads_set = False
        self._lock = threading.Lock()
        self.fusion = {**DEFAULT_FUSION, **(cfg.fusion or {})}
        self._ocr = np.array([self.docs[c.doc].ocr if c.doc in self.docs else False for c in chunks])
        order = {d: i for i, d in enumerate(dict.fromkeys(c.doc for c in chunks))}
        self._chunk_doc = np.array([order[c.doc] for c in chunks], np.int64)
        # Built on demand for candidates only: at 100k chunks building them all took 100 s.
        self._token_sets: dict[int, frozenset[str]] = {}
        self._fold_sets: dict[int, frozenset[str]] = {}
        self._printed: dict[str, frozenset[str]] = {}
        # Agency name -> chunk ids (lead or support), so an agency filter touches only its chunks.
        self._by_agency: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            for name in dict.fromkeys([*c.lead, *c.support]):
                self._by_agency.setdefault(name, []).append(i)
        rng = np.random.default_rng(0)
        n = len(chunks)
        # The dense score distribution is estimated on a fixed sample: exact for small corpora.
        self._sample = vectors if n <= 4000 else vectors[rng.choice(n, 4000, replace=False)]
        self._idf, self._idf_unknown = self._idf_table()

    # ---- loading ---------------------------------------------------------------
    @classmethod
    def load(cls, cfg: Config, encoder=None, build_if_missing: bool = True, say=print) -> Searcher:
        from kehoach.index.build import build_index, corpus_state, is_fresh
        store = IndexStore(cfg.index_dir)
        manifest = store.manifest()
        if not cfg.corpus and (recorded := store.recorded_sources()):
            cfg = cfg.with_(corpus=tuple(recorded))   # keep to the corpus the user indexed (corpus.toml)
        if build_if_missing:
            state, _ = corpus_state(cfg)
            if manifest is None:
                say(store.missing_message())
            elif not is_fresh(cfg, manifest, state):
                say("Văn bản hoặc phiên bản đã thay đổi: đang cập nhật chỉ mục…")
            if manifest is None or not is_fresh(cfg, manifest, state):
                build_index(cfg, encoder=encoder, say=say)
        try:
            loaded = store.load()
        except IndexError_ as exc:
            if not build_if_missing:
                raise
            say(f"{exc} Đang xây dựng lại…")
            build_index(cfg, encoder=encoder, say=say, force=True)
            loaded = store.load()
        manifest, chunks, docs, vectors, index, directory = loaded
        try:
            retriever = CscScores.load(directory / "lexical")
        except (OSError, ValueError, KeyError):
            import bm25s   # a layout this reader does not know: bm25s itself
            retriever = bm25s.BM25.load(str(directory / "lexical"), show_progress=False)
        vocab = sorted(t for t in retriever.vocab_dict if is_syllable(t) and not t.isdigit() and t != "")
        return cls(cfg, manifest, chunks, docs, vectors, index, LexicalIndex(retriever, vocab), encoder)

    @cached_property
    def contexts(self) -> DocContexts:
        return DocContexts(self.docs)

    @cached_property
    def encoder(self):
        """The sentence-transformers model: passages (and queries when no lighter runtime applies)."""
        if self._encoder is None:
            from kehoach.index.model import Encoder
            self._encoder = Encoder.load(self.cfg)
        return self._encoder

    @cached_property
    def query_encoder(self):
        """What encodes questions: an encoder given by the caller, else ONNX Runtime or numpy over the same
        converted weights (no torch import: see index/query_encoder.py), else sentence-transformers."""
        if self._encoder is not None:
            return self._encoder
        from kehoach.index.query_encoder import QueryEncoder
        return QueryEncoder.load(self.cfg) or self.encoder

    def _idf_table(self) -> tuple[dict[str, float], float]:
        r = self.lexical.retriever
        n = max(1, r.scores["num_docs"])
        indptr = r.scores["indptr"]
        idf = {}
        for tok, i in r.vocab_dict.items():
            if i + 1 >= len(indptr):
                continue   # bm25s's placeholder for the empty token has no column
            df = int(indptr[i + 1] - indptr[i])
            idf[tok] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return idf, math.log(1 + (n + 0.5) / 0.5)

    # ---- filtering -------------------------------------------------------------
    @cached_property
    def _agency_lists(self) -> list[tuple[str, ...]]:
        return list(dict.fromkeys(t for c in self.chunks for t in (tuple(c.lead), tuple(c.support)) if t))

    def agency_lists(self) -> list[tuple[str, ...]]:
        """Each distinct list of lead or support agencies of a chunk, as read."""
        return self._agency_lists

    def printed_names(self, asked: str) -> frozenset[str]:
        """The corpus's names for an agency the directory lacks, as a question or filter prints it (read
        once per agency: a pass over every list of agencies)."""
        found = self._printed.get(asked)
        if found is None:
            from kehoach.qa.named import corpus_names
            found = self._printed[asked] = frozenset(corpus_names(asked, self.agency_lists()))
        return found

    def mask(self, filters: Filters) -> np.ndarray | None:
        if not filters.active():
            return None
        keep = np.ones(len(self.chunks), dtype=bool)
        if filters.doc:
            wanted = filters.doc.strip()
            keep &= np.array([c.doc == wanted for c in self.chunks])
        if filters.agency:
            from kehoach.corpus.agencies import Directory
            from kehoach.qa.succession import filter_names
            # One way only: an agency's own tasks and those it took over, never its successor's
            # (the one rule of qa/succession.py, shared with the answers and the tab).
            names = filter_names(Directory.load(), filters.agency, filters.as_of)
            if not names:
                # An agency the directory lacks is kept as printed: its tasks, whatever the case of its name.
                names = self.printed_names(filters.agency)
            agency = np.zeros(len(self.chunks), dtype=bool)
            for name in names:
                agency[self._by_agency.get(name, [])] = True
            keep &= agency
        if filters.year_from is not None or filters.year_to is not None:
            keep &= np.array([years_overlap(c, filters.year_from, filters.year_to) for c in self.chunks])
        if filters.status:
            from kehoach.qa.status import status_of
            keep &= np.array([status_of(c, filters.as_of) in filters.status for c in self.chunks])
        return keep

    # ---- scoring ---------------------------------------------------------------
    def _query_vec(self, query: str) -> np.ndarray:
        encoder = self.query_encoder
        if getattr(encoder, "runtime", None) in ("onnxruntime", "numpy"):
            # Thread-safe and lock-free past tokenisation: concurrent questions use both cores.
            return np.asarray(encoder.encode_queries([query])[0], dtype=np.float32)
        if not self._threads_set and hasattr(encoder, "st"):
            import torch
            torch.set_num_threads(self.cfg.query_threads)
            self._threads_set = True
        # HF fast tokenizers raise "Already borrowed" when two threads tokenise at once.
        with self._lock:
            return np.asarray(encoder.encode_queries([query])[0], dtype=np.float32)

    def _query_terms(self, query: str) -> tuple[list[str], float]:
        toks = query_tokens(query, segment(query)) if query.strip() else []
        return toks, sum(self._idf.get(t, self._idf_unknown) for t in dict.fromkeys(toks)) or 1.0

    def _lexical(self, query: str) -> tuple[np.ndarray, list[str]]:
        toks, denom = self._query_terms(query)
        return self.lexical.scores(toks) / denom, [t for t in toks if "_" not in t]   # syllables and bigrams

    def lexical_scores(self, text: str) -> tuple[np.ndarray, list[str]]:
        """Normalised BM25 of every chunk for `text`, and its syllables and pairs (for `coverage`)."""
        return self._lexical(text)

    def signals(self, query: str, filters: Filters | dict | None = None, mode: str = "hybrid",
                lexical_query: str | None = None) -> Signals | None:
        """The candidate pool and every score the fusion needs, before any weighting.

        `lexical_query` lets the caller keep the question's asking words ("sở nào chủ trì")
        away from BM25 while the dense model still reads the whole question.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if not isinstance(filters, Filters):
            filters = Filters.from_dict(filters)
        n = len(self.chunks)
        if n == 0 or not query.strip():
            return None
        mask = self.mask(filters)
        if mask is not None and not mask.any():
            return None
        pool_size = int(self.fusion["pool"])
        lex, syl = self._lexical(query if lexical_query is None else lexical_query) \
            if mode != "dense" else (None, None)
        qv = self._query_vec(query) if mode != "lexical" else None

        if mask is not None and mask.sum() <= 4 * pool_size:
            ids = np.flatnonzero(mask)          # few enough to score them all exactly
        else:
            pool: set[int] = set()
            if qv is not None:
                _, found = self.index.search(qv[None, :], min(n, pool_size if mask is None else 4 * pool_size))
                pool.update(int(i) for i in found[0] if i >= 0)
            if lex is not None:
                top = np.argpartition(-lex, min(pool_size, n - 1))[:pool_size]
                pool.update(int(i) for i in top if lex[i] > 0)
            if mask is not None:
                pool = {i for i in pool if mask[i]}
            ids = np.array(sorted(pool), dtype=np.int64)
        if len(ids) == 0:
            return None
        cos = z = None
        if qv is not None:
            cos = self.vectors[ids] @ qv
            sample = self._sample @ qv
            z = (cos - sample.mean()) / (sample.std() + 1e-6)
        cov = uni = bi = lex_rank = None
        if syl is not None:
            uni, bi = self._coverage(syl, ids)
            cov, lex_rank = context_ranking(self, syl, ids, (uni, bi), lex,
                                            query if lexical_query is None else lexical_query, filters.doc)
        return Signals(ids=ids, cos=cos, z=z, lex=lex[ids] if lex is not None else None, cov=cov,
                       ocr=self._ocr[ids], cov_uni=uni, cov_bi=bi, lex_rank=lex_rank)

    def fuse(self, sig: Signals, mode: str = "hybrid", fusion: dict | None = None) -> np.ndarray:
        if mode == "dense":
            return sig.cos
        if mode == "lexical":
            return sig.lex
        f = fusion or self.fusion
        w_dense = np.where(sig.ocr, f["w_dense_ocr"], f["w_dense"])
        lex = sig.lex if sig.lex_rank is None else sig.lex_rank
        return w_dense * sig.z + f["w_lex"] * lex + f["w_cov"] * sig.cov

    def search(self, query: str, k: int = 10, filters: Filters | dict | None = None,
               mode: str = "hybrid", lexical_query: str | None = None) -> list[Hit]:
        sig = self.signals(query, filters, mode, lexical_query)
        if sig is None:
            return []
        score = self.fuse(sig, mode)
        order = np.argsort(-score, kind="stable")[:k]
        return [Hit(chunk=self.chunks[int(sig.ids[j])], score=float(score[j]),
                    dense=float(sig.cos[j]) if sig.cos is not None else 0.0,
                    dense_z=float(sig.z[j]) if sig.z is not None else 0.0,
                    lexical=float(sig.lex[j]) if sig.lex is not None else 0.0,
                    cov_uni=float(sig.cov_uni[j]) if sig.cov_uni is not None else 0.0,
                    cov_bi=float(sig.cov_bi[j]) if sig.cov_bi is not None else 0.0) for j in order]

    def unknown_share(self, query: str) -> float:
        """Share of the query's syllables that occur nowhere in the corpus: topics the plans lack."""
        syl = [t for t in query_tokens(query) if is_syllable(t)]
        return sum(t not in self._idf for t in syl) / len(syl) if syl else 0.0
