"""Legacy Vietnamese 8-bit encodings (TCVN3/ABC, VNI-Windows, Windows-1258) and how to tell them apart.

Before Unicode, Vietnamese was typed with special fonts over the Windows-1252 code page: .VnTime (TCVN3,
one byte per precomposed letter) and VNI-Times (VNI, a base letter followed by a mark character). Saved as
plain text such a file holds ordinary Western bytes that only look right in that font; read as Windows-1252
they give "Qu¶ng Ng·i" (TCVN3) or "Quaûng Ngaõi" (VNI). Nothing in the bytes names the font, so we try every
reading and keep the one whose words are valid Vietnamese syllables.

The converters work on text already read as Windows-1252 (`read_cp1252`), because the same mis-read
characters also reach us inside UTF-8 files, .docx and .pdf when legacy-font text was copied or converted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# ---- Windows-1252 as the fonts saw it ----------------------------------------------------------------

# cp1252 leaves five bytes undefined; the fonts still drew them, so keep them as the same-numbered code point.
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in range(256)
)
CP1252_CHARS = frozenset(_CP1252)


def read_cp1252(data: bytes) -> str:
    """Bytes to characters exactly as a Windows program using a legacy font stored them."""
    return data.decode("latin-1").translate(dict(enumerate(_CP1252)))


# ---- TCVN3 (ABC) -------------------------------------------------------------------------------------

# One byte per letter. Only seven capitals exist: the other capitals were typed with the upper-case font
# (.VnTimeH), which draws the lower-case code points as capitals, so plain text loses that case.
_TCVN3_CAPITALS = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
_TCVN3_LOWER = {
    "¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\u00ad": "ư", "®": "đ",
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
}
TCVN3_TO_UNICODE = {**_TCVN3_CAPITALS, **_TCVN3_LOWER}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)
_UNICODE_TO_TCVN3 = {u: t for t, u in TCVN3_TO_UNICODE.items()}
_CAPITAL_VOWEL = re.compile("[ĂÂÊÔƠƯ]")
_TCVN3_LOWER_CODE = re.compile("[" + re.escape("".join(_TCVN3_LOWER)) + "]")
_ASCII_LOWER = re.compile("[a-z]")
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?]\s+$")


def _restore_tcvn3_case(converted: str, source: str) -> str:
    """Upper-case the letters of all-capital words that .VnTimeH typed with lower-case codes.

    A word with no ASCII lower-case letter and a lower-case-coded letter is a capital word when it has two
    capitals itself ("HO¹CH"), or when its line carries another such word or a capital vowel only the
    capital fonts could type ("KÕ HO¹CH", "ñY BAN NH¢N D¢N"). An abbreviation next to a word ("Së KH&§T")
    is not evidence: abbreviations carry no tone marks. After a full stop a sentence starts with a capital.
    """
    out = list(converted)
    capital_words = []   # (start, end, upper-case letters) of words with no ASCII lower-case letter
    evidence = False
    for m in _WORD.finditer(converted):
        s, e = m.span()
        src = source[s:e]
        coded = _TCVN3_LOWER_CODE.search(src) is not None
        if _ASCII_LOWER.search(src):
            if src[0] in _TCVN3_LOWER and _SENTENCE_END.search(converted, max(0, s - 16), s):
                out[s] = converted[s].upper()   # "... cá. øng dông"
            continue
        upper = sum(c.isupper() for c in m.group())
        capital_vowel = _CAPITAL_VOWEL.search(m.group()) is not None
        evidence = evidence or (e - s >= 2 and upper >= 2 and (coded or capital_vowel))
        if coded:
            capital_words.append((s, e, upper))
    for s, e, upper in capital_words:
        if upper >= 2 or evidence:
            out[s:e] = converted[s:e].upper()
    return "".join(out)


def tcvn3_to_unicode(text: str, restore_case: bool = True) -> str:
    """TCVN3 text read as Windows-1252 -> Unicode (one character in, one out)."""
    converted = text.translate(_TCVN3_TABLE)
    if not restore_case:
        return converted
    return "\n".join(
        _restore_tcvn3_case(new, old) if new != old else new
        for new, old in zip(converted.split("\n"), text.split("\n"))
    )


def unicode_to_tcvn3(text: str) -> str:
    """Inverse of `tcvn3_to_unicode`, typing capitals TCVN3 lacks as .VnTimeH would (lower-case codes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = _UNICODE_TO_TCVN3.get(ch)
        if code is None and ch.isupper():
            code = _UNICODE_TO_TCVN3.get(ch.lower())
        out.append(code if code is not None else ch)
    return "".join(out)


# ---- VNI-Windows -------------------------------------------------------------------------------------

# Letters VNI types as one character of their own.
_VNI_SINGLE = {
    "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ",
    "í": "í", "Í": "Í", "ì": "ì", "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị",
    "î": "ỵ", "Î": "Ỵ",
}
_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
# Mark characters following a base letter -> combining marks (shape, then tone); lower- and upper-case glyphs.
_VNI_MARK_GLYPHS = (
    ("ù", "Ù", _ACUTE), ("ø", "Ø", _GRAVE), ("û", "Û", _HOOK), ("õ", "Õ", _TILDE), ("ï", "Ï", _DOT),
    ("â", "Â", _CIRCUMFLEX), ("á", "Á", _CIRCUMFLEX + _ACUTE), ("à", "À", _CIRCUMFLEX + _GRAVE),
    ("å", "Å", _CIRCUMFLEX + _HOOK), ("ã", "Ã", _CIRCUMFLEX + _TILDE), ("ä", "Ä", _CIRCUMFLEX + _DOT),
    ("ê", "Ê", _BREVE), ("é", "É", _BREVE + _ACUTE), ("è", "È", _BREVE + _GRAVE),
    ("ú", "Ú", _BREVE + _HOOK), ("ü", "Ü", _BREVE + _TILDE), ("ë", "Ë", _BREVE + _DOT),
)
_VNI_MARKS = {glyph: marks for low, up, marks in _VNI_MARK_GLYPHS for glyph in (low, up)}
# Which base letters each kind of mark may follow.
_TONE_BASES = frozenset("aeiouyơưAEIOUYƠƯ")
_CIRCUMFLEX_BASES = frozenset("aeoAEO")
_BREVE_BASES = frozenset("aA")


def _vni_mark_fits(base: str, marks: str) -> bool:
    if marks[0] == _CIRCUMFLEX:
        return base in _CIRCUMFLEX_BASES
    if marks[0] == _BREVE:
        return base in _BREVE_BASES
    return base in _TONE_BASES


def _vni_spellings() -> dict[str, str]:
    """Every VNI spelling (one character, or base letter + mark of either case) -> its Unicode letter."""
    spellings = dict(_VNI_SINGLE)
    for base in "aeiouyôöAEIOUYÔÖ":
        letter = _VNI_SINGLE.get(base, base)
        for mark, marks in _VNI_MARKS.items():
            if _vni_mark_fits(letter, marks):
                spellings[base + mark] = unicodedata.normalize("NFC", letter + marks)
    return spellings


_VNI_SPELLINGS = _vni_spellings()
# Two-character spellings first: a base letter takes the mark that follows it.
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(_VNI_SPELLINGS, key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    """VNI text read as Windows-1252 -> Unicode. A mark not after a letter it fits is left as it is."""
    return _VNI_PATTERN.sub(lambda m: _VNI_SPELLINGS[m.group()], text)


def _vni_inverse() -> dict[str, str]:
    # Derived from the decoding table, so encoder and decoder cannot disagree; same-case spellings only.
    inverse = {}
    for spelling, letter in _VNI_SPELLINGS.items():
        if len(spelling) == 1 or spelling[0].isupper() == spelling[1].isupper():
            inverse.setdefault(letter, spelling)
    return inverse


_UNICODE_TO_VNI = _vni_inverse()


def unicode_to_vni(text: str) -> str:
    """Inverse of `vni_to_unicode`, as VNI-Times typing produces it."""
    return "".join(_UNICODE_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


# ---- telling Vietnamese from garbage ----------------------------------------------------------------

_TONES = frozenset((_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT))
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
# Vowel groups (tone removed) that may end a syllable, and those that may take a final consonant.
_OPEN = frozenset(
    "a e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu oa oe oi ôi ơi ua uê ui uy ưa ưi ưu uơ "
    "iêu yêu oai oao oay oeo uôi ươi ươu uya uyu uây".split()
)
_CLOSED = frozenset("a ă â e ê i o ô ơ u ư oa oă oe oo uâ uê uy iê yê uô ươ uyê".split())
_NH_CH = frozenset("a ê i oa uê uy".split())          # only these take -nh / -ch
_NOT_NG_C = frozenset("ê i y ơ uy uê".split())      # these never take -ng / -c
_LETTERS = re.compile(r"[a-zđăâêôơư]+")


@lru_cache(maxsize=65536)
def is_syllable(word: str) -> bool:
    """A plausible Vietnamese syllable: initial, vowel group, final and tone that fit together."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if not _LETTERS.fullmatch(bare):
        return False
    for initial in _INITIALS:
        if not bare.startswith(initial):
            continue
        for final in _FINALS:
            if len(initial) + len(final) >= len(bare) or not bare.endswith(final):
                continue
            vowels = bare[len(initial):len(bare) - len(final)]
            if _fits(initial, vowels, final, tones[0] if tones else None):
                return True
    return False


def _fits(initial: str, vowels: str, final: str, tone: str | None) -> bool:
    if final:
        if vowels not in _CLOSED:
            return False
        if final in ("nh", "ch") and vowels not in _NH_CH:
            return False
        if final in ("ng", "c") and vowels in _NOT_NG_C:
            return False
        if final in ("c", "ch", "p", "t") and tone not in (None, _ACUTE, _DOT):
            return False
    elif vowels not in _OPEN:
        return False
    front = vowels[0] in "eêiy"
    if initial in ("k", "gh", "ngh") and not front:
        return False
    if initial == "c" and front:
        return False
    return not (initial == "gi" and vowels[0] == "i")


_COMMON_SYMBOLS = frozenset("“”‘’–—…•°€№\u00a0\ufeff")


@dataclass(frozen=True)
class Reading:
    """One candidate decoding and how Vietnamese it looks (only words with non-ASCII letters count)."""

    name: str
    valid: int      # words with non-ASCII letters that are Vietnamese syllables
    invalid: int    # words with non-ASCII letters that are not
    odd: int        # non-ASCII symbols a Vietnamese text would not hold (µ ¶ ¹ ...), replacement chars

    @property
    def score(self) -> int:
        return self.valid - self.invalid - self.odd

    @property
    def ratio(self) -> float:
        return self.valid / max(1, self.valid + self.invalid + self.odd)


def read_as(name: str, text: str) -> Reading:
    """Judge `text` (one candidate decoding, called `name`)."""
    text = unicodedata.normalize("NFC", text)
    valid = invalid = 0
    for m in _WORD.finditer(text):
        w = m.group()
        if w.isascii():
            continue
        if is_syllable(w):
            valid += 1
        else:
            invalid += 1
    odd = sum(
        1 for c in text
        if not c.isascii() and not c.isalpha() and not c.isspace() and c not in _COMMON_SYMBOLS
    )
    return Reading(name, valid, invalid, odd)


class UncertainEncoding(ValueError):
    """The text looks like a legacy encoding but no conversion reads as Vietnamese."""


# How sure a legacy reading must be before we rewrite a user's text with it.
_LEGACY_MIN_RATIO = 0.8
_SAMPLE_CHARS = 200_000


def _legacy_readings(text: str) -> list[Reading]:
    return [read_as("tcvn3", tcvn3_to_unicode(text)), read_as("vni", vni_to_unicode(text))]


def _convert(name: str, text: str) -> str:
    return tcvn3_to_unicode(text) if name == "tcvn3" else vni_to_unicode(text)


def decode_8bit(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: pick Windows-1258, TCVN3, VNI or damaged UTF-8, whichever reads best.

    Raises UncertainEncoding when a legacy font reading wins but is not clearly Vietnamese.
    """
    sample = data[:_SAMPLE_CHARS]
    as_cp1252 = read_cp1252(sample)
    readings = [
        read_as("cp1258", sample.decode("cp1258", errors="replace")),
        read_as("utf-8", sample.decode("utf-8", errors="replace")),
        *_legacy_readings(as_cp1252),
    ]
    best = max(readings, key=lambda r: r.score)
    if best.name in ("tcvn3", "vni"):
        if best.ratio < _LEGACY_MIN_RATIO:
            raise UncertainEncoding(f"{best.name}: {best.ratio:.0%} of words are Vietnamese")
        return _convert(best.name, read_cp1252(data)), best.name
    return data.decode(best.name, errors="replace"), best.name


def repair_legacy(text: str) -> tuple[str, str | None]:
    """Convert lines of legacy-font characters found inside Unicode text (copied from .VnTime documents).

    Only lines made of Windows-1252 characters can be legacy text; they are judged together, and a line
    is rewritten only when the legacy reading is clearly Vietnamese and reads no worse than the line as is.
    Real Unicode Vietnamese (ạ, ư, đ ... lie outside Windows-1252) is never touched.
    """
    lines = text.split("\n")
    suspects = [i for i, line in enumerate(lines) if not line.isascii() and CP1252_CHARS.issuperset(line)]
    if not suspects:
        return text, None
    sample = "\n".join(lines[i] for i in suspects)[:_SAMPLE_CHARS]
    as_is = read_as("unicode", sample)
    best = max(_legacy_readings(sample), key=lambda r: r.score)
    if best.ratio < _LEGACY_MIN_RATIO or best.score <= max(as_is.score, 0) + 2:
        return text, None
    for i in suspects:
        converted = _convert(best.name, lines[i])
        # A tie goes to the document's encoding: "Sè" is a word, but in a .VnTime text it is "Số".
        if read_as(best.name, converted).score >= read_as("unicode", lines[i]).score:
            lines[i] = converted
    return "\n".join(lines), best.name
