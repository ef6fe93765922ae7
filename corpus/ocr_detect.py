"""Vietnamese syllable structure, and telling OCR-damaged text from clean text.

A clean Vietnamese plan is almost entirely made of valid syllables, most of
them carrying marks. OCR output of the same plan is full of unmarked forms
("cong nghiep") and forms no Vietnamese syllable has ("trién", "ctia", "S&").
Detection looks only at those shares, so it works on any plan, whatever its topic.
"""
from __future__ import annotations

import gzip
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from kehoach.corpus.text import ocr_fold

# Combining tone marks (NFD), in the order huyền, sắc, hỏi, ngã, nặng.
TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_TONE_SET = frozenset(TONES)
_VOWELS = frozenset("aăâeêioôơuưy")
_ONSETS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)
_CLUSTERS = frozenset(
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô "
    "uơ uy ưa ưi ưu ươ yê iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu".split())
_CODAS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
_STOP_CODAS = ("c", "ch", "p", "t")
_MODIFIED = frozenset("ăâêôơư")

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def split_tone(syl: str) -> tuple[str, str]:
    """('hoá' -> ('hoa', '\u0301')); the untoned form keeps â, ơ, đ ..."""
    tone = ""
    out = []
    for ch in unicodedata.normalize("NFD", syl):
        if ch in _TONE_SET:
            tone = ch
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def _parse(untoned: str) -> tuple[str, str, str] | None:
    """(onset, vowel cluster, coda) of a lower-case untoned syllable, or None."""
    for onset in _ONSETS + ("",):
        if not untoned.startswith(onset):
            continue
        rest = untoned[len(onset):]
        if onset == "gi" and (not rest or rest[0] not in _VOWELS or rest.startswith("ê")):
            # "gì", "gìn", "giêng": the i is the vowel, not part of the onset.
            continue
        if onset == "qu" and rest[:1] not in _VOWELS:
            continue
        for coda in _CODAS:
            if coda and not rest.endswith(coda):
                continue
            cluster = rest[: len(rest) - len(coda)]
            if onset == "qu":
                cluster = "u" + cluster
            if cluster in _CLUSTERS:
                return onset, cluster, coda
    return None


