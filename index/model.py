"""The sentence-embedding model: `Encoder` loads a sentence-transformers directory (the converted default,
see provisioning.py, or any other directory or hub id) and embeds queries and passages with the model's
own prompts. torch, sentence-transformers and friends are imported only where needed: they take seconds
to import, and most commands never embed anything.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from kehoach.config import DEFAULT_MODEL, Config
from kehoach.index.model_error import ModelError
from kehoach.index.model_identity import checksum as model_checksum, is_local
from kehoach.index.provisioning import provision

__all__ = ["Encoder", "ModelError", "describe"]


class Encoder:
    """Queries and passages to L2-normalised float32 vectors, with the model's own prompts."""

    def __init__(self, cfg: Config, st: Any, path: Path | str, checksum: str) -> None:
        self.cfg = cfg
        self.st = st
        self.path = path
        self.checksum = checksum
        self.model_id = cfg.model if cfg.model == DEFAULT_MODEL or not is_local(cfg.model) \
            else str(Path(cfg.model).expanduser().resolve())
        self.dim = int(_embedding_dim(st))
        self.max_seq_length = int(st.max_seq_length or 0)

    @classmethod
    def load(cls, cfg: Config) -> Encoder:
        path = provision(cfg)
        target = str(path)
        if is_local(target):
            target = str(Path(target).expanduser())
            if not Path(target).is_dir():
                raise ModelError(f"Không tìm thấy thư mục mô hình {path} (model directory not found).")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        torch.set_num_threads(cfg.threads)
        hf_logging.disable_progress_bar()   # a "Loading weights" bar on every start is noise in the CLI
        try:
            st = SentenceTransformer(target, device="cpu")
        except Exception as exc:  # hub unreachable, missing or broken files: all mean "cannot load"
            reason = (str(exc).strip().splitlines() or [""])[0]
            raise ModelError(f"Không tải được mô hình {cfg.model} (cannot load model: "
                             f"{type(exc).__name__}: {reason}).") from exc
        finally:
            hf_logging.enable_progress_bar()
        return cls(cfg, st, path, model_checksum(cfg.model, path))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.cfg.query_prompt, progress=False)

    def encode_passages(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.cfg.passage_prompt, progress)

    def _encode(self, texts: Sequence[str], prompt: str, progress: bool) -> np.ndarray:
        items = [texts] if isinstance(texts, str) else list(texts)
        if not all(isinstance(t, str) for t in items):
            raise ModelError("Chỉ mã hóa được văn bản (only text can be encoded).")
        if not items:
            return np.zeros((0, self.dim), np.float32)
        items = [unicodedata.normalize("NFC", t) for t in items]
        if self.cfg.model_segmented:
            from pyvi import ViTokenizer

            items = [ViTokenizer.tokenize(t) for t in items]
        vectors = self.st.encode(items, prompt=prompt or None, batch_size=self.cfg.batch_size,
                                 show_progress_bar=progress, convert_to_numpy=True, normalize_embeddings=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _embedding_dim(st: Any) -> int:
    # sentence-transformers 6 renamed the method and deprecates the old name.
    getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
    return getter()


def describe(cfg: Config, encoder: Encoder | None = None) -> dict[str, Any]:
    """What `kehoach model` prints; loads (and if need be provisions) the model unless given one."""
    enc = encoder or Encoder.load(cfg)
    return {"model": enc.model_id, "path": str(enc.path), "dim": enc.dim, "checksum": enc.checksum,
            "segmented": cfg.model_segmented, "max_seq_length": enc.max_seq_length}
