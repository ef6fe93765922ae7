"""The numpy reader of the BM25 files scores exactly as bm25s, and postings-based coverage equals the
per-chunk definition."""
from __future__ import annotations

import numpy as np

from kehoach.index.build import build_index
from kehoach.index.chunks import segment
from kehoach.index.lexical import CscScores, query_tokens
from kehoach.index.search import Searcher

QUERIES = ["Sở nào chủ trì giáo dục STEM?", "han chot xay dung trung tam du lieu", "phát triển khu công nghiệp",
           "Ban quản lý khu kinh tế", "đào tạo nghề đào tạo nghề", "chuyen doi so", "zzzz qqqq", "2025"]


def test_scores_and_coverage_match_bm25s(tmp_cfg, fake_encoder):
    import bm25s
    build_index(tmp_cfg, encoder=fake_encoder, say=lambda m: None, progress=False)
    s = Searcher.load(tmp_cfg, encoder=fake_encoder, say=lambda m: None)
    assert isinstance(s.lexical.retriever, CscScores)
    ref = bm25s.BM25.load(str(s.manifest and (tmp_cfg.index_dir / (tmp_cfg.index_dir / "CURRENT").read_text().strip()
                                              / "lexical")), show_progress=False)
    ids = np.arange(len(s.chunks))
    for q in QUERIES:
        toks = s.lexical.expand(query_tokens(q, segment(q)))
        assert np.array_equal(s.lexical.retriever.get_scores(toks), np.asarray(ref.get_scores(toks), np.float32)), q
        syl = [t for t in query_tokens(q) if "_" not in t]
        uni, bi = s._coverage(syl, ids)
        old = np.array([s.coverage(syl, int(i)) for i in ids], np.float32)
        assert np.array_equal(uni, old[:, 0]) and np.array_equal(bi, old[:, 1]), q
    assert s.lexical.retriever.postings("khong-co-tu-nay") is None
