"""Restore the Vietnamese marks of OCR-damaged plans (noisy channel + syllable trigram).

For each printed word the decoder proposes true syllables whose damaged forms
could have produced it (channel model P(printed | syllable), character edits
with learned OCR confusions: "ệ" -> "é" or "¢", "ă" -> "i", "đ" -> "P", "ư" ->
"tr"), scores sequences with a syllable trigram model and keeps the best one
with a beam search over each paragraph. Numbers, codes and words the model
does not know are kept as printed; case, punctuation and spacing are kept.

Model files (corpus/data/) are built by scripts/train_restorer.py.
"""
from __future__ import annotations

import gzip
import json
import math
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from kehoach.corpus.lm import ABBR, BOS, COMMA, EOS, NUM, STOP, UNK, NgramLM
from kehoach.corpus.ocr_detect import canonical, is_valid_syllable, line_is_damaged, text_is_damaged

# Bump whenever the model files or the decoding change: cached restorations are keyed on it.
RESTORER_VERSION = "1"

DATA_DIR = Path(str(resources.files("kehoach.corpus"))) / "data"

# ---- tokens -----------------------------------------------------------------------

# Symbols OCR prints for letters; inside a word they are never punctuation.
OCR_LETTERS = {
    "&": "o", "¢": "e", "©": "o", "®": "o", "§": "s", "€": "e", "£": "e", "ﬂ": "d", "ﬁ": "fi",
    "|": "l", "¥": "y", "0": "o", "6": "o", "1": "l", "3": "a", "4": "a", "8": "o", "5": "s",
    "9": "o",
}
_LEAD = "\"'“”‘’([{<«-–—*+•·…~_.,;:!?"
_TRAIL = ".,;:!?)]}>»\"'“”‘’…-–—*"
_STOPS = set(".;:!?")
_SPACE_SPLIT = re.compile(r"(\s+)")


@dataclass
class Piece:
    """One whitespace-separated chunk: leading punctuation, core, trailing punctuation."""

    lead: str
    core: str
    trail: str
    kind: str            # "word" (to restore), "num", "code", "punct"


def _fold_char(ch: str) -> str:
    if ch in OCR_LETTERS:
        return OCR_LETTERS[ch]
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch.lower())[:1]
    return base if base.isascii() and base.isalpha() else ""


def skeleton(observed: str) -> str:
    """Plain-letter guess at a printed word: marks off, OCR symbols and digits to letters."""
    return "".join(_fold_char(ch) for ch in observed)


def _kind(core: str) -> str:
    letters = sum(ch.isalpha() for ch in core)
    digits = sum(ch.isdigit() for ch in core)
    ocr = sum(ch in OCR_LETTERS and not ch.isdigit() for ch in core)
    if letters + ocr == 0:
        return "num" if digits else "punct"
    if any(ch in "/@" for ch in core) or "." in core.strip("."):
        return "code"
    if digits:
        # "s6", "16n", "v6i" are words; "5G", "4.108", "2021-2025" are not.
        uppers = sum(ch.isupper() for ch in core)
        if uppers > 1 or (uppers == 1 and not core[0].isupper()) or len(core) > 5 \
                or digits > 2 * (letters + ocr):
            return "code"
        if core[-1].isupper():
            return "code"
    if "-" in core:
        inner_upper = any(ch.isupper() for ch in core[1:])
        if inner_upper or digits:
            return "code"
    return "word"


_ROMAN = re.compile(r"[IVXL]+[1Il]?")


def split_piece(chunk: str) -> Piece:
    i, j = 0, len(chunk)
    while i < j and chunk[i] in _LEAD:
        i += 1
    while j > i and chunk[j - 1] in _TRAIL:
        j -= 1
    core, trail = chunk[i:j], chunk[j:]
    if not core:
        return Piece(chunk[:i], core, trail, "punct")
    if (len(core) == 1 and trail.startswith(")")) or _ROMAN.fullmatch(core):
        # List markers "a)", "¢)" and section numbers "II", "I1" are labels, not words.
        return Piece(chunk[:i], core, trail, "code")
    return Piece(chunk[:i], core, trail, _kind(core))


