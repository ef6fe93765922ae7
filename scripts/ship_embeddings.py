#!/usr/bin/env python3
"""Regenerate what ships in index/data/: the bundled plans' passage vectors (passages.f16.npy + passages.json)
and the restored text of their OCR plans (restored.json.gz).

    .venv/bin/python scripts/ship_embeddings.py

Run it after any change that alters the text of the bundled plans' chunks (parser, restorer, chunker,
agency directory) or the model; a stale file is harmless (chunks whose text changed are simply embedded at
the first build) but costs time. It indexes the bundled plans in a temporary home with the real
sentence-transformers encoder, embedding every chunk (the shipped file is never read), and writes the
vectors keyed by the model and the exact text embedded.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    from kehoach.config import DEFAULT_MODEL, Config
    from kehoach.index.build import build_index
    from kehoach.index.chunks import dense_text
    from kehoach.index.model import Encoder
    from kehoach.index.model_identity import model_key
    from kehoach.index.shipped import DATA_DIR, VectorCache, text_key, write_restored, write_shipped
    from kehoach.index.store import IndexStore

    base = Config.load()
    if base.model != DEFAULT_MODEL or base.corpus:
        print("Chỉ tạo được cho mô hình mặc định và bộ văn bản đi kèm (unset KEHOACH_MODEL / corpus).")
        return 2
    os.environ.setdefault("KEHOACH_MODEL_DIR", str(base.model_dir))   # reuse the converted model
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kehoach-ship-") as tmp:
        cfg = Config(home=Path(tmp), model=base.model, model_segmented=base.model_segmented)
        encoder = Encoder.load(cfg)
        res = build_index(cfg, encoder=encoder, say=print, progress=True, force=True, use_shipped=False)
        manifest, chunks, _docs, vectors, _index, _dir = IndexStore(cfg.index_dir).load()
        titles = {doc: d.get("title", "") for doc, d in manifest["docs"].items()}
        texts = [dense_text(c, titles.get(c.doc, ""), cfg.model_segmented) for c in chunks]
        key = model_key(cfg)
        vec_path, key_path = write_shipped(
            DATA_DIR, key, encoder.model_id, cfg.passage_prompt, texts, vectors,
            note=f"{res['documents']} bundled plans, {len(chunks)} chunks; regenerate: scripts/ship_embeddings.py")
        restored = write_restored(DATA_DIR, cfg)
        cache = VectorCache.shipped(key)
        assert cache is not None and all(cache.get(text_key(cfg.passage_prompt, t)) is not None for t in texts)
        worst = min(float(cache.get(text_key(cfg.passage_prompt, t)) @ v) for t, v in zip(texts, vectors))
    kb = {p: p.stat().st_size / 1024 for p in (vec_path, key_path, restored)}
    print(f"Đã ghi {len(cache)} vectơ ({kb[vec_path]:.0f} KB + {kb[key_path]:.0f} KB) và văn bản khôi phục "
          f"({kb[restored]:.0f} KB) vào {DATA_DIR} trong {time.perf_counter() - t0:.0f} s; "
          f"cosine nhỏ nhất so với float32: {worst:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
