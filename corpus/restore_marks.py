"""How sure is each restored word? Posterior margins, and doubtful words marked for the reader.

The margin of a restored word is how far (natural log) its score beats the best
rival reading of the same printed word, with the restored neighbours as context:
channel log-prob + LM weight x the log-probs of the word and of the two tokens
after it. It needs only the printed and the restored text, so marks are
recomputed at display time from what the index already stores (printed text and
text_restored), and the CLI computes them right after restoring.
"""
from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from kehoach.corpus.lm import STOP
from kehoach.corpus.ocr_detect import canonical, is_valid_syllable
from kehoach.corpus.restore_candidates import Cand
from kehoach.corpus.restore_casing import caps_line, is_caps
from kehoach.corpus.restore_decode import Decoder
from kehoach.corpus.restore_tokens import Piece, pieces, punct_token, skeleton

SURE = 99.0  # margin of a word with no rival reading


@dataclass
class WordMark:
    line: int        # index of the line in the given lines
    part: int        # index of the word's piece in pieces(restored line)
    printed: str     # the printed form (two printed pieces joined when OCR split a syllable)
    restored: str
    margin: float    # nats by which the restored reading beats its best rival


def _words(parts: list[str | Piece]) -> list[int]:
    return [i for i, p in enumerate(parts) if isinstance(p, Piece) and p.core]


def _align_line(printed: list[Piece], restored: list[Piece]) -> list[tuple[str, list[int]]]:
    """For each restored piece, the printed pieces it came from: two when the decoder joined a split
    syllable; none for the second of two words it read from one print (the first one has that print)."""
    out: list[tuple[str, list[int]]] = []
    i = 0
    extra = len(printed) - len(restored)   # joins minus splits on this line
    second = False
    for j, r in enumerate(restored):
        if second:
            out.append((out[-1][0], []))
            second = False
            continue
        if i >= len(printed):
            break
        if extra < 0 and j + 1 < len(restored):
            one = skeleton(printed[i].core.lower())
            target = skeleton(r.core.lower())
            both = target + skeleton(restored[j + 1].core.lower())
            if Levenshtein.distance(both, one) < Levenshtein.distance(target, one):
                out.append((printed[i].core, [i]))
                i += 1
                extra += 1
                second = True
                continue
        take = [i]
        if extra > 0 and i + 1 < len(printed):
            one = skeleton(printed[i].core.lower())
            two = one + skeleton(printed[i + 1].core.lower())
            target = skeleton(r.core.lower())
            if Levenshtein.distance(two, target) < Levenshtein.distance(one, target) and not printed[i].trail:
                take = [i, i + 1]
                extra -= 1
        out.append(("".join(printed[k].core for k in take), take))
        i += len(take)
    return out


def word_margins(dec: Decoder, printed_lines: list[str], restored_lines: list[str]) -> list[WordMark]:
    """A margin for every restored word (paragraph by paragraph, as the decoder reads)."""
    marks: list[WordMark] = []
    para: list[int] = []

    def flush() -> None:
        if para:
            marks.extend(_paragraph(dec, para, printed_lines, restored_lines))
            para.clear()

    for i, line in enumerate(printed_lines):
        if line.strip() and i < len(restored_lines):
            para.append(i)
        else:
            flush()
    flush()
    return marks


