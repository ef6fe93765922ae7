"""Shared fixtures: the bundled corpus, a fast fake encoder, a real engine built once per session."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from kehoach.config import Config, bundled_corpus_dir
from kehoach.corpus.text import fold

CORPUS = bundled_corpus_dir()
DOCS = sorted(p.name for p in CORPUS.glob("*.txt"))


def bundled(prefix: str) -> Path:
    return next(CORPUS / d for d in DOCS if d.startswith(prefix))


def read_lines(prefix: str) -> list[str]:
    return bundled(prefix).read_text(encoding="utf-8").split("\n")


class FakeEncoder:
    """Bag of folded words hashed into a fixed random projection: fast, deterministic, a little semantic."""

    dim = 64
    model_id = "fake-hash-64"
    checksum = "fake"

    def __init__(self):
        self.encoded = 0

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for w in fold(text).split():
            h = int(hashlib.md5(w.encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0 if (h >> 8) & 1 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        return np.stack([self._vec(t) for t in texts])

    def encode_passages(self, texts, progress=False):
        self.encoded += len(texts)
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


@pytest.fixture
def fake_encoder():
    return FakeEncoder()


@pytest.fixture
def clean_corpus(tmp_path) -> Path:
    """Two clean bundled plans in a folder of their own."""
    d = tmp_path / "plans"
    d.mkdir()
    for prefix in ("002", "003"):
        shutil.copy(bundled(prefix), d)
    return d


@pytest.fixture
def tmp_cfg(tmp_path, clean_corpus) -> Config:
    return Config(home=tmp_path / "home", corpus=(str(clean_corpus),))


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory):
    """The whole product on the bundled corpus with the real model (built once per session).

    KEHOACH_TEST_HOME reuses a data dir between runs while developing.
    """
    from kehoach.qa.engine import Engine
    home = Path(os.environ.get("KEHOACH_TEST_HOME") or tmp_path_factory.mktemp("kehoach-home"))
    return Engine.load(Config(home=home))
