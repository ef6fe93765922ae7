"""Restore the Vietnamese marks of OCR-damaged plans (noisy channel + syllable trigram): the public API.

For each printed word the decoder proposes true syllables whose damaged forms
could have produced it (channel model P(printed | syllable), character edits
with learned OCR confusions: "ệ" -> "é" or "¢", "ă" -> "i", "đ" -> "P", "ư" ->
"tr"), scores sequences with a syllable trigram model and keeps the best one
with a beam search over each paragraph. Numbers, codes and words the model
does not know are kept as printed; case, punctuation and spacing are kept.
Words whose best rival comes close are reported as doubtful (restore_marks).

The parts: restore_tokens (pieces of a line), restore_channel (OCR confusions),
restore_candidates (what a printed word may be), restore_decode (beam search),
restore_cache (a second reading with the document's own confident bigrams), restore_neural (a cloze
model the second reading can add when its file is present: measured, not shipped, eval/RESTORE.md),
restore_casing (case from the printed word), restore_marks (confidence).
Model files (corpus/data/) are built by scripts/train_restorer.py.
"""
from __future__ import annotations

import gzip
import json
import threading
from importlib import resources
from pathlib import Path

from kehoach.corpus.lm import NgramLM
from kehoach.corpus.ocr_detect import line_is_damaged, text_is_damaged
from kehoach.corpus.restore_candidates import CandidateIndex, Params
from kehoach.corpus.restore_casing import CaseModel
from kehoach.corpus.restore_channel import Channel, prior_channel, reestimate
from kehoach.corpus.restore_decode import Decoded, Decoder
from kehoach.corpus.restore_neural import ClozeLM
from kehoach.corpus.restore_words import WordModel
from kehoach.corpus.restore_tokens import Piece, clean_tokens, pieces, render, skeleton

# Bump whenever the model files or the decoding change: cached restorations are keyed on it.
RESTORER_VERSION = "13"

DATA_DIR = Path(str(resources.files("kehoach.corpus"))) / "data"

__all__ = ["DATA_DIR", "RESTORER_VERSION", "CandidateIndex", "Channel", "Decoded", "Params", "Piece",
           "Restorer", "clean_tokens", "pieces", "prior_channel", "reestimate", "render", "restore_line",
           "restore_lines", "restore_text", "skeleton"]


class Restorer(Decoder):
    """Diacritic restorer; use Restorer.load() for the shipped model (cached)."""

    _instance: Restorer | None = None
    _lock = threading.Lock()

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Restorer:
        """The shipped model, loaded once per process."""
        if data_dir is not None:
            return cls.from_dir(data_dir)
        with cls._lock:
            if cls._instance is None:
                cls._instance = cls.from_dir(DATA_DIR)
            return cls._instance

    @classmethod
    def from_dir(cls, data_dir: Path) -> Restorer:
        if not (data_dir / "lm.json.gz").is_file():
            raise FileNotFoundError(f"Thiếu dữ liệu mô hình khôi phục dấu trong {data_dir} "
                                    "(restorer model missing: run scripts/train_restorer.py)")
        lm = NgramLM.load(data_dir / "lm.json.gz")
        with gzip.open(data_dir / "channel.json.gz", "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        with gzip.open(data_dir / "syllables.txt.gz", "rt", encoding="utf-8") as fh:
            rows = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
        known = [r[0] for r in rows if r[0] in lm.ids]
        case = CaseModel({r[0]: int(r[2]) for r in rows}, {r[0]: int(r[3]) for r in rows}) \
            if rows and len(rows[0]) >= 4 else None
        words = None
        if rows and len(rows[0]) >= 6 and (data_dir / "pairs.txt.gz").is_file():
            with gzip.open(data_dir / "pairs.txt.gz", "rt", encoding="utf-8") as fh:
                pairs = [tuple(line.split()) for line in fh if line.strip()]
            words = WordModel(lm, pairs, {r[0]: int(r[4]) for r in rows}, {r[0]: int(r[5]) for r in rows})
        cloze = ClozeLM.load(data_dir / "cloze.npz") if (data_dir / "cloze.npz").is_file() else None
        return cls(lm, Channel.from_json(data["channel"]), known, Params(), case, words, cloze)

    def restore_lines(self, lines: list[str]) -> list[str]:
        """Same number of lines, same order; clean text comes back unchanged.

        To restore regardless of detection, use `decode(lines).lines`.
        """
        if isinstance(lines, str) or not all(isinstance(line, str) for line in lines):
            raise TypeError("Cần một danh sách các dòng văn bản (expected a list of str)")
        if not text_is_damaged(lines):
            return list(lines)
        return self.decode(lines).lines

    def restore_line(self, line: str) -> str:
        if not isinstance(line, str):
            raise TypeError("Cần một dòng văn bản (expected str)")
        if not line_is_damaged(line):
            return line
        return self.decode([line]).lines[0]

    def restore_text(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError("Cần một văn bản (expected str)")
        lines = text.split("\n")
        return "\n".join(self.restore_lines(lines))


def restore_lines(lines: list[str]) -> list[str]:
    return Restorer.load().restore_lines(lines)


def restore_line(line: str) -> str:
    return Restorer.load().restore_line(line)


def restore_text(text: str) -> str:
    return Restorer.load().restore_text(text)
