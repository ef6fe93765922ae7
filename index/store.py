"""The index on disk: FAISS vectors, chunk metadata, lexical index, manifest.

Layout under `<home>/index/`:
    CURRENT            name of the live version directory (replaced atomically)
    v-<stamp>/         manifest.json, chunks.json, documents.json, vectors.npy, dense.faiss, lexical/

A build writes a whole new version directory, then swaps CURRENT with
os.replace. Killing a build at any moment leaves the previous version live.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kehoach.records import Chunk, Document, PlanInfo

FORMAT_VERSION = 1
FLAT_LIMIT = 50_000          # above this, exact search gets slow: switch to HNSW


class IndexError_(Exception):
    """The index is missing, corrupt or built for something else; the message says which."""


@dataclass
class StoredDoc:
    doc: str
    path: str
    sha256: str
    ocr: bool
    info: PlanInfo
    lines: list[str]
    restored_lines: list[str] | None

    @classmethod
    def from_document(cls, d: Document) -> StoredDoc:
        return cls(doc=d.doc, path=d.path, sha256=d.sha256, ocr=d.ocr, info=d.info, lines=d.lines,
                   restored_lines=d.restored_lines)


def make_faiss_index(vectors: np.ndarray):
    """Exact inner product up to FLAT_LIMIT vectors, HNSW above (vectors are normalised)."""
    import faiss
    n, dim = vectors.shape
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    # ---- reading ---------------------------------------------------------------
    def current_dir(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text("utf-8").strip()
        except OSError:
            return None
        d = self.root / name
        return d if name and d.is_dir() else None

    def manifest(self) -> dict | None:
        d = self.current_dir()
        if d is None:
            return None
        try:
            return json.loads((d / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None

    def load(self) -> tuple[dict, list[Chunk], list[StoredDoc], np.ndarray, object, Path]:
        """Everything a searcher needs; raises IndexError_ with a Vietnamese message."""
        import faiss
        d = self.current_dir()
        if d is None:
            raise IndexError_("Chưa có chỉ mục (index) — cần xây dựng.")
        try:
            manifest = json.loads((d / "manifest.json").read_text("utf-8"))
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexError_("Chỉ mục được tạo bởi phiên bản khác — cần xây dựng lại.")
            chunks = [Chunk(**c) for c in json.loads((d / "chunks.json").read_text("utf-8"))]
            docs = []
            for raw in json.loads((d / "documents.json").read_text("utf-8")):
                raw["info"] = PlanInfo(**raw["info"])
                docs.append(StoredDoc(**raw))
            vectors = np.load(d / "vectors.npy", allow_pickle=False)
            index = faiss.read_index(str(d / "dense.faiss"))
        except IndexError_:
            raise
        except Exception as exc:  # any unreadable piece means the same thing to the user
            raise IndexError_(f"Chỉ mục bị hỏng ({type(exc).__name__}) — cần xây dựng lại.") from exc
        if not (len(chunks) == vectors.shape[0] == index.ntotal == manifest.get("n_chunks")):
            raise IndexError_("Chỉ mục không nhất quán (số đoạn không khớp) — cần xây dựng lại.")
        return manifest, chunks, docs, vectors, index, d

    # ---- writing ---------------------------------------------------------------
    def write(self, manifest: dict, chunks: list[Chunk], docs: list[StoredDoc], vectors: np.ndarray,
              lexical_tokens: list[list[str]]) -> Path:
        import faiss

        from kehoach.index.lexical import LexicalIndex
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".building-"))
        try:
            index = make_faiss_index(vectors)
            manifest = {**manifest, "format_version": FORMAT_VERSION, "n_chunks": len(chunks),
                        "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
                        "faiss": type(index).__name__, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
            np.save(tmp / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
            faiss.write_index(index, str(tmp / "dense.faiss"))
            LexicalIndex.build(lexical_tokens).retriever.save(str(tmp / "lexical"), show_progress=False)
            _dump(tmp / "chunks.json", [asdict(c) for c in chunks])
            _dump(tmp / "documents.json", [asdict(d) for d in docs])
            _dump(tmp / "manifest.json", manifest)   # last: its presence marks a complete version
            # The temp dir's random suffix keeps two builds within one second apart.
            final = self.root / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{tmp.name.rsplit('-', 1)[-1]}"
            os.replace(tmp, final)
            _write_text_atomic(self.root / "CURRENT", final.name)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._prune(keep=final)
        return final

    def _prune(self, keep: Path) -> None:
        """Remove old versions and abandoned builds (never the live one)."""
        for p in self.root.iterdir():
            if p.is_dir() and p != keep and (p.name.startswith("v-") or p.name.startswith(".building-")):
                # A build still running in another process owns its .building dir: leave young ones.
                if p.name.startswith(".building-") and time.time() - p.stat().st_mtime < 3600:
                    continue
                shutil.rmtree(p, ignore_errors=True)


def _dump(path: Path, data) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _write_text_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
