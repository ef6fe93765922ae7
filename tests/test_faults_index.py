"""Faults of the index on disk (issue 13, items 1, 2, 6 resume, 8 disk/building): the user's corpus
survives a lost CURRENT or manifest, every damaged file is detected and repaired, builds resume.

Built with the FakeEncoder and restore off, on a one-plan corpus that is not the bundled one,
so "rebuilt from the bundled plans" is visible as five documents instead of one.
"""
from __future__ import annotations

import errno
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import FakeEncoder, bundled

from kehoach import cli
from kehoach.config import Config
from kehoach.index.build import build_index
from kehoach.index.search import Searcher
from kehoach.index.store import IndexError_, IndexStore


def quiet(_msg):
    pass


@pytest.fixture
def mine(tmp_path) -> Path:
    """The user's own folder: one plan (the bundled corpus has five)."""
    d = tmp_path / "ke-hoach-cua-toi"
    d.mkdir()
    shutil.copy(bundled("003"), d)
    return d


@pytest.fixture
def home(tmp_path, mine, fake_encoder, monkeypatch) -> Path:
    """`kehoach index MY_FOLDER` done: corpus given on the command line, not in config."""
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("KEHOACH_HOME", str(h))
    (h / "config.toml").write_text("restore = false\n", encoding="utf-8")   # CLI commands agree with the build
    res = build_index(Config(home=h, restore=False), [mine], encoder=fake_encoder, say=quiet, progress=False)
    assert res["status"] == "built" and res["documents"] == 1
    return h


@pytest.fixture
def fake_model(monkeypatch):
    """Every Encoder.load (CLI commands) gets the fast fake."""
    from kehoach.index import model
    monkeypatch.setattr(model.Encoder, "load", classmethod(lambda cls, cfg: FakeEncoder()))
    # Queries too go through Encoder.load (the fake), not the ONNX runtime of the real model.
    monkeypatch.setenv("KEHOACH_QUERY_RUNTIME", "torch")


def live(h: Path) -> Path:
    return IndexStore(h / "index").current_dir()


def load(h: Path, messages: list | None = None) -> Searcher:
    say = messages.append if messages is not None else quiet
    return Searcher.load(Config(home=h, restore=False), encoder=FakeEncoder(), say=say)


# ---- 1. the user's corpus is not swapped for the bundled one ---------------------------------

def test_sources_are_recorded_outside_the_index_versions(home, mine):
    text = (home / "corpus.toml").read_text("utf-8")
    assert str(mine.resolve()) in text
    assert not [p for p in home.iterdir() if p.name.startswith(".corpus.toml")]   # written atomically


def test_lost_CURRENT_keeps_the_users_corpus(home, mine):
    (home / "index" / "CURRENT").unlink()
    messages = []
    s = load(home, messages)
    assert set(s.docs) == {bundled("003").name}
    assert not any("lần đầu" in m for m in messages)


def test_garbled_manifest_rebuilds_the_users_corpus_not_the_bundled_one(home, mine):
    (live(home) / "manifest.json").write_text("{not json", encoding="utf-8")
    messages = []
    s = load(home, messages)
    assert set(s.docs) == {bundled("003").name}
    assert IndexStore(home / "index").manifest()["sources"] == [str(mine.resolve())]


def test_nothing_recoverable_keeps_the_old_version_and_says_how_to_reindex(home, mine, fake_model, capsys):
    old = live(home)
    (old / "manifest.json").write_text("{not json", encoding="utf-8")
    shutil.rmtree(mine)                      # and the sources are gone too
    code = cli.main(["--home", str(home), "ask", "giáo dục STEM"])
    err = capsys.readouterr().err
    assert code != 0
    assert str(mine.resolve()) in err and "kehoach index" in err      # what was lost, how to re-index
    assert old.is_dir()                                                # nothing deleted
    assert (home / "index" / "CURRENT").read_text().strip() == old.name


# ---- 2. every file is checked; `kehoach index` verifies; --check reports only ------------------

def _lexical_file(h: Path) -> Path:
    return next(p for p in (live(h) / "lexical").iterdir() if p.name.startswith("data.csc.index"))


