"""Index store: incremental builds, atomic writes, corrupt-index recovery, filters, lexical matching."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from kehoach.index.build import build_index
from kehoach.index.search import Filters, Searcher
from kehoach.index.store import IndexError_, IndexStore


def quiet(_msg):
    pass


def test_build_then_fresh_without_encoding(tmp_cfg, fake_encoder):
    res = build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    assert res["status"] == "built" and res["documents"] == 2 and res["tasks"] > 40
    first = fake_encoder.encoded
    assert first == res["chunks"]
    again = build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    assert again["status"] == "fresh"
    assert fake_encoder.encoded == first          # nothing re-embedded
    m = IndexStore(tmp_cfg.index_dir).manifest()
    assert set(m["docs"]) == {p.name for p in (tmp_cfg.corpus_paths()[0]).iterdir()}
    assert m["model_id"] == fake_encoder.model_id and m["format_version"] == 1


def test_only_changed_document_is_reembedded(tmp_cfg, fake_encoder, clean_corpus):
    build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    before = fake_encoder.encoded
    target = next(clean_corpus.glob("002*"))
    target.write_text(target.read_text(encoding="utf-8") + "\nDòng bổ sung.\n", encoding="utf-8")
    res = build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    assert res["status"] == "built" and res["reused"] == 1
    _, chunks, *_ = IndexStore(tmp_cfg.index_dir).load()
    # Only that document's chunks are candidates, and of those only texts the old index lacks are embedded.
    assert 0 < fake_encoder.encoded - before == res["vectors"]["embedded"] <= sum(c.doc == target.name for c in chunks)


def test_interrupted_build_keeps_previous_index(tmp_cfg, fake_encoder, clean_corpus, monkeypatch):
    build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    store = IndexStore(tmp_cfg.index_dir)
    live = store.current_dir()
    (clean_corpus / "extra.txt").write_text("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Việc mới\n", encoding="utf-8")

    import faiss

    def boom(*a, **k):
        raise KeyboardInterrupt   # as if the user pressed Ctrl-C while the index was written
    monkeypatch.setattr(faiss, "write_index", boom)
    with pytest.raises(KeyboardInterrupt):
        build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    monkeypatch.undo()
    assert store.current_dir() == live
    manifest, chunks, *_ = store.load()
    assert "extra.txt" not in manifest["docs"] and chunks
    assert not list(tmp_cfg.index_dir.glob(".building-*"))


def test_corrupt_index_is_detected_and_rebuilt(tmp_cfg, fake_encoder):
    build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    store = IndexStore(tmp_cfg.index_dir)
    (store.current_dir() / "vectors.npy").write_bytes(b"not a numpy file")
    with pytest.raises(IndexError_, match="hỏng"):
        store.load()
    messages = []
    s = Searcher.load(tmp_cfg, encoder=fake_encoder, say=messages.append)
    assert any("hỏng" in m for m in messages)
    assert len(s.chunks) == s.vectors.shape[0] > 0


def test_missing_index_is_built_on_load(tmp_cfg, fake_encoder):
    messages = []
    s = Searcher.load(tmp_cfg, encoder=fake_encoder, say=messages.append)
    assert s.chunks and any("Chưa có chỉ mục" in m for m in messages)
    shutil.rmtree(tmp_cfg.index_dir)
    s = Searcher.load(tmp_cfg, encoder=fake_encoder, say=quiet)
    assert s.chunks


@pytest.fixture
def searcher(tmp_cfg, fake_encoder):
    return Searcher.load(tmp_cfg, encoder=fake_encoder, say=quiet)


def test_lexical_matches_without_diacritics(searcher):
    for q in ("giáo dục STEM", "giao duc stem", "GIAO DUC STEM"):
        hits = searcher.search(q, k=5, mode="lexical")
        assert hits and "STEM" in hits[0].chunk.text, q


def test_hybrid_returns_sorted_hits_with_spans(searcher):
    hits = searcher.search("thương mại điện tử", k=8)
    assert hits and all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    doc_len = {d: len(sd.lines) for d, sd in searcher.docs.items()}
    for h in hits:
        a, b = h.chunk.lines
        assert 1 <= a <= b <= doc_len[h.chunk.doc]


def test_filters(searcher):
    docs = sorted(searcher.docs)
    hits = searcher.search("công nghiệp", k=20, filters={"doc": docs[0]})
    assert hits and {h.chunk.doc for h in hits} == {docs[0]}
    hits = searcher.search("công nghiệp", k=20, filters={"agency": "Sở Tài chính"})
    assert hits and all("Sở Tài chính" in h.chunk.lead + h.chunk.support
                        or "Sở Kế hoạch và Đầu tư" in h.chunk.lead + h.chunk.support for h in hits)
    hits = searcher.search("công nghiệp", k=50, filters=Filters(year_from=2022, year_to=2022))
    for h in hits:
        c = h.chunk
        assert c.recurring or (c.deadline_years and (c.deadline_years[0] or 0) <= 2022
                               and (c.deadline_years[1] or 9999) >= 2022)
    assert searcher.search("công nghiệp", filters={"agency": "Không có cơ quan này XYZ"}) == []


def test_stored_chunks_carry_segmentation(tmp_cfg, fake_encoder):
    build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    d = IndexStore(tmp_cfg.index_dir).current_dir()
    chunks = json.loads((d / "chunks.json").read_text("utf-8"))
    assert any("_" in c["segmented"] for c in chunks)       # pyvi joined multi-syllable words
    assert np.load(d / "vectors.npy").shape == (len(chunks), 64)


def test_two_builds_within_one_second_get_distinct_versions(tmp_path):
    from kehoach.records import Chunk
    store = IndexStore(tmp_path / "index")
    chunk = Chunk(id=0, doc="a.txt", lines=[1, 1], section="1", kind="task", text="giáo dục STEM",
                  text_restored=None, headings=[], segmented="giáo_dục STEM")
    vecs = np.eye(1, 4, dtype=np.float32)
    first = store.write({"docs": {}}, [chunk], [], vecs, [["giao", "duc", "stem"]])
    second = store.write({"docs": {}}, [chunk], [], vecs, [["giao", "duc", "stem"]])
    assert first != second and store.current_dir() == second
    assert not first.exists()        # the old version is pruned once the new one is live


def test_nothing_readable_keeps_the_existing_index(tmp_cfg, fake_encoder, clean_corpus):
    build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    live = IndexStore(tmp_cfg.index_dir).current_dir()
    for f in clean_corpus.iterdir():
        f.write_bytes(b"\x00\x01binary")
    res = build_index(tmp_cfg, encoder=fake_encoder, say=quiet, progress=False)
    assert res["status"] == "empty" and len(res["errors"]) == 2
    assert IndexStore(tmp_cfg.index_dir).current_dir() == live
