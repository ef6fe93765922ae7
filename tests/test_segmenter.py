"""The query segmenter must give pyvi's output exactly (it replaces pyvi on the query path only)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kehoach.config import bundled_corpus_dir
from kehoach.index.segmenter import Segmenter, segment

CORPUS = bundled_corpus_dir()
DOCS = sorted(p.name for p in CORPUS.glob("*.txt"))

EVAL = Path(__file__).resolve().parents[1] / "eval"


def _texts() -> list[str]:
    qs = [json.loads(line)["question"] for f in ("dev.jsonl", "heldout.jsonl")
          for line in (EVAL / f).read_text("utf-8").splitlines() if line.strip()]
    lines = [ln for d in DOCS for ln in (CORPUS / d).read_text("utf-8").splitlines()[::7] if ln.strip()]
    odd = ["", "   ", "Sở TT&TT, UBND tỉnh: 2021-2025!", "Tp. Hồ Chí Minh ... ==> email a.b@c.vn http://x.vn/y",
           "GIÁO DỤC STEM", "giao duc stem khong dau", "1.000.000 đồng; 4,5%", "e\u0301 NFD"]
    return qs + lines + odd


def test_same_output_as_pyvi():
    from pyvi import ViTokenizer
    texts = _texts()
    assert len(texts) > 400
    seg = Segmenter.load()
    mismatches = [(t, seg.tokenize(t), ViTokenizer.tokenize(t)) for t in texts
                  if seg.tokenize(t) != ViTokenizer.tokenize(t)]
    assert mismatches == []


def test_segment_joins_words_and_skips_blank():
    assert segment("  ") == ""
    assert "giáo_dục" in segment("phát triển giáo dục STEM")


def test_loading_does_not_import_scikit_learn():
    import subprocess
    code = ("import sys; from kehoach.index.segmenter import segment; segment('giáo dục'); "
            "print(any(m.split('.')[0] in ('sklearn', 'sklearn_crfsuite', 'pyvi') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_pickle_with_unexpected_globals_is_refused(tmp_path, monkeypatch):
    import pickle

    from kehoach.index import segmenter

    class Evil:
        def __reduce__(self):
            return (print, ("executed",))
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pyvi3.pkl").write_bytes(pickle.dumps(Evil(), protocol=2))
    (tmp_path / "models" / "words.txt").write_text("a b\n", "utf-8")
    monkeypatch.setattr(segmenter, "_pyvi_dir", lambda: tmp_path)
    segmenter.Segmenter.load.cache_clear()
    try:
        with pytest.raises(segmenter.SegmenterError):
            segmenter.Segmenter.load()
    finally:
        segmenter.Segmenter.load.cache_clear()