@lru_cache(maxsize=65536)
def is_valid_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable (any case), e.g. 'Quảng', 'nghiệp'."""
    untoned, tone = split_tone(word.lower())
    parts = _parse(untoned)
    if parts is None:
        return False
    coda = parts[2]
    return not (coda in _STOP_CODAS and tone not in ("", "\u0301", "\u0323"))


def _tone_index(untoned: str) -> int:
    """Where the tone mark sits, in the traditional style the plans mostly use ('hóa', 'thủy')."""
    parts = _parse(untoned)
    if parts is None:
        idx = [i for i, ch in enumerate(untoned) if ch in _VOWELS]
        return idx[-1] if idx else -1
    onset, cluster, coda = parts
    start = len(untoned) - len(coda) - len(cluster) + (1 if onset == "qu" else 0)
    if onset == "qu":
        cluster = cluster[1:]
    mods = [i for i, ch in enumerate(cluster) if ch in _MODIFIED]
    if mods:
        return start + mods[-1]  # "ươ" takes it on ơ
    if len(cluster) == 1:
        return start
    if len(cluster) == 3 or coda:
        return start + (1 if len(cluster) == 3 else len(cluster) - 1)
    return start  # open two-vowel rime: "hóa", "mùa", "thủy"


def place_tone(untoned: str, tone: str) -> str:
    if not tone:
        return untoned
    i = _tone_index(untoned)
    if i < 0:
        return untoned
    return unicodedata.normalize("NFC", untoned[: i + 1] + tone + untoned[i + 1:])


@lru_cache(maxsize=65536)
def canonical(word: str) -> str:
    """One spelling per syllable: NFC, lower case, tone in the traditional place ('hoá' -> 'hóa')."""
    untoned, tone = split_tone(unicodedata.normalize("NFC", word).lower())
    return place_tone(untoned, tone)


_PLAIN_CLUSTERS = frozenset(unicodedata.normalize("NFD", c).encode("ascii", "ignore").decode() for c in _CLUSTERS)
_PLAIN_ONSETS = tuple(sorted({o.replace("đ", "d") for o in _ONSETS}, key=len, reverse=True))


def viet_shaped(word: str) -> bool:
    """True if the word, marks off and OCR symbols undone, has the shape of a Vietnamese syllable.

    Damaged Vietnamese keeps that shape ("hién", "nim", "S&"); English mostly does not.
    """
    plain = ocr_fold(word).replace(" ", "")
    for onset in (*_PLAIN_ONSETS, ""):
        if not plain.startswith(onset):
            continue
        rest = plain[len(onset):]
        for coda in _CODAS:
            if (not coda or rest.endswith(coda)) and rest[: len(rest) - len(coda)] in _PLAIN_CLUSTERS:
                return True
    return False


def has_marks(word: str) -> bool:
    return any(not ch.isascii() for ch in word)


@lru_cache(maxsize=1)
def known_syllables() -> frozenset[str]:
    """Canonical syllables of the shipped inventory (built by scripts/train_restorer.py)."""
    path = resources.files("kehoach.corpus") / "data" / "syllables.txt.gz"
    try:
        with gzip.open(str(path), "rt", encoding="utf-8") as fh:
            return frozenset(line.split("\t", 1)[0] for line in fh if line.strip())
    except FileNotFoundError:
        return frozenset()


def _word_stats(words: list[str]) -> tuple[int, int, int, int]:
    """(words judged, unmarked, not a known syllable, Vietnamese-shaped).

    Single letters (list markers) and words in capitals that are no syllable
    (abbreviations: "UBND", "KCN") are skipped.
    """
    known = known_syllables()
    n = plain = bad = shaped = 0
    for w in words:
        if len(w) < 2 or (w.isupper() and not is_valid_syllable(w)):
            continue
        n += 1
        c = canonical(w)
        shaped += viet_shaped(w)
        # Without the shipped inventory (model not built yet) syllable rules stand in for it.
        if not (c in known if known else is_valid_syllable(c)):
            bad += 1
        elif not has_marks(c):
            plain += 1
    return n, plain, bad, shaped


def _tokens(line: str) -> list[str]:
    # OCR glues symbols and digits to letters ("S&", "c6"): such a token counts as a bad word.
    out = []
    for tok in line.split():
        core = tok.strip(".,;:!?()[]\"'“”‘’…-–—*+•")
        if not core or not any(ch.isalpha() for ch in core):
            continue
        if WORD.fullmatch(core):
            out.append(core)
        elif sum(ch.isdigit() for ch in core) < len(core) / 2 and "/" not in core:
            out.append(core + "\x00")  # never a syllable
    return out


# Measured on the bundled plans (eval/RESTORE.md): clean text scores about 0.1
# (9% unmarked words, under 1% unknown), OCR text about 1.4 (50% unmarked, 43%
# unknown). Text where most words do not even have the shape of a Vietnamese
# syllable (English, say) is left alone.
_DAMAGE = 0.6
_DOC_DAMAGE = 0.65
_MIN_SHAPED = 0.5
_MIN_WORDS = 3
# Below this share of marked words a text was typed without marks: the scans keep 15-25%.
_UNMARKED = 0.05


def damage_score(lines: list[str]) -> tuple[float, float, int]:
    """(unmarked share + 2 x unknown share, Vietnamese-shaped share, words judged) over the lines."""
    n, plain, bad, shaped = _word_stats([w for line in lines for w in _tokens(line)])
    if n == 0:
        return 0.0, 0.0, 0
    return (plain + 2 * bad) / n, shaped / n, n


def line_is_damaged(line: str) -> bool:
    """True when a line looks like Vietnamese OCR output that lost or mangled its marks."""
    score, shaped, n = damage_score([line])
    if n == 0 or shaped < _MIN_SHAPED:
        return False
    if n < _MIN_WORDS:
        # Too few words to judge by shares: damaged only if not one word carries a mark.
        return score >= 1.0
    return score >= _DAMAGE


def document_is_ocr(lines: list[str]) -> bool:
    """True when a document as a whole needs its marks restored."""
    score, shaped, n = damage_score(lines)
    return n >= _MIN_WORDS and score >= _DOC_DAMAGE and shaped >= _MIN_SHAPED


def marked_share(lines: list[str]) -> tuple[float, int]:
    """(share of words that carry a Vietnamese mark or "đ", words judged): about 0.9 in a clean plan,
    0.15-0.25 in the bundled OCR scans, 0 in a text typed without marks."""
    n = marked = 0
    for line in lines:
        for w in line.split():
            letters = "".join(ch for ch in w if ch.isalpha())
            if len(letters) < 2 or letters.isupper():
                continue
            n += 1
            marked += has_marks(letters)   # letters only: anything not ASCII is a mark or "đ"
    return (marked / n if n else 0.0), n


def written_without_marks(lines: list[str]) -> bool:
    """A document typed without marks (not a scan that mangled them): its grammar words ("chu tri",
    "So" = Sở or Số) can only be read from the restored text."""
    share, n = marked_share(lines)
    return n >= _MIN_WORDS and share < _UNMARKED


def text_is_damaged(lines: list[str]) -> bool:
    """document_is_ocr for a text long enough to judge as a whole; line by line for a snippet
    ("nam 2020", "Thuong xuyén") too short for that."""
    if damage_score(lines)[2] >= _MIN_WORDS:
        return document_is_ocr(lines)
    return any(line_is_damaged(line) for line in lines)
