"""The peer to beat: a generic RAG pipeline (fixed 1,000-character chunks with 200 overlap, dense only),
as document-chat tools do by default.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np


class FixedChunkRAG:
    """1,000-character windows with 200 overlap over the printed text, dense only."""

    def __init__(self, docs, encoder, cache_dir: Path, size: int = 1000, overlap: int = 200):
        self.encoder = encoder
        self.spans: list[tuple[str, list[int]]] = []
        texts = []
        for d in docs:
            text = "\n".join(d.lines)
            starts = np.cumsum([0] + [len(ln) + 1 for ln in d.lines])   # char offset of each line
            pos = 0
            while pos < len(text):
                piece = text[pos:pos + size]
                if piece.strip():
                    a = int(np.searchsorted(starts, pos, side="right"))
                    b = int(np.searchsorted(starts, pos + len(piece) - 1, side="right"))
                    self.spans.append((d.doc, [a, b]))
                    texts.append(piece)
                if pos + size >= len(text):
                    break
                pos += size - overlap
        digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]   # stable across processes
        key = f"rag-{getattr(encoder, 'checksum', 'x')[:12]}-{digest}.npy"
        path = cache_dir / key
        if path.is_file():
            self.vectors = np.load(path)
        else:
            self.vectors = encoder.encode_passages(texts, progress=True)
            cache_dir.mkdir(parents=True, exist_ok=True)
            np.save(path, self.vectors)

    def search(self, question: str, k: int = 10) -> list[tuple[str, list[int]]]:
        q = self.encoder.encode_queries([question])[0]
        order = np.argsort(-(self.vectors @ q))[:k]
        return [self.spans[i] for i in order]
