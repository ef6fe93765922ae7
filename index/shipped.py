"""Passage vectors that ship with the package, so a first index build embeds only what they lack.

Embedding the bundled plans' 233 chunks is most of a first build (~30 s on two busy cores). The vectors
are a pure function of the model and of the exact text embedded, so they are shipped keyed by both: the
model's checksum (with its conversion recipe and the passage prompt) and the SHA-256 of the text. A newer
parser or restorer that changes a chunk's text changes its key, and only that chunk is embedded again;
a user's own plans are embedded as before. Regenerate with `python scripts/ship_embeddings.py`.

Stored as float16 (half the size; after re-normalisation the cosine to the float32 vector is > 0.99999,
and the evaluation metrics are the same — scripts/bench.py reports them).
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kehoach.files import write_atomic

DATA_DIR = Path(__file__).resolve().parent / "data"
VECTORS_FILE = "passages.f16.npy"
KEYS_FILE = "passages.json"
FORMAT = 1


def text_key(prompt: str, text: str) -> str:
    """What the encoder actually reads: the prompt and the NFC text (the encoder normalises to NFC too)."""
    return hashlib.sha256((prompt + unicodedata.normalize("NFC", text)).encode("utf-8")).hexdigest()[:32]


class VectorCache:
    """key -> float32 unit vector, for one model."""

    def __init__(self, model_key: str, vectors: np.ndarray, keys: Sequence[str], meta: dict | None = None):
        self.model_key = model_key
        self.vectors = vectors
        self.index = {k: i for i, k in enumerate(keys)}
        self.meta = meta or {}
        self.dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0

    def __len__(self) -> int:
        return len(self.index)

    def get(self, key: str) -> np.ndarray | None:
        i = self.index.get(key)
        if i is None:
            return None
        v = np.asarray(self.vectors[i], dtype=np.float32)
        n = float(np.linalg.norm(v))
        return v / n if n else v

    @classmethod
    def shipped(cls, model_key: str | None, directory: Path | None = None) -> VectorCache | None:
        """The package's vectors if they were made by this model; None otherwise (or if unreadable)."""
        if not model_key:
            return None
        directory = directory or DATA_DIR
        try:
            meta = json.loads((directory / KEYS_FILE).read_text("utf-8"))
            if meta.get("format") != FORMAT or meta.get("model_key") != model_key:
                return None
            vectors = np.load(directory / VECTORS_FILE, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if vectors.ndim != 2 or len(vectors) != len(meta.get("keys", [])):
            return None
        return cls(model_key, vectors, meta["keys"], meta)


def write_shipped(directory: Path, model_key: str, model_id: str, prompt: str, texts: Sequence[str],
                  vectors: np.ndarray, note: str = "") -> tuple[Path, Path]:
    """Write the two files atomically (vectors first: keys without their vectors are never read)."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = [text_key(prompt, t) for t in texts]
    first = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)        # one row per distinct text
    rows = list(first.values())
    vec_path, key_path = directory / VECTORS_FILE, directory / KEYS_FILE
    _atomic(vec_path, lambda fh: np.save(fh, np.asarray(vectors, np.float32)[rows].astype(np.float16)), "wb")
    meta = {"format": FORMAT, "model_key": model_key, "model_id": model_id, "prompt": prompt,
            "dim": int(vectors.shape[1]), "note": note, "keys": [keys[i] for i in rows]}
    _atomic(key_path, lambda fh: fh.write(json.dumps(meta, ensure_ascii=False, indent=0)), "w")
    return vec_path, key_path


def _atomic(path: Path, write, mode: str) -> None:
    write_atomic(path, write, mode, shared=True)


# ---------------------------------------------------------------- restored text of the bundled OCR plans

RESTORED_FILE = "restored.json.gz"


def seed_restore_cache(cfg, directory: Path | None = None) -> int:
    """Copy the shipped restorations into the user's cache when they were made by this very restorer
    (same code and data fingerprint); returns how many documents were seeded. Restoring the three bundled
    OCR plans is ~6 s of pure Python on a first build."""
    import gzip

    from kehoach.corpus.pipeline import RestoreCache, restorer_fingerprint
    try:
        with gzip.open((directory or DATA_DIR) / RESTORED_FILE, "rt", encoding="utf-8") as fh:
            shipped = json.load(fh)
    except (OSError, ValueError):
        return 0
    if shipped.get("format") != FORMAT or shipped.get("restorer") != restorer_fingerprint():
        return 0
    cache = RestoreCache(cfg)
    seeded = 0
    for sha, data in shipped.get("docs", {}).items():
        if cache.get(sha) is None:
            cache.put(sha, data)
            seeded += 1
    return seeded


def write_restored(directory: Path, cfg) -> Path:
    """The restore cache of `cfg` (made by the current restorer) as the shipped file."""
    import gzip

    from kehoach.corpus.pipeline import RestoreCache, restorer_fingerprint
    fp = restorer_fingerprint()
    docs = {}
    for f in sorted(RestoreCache(cfg).dir.glob(f"*-{fp}.json")):
        docs[f.name[:-len(f"-{fp}.json")]] = json.loads(f.read_text("utf-8"))
    payload = json.dumps({"format": FORMAT, "restorer": fp, "docs": docs}, ensure_ascii=False)
    path = directory / RESTORED_FILE
    _atomic(path, lambda fh: fh.write(gzip.compress(payload.encode("utf-8"), mtime=0)), "wb")
    return path
