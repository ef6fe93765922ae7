"""Hostile files in a corpus folder (issue 13, items 5, 6, 7): decompression bombs, one endless line,
a FIFO named like a plan. Each case must end quickly with one Vietnamese line naming the file."""
from __future__ import annotations

import io
import os
import signal
import time
import zipfile
from contextlib import contextmanager

import pytest
from conftest import bundled

from kehoach import cli
from kehoach.config import Config
from kehoach.corpus import loaders, read_docx
from kehoach.corpus.pipeline import load_corpus
from kehoach.index.build import corpus_state


class Hung(BaseException):
    """Not an OSError (TimeoutError is one): no `except OSError` in the code under test may swallow it."""


@contextmanager
def deadline(seconds: int):
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`."""
    def expired(signum, frame):
        raise Hung(f"took more than {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _docx_with_member(member_bytes_iter) -> bytes:
    """A valid .docx plus one extra part written from an iterator of byte blocks."""
    import docx
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH thử nghiệm")
    d.save(buf)
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as zf, zf.open("word/media/pad.bin", "w") as fh:
        for block in member_bytes_iter:
            fh.write(block)
    return buf.getvalue()


# ---- 5. decompression bombs ---------------------------------------------------------------------

def test_docx_bomb_by_ratio_is_refused_before_expanding(tmp_path):
    path = tmp_path / "bom.docx"
    path.write_bytes(_docx_with_member(b"\0" * (1 << 20) for _ in range(24)))   # 24 MB of zeros, ~25 KB packed
    assert path.stat().st_size < 200_000
    with deadline(10), pytest.raises(loaders.LoadError, match="bom giải nén") as err:
        loaders.load_lines(path)
    assert "bom.docx" in str(err.value)


def test_docx_bomb_by_size_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(read_docx, "MAX_EXPANDED_BYTES", 2 << 20)
    path = tmp_path / "lon.docx"
    path.write_bytes(_docx_with_member(os.urandom(1 << 20) for _ in range(3)))  # incompressible: ratio ~1
    with pytest.raises(loaders.LoadError, match="giải nén ra"):
        loaders.load_lines(path)


def test_ordinary_docx_still_loads(tmp_path):
    path = tmp_path / "thuong.docx"
    path.write_bytes(_docx_with_member([b"abc" * 1000]))
    assert loaders.load_lines(path) == ["KẾ HOẠCH thử nghiệm"]


# ---- 6. one endless line ---------------------------------------------------------------------------

def test_one_huge_line_is_refused_in_linear_time(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "mot-dong.txt").write_text("giáo dục STEM và chuyển đổi số " * 40_000, encoding="utf-8")  # 1.2 MB
    with deadline(10):
        t0 = time.perf_counter()
        docs, errors = load_corpus(Config(home=tmp_path / "h", restore=False), [folder])
        took = time.perf_counter() - t0
    assert docs == [] and len(errors) == 1
    assert "mot-dong.txt" in errors[0] and "dòng 1" in errors[0]
    assert took < 5


def test_line_length_check_is_linear(tmp_path):
    big = tmp_path / "lon.txt"
    big.write_bytes(b"a " * 6_000_000)                      # 12 MB on one line
    with deadline(10), pytest.raises(loaders.LoadError, match="dòng 1"):
        loaders.load_lines(big)


def test_long_but_acceptable_line_still_loads(tmp_path):
    path = tmp_path / "dai.txt"
    path.write_text("KẾ HOẠCH\n" + "giáo dục " * 5_000 + "\nhết\n", encoding="utf-8")
    assert len(loaders.load_lines(path)) == 3


# ---- 7. not a regular file -------------------------------------------------------------------------

@pytest.fixture
def fifo_folder(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    os.mkfifo(folder / "x.txt")
    (folder / "003.txt").write_bytes(bundled("003").read_bytes())
    return folder


def test_fifo_is_skipped_with_a_message_when_loading(tmp_path, fifo_folder):
    with deadline(10):
        docs, errors = load_corpus(Config(home=tmp_path / "h", restore=False), [fifo_folder])
    assert [d.doc for d in docs] == ["003.txt"]
    assert len(errors) == 1 and "x.txt" in errors[0] and "FIFO" in errors[0]


def test_fifo_does_not_hang_hashing_for_the_index(tmp_path, fifo_folder):
    with deadline(10):
        state, errors = corpus_state(Config(home=tmp_path / "h"), [fifo_folder])
    assert set(state) == {"003.txt"} and any("x.txt" in e for e in errors)


def test_tasks_command_with_a_fifo_in_the_folder(tmp_path, fifo_folder, capsys, monkeypatch):
    monkeypatch.setenv("KEHOACH_HOME", str(tmp_path / "h"))
    with deadline(20):
        code = cli.main(["tasks", str(fifo_folder), "--json"])
    captured = capsys.readouterr()
    assert code == 0 and "FIFO" in captured.err and '"tasks"' in captured.out


def test_named_fifo_is_refused_not_opened(tmp_path):
    os.mkfifo(tmp_path / "y.txt")
    with deadline(10), pytest.raises(loaders.LoadError, match="FIFO"):
        loaders.load_lines(tmp_path / "y.txt")
    with deadline(10), pytest.raises(loaders.LoadError, match="FIFO"):
        loaders.sha256_file(tmp_path / "y.txt")
