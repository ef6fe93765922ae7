"""Word-level evidence for the restorer: does a syllable belong to a dictionary word here?

Vietnamese words are one to four syllables. Some syllables are almost never a
word alone ("gia" lives in "quốc gia", "tham gia"), others often are ("dạy",
"các"). Running text segmented against the dictionary (pyvi, Viet74K) tells,
for each syllable, how often it stands alone; a reading that leaves such a
syllable alone ("làm hàng gia,") pays for it, one that joins it into a word
("hàng giả") does not.
"""
from __future__ import annotations

import math
from collections import Counter

from kehoach.corpus.lm import NgramLM


def dictionary_pairs(entries: list[list[str]]) -> set[tuple[str, str]]:
    """Adjacent syllable pairs inside multi-syllable dictionary entries."""
    return {(e[i], e[i + 1]) for e in entries for i in range(len(e) - 1)}


def alone_counts(sequences: list[list[str]], pairs: set[tuple[str, str]],
                 syllables: set[str]) -> tuple[Counter, Counter]:
    """Per syllable of running text: (times alone, times in all)."""
    alone: Counter = Counter()
    total: Counter = Counter()
    for seq in sequences:
        for i, s in enumerate(seq):
            if s not in syllables:
                continue
            total[s] += 1
            left = i > 0 and (seq[i - 1], s) in pairs
            right = i + 1 < len(seq) and (s, seq[i + 1]) in pairs
            if not (left or right):
                alone[s] += 1
    return alone, total


class WordModel:
    """log P(alone | syllable) and log P(in a word | syllable), and the dictionary pairs, as LM ids."""

    def __init__(self, lm: NgramLM, pairs: list[tuple[str, str]], alone: dict[str, int],
                 total: dict[str, int], strength: float = 2.0) -> None:
        ids = lm.ids
        self.pairs = {(ids[a], ids[b]) for a, b in pairs if a in ids and b in ids}
        n_alone, n_all = sum(alone.values()), sum(total.values())
        base = (n_alone + 1) / (n_all + 2)
        self.alone_lp: dict[int, float] = {}
        self.joined_lp: dict[int, float] = {}
        for s, i in ids.items():
            if s not in total:
                continue   # class tokens and syllables never seen in running text: no evidence
            n, a = total.get(s, 0), alone.get(s, 0)
            p = (a + strength * base) / (n + strength)
            self.alone_lp[i] = math.log(p / base)
            self.joined_lp[i] = math.log((1 - p) / (1 - base))

    def status(self, u: int, v: int, w: int) -> float:
        """Log-evidence for syllable v between u and w."""
        lp = self.alone_lp.get(v)
        if lp is None:
            return 0.0
        if (u, v) in self.pairs or (v, w) in self.pairs:
            return self.joined_lp[v]
        return lp
