"""Channel model of the diacritic restorer: log P(printed string | true syllable), learned by hard EM.

It starts from letter structure (base letter, vowel modifier and tone each kept
or lost) plus a small seed table of OCR confusions, and scripts/train_restorer.py
re-learns the whole table from the restorer's own output on OCR documents.
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict

import numpy as np

from kehoach.corpus.restore_tokens import skeleton

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
    # The mark may also print as a glyph of its own after the bare letter ("so6" = số).
    (_family("ơ"), {"&": 0.03, "6": 0.02, "¢": 0.02, "0": 0.01, "é": 0.05, "a": 0.03, "g": 0.02, "o6": 0.01,
                    "o&": 0.01}),
    (_family("ô"), {"6": 0.05, "0": 0.02, "b": 0.02, "d": 0.01, "¢": 0.01, "é": 0.05, "o6": 0.01}),
    (_family("o"), {"0": 0.01, "6": 0.01}),
    (_family("ê"), {"¢": 0.03, "€": 0.02, "e¢": 0.01}),
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
# A printed character stands for another plain letter often enough to search for it ("i" for "ă",
# "d"/"b" for "ô", "é" for "ơ"): learned rates reach 0.1-0.4, while the structural prior for an
# unrelated vowel stays near 0.005, so this keeps only what the OCR really does.
LETTER_MIN_LOGP = math.log(0.02)


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
        # One printed character that stands for a different plain letter ("i" = ă, "b" = ô, "e" = c):
        # candidate search tries those letters too, so damage counts as one confusion, not an edit.
        self.letters: dict[str, set[str]] = defaultdict(set)
        for a, row in sub.items():
            for printed, logp in row.items():
                if len(printed) == 1 and logp >= LETTER_MIN_LOGP:
                    plain, own = skeleton(a), skeleton(printed)
                    if plain and plain != own:
                        self.letters[printed].add(plain)
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


def tie_tones(probs: dict[str, dict[str, float]], letter_floor: float | None = None,
              symbol_floor: float | None = None) -> dict[str, dict[str, float]]:
    """A digit or symbol printed for a vowel ("4" for "á", "6" for "ố", "¢" for "ở") replaced the whole
    glyph, marks included, so it cannot tell the tones apart: give every tone of a vowel the family's
    mean rate for it. EM alone learns the rate only for the tones the decoder happened to choose (the
    ones the language model already liked), which would make the digit look like evidence for them.

    Letters printed for a vowel ("r" for "ừ", "li" for "ủ") may keep some trace of the mark, so they
    are not tied; but with `letter_floor` (nats) no tone gets a rate more than that far below the
    family's best for the same letters: EM had learned "tr" = "từ" 5 nats above "tử" and "cling" =
    "củng" 8 nats above "cũng" only because the decoder had always chosen those.

    A symbol printed for a marked vowel ("&" for "ở") says only that a mark stood there, not which
    vowel: with `symbol_floor` (nats) no marked vowel gets a rate for it more than that far below the
    best vowel's, so "s&" may also read "sẽ" when the sentence asks for it. EM alone never learns
    "&" = "ẽ" once the decoder has read every "&" as "ở"."""
    families: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in probs:
        base, mod, _ = decompose(a)
        if base in "aeiouy":
            families[(base, mod)].append(a)
    out = {a: dict(row) for a, row in probs.items()}
    for members in families.values():
        if len(members) < 2:
            continue
        glyphs = {s for a in members for s in probs[a] if s and not any(ch.isalpha() for ch in s)}
        # Sorted glyphs and exact sums: string sets iterate in a per-process order, and the model
        # files must not depend on it (a rebuild reproduces them byte for byte).
        for s in sorted(glyphs):
            mean = math.fsum(probs[a].get(s, 0.0) for a in members) / len(members)
            for a in members:
                out[a][s] = mean
        if letter_floor is not None:
            lettered = sorted({s for a in members for s in probs[a] if s and any(ch.isalpha() for ch in s)
                               and not (len(s) == 1 and decompose(s)[0] == decompose(members[0])[0])})
            _raise_to_floor(out, members, lettered, letter_floor, probs)
        _renormalise(out, members)
    if symbol_floor is not None:
        marked = sorted(a for members in families.values() for a in members if decompose(a)[1:] != ("", ""))
        symbols = sorted({s for a in marked for s in probs[a] if len(s) == 1 and not s.isalnum()})
        _raise_to_floor(out, marked, symbols, symbol_floor, out)
        _renormalise(out, marked)
    return out


def _raise_to_floor(out: dict[str, dict[str, float]], rows: list[str], printed: list[str], nats: float,
                    best_of: dict[str, dict[str, float]]) -> None:
    """No row's rate for each printed string below the best row's (in `best_of`) times e^-nats."""
    for s in printed:
        floor = max(best_of[a].get(s, 0.0) for a in rows) * math.exp(-nats)
        for a in rows:
            out[a][s] = max(out[a].get(s, 0.0), floor)


def _renormalise(out: dict[str, dict[str, float]], rows: list[str]) -> None:
    for a in rows:
        total = math.fsum(out[a].values())
        out[a] = {s: p / total for s, p in out[a].items()}


def reestimate(pairs: list[tuple[str, str]], channel: Channel, prior: dict[str, dict[str, float]],
               strength: float, tie: bool = True, letter_floor: float | None = None,
               symbol_floor: float | None = None) -> Channel:
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
    return Channel.from_probs(tie_tones(probs, letter_floor, symbol_floor) if tie else probs, ins)

