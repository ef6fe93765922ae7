"""Candidate syllables for a printed word: what true syllables could OCR have printed this way?

Known syllables are indexed by their plain-letter form; a printed word's form is
looked up within a small edit distance (symmetric deletes), plus variants the
channel learned (two printed letters for one true letter, P/B for Đ). A word
that matches nothing but looks like damage ("1lgillen") gets context candidates:
the syllables the language model expects between its neighbours.
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Levenshtein

from kehoach.corpus.lm import ABBR, NgramLM
from kehoach.corpus.ocr_detect import canonical
from kehoach.corpus.restore_channel import Channel
from kehoach.corpus.restore_tokens import OCR_LETTERS, skeleton

Cand = tuple[int, float, str]   # (lm id, channel log-prob, text)


# Letters of the longest printed word worth a candidate search: a syllable has at most 7, two run
# together (OCR) 14; anything much longer is a code, an address or junk.
_LONGEST = 24


class Split(NamedTuple):
    """Two syllables read from one printed word."""
    first: int        # lm ids
    second: int
    chan: float       # channel log-prob of the pair, the joining included
    text1: str
    text2: str
    cut: int          # letters of the print the first syllable takes


@dataclass
class Params:
    lm_weight: float = 1.0
    keep_logp: float = -15.0      # channel log-prob of "printed as is" for an unknown lower-case word
    keep_caps_logp: float = 0.0   # the same for a word in capitals
    caps_l_logp: float = -3.0     # a capital word whose only small letters are "l" ("Al") is capitals with I
    max_cands: int = 12
    beam: int = 40
    max_folds: int = 30
    prune: float = 4.5            # drop candidates this far (log) below the best one
    merge_logp: float = -6.0      # log-prob that OCR split one syllable into two words
    split_logp: float = -6.0      # log-prob that OCR joined two words into one ("Tirnam" = Từ năm)
    split_min: int = 4            # letters a joined print needs before its splits are tried
    context_logp: float = -11.0   # channel log-prob floor of a context candidate for an unreadable word
    context_cands: int = 8        # context candidates from each neighbour
    word_weight: float = 0.5      # weight of the word-level evidence (restore_words)
    flag_margin: float = 1.5      # words whose best rival is within this many nats are marked doubtful
    digit_word_logp: float = -1.0  # log-prob that a short run of digits inside a sentence is a misread word
    support_floor: float = -8.0   # channel log-prob floor of a syllable offered because its neighbours expect it
    support_cands: int = 60       # syllables each neighbour reading proposes (bigram successors / predecessors)
    confusion_subs: int = 2       # printed letters a candidate search may read as a learned confusion
    confusion_rank: float = 0.5   # what one such reading costs in the ranking of forms (an edit costs 1)
    keep_junk_logp: float = -25.0  # "printed as is" for a word with a stray symbol inside ("S::rng", "la}r")
    cache_weight: float = 0.15    # λ of the document cache LM (restore_cache); 0 reads each document once
    cache_margin: float = 3.0     # first-pass words at least this sure feed the document cache
    cache_unigram: float = 0.0    # γ: weight of the cache unigram (0: only bigrams the document used count)
    cache_cap: float = 2.0        # most nats the cache may add to one token's LM log-prob
    cloze_weight: float = 0.4     # β: weight of the cloze model's log-prob in the second reading (restore_neural)


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def _small_l_in_capitals(word: str) -> bool:
    small = [c for c in word if c.isalpha() and not c.isupper()]
    return "l" in small and set(small) == {"l"} and any(c.isupper() for c in word)


def has_junk(core: str) -> bool:
    """A symbol inside a word that is neither a letter, a digit, a glyph OCR prints for a letter, nor a
    hyphen or apostrophe ("S::rng", "lru}ren", "ng}ue,p"): no word is written that way, so the print
    is damage whatever its letters."""
    return any(not ch.isalnum() and ch not in OCR_LETTERS and ch not in "-'’" for ch in core)


def confusion_variants(printed: str, letters: dict[str, set[str]], max_subs: int) -> dict[str, int]:
    """Plain-letter readings of a printed word where up to `max_subs` characters are read as a letter
    the channel learned they stand for ("vie" -> "vuc" when "i" prints "ư" and "e" prints "c"), each
    with its number of such readings. OCR confuses whole classes of glyphs, so a word hit twice is
    still two confusions away from its syllable, not four edits."""
    slots: list[tuple[str, tuple[str, ...]]] = []
    for ch in printed:
        own = skeleton(ch)
        alts = tuple(sorted(letters.get(ch, set()) - {own}))
        if own or alts:
            slots.append((own, alts))
    out = {"".join(own for own, _ in slots): 0}
    frontier = [(0, [own for own, _ in slots])]
    for n in range(1, max_subs + 1):
        nxt = []
        for start, letters_now in frontier:
            for i in range(start, len(slots)):
                for alt in slots[i][1]:
                    word = letters_now[:i] + [alt] + letters_now[i + 1:]
                    nxt.append((i + 1, word))
                    out.setdefault("".join(word), n)
        frontier = nxt
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


class Candidates:
    """Channel-scored candidates for printed words (cached per word)."""

    def __init__(self, lm: NgramLM, channel: Channel, syllables: list[str], params: Params) -> None:
        self.lm = lm
        self.channel = channel
        self.params = params
        self.known = set(syllables)
        self.index = CandidateIndex(syllables)
        self._uni = np.asarray(lm.uni)
        self._syl_id = {x: lm.ids[x] for x in syllables}
        self._abbr = lm.id(ABBR)
        self._cache: dict[tuple[str, bool, bool], list[Cand]] = {}
        self._succ: dict[int, list[int]] | None = None
        self._pred: dict[int, list[int]] | None = None
        self._syl_succ: dict[int, list[int]] | None = None
        self._syl_pred: dict[int, list[int]] | None = None
        self._support_cache: dict[str, dict[int, float]] = {}   # printed word -> {syllable id: channel}
        self._skeletons = {i: skeleton(x) for x, i in self._syl_id.items()}

    def get(self, observed: str, caps: bool, keep: bool = True) -> list[Cand]:
        """(lm id, channel log-prob, syllable) for a printed word; also the word itself if unknown."""
        key = (observed, caps, keep)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        low = unicodedata.normalize("NFC", observed.lower())
        skel = skeleton(low)
        if len(skel) > _LONGEST:
            # No syllable is near (and the glyph search grows with the length): kept as printed.
            out = [(self._abbr, self.params.keep_junk_logp, observed)] if keep else []
            self._cache[key] = out
            return out
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
        if not caps and self.params.confusion_subs > 0:
            # Learned glyph confusions, read before measuring edits; one confusion read spends one edit.
            for v, subs in confusion_variants(low, self.channel.letters, self.params.confusion_subs).items():
                max_dist = (1 if len(v) <= 2 else 2) + 1 - subs
                if subs == 0 or not v or max_dist < 0:
                    continue
                for dist, f in self.index.folds_near(v, max_dist):
                    folds[f] = min(dist + self.params.confusion_rank * subs, folds.get(f, 99))
        fold_rank = self.index.fold_rank
        ranked = sorted(folds, key=lambda f: (folds[f], fold_rank[f]))[: self.params.max_folds]
        syls = [s for f in ranked for s in self.index.by_fold[f]]
        out: list[Cand] = []
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
            cost = self.params.keep_caps_logp if caps_abbr else \
                self.params.keep_junk_logp if has_junk(observed) else self.params.keep_logp
            out.append((self._abbr, cost, observed))
        if keep and _small_l_in_capitals(observed):
            # The scan's commonest confusion: capital I printed as small l ("camera Al" = AI).
            out.append((self._abbr, self.params.caps_l_logp, observed.replace("l", "I")))
        self._cache[key] = out
        return out

    def splits(self, observed: str) -> list[Split]:
        """Readings of a printed word as two syllables the OCR ran together ("Tirnam" = "Từ năm"):
        each part read as its own word (channel scores, no unknowns), the pair's channel score
        lowered by `split_logp`. The best three per part and cut, and of those the best
        `max_cands` pairs by channel + unigram."""
        low = unicodedata.normalize("NFC", observed.lower())
        if not self.params.split_min <= len(skeleton(low)) <= 2 * _LONGEST:
            return []
        pairs: list[tuple[float, Split]] = []
        for cut in range(1, len(low)):
            first = self.get(low[:cut], False, keep=False)[:3]
            second = self.get(low[cut:], False, keep=False)[:3] if first else []
            for a in first:
                for b in second:
                    chan = a[1] + b[1] + self.params.split_logp
                    pairs.append((chan + self._uni[a[0]] + self._uni[b[0]], Split(a[0], b[0], chan, a[2], b[2], cut)))
        pairs.sort(key=lambda x: -x[0])
        return [sp for _, sp in pairs[: self.params.max_cands]]

    def unreadable(self, observed: str, caps: bool, cands: list[Cand]) -> bool:
        """A lower-case word no syllable is near: OCR garbage ("1lgillen", "S::rng") worth a context guess.
        A word of plain letters only ("logistics", "camera", "Internet") is not: damage to a syllable that
        leaves no digit, symbol or mark stays near it, so this is a foreign word printed whole."""
        if observed.isascii() and observed.isalpha():
            return False
        if not caps and len(skeleton(observed.lower())) >= 2 and has_junk(observed):
            return True   # near syllables or not, its letters are not to be trusted
        return not caps and len(skeleton(observed.lower())) >= 2 and all(c[0] == self._abbr for c in cands)

    def from_context(self, observed: str, before: list[Cand], after: list[Cand]) -> list[Cand]:
        """Syllables the LM most expects after the previous word's or before the next word's candidates,
        scored by the channel but never below `context_logp` (the printed form says little)."""
        succ, pred = self._neighbours()
        found: dict[int, None] = {}
        for tok, _, _ in before[:3]:
            found.update(dict.fromkeys(succ.get(tok, ())[: self.params.context_cands]))
        for tok, _, _ in after[:3]:
            found.update(dict.fromkeys(pred.get(tok, ())[: self.params.context_cands]))
        vocab = self.lm.vocab
        syls = [vocab[t] for t in found if vocab[t] in self._syl_id]
        if not syls:
            return []
        chan = self.channel.score_many(unicodedata.normalize("NFC", observed.lower()), syls)
        return [(self._syl_id[s], max(float(c), self.params.context_logp), s) for s, c in zip(syls, chan)]

    def supported(self, observed: str, have: list[Cand], before: list[Cand], after: list[Cand]) -> list[Cand]:
        """Syllables a neighbour's reading expects ("chia" -> "sẻ", "đáp" -> "ứng") that the prior pruning
        left out, at their own channel score if it reaches `support_floor`: a rare syllable whose
        letters fit is otherwise never offered, however strongly its context asks for it."""
        succ, pred = self._syllable_neighbours()
        found: set[int] = set()
        for tok, _, _ in before[:3]:
            found.update(succ.get(tok, ()))
        for tok, _, _ in after[:3]:
            found.update(pred.get(tok, ()))
        found.difference_update(tok for tok, _, _ in have)
        if not found:
            return []
        low = unicodedata.normalize("NFC", observed.lower())
        scores = self._support_cache.get(low)
        if scores is None:
            scores = self._support_cache[low] = {}
        todo = found.difference(scores)
        if todo:
            skel, skels = skeleton(low), self._skeletons
            # Beyond this many letter edits no syllable reaches the floor; it saves channel scoring.
            cut = 2 if len(skel) <= 3 else 3
            near = [t for t in todo if Levenshtein.distance(skel, skels[t], score_cutoff=cut) <= cut]
            scores.update(dict.fromkeys(todo, -math.inf))
            if near:
                vocab = self.lm.vocab
                scores.update(zip(near, map(float, self.channel.score_many(low, [vocab[t] for t in near]))))
        floor, vocab = self.params.support_floor, self.lm.vocab
        return [(t, scores[t], vocab[t]) for t in sorted(found) if scores[t] >= floor]

    def _syllable_neighbours(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """The `support_cands` most probable syllable successors and predecessors of each token."""
        if self._syl_succ is None or self._syl_pred is None:
            succ: dict[int, list[tuple[float, int]]] = defaultdict(list)
            pred: dict[int, list[tuple[float, int]]] = defaultdict(list)
            uni = self.lm.uni
            syl = set(self._syl_id.values())
            for (v, w), lp in self.lm.bi.items():
                if w in syl:
                    succ[v].append((lp, w))
                if v in syl:
                    pred[w].append((lp + uni[v], v))
            keep = self.params.support_cands
            self._syl_succ = {k: [t for _, t in sorted(v, reverse=True)[:keep]] for k, v in succ.items()}
            self._syl_pred = {k: [t for _, t in sorted(v, reverse=True)[:keep]] for k, v in pred.items()}
        return self._syl_succ, self._syl_pred

    def _neighbours(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """Most probable successors and predecessors of each syllable (bigram level), built on first use."""
        if self._succ is None or self._pred is None:
            succ: dict[int, list[tuple[float, int]]] = defaultdict(list)
            pred: dict[int, list[tuple[float, int]]] = defaultdict(list)
            uni = self.lm.uni
            for (v, w), lp in self.lm.bi.items():
                if lp > math.log(0.02):
                    succ[v].append((lp, w))
                    # P(v | w) up to a constant, by Bayes on the unigram of v.
                    pred[w].append((lp + uni[v], v))
            keep = self.params.context_cands
            self._succ = {k: [t for _, t in sorted(v, reverse=True)[:keep]] for k, v in succ.items()}
            self._pred = {k: [t for _, t in sorted(v, reverse=True)[:keep]] for k, v in pred.items()}
        return self._succ, self._pred