def pieces(line: str) -> list[str | Piece]:
    """The line as alternating whitespace strings and Pieces (joining them gives the line back)."""
    return [part if not part or part.isspace() else split_piece(part) for part in _SPACE_SPLIT.split(line)]


def render(parts: list[str | Piece]) -> str:
    return "".join(p if isinstance(p, str) else p.lead + p.core + p.trail for p in parts)


def clean_tokens(lines: list[str]) -> list[str]:
    """LM tokens of clean text, exactly as the decoder sees a restored paragraph."""
    out: list[str] = []

    def punct(text: str) -> None:
        tok = punct_token(text)
        if tok is None:
            return
        if out and out[-1] in (STOP, COMMA):
            if tok == STOP:
                out[-1] = tok
            return
        out.append(tok)

    for line in lines:
        for p in pieces(unicodedata.normalize("NFC", line)):
            if isinstance(p, str):
                continue
            punct(p.lead)
            if p.kind == "word":
                c = canonical(p.core)
                out.append(c if is_valid_syllable(c) else ABBR)
            elif p.kind in ("num", "code"):
                out.append(NUM if p.kind == "num" else UNK)
            else:
                punct(p.core)
            punct(p.trail)
    return out


def punct_token(text: str) -> str | None:
    if not text:
        return None
    return STOP if any(ch in _STOPS for ch in text) else COMMA


# ---- channel model ------------------------------------------------------------------

_MODS = {"\u0302", "\u0306", "\u031b"}
_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def decompose(ch: str) -> tuple[str, str, str]:
    """('ệ' -> ('e', '\u0302', '\u0323')); consonants give (ch, '', '')."""
    if ch == "đ":
        return "đ", "", ""
    nfd = unicodedata.normalize("NFD", ch)
    base = nfd[0]
    mod = next((c for c in nfd[1:] if c in _MODS), "")
    tone = next((c for c in nfd[1:] if c in _TONE_MARKS), "")
    return base, mod, tone


def _family(spec: str) -> list[str]:
    """All tones of the given vowels: 'ă' -> ă ắ ằ ẳ ẵ ặ."""
    out = []
    for v in spec:
        for t in ("", *_TONE_MARKS):
            out.append(unicodedata.normalize("NFC", v + t))
    return out


# The small hand-set table EM starts from (then re-learns from the OCR text itself).
SEED_CONFUSIONS: list[tuple[list[str], dict[str, float]]] = [
    (["đ"], {"d": 0.8, "p": 0.05, "b": 0.03, "ﬂ": 0.02}),
    (_family("ă"), {"i": 0.3, "é": 0.03}),
    (_family("â"), {"i": 0.08, "é": 0.05}),
    (["ã"], {"i": 0.1}),
    (_family("ư"), {"w": 0.1, "tr": 0.05, "ir": 0.05, "ur": 0.03, "ti": 0.03, "tt": 0.02, "v": 0.02,
                    "tm": 0.02, "i": 0.03, "t": 0.02, "y": 0.03, "it": 0.02, "ii": 0.02}),
    (_family("ơ"), {"&": 0.03, "6": 0.02, "¢": 0.02, "0": 0.01, "é": 0.05, "a": 0.03, "g": 0.02}),
    (_family("ô"), {"6": 0.05, "0": 0.02, "b": 0.02, "d": 0.01, "¢": 0.01, "é": 0.05}),
    (_family("o"), {"0": 0.01, "6": 0.01}),
    (_family("ê"), {"¢": 0.03, "€": 0.02}),
    (_family("e"), {"¢": 0.01}),
    (_family("a"), {"4": 0.02, "3": 0.01}),
    (_family("u"), {"ti": 0.03, "ii": 0.02}),
    (_family("i"), {"1": 0.01, "l": 0.01, "j": 0.03}),
    (_family("y"), {"¥": 0.01}),
    (["l"], {"1": 0.03, "i": 0.03, "|": 0.01}),
    (["s"], {"5": 0.01}),
    (["n"], {"m": 0.01}),
    (["c"], {"e": 0.01}),
]
FLOOR_SUB1 = math.log(3e-4)
FLOOR_SUB2 = math.log(1e-6)
FLOOR_DEL = math.log(1e-3)
FLOOR_INS = math.log(1e-4)
PAIR_MIN_LOGP = math.log(0.01)


