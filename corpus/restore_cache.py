"""A document cache language model for the restorer (Kuhn & De Mori 1990, "cache-based LM").

A document repeats its own vocabulary and phrases: a plan that writes "chia sẻ dữ
liệu" once clearly will write it again where the scan damaged it. The decoder
reads a document twice: the first pass as usual; the words it restored with a
high margin (their best rival far behind) are counted as syllable unigrams and
bigrams; the second pass adds the probability of this cache to the general
trigram's:

    min(P(w | u v) + λ · Pc(w | v), e^cap · P(w | u v)),   Pc(w | v) = γ · c(w) / N + c(v w) / c(v)

so a syllable the document confidently uses (in this context) gains, at most `cap`
nats: the cache settles close calls rather than overruling the general LM (uncapped,
a plan's confident "tích hợp xử lý" turned its "phù hợp xu thế" into "xử thế" four
times). No other reading loses: class tokens and syllables absent from the cache keep
their log-probability exactly. Only confident readings enter the cache, so a guess
cannot vote for itself elsewhere. The shipped γ is 0: a document's frequent syllables
pulled unsure words their way ("cáp quang" -> "quảng" beside "Quảng Ngãi"; measured
in eval/RESTORE.md). Nothing here is about a particular word.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class DocCache:
    """Syllable counts of one document's confident restorations, as LM ids."""

    uni: Counter = field(default_factory=Counter)
    bi: Counter = field(default_factory=Counter)
    ctx: Counter = field(default_factory=Counter)     # c(v): bigrams starting with v
    total: int = 0

    def add(self, tokens: list[int | None]) -> None:
        """One paragraph's tokens in reading order, None where a word was not confident (or a
        class token such as a number or comma): bigrams are counted only between two
        confident syllables side by side."""
        prev = None
        for t in tokens:
            if t is not None:
                self.uni[t] += 1
                self.total += 1
                if prev is not None:
                    self.bi[(prev, t)] += 1
                    self.ctx[prev] += 1
            prev = t

    def unigram(self) -> dict[int, float]:
        """c(w) / N for every cached syllable."""
        n = self.total or 1
        return {t: c / n for t, c in self.uni.items()}

    def prob(self, v: int, w: int, pu: float, gamma: float) -> float:
        """Pc(w | v) = γ · c(w)/N + c(v w)/c(v). The unigram part does not depend on v, so two
        readings that differ only in the previous word get the same share of it (a Dirichlet
        mix would give a syllable more after a word the cache never saw, e.g. a number, than
        after a word it saw often)."""
        cv = self.ctx.get(v, 0)
        return gamma * pu + (self.bi.get((v, w), 0) / cv if cv else 0.0)


def confident_tokens(dec, slots: list, choice: list[tuple[str, int]], min_margin: float) -> list[int | None]:
    """The first pass's reading of a paragraph as LM tokens, None where it is not sure.

    A word's margin is computed as restore_marks does for the reader (channel + LM weight x
    the trigram log-probs of the word and the two tokens after it + word evidence, against
    the best other candidate of the same slot), here on the decoder's own slots so that
    context-proposed candidates count as rivals too. Words joined from two printed pieces or
    split from one, words kept as printed and class tokens are never cached.
    """
    lm, words = dec.lm, dec.words
    w = dec.params.lm_weight
    ww = dec.params.word_weight if words is not None else 0.0
    seq: list[int] = [dec._bos, dec._bos]
    where: list[tuple[int, object]] = []    # (position in seq, slot) of single-word readings
    for slot, (kind, k) in zip(slots, choice):
        if kind == "joined":
            continue
        if slot.token is not None:
            seq.append(slot.token)
            continue
        if kind == "one":
            where.append((len(seq), slot))
            seq.append(slot.cands[k][0])
        elif kind == "split":
            seq += [slot.split[k].first, slot.split[k].second]
        else:
            seq.append(slot.merge[k][0])
    seq += [dec._eos, dec._eos]
    sure: dict[int, int] = {}
    for pos, slot in where:
        chosen = seq[pos]
        if lm.vocab[chosen].startswith("<"):
            continue
        a, b, n1, n2 = seq[pos - 2], seq[pos - 1], seq[pos + 1], seq[pos + 2]
        scores: dict[int, float] = {}
        for tok, chan, _text in slot.cands:
            s = chan + w * (lm.logp(a, b, tok) + lm.logp(b, tok, n1) + lm.logp(tok, n1, n2))
            if ww:
                s += ww * (words.status(a, b, tok) + words.status(b, tok, n1) + words.status(tok, n1, n2))
            scores[tok] = max(s, scores.get(tok, -math.inf))
        rivals = [s for t, s in scores.items() if t != chosen]
        if not rivals or scores[chosen] - max(rivals) >= min_margin:
            sure[pos] = chosen
    return [sure.get(i) for i in range(2, len(seq) - 2)]
