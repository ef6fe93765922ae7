"""Syllable trigram language model: interpolated Kneser-Ney, stored in backoff form.

Training happens offline (scripts/train_restorer.py); at run time the model is a
few dictionaries of log-probabilities, so scoring a trigram is one to three
dictionary look-ups. Tokens are plain strings (canonical syllables and a few
class tokens such as NUM); ids are assigned by the model.
"""
from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

BOS, EOS = "<s>", "</s>"
NUM, UNK, COMMA, STOP = "<num>", "<unk>", "<,>", "<.>"
# A word that is no Vietnamese syllable: abbreviation ("UBND"), foreign word, unknown name.
ABBR = "<abbr>"
# Marks the edges of a dictionary entry: its inner n-grams are real, its edges are not sentence edges.
WORD_EDGE = "<w>"


class NgramLM:
    def __init__(self, vocab: list[str], uni: list[float], bow1: dict[int, float],
                 bi: dict[tuple[int, int], float], bow2: dict[tuple[int, int], float],
                 tri: dict[tuple[int, int, int], float]) -> None:
        self.vocab = vocab
        self.ids = {w: i for i, w in enumerate(vocab)}
        self.uni = uni
        self.bow1 = bow1
        self.bi = bi
        self.bow2 = bow2
        self.tri = tri

    def id(self, token: str) -> int:
        return self.ids.get(token, self.ids[UNK])

    def logp(self, u: int, v: int, w: int) -> float:
        """Natural-log P(w | u v)."""
        p = self.tri.get((u, v, w))
        if p is not None:
            return p
        b = self.bi.get((v, w))
        if b is None:
            b = self.bow1.get(v, 0.0) + self.uni[w]
        return self.bow2.get((u, v), 0.0) + b

    # ---- building ---------------------------------------------------------------

    @classmethod
    def train(cls, sequences: Iterable[tuple[list[str], int]], discounts=(0.6, 0.7, 0.8),
              raw_unigram: float = 0.0, min_uni: float = 1e-7,
              supplement: dict[tuple[str, ...], float] | None = None, edge_outcomes: bool = True) -> NgramLM:
        """Interpolated Kneser-Ney from (tokens, weight) pairs, or (tokens, weight, in_raw) triples.

        A sequence starting with WORD_EDGE is a dictionary entry and is not padded
        with sentence marks. The weight multiplies its counts; `in_raw` False keeps a
        sequence out of the raw unigram frequencies (text of another register). `raw_unigram` mixes
        plain token frequency (running text only) into the unigram level: with
        dictionaries among the sources, continuation counts say how many compounds
        end in a syllable, not how often running text uses it ("huyện", "tỉnh").
        `supplement` maps bigrams and trigrams of another source to counts that are added above
        the unigram level only (bigrams as continuation counts, trigrams as counts), and only where
        the main sources have no such n-gram: that source's collocations fill gaps without shifting
        which syllables are common or overriding what the main text says.

        `edge_outcomes` False keeps WORD_EDGE out of the outcomes (context only): running text never
        shows it, yet the shipped model gives it 38% after "chia sẻ". Measured in round 8
        (eval/RESTORE.md): perplexity on the truth lines 32.3 -> 29.6 and a model 20% smaller, but
        restoration no better, with churn ("xu thế" -> "xử thế"), so not shipped.
        """
        c3: Counter = Counter()
        raw: Counter = Counter()
        vocab_set = {BOS, EOS, NUM, UNK, ABBR, COMMA, STOP, WORD_EDGE}
        for toks, weight, *rest in sequences:
            seq = toks if toks and toks[0] == WORD_EDGE else [BOS, BOS, *toks, EOS]
            vocab_set.update(seq)
            if seq[0] != WORD_EDGE and (not rest or rest[0]):
                for t in toks:
                    raw[t] += weight
            for i in range(2, len(seq)):
                if seq[i] == WORD_EDGE and not edge_outcomes:
                    continue
                c3[(seq[i - 2], seq[i - 1], seq[i])] += weight
        d1, d2, d3 = discounts

        # Kneser-Ney: lower orders count distinct left contexts, not occurrences.
        cc2: Counter = Counter()
        h3_tot: Counter = Counter()
        h3_types: Counter = Counter()
        for (u, v, w), c in c3.items():
            cc2[(v, w)] += 1
            h3_tot[(u, v)] += c
            h3_types[(u, v)] += 1
        cc1: Counter = Counter()
        for (_v, w) in cc2:
            cc1[w] += 1
        for gram, c in (supplement or {}).items():
            if not vocab_set.issuperset(gram) or gram in (cc2 if len(gram) == 2 else c3) \
                    or c <= (d2 if len(gram) == 2 else d3):
                # A syllable only the supplement knows would change the unigram level; an n-gram the
                # main sources already have keeps their estimate (the supplement only fills gaps); a
                # count under the discount adds no probability, only backoff mass (unnormalised).
                continue
            if len(gram) == 2:
                cc2[gram] += c
            else:
                h3_types[gram[:2]] += 1
                c3[gram] += c
                h3_tot[gram[:2]] += c
        vocab = sorted(vocab_set)
        ids = {w: i for i, w in enumerate(vocab)}
        h2_tot: Counter = Counter()
        h2_types: Counter = Counter()
        for (v, _w), c in cc2.items():
            h2_tot[v] += c
            h2_types[v] += 1
        tot1 = sum(cc1.values())
        n_vocab = len(vocab)
        uni_p = {w: max(cc1.get(w, 0) - d1, 0) / tot1 for w in vocab}
        left = 1.0 - sum(uni_p.values())
        raw_tot = sum(raw.values()) or 1
        uni = [math.log(max((1 - raw_unigram) * (uni_p[w] + left / n_vocab)
                            + raw_unigram * raw.get(w, 0) / raw_tot, min_uni)) for w in vocab]

        def p2(v: str, w: str) -> float:
            tot = h2_tot.get(v)
            pu = math.exp(uni[ids[w]])
            if not tot:
                return pu
            return max(cc2.get((v, w), 0) - d2, 0) / tot + d2 * h2_types[v] / tot * pu

        bi = {(ids[v], ids[w]): round(math.log(p2(v, w)), 4) for (v, w) in cc2}
        bow1 = {ids[v]: round(math.log(d2 * h2_types[v] / tot), 4) for v, tot in h2_tot.items()}
        tri: dict[tuple[int, int, int], float] = {}
        for (u, v, w), c in c3.items():
            tot = h3_tot[(u, v)]
            p = max(c - d3, 0) / tot + d3 * h3_types[(u, v)] / tot * p2(v, w)
            tri[(ids[u], ids[v], ids[w])] = round(math.log(p), 4)
        bow2 = {(ids[u], ids[v]): round(math.log(d3 * h3_types[(u, v)] / tot), 4)
                for (u, v), tot in h3_tot.items()}
        return cls(vocab, [round(x, 4) for x in uni], bow1, bi, bow2, tri)

    @classmethod
    def mix(cls, a: NgramLM, b: NgramLM, weight: float, min_p: float = 1e-7) -> NgramLM:
        """(1 - weight) * a + weight * b as one backoff model (static interpolation).

        Unlike pooling counts, text of another register (b) can lift what a leaves to
        backoff but lowers none of a's probabilities by more than log(1 - weight). Every
        n-gram explicit in either model gets its mixed probability; backoff weights are
        renormalised so each history still sums to one.
        """
        vocab = sorted(set(a.vocab) | set(b.vocab))
        ids = {w: i for i, w in enumerate(vocab)}
        in_a = [a.ids.get(w) for w in vocab]
        in_b = [b.ids.get(w) for w in vocab]
        wa, wb = 1.0 - weight, weight

        def pa3(u: int, v: int, w: int) -> float:
            return 0.0 if in_a[w] is None else math.exp(a.logp(a.id(vocab[u]), a.id(vocab[v]), in_a[w]))

        def pb3(u: int, v: int, w: int) -> float:
            return 0.0 if in_b[w] is None else math.exp(b.logp(b.id(vocab[u]), b.id(vocab[v]), in_b[w]))

        def p2(m: NgramLM, mid: list, v: int, w: int) -> float:
            if mid[w] is None:
                return 0.0
            vv = m.id(vocab[v])
            lp = m.bi.get((vv, mid[w]))
            return math.exp(m.bow1.get(vv, 0.0) + m.uni[mid[w]] if lp is None else lp)

        uni_p = [wa * (math.exp(a.uni[x]) if x is not None else 0.0)
                 + wb * (math.exp(b.uni[y]) if y is not None else 0.0) for x, y in zip(in_a, in_b)]
        uni = [round(math.log(max(p, min_p)), 4) for p in uni_p]

        def remap(m: NgramLM, keys) -> set:
            return {tuple(ids[m.vocab[t]] for t in k) for k in keys}

        bi_keys = remap(a, a.bi) | remap(b, b.bi)
        bi_p = {(v, w): wa * p2(a, in_a, v, w) + wb * p2(b, in_b, v, w) for v, w in bi_keys}
        seen_v: dict[int, list[float]] = {}
        for (v, w), p in bi_p.items():
            acc = seen_v.setdefault(v, [0.0, 0.0])
            acc[0] += p
            acc[1] += math.exp(uni[w])
        bow1 = {v: round(math.log(max(1.0 - s1, 1e-9) / max(1.0 - s0, 1e-9)), 4) for v, (s1, s0) in seen_v.items()}
        bi = {k: round(math.log(max(p, min_p)), 4) for k, p in bi_p.items()}

        def p2mix(v: int, w: int) -> float:
            lp = bi.get((v, w))
            return math.exp(bow1.get(v, 0.0) + uni[w] if lp is None else lp)

        tri_keys = remap(a, a.tri) | remap(b, b.tri)
        tri: dict[tuple[int, int, int], float] = {}
        seen_h: dict[tuple[int, int], list[float]] = {}
        for u, v, w in tri_keys:
            p = wa * pa3(u, v, w) + wb * pb3(u, v, w)
            tri[(u, v, w)] = round(math.log(max(p, min_p)), 4)
            acc = seen_h.setdefault((u, v), [0.0, 0.0])
            acc[0] += p
            acc[1] += p2mix(v, w)
        bow2 = {h: round(math.log(max(1.0 - s1, 1e-9) / max(1.0 - s0, 1e-9)), 4) for h, (s1, s0) in seen_h.items()}
        return cls(vocab, uni, bow1, bi, bow2, tri)

    # ---- storage ----------------------------------------------------------------

    def to_json(self) -> dict:
        def flat(d: dict) -> list:
            out: list = []
            for k, v in d.items():
                out.extend(k if isinstance(k, tuple) else (k,))
                out.append(v)
            return out

        return {"vocab": self.vocab, "uni": self.uni, "bow1": flat(self.bow1), "bi": flat(self.bi),
                "bow2": flat(self.bow2), "tri": flat(self.tri)}

    @classmethod
    def from_json(cls, data: dict) -> NgramLM:
        def unflat(seq: list, n: int) -> dict:
            step = n + 1
            if n == 1:
                return dict(zip(seq[0::2], seq[1::2]))
            keys = zip(*(seq[i::step] for i in range(n)))
            return dict(zip(keys, seq[n::step]))

        return cls(data["vocab"], data["uni"], unflat(data["bow1"], 1), unflat(data["bi"], 2),
                   unflat(data["bow2"], 2), unflat(data["tri"], 3))

    def save(self, path: Path) -> None:
        write_gzip(path, json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")))

    @classmethod
    def load(cls, path: Path) -> NgramLM:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_json(json.load(fh))


def write_gzip(path: Path, text: str) -> None:
    """Byte-reproducible gzip (no timestamp), so a rebuilt model diffs clean."""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(text.encode("utf-8"))