def prior_channel(alphabet: list[str]) -> dict[str, dict[str, float]]:
    """Starting P(printed | true char) from letter structure plus SEED_CONFUSIONS."""
    vowels = "aeiouy"
    table: dict[str, dict[str, float]] = {}
    seeds: dict[str, dict[str, float]] = defaultdict(dict)
    for chars, outs in SEED_CONFUSIONS:
        for c in chars:
            seeds[c].update(outs)
    for a in alphabet:
        b, m, t = decompose(a)
        row: dict[str, float] = {}
        if b in vowels:
            for s in alphabet:
                b2, m2, t2 = decompose(s)
                if b2 not in vowels:
                    continue
                pb = 0.97 if b2 == b else 0.006
                if not m:
                    pm = 0.97 if not m2 else 0.01
                else:
                    pm = 0.5 if m2 == m else (0.45 if not m2 else 0.025)
                if not t:
                    pt = 0.9 if not t2 else 0.02
                else:
                    pt = 0.45 if t2 == t else (0.35 if not t2 else 0.05)
                row[s] = 0.9 * pb * pm * pt
        else:
            row[a] = 0.97
        for s, p in seeds.get(a, {}).items():
            row[s] = row.get(s, 0.0) + p
        row[""] = 0.003
        total = sum(row.values())
        table[a] = {s: p / total for s, p in row.items()}
    return table


