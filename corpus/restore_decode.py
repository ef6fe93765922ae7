"""Decoding for the diacritic restorer: beam search over each paragraph.

Every printed word becomes a slot with candidate syllables (restore_candidates),
punctuation and numbers become class tokens; the beam keeps the best sequences
under channel log-prob + LM weight x trigram log-prob. Line breaks inside a
paragraph keep context; a blank line ends it. Case comes back from the printed
word (restore_casing).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field, replace

import numpy as np

from kehoach.corpus.lm import BOS, COMMA, EOS, NUM, STOP, UNK, ABBR, NgramLM
from kehoach.corpus.restore_cache import DocCache, confident_tokens
from kehoach.corpus.restore_candidates import Cand, Candidates, Params, Split
from kehoach.corpus.restore_casing import CaseModel, apply_case, caps_line, is_caps
from kehoach.corpus.restore_channel import Channel
from kehoach.corpus.restore_neural import ClozeLM
from kehoach.corpus.restore_words import WordModel
from kehoach.corpus.restore_tokens import Piece, pieces, punct_token, render, roman_label, skeleton

_DASHES = ("-", "–", "—")


@dataclass
class _Slot:
    """One LM position: a fixed class token, or a word with candidate restorations."""

    token: int | None = None
    cands: list[Cand] = field(default_factory=list)
    merge: list[Cand] = field(default_factory=list)  # this word joined with the next
    split: list[Split] = field(default_factory=list)  # this word read as two (OCR ran them together)
    where: tuple[int, int] | None = None  # (line index, part index) of a word
    unreadable: str | None = None         # the printed word, when no syllable is near it
    printed: str | None = None            # a lower-case printed word, for candidates its context suggests
    cased: bool = False                   # case evidence applies to its candidates


@dataclass
class Decoded:
    lines: list[str]                              # restored lines
    pairs: list[tuple[str, str]]                  # (syllable, printed) for every restored word, for EM


def mergeable(first: str, second: str) -> bool:
    """Two printed fragments that may be one syllable split by OCR ("quy" + "ét", "trw" + "ong")."""
    joined = skeleton((first + second).lower())
    return 3 <= len(joined) <= 7 and len(skeleton(first.lower())) <= 4 and len(skeleton(second.lower())) <= 4


def joins(printed: str, cands: list[Cand]) -> list[Cand]:
    """The readings of two fragments as one syllable that begin and end as the print does: a join
    keeps both fragments, so a reading that drops one ("U tién" as "tiền") is a deletion the
    single words already offer at their own price, not a join."""
    skel = skeleton(printed.lower())
    return [c for c in cands if (s := skeleton(c[2]))[:1] == skel[:1] and s[-1:] == skel[-1:]]


class Decoder:
    def __init__(self, lm: NgramLM, channel: Channel, syllables: list[str], params: Params,
                 case: CaseModel | None = None, words: WordModel | None = None,
                 cloze: ClozeLM | None = None) -> None:
        self.lm = lm
        self.cloze = cloze
        self._cloze_rows = cloze.bind(lm.vocab) if cloze is not None else None
        self.case = case
        self.words = words
        self.channel = channel
        self.params = params
        self.cands = Candidates(lm, channel, syllables, params)
        self._bos, self._eos = lm.id(BOS), lm.id(EOS)
        self._num, self._unk, self._abbr = lm.id(NUM), lm.id(UNK), lm.id(ABBR)
        self._comma, self._stop = lm.id(COMMA), lm.id(STOP)

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
            # A number alone on its line (a page or list number, "- 12 -") is never a misread word.
            alone = sum(1 for q in parts if not isinstance(q, str) and q.kind != "punct") == 1
            last: Piece | None = None   # the previous piece on this line
            for pi, p in enumerate(parts):
                if isinstance(p, str):
                    continue
                punct(p.lead)
                if p.kind == "word":
                    caps = is_caps(p.core, caps_line)
                    if prev is not None and not p.lead and not caps and mergeable(prev[1].core, p.core):
                        # OCR splits syllables ("quy ét", "trw ong"): offer the pair as one word.
                        slots[-1].merge = joins(prev[1].core + p.core,
                                                self.cands.get(prev[1].core + p.core, False, keep=False))
                    cands = self.cands.get(p.core, caps)
                    cased = self.case is not None and not caps and bool(slots) and (
                        slots[-1].token is None or slots[-1].token == self._comma)
                    if cased:
                        cands = self._cased(cands, p.core)
                    slots.append(_Slot(cands=cands, where=(li, pi), cased=cased,
                                       printed=None if caps else p.core,
                                       unreadable=p.core if self.cands.unreadable(p.core, caps, cands) else None))
                    if not caps and max((c[1] for c in cands if c[0] != self._abbr), default=-math.inf) \
                            < self.params.context_logp:
                        # No syllable explains the print: it may be two words run together.
                        slots[-1].split = self.cands.splits(p.core)
                    prev = (pi, p) if not p.trail and not caps else None
                else:
                    prev = None
                    # After a dash a number is a range or a list item ("2021 - 2025", "v- 6").
                    after_dash = last is not None and (last.lead + last.core + last.trail).endswith(_DASHES)
                    digit_word = [] if alone or after_dash else self._digit_word(p, slots)
                    if digit_word:
                        slots.append(_Slot(cands=digit_word, where=(li, pi)))
                    elif p.kind in ("num", "code"):
                        slots.append(_Slot(token=self._num if p.kind == "num" else self._unk))
                    else:
                        punct(p.core)
                punct(p.trail)
                last = p
        for i, slot in enumerate(slots):
            if slot.unreadable:
                # The print says little about any reading, its near syllables included: the same
                # channel floor for all, so the context chooses among them fairly.
                floor = self.params.context_logp
                own = [c if c[0] == self._abbr else (c[0], max(c[1], floor), c[2]) for c in slot.cands]
                slot.cands = own + self.cands.from_context(
                    slot.unreadable, self._context(slots, i - 1), self._context(slots, i + 1))
        if self.params.support_cands > 0:
            extra = [self.cands.supported(slot.printed, slot.cands, self._context(slots, i - 1),
                                          self._context(slots, i + 1)) if slot.printed else []
                     for i, slot in enumerate(slots)]
            for slot, more in zip(slots, extra):
                if more:
                    slot.cands = slot.cands + (self._cased(more, slot.printed) if slot.cased else more)
        return slots

    def _digit_word(self, p: Piece, slots: list[_Slot]) -> list[Cand]:
        """A number of one or two digits inside a sentence may be a word whose letters the scan
        printed as digits ("56 hóa" = số hóa, "tỷ 18" = tỷ lệ): the number itself at no cost, and
        the syllables its digit shapes spell at a price, so only a context that strongly prefers a
        word over a number turns it into one. List numbers ("1." at a paragraph start, "(2)") and
        longer numbers (years, counts) stay numbers."""
        if p.kind != "num" or not p.core.isdigit() or len(p.core) > 2 or p.lead:
            return []
        if not slots or slots[-1].token is not None and slots[-1].token != self._comma:
            return []   # a number after a full stop, a heading or another number is a label or a count
        return self.digit_cands(p.core)

    def digit_cands(self, core: str) -> list[Cand]:
        """The number itself (free) and, at `digit_word_logp`, the syllables its digits spell,
        scored as the letters the digit shapes resemble (5 -> s, 6 -> o, 1 -> l, 3 -> a): the
        channel has seen too few digits printed for letters to price them itself."""
        words = [c for c in self.cands.get(skeleton(core), False, keep=False) if c[0] != self._abbr]
        if not words:
            return []
        cost = self.params.digit_word_logp
        return [(self._num, 0.0, core)] + [(t, chan + cost, text) for t, chan, text in words]

    def _cased(self, cands: list[Cand], printed: str) -> list[Cand]:
        """Inside a sentence, a capital (or its absence) is evidence about the syllable."""
        capital = self.case.printed_capital(printed)
        if capital is None:
            return cands
        return [c if c[0] == self._abbr else (c[0], c[1] + self.case.logp(c[2], capital), c[2]) for c in cands]

    def _context(self, slots: list[_Slot], i: int) -> list[Cand]:
        if i < 0 or i >= len(slots):
            return [(self._bos if i < 0 else self._eos, 0.0, "")]
        slot = slots[i]
        return slot.cands if slot.token is None else [(slot.token, 0.0, "")]

    def _with_cloze(self, slots: list[_Slot], choice: list[tuple[str, int]]) -> list[_Slot]:
        """The slots again, each candidate's score raised by β·log P_cloze(candidate | the first
        reading's words on both sides) (restore_neural)."""
        tokens, at = [BOS], []
        for slot, (kind, k) in zip(slots, choice):
            at.append(len(tokens) - 1)   # the cloze row of this slot's position
            if kind == "joined":
                continue
            if kind == "split":
                tokens += [self.lm.vocab[slot.split[k].first], self.lm.vocab[slot.split[k].second]]
                continue
            tok = slot.token if slot.token is not None else (slot.merge if kind == "merge" else slot.cands)[k][0]
            tokens.append(self.lm.vocab[tok])
        logp = self.cloze.logprobs(tokens + [EOS])
        rows = self._cloze_rows
        beta = self.params.cloze_weight

        def scored(cands: list[Cand], r: int) -> list[Cand]:
            # Relative to the best candidate the model knows; a syllable its running text never had
            # (a name, a rare word: most of the dictionary) gets no opinion, not the unknown class's
            # near-zero probability.
            ids = [c[0] for c in cands]
            if not any(rows[i] >= 0 for i in ids):
                return cands
            lp = logp[r, np.maximum(rows[ids], 0)]
            top = max(float(x) for x, i in zip(lp, ids) if rows[i] >= 0)
            return [(c[0], c[1] + (beta * (float(x) - top) if rows[c[0]] >= 0 else 0.0), c[2])
                    for c, x in zip(cands, lp)]

        return [slot if slot.token is not None else
                replace(slot, cands=scored(slot.cands, min(r, len(logp) - 1)),
                        merge=scored(slot.merge, min(r, len(logp) - 1)))
                for slot, r in zip(slots, at)]

    def _beam(self, slots: list[_Slot], cache: DocCache | None = None) -> list[tuple[str, int]]:
        """Per slot: ("one", candidate), ("merge", candidate) for a word joined with the next,
        or ("joined", -1) for that next word. With a document cache, a word's LM probability
        gets λ·Pc added (restore_cache)."""
        lm, w = self.lm, self.params.lm_weight
        lam, gamma = self.params.cache_weight, self.params.cache_unigram
        cap = self.params.cache_cap
        cache_uni = cache.unigram() if cache is not None and lam > 0 else {}
        exp, log = math.exp, math.log
        tri, bi, bow1, bow2, uni = lm.tri, lm.bi, lm.bow1, lm.bow2, lm.uni
        ww = self.params.word_weight if self.words is not None else 0.0
        alone_lp = self.words.alone_lp if self.words is not None else {}
        joined_lp = self.words.joined_lp if self.words is not None else {}
        pairs = self.words.pairs if self.words is not None else set()
        n = len(slots)
        beams: list[dict[tuple[int, int], float]] = [{} for _ in range(n + 1)]
        backs: list[dict[tuple[int, int], tuple[int, tuple[int, int], str, int]]] = [{} for _ in range(n + 1)]
        beams[0][(self._bos, self._bos)] = 0.0

        def extend(p: int, q: int, kind: str, options: list[tuple[int, float]], penalty: float) -> None:
            nxt, back = beams[q], backs[q]
            pus = [cache_uni.get(tok, 0.0) for tok, _ in options] if cache_uni else None
            for state, score in beams[p].items():
                u, v = state
                b2 = bow2.get(state, 0.0)
                b1 = bow1.get(v, 0.0)
                # Word evidence for v, now that both its neighbours are known.
                alone = ww * alone_lp[v] if ww and v in alone_lp else 0.0
                joined = ww * joined_lp[v] if alone else 0.0
                left = alone and (u, v) in pairs
                for k, (tok, chan) in enumerate(options):
                    # NgramLM.logp inlined: this loop is the decoder's hot spot.
                    lp = tri.get((u, v, tok))
                    if lp is None:
                        lp = bi.get((v, tok))
                        lp = b2 + (b1 + uni[tok] if lp is None else lp)
                    if pus is not None and pus[k] > 0.0:
                        lp = min(log(exp(lp) + lam * cache.prob(v, tok, pus[k], gamma)), lp + cap)
                    sc = score + penalty + chan + w * lp
                    if alone:
                        sc += joined if left or (v, tok) in pairs else alone
                    key = (v, tok)
                    if sc > nxt.get(key, -math.inf):
                        nxt[key] = sc
                        back[key] = (p, state, kind, k)

        def extend_split(p: int, options: list[Split]) -> None:
            # Rare (a print no syllable is near), so scored plainly: channel and trigram only.
            nxt, back = beams[p + 1], backs[p + 1]
            for state, score in beams[p].items():
                u, v = state
                for k, sp in enumerate(options):
                    sc = score + sp.chan + w * (lm.logp(u, v, sp.first) + lm.logp(v, sp.first, sp.second))
                    key = (sp.first, sp.second)
                    if sc > nxt.get(key, -math.inf):
                        nxt[key] = sc
                        back[key] = (p, state, "split", k)

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
            if slot.split:
                extend_split(p, slot.split)
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
        """Restore every line, paragraph by paragraph (line breaks inside a paragraph keep context).

        With `cache_weight` > 0 the document is read twice: the second reading adds a cache of
        the syllables the first one restored with confidence (restore_cache), so the document's
        own usage settles what the general LM leaves close."""
        parsed = [pieces(unicodedata.normalize("NFC", line)) for line in lines]
        caps_lines = [caps_line(parts) for parts in parsed]
        result = Decoded([], [])
        paras: list[list[int]] = [[]]
        for i, line in enumerate(lines):
            if line.strip():
                paras[-1].append(i)
            elif paras[-1]:
                paras.append([])
        # Slots first for every paragraph (candidate search is the costly part), so a second
        # reading costs only the beam.
        slots_all = [self._slots(para, parsed, caps_lines) for para in paras if para]
        choices = [self._beam(slots) for slots in slots_all]
        cache = None
        if self.params.cache_weight > 0:
            cache = DocCache()
            for slots, choice in zip(slots_all, choices):
                cache.add(confident_tokens(self, slots, choice, self.params.cache_margin))
            cache = cache if cache.total else None
        cloze = self.cloze is not None and self.params.cloze_weight > 0
        if cache is not None or cloze:
            # The second reading scores with what the first one found: the document's own confident
            # pairs (cache) and the words around each slot (cloze). The chosen candidates are
            # indices into the same lists, so the slots written back below stay valid.
            choices = [self._beam(self._with_cloze(slots, choice) if cloze else slots, cache)
                       for slots, choice in zip(slots_all, choices)]
        for slots, choice in zip(slots_all, choices):
            self._apply(slots, choice, parsed, caps_lines, result)
        for parts in parsed:
            for p in parts:
                if isinstance(p, Piece) and p.kind == "code":
                    p.core = roman_label(p.core)
        result.lines = [render(p) for p in parsed]
        return result

    def _apply(self, slots: list[_Slot], choice: list[tuple[str, int]], parsed: list[list[str | Piece]],
               caps_lines: list[bool], result: Decoded) -> None:
        """Write the chosen readings into the parsed pieces (case from the print) and collect the
        (syllable, printed) pairs EM learns from."""
        for i, (slot, (kind, k)) in enumerate(zip(slots, choice)):
            if slot.where is None or kind == "joined":
                continue
            li, pi = slot.where
            piece = parsed[li][pi]
            printed = piece.core
            if kind == "split":
                sp = slot.split[k]
                caps = is_caps(printed, caps_lines[li])
                piece.core = apply_case(sp.text1, printed[:sp.cut], caps) + " " + \
                    apply_case(sp.text2, printed[sp.cut:], caps)
                continue   # a guess about the spacing teaches EM nothing about letters
            if kind == "merge":
                tok, _, text = slot.merge[k]
                nli, npi = slots[i + 1].where
                nxt = parsed[nli][npi]
                printed += nxt.core
                parsed[li][pi + 1] = ""             # the space OCR put inside the word
                piece.trail, nxt.core, nxt.trail = nxt.trail, "", ""
            else:
                tok, _, text = slot.cands[k]
            if tok in (self._abbr, self._num):
                if tok == self._abbr and kind != "merge" and text != printed:
                    piece.core = text   # capitals whose I the scan printed as l
                continue
            if piece.kind == "word":   # a digit read as a word teaches EM nothing about letters
                result.pairs.append((text, unicodedata.normalize("NFC", printed.lower())))
            piece.core = apply_case(text, printed, is_caps(printed, caps_lines[li]))