def _truncate_half(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data[:len(data) // 2])


def test_truncated_lexical_index_is_detected_at_load(home):
    _truncate_half(_lexical_file(home))
    with pytest.raises(IndexError_, match="hỏng"):
        IndexStore(home / "index").load()


def test_truncated_lexical_index_is_repaired_on_ask(home):
    _truncate_half(_lexical_file(home))
    messages = []
    s = load(home, messages)
    assert any("hỏng" in m for m in messages)
    assert s.search("giáo dục STEM", k=3, mode="lexical")
    assert IndexStore(home / "index").verify() == []


def test_lexical_repair_reembeds_nothing(home, mine):
    _truncate_half(_lexical_file(home))
    encoder = FakeEncoder()
    res = build_index(Config(home=home, restore=False), [mine], encoder=encoder, say=quiet, progress=False)
    assert res["status"] == "built" and encoder.encoded == 0 and res["reused"] == 1
    assert IndexStore(home / "index").verify() == []


def test_lost_CURRENT_is_restored_by_index_without_a_rebuild(home, mine):
    before = live(home)
    (home / "index" / "CURRENT").unlink()
    res = build_index(Config(home=home, restore=False), encoder=FakeEncoder(), say=quiet, progress=False)
    assert res["status"] == "fresh" and res["documents"] == 1
    assert (home / "index" / "CURRENT").read_text().strip() == before.name


def test_same_size_change_is_caught_by_the_checksum(home):
    p = live(home) / "chunks.json"
    data = bytearray(p.read_bytes())
    i = data.index(b"STEM")
    data[i:i + 4] = b"STEP"
    p.write_bytes(bytes(data))
    assert any("chunks.json" in problem for problem in IndexStore(home / "index").verify())


def test_index_verifies_before_saying_up_to_date(home, mine, fake_model, capsys):
    _truncate_half(_lexical_file(home))
    code = cli.main(["--home", str(home), "index", "-q"])
    err = capsys.readouterr().err
    assert code == 0 and "đã cập nhật" not in err and "Đã xây dựng" in err
    assert IndexStore(home / "index").verify() == []


def test_index_check_reports_without_changing(home, capsys):
    target = _lexical_file(home)
    _truncate_half(target)
    before = sorted((p.relative_to(home), p.stat().st_mtime_ns, p.stat().st_size)
                    for p in home.rglob("*") if p.is_file())
    code = cli.main(["--home", str(home), "index", "--check"])
    err = capsys.readouterr().err
    assert code == 1 and target.name in err
    after = sorted((p.relative_to(home), p.stat().st_mtime_ns, p.stat().st_size)
                   for p in home.rglob("*") if p.is_file())
    assert before == after


def test_index_check_on_an_intact_index(home, capsys):
    assert cli.main(["--home", str(home), "index", "--check"]) == 0
    assert "nguyên vẹn" in capsys.readouterr().err


# ---- 8. interrupted builds, disk full -----------------------------------------------------------

def test_building_dir_of_a_dead_process_is_removed_at_once(home, mine, fake_encoder):
    dead = subprocess.Popen(["true"])
    dead.wait()
    import socket
    stale = home / "index" / ".building-abandoned"
    stale.mkdir()
    (stale / "vectors.npy").write_bytes(b"x" * 100)
    (stale / ".pid").write_text(f"{dead.pid} {socket.gethostname()}")
    (mine / "them.txt").write_text("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Việc mới về giáo dục\n", encoding="utf-8")
    build_index(Config(home=home, restore=False), [mine], encoder=fake_encoder, say=quiet, progress=False)
    assert not stale.exists()


def test_disk_full_says_the_disk_is_full_and_keeps_the_index(home, mine, fake_model, monkeypatch, capsys):
    before = live(home)
    (mine / "them.txt").write_text("KẾ HOẠCH\nI. NHIỆM VỤ\n1. Việc mới về giáo dục\n", encoding="utf-8")

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(np, "save", full)
    code = cli.main(["--home", str(home), "index", "-q"])
    err = capsys.readouterr().err
    assert code != 0 and "Ổ đĩa đầy" in err
    assert live(home) == before and before.is_dir()
    assert not list((home / "index").glob(".building-*"))


# ---- 6. large corpora: estimate, stop, resume --------------------------------------------------

class StopAfter(FakeEncoder):
    """Ctrl+C after `calls` calls to encode_passages."""

    def __init__(self, calls: int):
        super().__init__()
        self.left = calls

    def encode_passages(self, texts, progress=False):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().encode_passages(texts, progress)


def test_stopped_build_resumes_without_reembedding(tmp_path, mine, monkeypatch):
    from kehoach.index import resume
    monkeypatch.setattr(resume, "STEP", 16, raising=False)
    monkeypatch.setattr(resume, "PROBE", 16, raising=False)
    cfg = Config(home=tmp_path / "h", restore=False)
    with pytest.raises(KeyboardInterrupt):
        build_index(cfg, [mine], encoder=StopAfter(3), say=quiet, progress=False)
    second = FakeEncoder()
    messages = []
    res = build_index(cfg, [mine], encoder=second, say=messages.append, progress=False)
    assert res["status"] == "built"
    assert second.encoded == res["chunks"] - 3 * 16          # the 48 already embedded were kept
    assert any("Tiếp tục" in m for m in messages)
    fresh = FakeEncoder()
    _, chunks, _, vectors, _, _ = IndexStore(cfg.index_dir).load()
    assert np.allclose(vectors, fresh.encode_passages([c for c in _dense_texts(cfg, chunks)]), atol=1e-6)


def _dense_texts(cfg, chunks):
    from kehoach.index.chunks import dense_text
    manifest = IndexStore(cfg.index_dir).manifest()
    titles = {d: v["title"] for d, v in manifest["docs"].items()}
    return [dense_text(c, titles.get(c.doc, ""), cfg.model_segmented) for c in chunks]


def test_large_build_gives_an_estimate_before_embedding(tmp_path, mine, monkeypatch):
    from kehoach.index import resume
    monkeypatch.setattr(resume, "ANNOUNCE_SECONDS", -1.0, raising=False)
    messages = []
    build_index(Config(home=tmp_path / "h", restore=False), [mine], encoder=FakeEncoder(), say=messages.append,
                progress=False)
    assert any("Ước tính" in m and "Ctrl+C" in m for m in messages)
    assert not (tmp_path / "h" / "cache" / "embed-journal").exists()   # cleared once the index is live


def test_unchanged_index_is_still_fresh(home, mine):
    encoder = FakeEncoder()
    res = build_index(Config(home=home, restore=False), [mine], encoder=encoder, say=quiet, progress=False)
    assert res["status"] == "fresh" and encoder.encoded == 0