class Channel:
    """log P(printed string | true syllable) by the best character alignment.

    Edits: a true character becomes one printed character, two ("ư" -> "tr"),
    or nothing; a printed character may also appear from nothing.
    """

    def __init__(self, sub: dict[str, dict[str, float]], ins: dict[str, float]) -> None:
        self.sub = sub          # true char -> printed string ('' = dropped) -> log p
        self.ins = ins          # printed char -> log p of appearing from nothing
        self.alphabet = sorted(sub)
        self.index = {a: i for i, a in enumerate(self.alphabet)}
        self.pad = len(self.alphabet)
        self._columns: dict[str, np.ndarray] = {}
        # Two printed characters that stand for one true letter ("ctia" = của, "tmg" = ứng), as
        # plain letters: candidate search undoes them before measuring edit distance.
        self.pairs: dict[str, set[str]] = defaultdict(set)
        for a, row in sub.items():
            for printed, logp in row.items():
                if len(printed) == 2 and logp >= PAIR_MIN_LOGP:
                    self.pairs[skeleton(printed)].add(skeleton(a))
        self._columns: dict[str, np.ndarray] = {}

    @classmethod
    def from_probs(cls, probs: dict[str, dict[str, float]], ins: dict[str, float]) -> Channel:
        return cls({a: {s: math.log(p) for s, p in row.items() if p > 0} for a, row in probs.items()},
                   {s: math.log(p) for s, p in ins.items() if p > 0})

    def _column(self, printed: str) -> np.ndarray:
        """log P(printed | a) for every true character a (plus a padding row)."""
        col = self._columns.get(printed)
        if col is None:
            col = np.array([self.cost(a, printed) for a in self.alphabet] + [self.cost("", printed)])
            self._columns[printed] = col
        return col

    def _ids(self, syllable: str) -> list[int]:
        return [self.index.get(ch, self.pad) for ch in syllable]

    def cost(self, a: str, s: str) -> float:
        row = self.sub.get(a)
        v = row.get(s) if row else None
        if v is not None:
            return v
        if not s:
            return FLOOR_DEL
        return FLOOR_SUB1 if len(s) == 1 else FLOOR_SUB2

    def ins_cost(self, s: str) -> float:
        return self.ins.get(s, FLOOR_INS)

    def score_many(self, observed: str, cands: list[str]) -> np.ndarray:
        """log P(observed | c) for every candidate syllable, vectorised over candidates."""
        J = len(observed)
        a1 = np.stack([self._column(observed[j]) for j in range(J)], axis=1) if J else self._column("\x00")[:, None]
        a2 = (np.stack([self._column(observed[j:j + 2]) for j in range(J - 1)], axis=1) if J > 1
              else self._column("\x00\x00")[:, None])
        ad = self._column("")
        ins = np.array([self.ins_cost(ch) for ch in observed] or [FLOOR_INS])
        lens = np.array([len(c) for c in cands])
        L = int(lens.max())
        ids = np.full((len(cands), L), self.pad)
        for k, c in enumerate(cands):
            ids[k, : len(c)] = self._ids(c)
        c1, c2, cd = a1[ids], a2[ids], ad[ids]
        neg = -1e9
        prev = np.full((len(cands), J + 1), neg)
        prev[:, 0] = 0.0
        for j in range(1, J + 1):
            prev[:, j] = prev[:, j - 1] + ins[j - 1]
        out = np.full(len(cands), neg)
        out[lens == 0] = prev[lens == 0, J]
        for i in range(1, L + 1):
            cur = np.full((len(cands), J + 1), neg)
            cur[:, 0] = prev[:, 0] + cd[:, i - 1]
            for j in range(1, J + 1):
                best = np.maximum(prev[:, j - 1] + c1[:, i - 1, j - 1], prev[:, j] + cd[:, i - 1])
                if j >= 2:
                    best = np.maximum(best, prev[:, j - 2] + c2[:, i - 1, j - 2])
                cur[:, j] = np.maximum(best, cur[:, j - 1] + ins[j - 1])
            out[lens == i] = cur[lens == i, J]
            prev = cur
        return out

    def align(self, true: str, observed: str) -> list[tuple[str, str]]:
        """Best alignment as (true char or '' for an insertion, printed string) pairs (for EM)."""
        n, m = len(true), len(observed)
        neg = -1e18
        score = [[neg] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        score[0][0] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                if i == 0 and j == 0:
                    continue
                best, arg = neg, None
                if i and j and score[i - 1][j - 1] + self.cost(true[i - 1], observed[j - 1]) > best:
                    best, arg = score[i - 1][j - 1] + self.cost(true[i - 1], observed[j - 1]), (i - 1, j - 1)
                if i and j >= 2:
                    v = score[i - 1][j - 2] + self.cost(true[i - 1], observed[j - 2:j])
                    if v > best:
                        best, arg = v, (i - 1, j - 2)
                if i and score[i - 1][j] + self.cost(true[i - 1], "") > best:
                    best, arg = score[i - 1][j] + self.cost(true[i - 1], ""), (i - 1, j)
                if j and score[i][j - 1] + self.ins_cost(observed[j - 1]) > best:
                    best, arg = score[i][j - 1] + self.ins_cost(observed[j - 1]), (i, j - 1)
                score[i][j], back[i][j] = best, arg
        ops = []
        i, j = n, m
        while (i, j) != (0, 0):
            pi, pj = back[i][j]
            ops.append((true[pi:i] if pi < i else "", observed[pj:j]))
            i, j = pi, pj
        return ops[::-1]

    def to_json(self) -> dict:
        return {"sub": self.sub, "ins": self.ins}

    @classmethod
    def from_json(cls, data: dict) -> Channel:
        return cls(data["sub"], data["ins"])


def reestimate(pairs: list[tuple[str, str]], channel: Channel, prior: dict[str, dict[str, float]],
               strength: float) -> Channel:
    """One hard-EM step: align (true, printed) pairs, count edits, blend with the prior."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    ins_counts: dict[str, float] = defaultdict(float)
    n_ins_slots = 0
    for true, printed in pairs:
        n_ins_slots += len(true) + 1
        for a, s in channel.align(true, printed):
            if a:
                counts[a][s] += 1
            else:
                ins_counts[s] += 1
    probs: dict[str, dict[str, float]] = {}
    for a, row0 in prior.items():
        row = counts.get(a, {})
        total = sum(row.values())
        keys = set(row0) | set(row)
        probs[a] = {s: (row.get(s, 0.0) + strength * row0.get(s, 0.0)) / (total + strength) for s in keys}
    ins = {s: (c + 0.5) / (n_ins_slots + 1) for s, c in ins_counts.items()}
    return Channel.from_probs(probs, ins)


# ---- candidates ---------------------------------------------------------------------

def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class CandidateIndex:
    """Known syllables grouped by plain-letter form, searchable by edit distance (symmetric deletes)."""

    def __init__(self, syllables: list[str]) -> None:
        """`syllables` most frequent first; forms with frequent syllables rank first."""
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        self.fold_rank: dict[str, int] = {}
        for rank, s in enumerate(syllables):
            f = skeleton(s)
            self.by_fold[f].append(s)
            self.fold_rank.setdefault(f, rank)
        self.deletes: dict[str, list[str]] = defaultdict(list)
        for f in self.by_fold:
            for d in _deletes(f, 2 if len(f) > 2 else 1):
                self.deletes[d].append(f)

    def folds_near(self, skel: str, max_dist: int) -> list[tuple[int, str]]:
        found: set[str] = set()
        for d in _deletes(skel, max_dist):
            found.update(self.deletes.get(d, ()))
        out = []
        for f in found:
            dist = Levenshtein.distance(skel, f, score_cutoff=max_dist)
            if dist <= max_dist:
                out.append((dist, f))
        return out


# ---- decoder ------------------------------------------------------------------------

@dataclass
class Params:
    lm_weight: float = 1.0
    keep_logp: float = -15.0      # channel log-prob of "printed as is" for an unknown lower-case word
    keep_caps_logp: float = 0.0   # the same for a word in capitals
    max_cands: int = 12
    beam: int = 10
    max_folds: int = 30
    prune: float = 4.5            # drop candidates this far (log) below the best one
    merge_logp: float = -6.0      # log-prob that OCR split one syllable into two words


@dataclass
class _Slot:
    """One LM position: a fixed class token, or a word with candidate restorations."""

    token: int | None = None
    cands: list[tuple[int, float, str]] = field(default_factory=list)  # (lm id, channel logp, text)
    merge: list[tuple[int, float, str]] = field(default_factory=list)  # this word joined with the next
    where: tuple[int, int] | None = None  # (line index, part index) of a word


@dataclass
class Decoded:
    lines: list[str]                              # restored lines
    pairs: list[tuple[str, str]]                  # (syllable, printed) for every restored word, for EM


class Restorer:
    """Diacritic restorer; use Restorer.load() for the shipped model (cached)."""

    _instance: Restorer | None = None
    _lock = threading.Lock()

    def __init__(self, lm: NgramLM, channel: Channel, syllables: list[str], params: Params) -> None:
        self.lm = lm
        self.channel = channel
        self.params = params
        self.known = set(syllables)
        self.index = CandidateIndex(syllables)
        self._cache: dict[tuple[str, bool, bool], list[tuple[int, float, str]]] = {}
        self._uni = np.asarray(lm.uni)
        self._syl_id = {x: lm.ids[x] for x in syllables}
        self._bos, self._eos = lm.id(BOS), lm.id(EOS)
        self._num, self._unk, self._abbr = lm.id(NUM), lm.id(UNK), lm.id(ABBR)
        self._comma, self._stop = lm.id(COMMA), lm.id(STOP)

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
            syllables = [line.split("\t", 1)[0] for line in fh if line.strip()]
        known = [s for s in syllables if s in lm.ids]
        return cls(lm, Channel.from_json(data["channel"]), known, Params())

    # -- candidates

    def candidates(self, observed: str, caps: bool, keep: bool = True) -> list[tuple[int, float, str]]:
        """(lm id, channel log-prob, syllable) for a printed word; also the word itself if unknown."""
        key = (observed, caps, keep)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        low = unicodedata.normalize("NFC", observed.lower())
        skel = skeleton(low)
        folds: dict[str, int] = {}
        variants = {skel}
        if len(skel) > 1 and skel[0] in "pb" and skel[1] in "aeiouy":
            variants.add("d" + skel[1:])  # OCR prints Đ as P or B
        for i in range(len(skel) - 1 if not caps else 0):
            # Not for capitals: "TT", "STT" are abbreviations, not a damaged "ừ".
            for letter in self.channel.pairs.get(skel[i:i + 2], ()):
                variants.add(skel[:i] + letter + skel[i + 2:])
        for v in variants:
            if not v:
                continue
            max_dist = 0 if caps else (1 if len(v) <= 2 else 2)
            for dist, f in self.index.folds_near(v, max_dist):
                folds[f] = min(dist, folds.get(f, 99))
        fold_rank = self.index.fold_rank
        ranked = sorted(folds, key=lambda f: (folds[f], fold_rank[f]))[: self.params.max_folds]
        syls = [s for f in ranked for s in self.index.by_fold[f]]
        out: list[tuple[int, float, str]] = []
        if syls:
            chan = self.channel.score_many(low, syls)
            ids = [self._syl_id[x] for x in syls]
            prior = chan + self._uni[ids]
            order = np.argsort(-prior)[: self.params.max_cands]
            # Hopeless candidates only slow the beam down.
            floor = prior[order[0]] - self.params.prune
            out = [(ids[k], float(chan[k]), syls[k]) for k in order if prior[k] >= floor]
        if keep and canonical(low) not in self.known:
            # Capitals are mostly abbreviations ("UBND", "KCN"), unless they spell a syllable ("HIEN");
            # a lower-case unknown is mostly damage.
            caps_abbr = caps and not (out and skeleton(out[0][2]) in variants)
            out.append((self._abbr, self.params.keep_caps_logp if caps_abbr else self.params.keep_logp, observed))
        self._cache[key] = out
        return out

    # -- decoding

    def _slots(self, line_ids: list[int], parsed: list[list[str | Piece]], caps_lines: list[bool]) -> list[_Slot]:
        slots: list[_Slot] = []

        def punct(text: str) -> None:
            tok = punct_token(text)
            if tok is None:
                return
            tid = self._stop if tok == STOP else self._comma
            if slots and slots[-1].token in (self._stop, self._comma):
                if tid == self._stop:
                    slots[-1].token = tid
                return
            slots.append(_Slot(token=tid))

        for li in line_ids:
            parts, caps_line = parsed[li], caps_lines[li]
            prev: tuple[int, Piece] | None = None   # the previous word, if nothing stands in between
            for pi, p in enumerate(parts):
                if isinstance(p, str):
                    continue
                punct(p.lead)
                if p.kind == "word":
                    caps = _is_caps(p.core, caps_line)
                    if prev is not None and not p.lead and not caps and _mergeable(prev[1].core, p.core):
                        # OCR splits syllables ("quy ét", "trw ong"): offer the pair as one word.
                        slots[-1].merge = self.candidates(prev[1].core + p.core, False, keep=False)
                    slots.append(_Slot(cands=self.candidates(p.core, caps), where=(li, pi)))
                    prev = (pi, p) if not p.trail and not caps else None
                else:
                    prev = None
                    if p.kind in ("num", "code"):
                        slots.append(_Slot(token=self._num if p.kind == "num" else self._unk))
                    else:
                        punct(p.core)
                punct(p.trail)
        return slots

    def _beam(self, slots: list[_Slot]) -> list[tuple[str, int]]:
        """Per slot: ("one", candidate), ("merge", candidate) for a word joined with the next,
        or ("joined", -1) for that next word."""
        lm, w = self.lm, self.params.lm_weight
        tri, bi, bow1, bow2, uni = lm.tri, lm.bi, lm.bow1, lm.bow2, lm.uni
        n = len(slots)
        beams: list[dict[tuple[int, int], float]] = [{} for _ in range(n + 1)]
        backs: list[dict[tuple[int, int], tuple[int, tuple[int, int], str, int]]] = [{} for _ in range(n + 1)]
        beams[0][(self._bos, self._bos)] = 0.0

        def extend(p: int, q: int, kind: str, options: list[tuple[int, float]], penalty: float) -> None:
            nxt, back = beams[q], backs[q]
            for state, score in beams[p].items():
                u, v = state
                b2 = bow2.get(state, 0.0)
                b1 = bow1.get(v, 0.0)
                for k, (tok, chan) in enumerate(options):
                    # NgramLM.logp inlined: this loop is the decoder's hot spot.
                    lp = tri.get((u, v, tok))
                    if lp is None:
                        lp = bi.get((v, tok))
                        lp = b2 + (b1 + uni[tok] if lp is None else lp)
                    sc = score + penalty + chan + w * lp
                    key = (v, tok)
                    if sc > nxt.get(key, -math.inf):
                        nxt[key] = sc
                        back[key] = (p, state, kind, k)

        for p, slot in enumerate(slots):
            if len(beams[p]) > self.params.beam:
                keep = sorted(beams[p], key=beams[p].__getitem__, reverse=True)[: self.params.beam]
                beams[p] = {k: beams[p][k] for k in keep}
            if slot.token is not None:
                extend(p, p + 1, "one", [(slot.token, 0.0)], 0.0)
                continue
            extend(p, p + 1, "one", [(c[0], c[1]) for c in slot.cands], 0.0)
            if slot.merge:
                extend(p, p + 2, "merge", [(c[0], c[1]) for c in slot.merge], self.params.merge_logp)
        final = beams[n]
        state = max(final, key=lambda st: final[st] + w * lm.logp(st[0], st[1], self._eos))
        choice: list[tuple[str, int]] = [("one", 0)] * n
        q = n
        while q > 0:
            p, prev_state, kind, k = backs[q][state]
            choice[p] = (kind, k)
            if kind == "merge":
                choice[p + 1] = ("joined", -1)
            q, state = p, prev_state
        return choice

    def decode(self, lines: list[str]) -> Decoded:
        """Restore every line, paragraph by paragraph (line breaks inside a paragraph keep context)."""
        parsed = [pieces(unicodedata.normalize("NFC", line)) for line in lines]
        caps_lines = [_caps_line(parts) for parts in parsed]
        result = Decoded([], [])
        para: list[int] = []

        def flush() -> None:
            if not para:
                return
            slots = self._slots(para, parsed, caps_lines)
            choice = self._beam(slots)
            for i, (slot, (kind, k)) in enumerate(zip(slots, choice)):
                if slot.where is None or kind == "joined":
                    continue
                li, pi = slot.where
                piece = parsed[li][pi]
                printed = piece.core
                if kind == "merge":
                    tok, _, text = slot.merge[k]
                    nli, npi = slots[i + 1].where
                    nxt = parsed[nli][npi]
                    printed += nxt.core
                    parsed[li][pi + 1] = ""             # the space OCR put inside the word
                    piece.trail, nxt.core, nxt.trail = nxt.trail, "", ""
                else:
                    tok, _, text = slot.cands[k]
                if tok == self._abbr:
                    continue
                result.pairs.append((text, unicodedata.normalize("NFC", printed.lower())))
                piece.core = _apply_case(text, printed, _is_caps(printed, caps_lines[li]))
            para.clear()

        for i, line in enumerate(lines):
            if line.strip():
                para.append(i)
            else:
                flush()
        flush()
        result.lines = [render(p) for p in parsed]
        return result

    # -- public API

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


def _mergeable(first: str, second: str) -> bool:
    """Two printed fragments that may be one syllable split by OCR ("quy" + "ét", "trw" + "ong")."""
    joined = skeleton((first + second).lower())
    return 3 <= len(joined) <= 7 and len(skeleton(first.lower())) <= 4 and len(skeleton(second.lower())) <= 4


def _caps_line(parts: list[str | Piece]) -> bool:
    """A heading in capitals ("I. MUC PiCH, YEU CAU"): OCR's stray lower-case letters are still capitals."""
    letters = [ch for p in parts if isinstance(p, Piece) for ch in p.core if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.6 * len(letters)


def _is_caps(core: str, caps_line: bool) -> bool:
    letters = [ch for ch in core if ch.isalpha()]
    if len(letters) < 2:
        return caps_line and bool(letters) and letters[0].isupper()
    if all(ch.isupper() for ch in letters):
        return True
    return caps_line and any(ch.isupper() for ch in letters[1:])


def _apply_case(text: str, printed: str, caps: bool) -> str:
    if caps:
        return text.upper()
    first = next((ch for ch in printed if ch.isalpha() or ch in OCR_LETTERS), "")
    if first.isupper():
        return text[:1].upper() + text[1:]
    return text


def restore_lines(lines: list[str]) -> list[str]:
    return Restorer.load().restore_lines(lines)


def restore_line(line: str) -> str:
    return Restorer.load().restore_line(line)


def restore_text(text: str) -> str:
    return Restorer.load().restore_text(text)