def _paragraph(dec: Decoder, line_ids: list[int], printed_lines: list[str],
               restored_lines: list[str]) -> list[WordMark]:
    lm = dec.lm
    seq: list[int] = [dec._bos, dec._bos]
    out_split: list[WordMark] = []
    slots: list[tuple[int, list[Cand], WordMark]] = []   # (position in seq, candidates, mark)

    def punct(text: str) -> None:
        tok = punct_token(text)
        if tok is None:
            return
        tid = dec._stop if tok == STOP else dec._comma
        if seq[-1] in (dec._stop, dec._comma):
            if tid == dec._stop:
                seq[-1] = tid
            return
        seq.append(tid)

    for li in line_ids:
        p_parts = pieces(unicodedata.normalize("NFC", printed_lines[li]))
        r_parts = pieces(unicodedata.normalize("NFC", restored_lines[li]))
        in_caps = caps_line(p_parts)
        p_words = [p_parts[k] for k in _words(p_parts)]
        r_idx = _words(r_parts)
        links = _align_line(p_words, [r_parts[k] for k in r_idx])
        for n, (k, (printed, take)) in enumerate(zip(r_idx, links)):
            r = r_parts[k]
            punct(r.lead)
            if r.kind == "word" and (not take or n + 1 < len(links) and not links[n + 1][1]):
                # Two words read from one print: where the space goes is a guess, always shown as doubtful.
                low = canonical(r.core.lower())
                tok = lm.ids.get(low) if is_valid_syllable(low) else None
                out_split.append(WordMark(li, k, printed, r.core, 0.0))
                seq.append(tok if tok is not None else dec._abbr)
            elif r.kind == "word" and p_words[take[0]].kind == "word":
                caps = is_caps(printed, in_caps)
                cands = dec.cands.get(printed, caps, keep=len(take) == 1)
                if dec.case is not None and not caps and seq[-1] not in (dec._bos, dec._stop, dec._num, dec._unk):
                    cands = dec._cased(cands, printed)   # the decoder's own case evidence
                low = canonical(r.core.lower())
                tok = lm.ids.get(low) if is_valid_syllable(low) else None
                slots.append((len(seq), cands, WordMark(li, k, printed, r.core, SURE)))
                seq.append(tok if tok is not None else dec._abbr)
            elif r.kind == "word" and p_words[take[0]].kind == "num" and dec.digit_cands(printed):
                # Digits read as a word: its rivals are the number itself and the other readings.
                low = canonical(r.core.lower())
                tok = lm.ids.get(low) if is_valid_syllable(low) else None
                slots.append((len(seq), dec.digit_cands(printed), WordMark(li, k, printed, r.core, SURE)))
                seq.append(tok if tok is not None else dec._abbr)
            elif r.kind in ("num", "code"):
                seq.append(dec._num if r.kind == "num" else dec._unk)
            elif r.kind == "word":
                seq.append(dec._abbr)
            else:
                punct(r.core)
            punct(r.trail)
    seq += [dec._eos, dec._eos]
    w = dec.params.lm_weight
    words = dec.words
    ww = dec.params.word_weight if words is not None else 0.0
    out = []
    for pos, cands, mark in slots:
        chosen = seq[pos]
        a, b, n1, n2 = seq[pos - 2], seq[pos - 1], seq[pos + 1], seq[pos + 2]
        scores: dict[int, float] = {}
        for tok, chan, text in cands:
            if tok == dec._abbr and text != mark.restored:
                continue
            s = chan + w * (lm.logp(a, b, tok) + lm.logp(b, tok, n1) + lm.logp(tok, n1, n2))
            if ww:
                s += ww * (words.status(a, b, tok) + words.status(b, tok, n1) + words.status(tok, n1, n2))
            scores[tok] = max(s, scores.get(tok, -math.inf))
        if chosen not in scores or (
                chosen == dec._abbr and not mark.printed.isalpha() and any(ch.islower() for ch in mark.printed)):
            # A reading the candidates do not explain, or OCR debris left as printed ("tri¢gu"): check it.
            mark.margin = 0.0
        else:
            rivals = [s for t, s in scores.items() if t != chosen]
            mark.margin = min(SURE, scores[chosen] - max(rivals)) if rivals else SURE
        out.append(mark)
    return sorted(out + out_split, key=lambda m: (m.line, m.part))


def doubtful(dec: Decoder, printed_lines: list[str], restored_lines: list[str],
             threshold: float | None = None) -> list[WordMark]:
    """Restored words whose best rival comes within `threshold` nats (default: the shipped setting)."""
    limit = dec.params.flag_margin if threshold is None else threshold
    return [m for m in word_margins(dec, printed_lines, restored_lines) if m.margin < limit]


def _by_line(marks: list[WordMark]) -> dict[int, dict[int, WordMark]]:
    out: dict[int, dict[int, WordMark]] = {}
    for m in marks:
        out.setdefault(m.line, {})[m.part] = m
    return out


def mark_cli(restored_lines: list[str], marks: list[WordMark], sign: str = "[?]") -> list[str]:
    """Restored lines with "[?]" after each doubtful word (before its trailing punctuation)."""
    table = _by_line(marks)
    out = []
    for i, line in enumerate(restored_lines):
        here = table.get(i)
        if not here:
            out.append(line)
            continue
        parts = pieces(line)
        out.append("".join(p if isinstance(p, str) else
                           p.lead + p.core + (sign if k in here else "") + p.trail
                           for k, p in enumerate(parts)))
    return out


def mark_html(restored_line: str, marks: dict[int, WordMark] | None,
              inner: Callable[[str], str] = html.escape) -> str:
    """One restored line as HTML: doubtful words underlined, the printed form on hover.
    `inner` renders the text between marks (escaping, query highlighting)."""
    if not marks:
        return inner(restored_line)
    out: list[str] = []
    plain: list[str] = []
    for k, p in enumerate(pieces(restored_line)):
        if isinstance(p, str) or k not in marks:
            plain.append(p if isinstance(p, str) else p.lead + p.core + p.trail)
            continue
        out.append(inner("".join(plain)) + inner(p.lead))
        plain = [p.trail]
        out.append(f'<u class="kh-doubt" title="{html.escape(marks[k].printed, quote=True)}">{inner(p.core)}</u>')
    out.append(inner("".join(plain)))
    return "".join(out)


def doubtful_html(printed_lines: list[str], restored_lines: list[str],
                  inner: Callable[[str], str] = html.escape) -> list[str]:
    """Restored lines as HTML with doubtful words marked (shipped model); unmarked when it cannot load."""
    from kehoach.corpus.restore import Restorer
    try:
        table = _by_line(doubtful(Restorer.load(), printed_lines, restored_lines))
    except FileNotFoundError:
        table = {}
    return [mark_html(line, table.get(i), inner) for i, line in enumerate(restored_lines)]
