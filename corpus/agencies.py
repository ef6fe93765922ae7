"""The province's agencies, and the one place that maps printed or typed names to canonical ones.

Plans print agencies in every form: full names, abbreviations ("Sở KH&ĐT"), OCR
damage ("S& Ké hoach va Pau tu"), several agencies in one field separated by
commas, semicolons or "và", while some names hold commas themselves ("Các sở,
ban, ngành"). Every layer stores the canonical names of `agencies.json`.

Matching works on keys: `fold` and `ocr_fold` of a name, then `_normalize`
(drops what carries no identity: "liên quan", "tỉnh Quảng Ngãi", "(báo cáo)").
Names, aliases and abbreviations all become keys of their entry.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from kehoach.corpus.text import fold, nfc, normalize_space, ocr_fold

KINDS = ("so", "ban", "ubnd", "group", "department", "other")
BUNDLED = Path(__file__).with_name("agencies.json")

# fuzz.ratio on keys. Tuned on every agency field of the bundled plans: their OCR'd names
# score 84.7-100 against their own entry and at most 80 against any other; the keys of two
# different Sở score at most 72 against each other. tests/test_agencies.py checks that every
# printed field resolves and that no two Sở come within reach of the threshold.
FUZZY_MIN = 84.0
# A fuzzy winner must beat the next entry by this much: near twins ("Sở Nội vụ" /
# "Sở Ngoại vụ" with a letter lost) stay unresolved rather than guessed.
FUZZY_MARGIN = 4.0
# Shorter text ("skhdt", "so y te") only matches exactly: one letter off there is another agency.
FUZZY_MIN_CHARS = 12
MAX_SPAN = 8           # pieces of a field merged into one name at most
# Each piece merged into a fuzzy match must itself be part of that name (partial_ratio),
# so a long name does not swallow an unknown neighbour ("Ban Quản lý KKT ..., Công ty X").
PIECE_FIT = 75.0
PREFIX_MIN_TOKENS = 3  # "sở giáo dục" names an agency; "sở tài" does not


class AgencyDataError(ValueError):
    """The agency directory file is missing or malformed."""


@dataclass(frozen=True)
class Agency:
    name: str
    kind: str
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    parent: str | None = None          # the Sở a department belongs to
    successor: str | None = None       # what the agency became in a reorganisation
    successor_date: str | None = None  # ISO date of that change


@dataclass
class Resolution:
    canonical: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mention:
    """An agency named inside free text: `surface` is `text[start:end]` of the text as given."""

    agency: Agency
    start: int
    end: int
    surface: str

    @property
    def name(self) -> str:
        return self.agency.name


# ---- keys ---------------------------------------------------------------------

_PARENS = re.compile(r"\([^()]*\)")
# "Sở" after folding OCR output: "S&"->"so", "S6"->"so", "S¢"->"se", "Sé"->"se", "8¢"->"8", "S".
_SO_LIKE = re.compile(r"^[s8][a-z0-9]?$")
# "các" as OCR prints it ("céc", "cic", "cdc"); "cục" keeps its u.
_CAC_LIKE = re.compile(r"^c[a-tv-z]c$")
_LEAD_FILLER = re.compile(r"^theo chuc nang( va)?( nhiem vu)?( duoc giao)?( cua)?\b ?")
# Tails that are not part of any name: "theo đề xuất của cơ quan chủ trì", "nơi dự kiến ...".
_JUNK_TAILS = (
    re.compile(r" theo de xuat\b.*$"),
    re.compile(r" noi (du kien|co|dat|dien ra|trien khai)\b.*$"),
    re.compile(r" (chu tri )?thuc hien$"),
    re.compile(r" bao cao$"),
)
# Tails that qualify a name without changing which agency it is. Keys are kept with
# and without them: OCR damage inside a tail ("Quéng Ngai") must not hide the name.
_QUALIFIER_TAILS = (
    re.compile(r" (co )?lien quan$"),
    re.compile(r" tren dia ban( tinh)?( quang ngai)?$"),
    re.compile(r" cac cap$"),
)
# Whole pieces that name nobody ("phù hợp với yêu cầu công việc cụ thể").
_FILLER = re.compile(r"^(phu hop voi\b.*|thuc hien|bao cao|chu tri|phoi hop)$")
# Only one province: a closing "tỉnh Quảng Ngãi" adds nothing, unless it is all that tells
# the agency apart ("UBND tỉnh", "Công an tỉnh", "Báo Quảng Ngãi"). Matched before folding,
# with its marks, because folded "tinh" is also the "Tịnh" of "huyện Sơn Tịnh".
_PROVINCE_TAILS = (
    (re.compile(r"(\s+tỉnh)?\s+Quảng\s+Ngãi$|\s+tỉnh$", re.IGNORECASE), 3),
    (re.compile(r"\s+Quảng\s+Ngãi$", re.IGNORECASE), 2),
)


def _strip_tails(key: str, tails: tuple[re.Pattern[str], ...]) -> str:
    before = None
    while key != before:
        before = key
        for tail in tails:
            key = tail.sub("", key)
    return key


def _normalize(folded: str) -> list[str]:
    """Keys of one folded name: as printed (less junk), and without its qualifiers."""
    toks: list[str] = []
    for i, tok in enumerate(folded.split()):
        if tok == "iy":   # "Quản Iy": OCR reads l as capital I; no Vietnamese word is "iy"
            tok = "ly"
        elif _CAC_LIKE.match(tok):
            tok = "cac"
        if _SO_LIKE.match(tok) and (i == 0 or (toks and toks[-1] in ("cac", "thuoc"))):
            tok = "so"
        if toks and toks[-1] == tok:  # "UBND các huyện, huyện, ...": a doubled word is a typo
            continue
        toks.append(tok)
    key = _LEAD_FILLER.sub("", " ".join(toks))
    if key.startswith("cac phong "):   # "các phòng QLTM, KHTCTH" lists departments
        key = key[4:]
    key = _strip_tails(key, _JUNK_TAILS)
    bare = _strip_tails(key, _JUNK_TAILS + _QUALIFIER_TAILS)
    return [k for k in dict.fromkeys((key, bare)) if k and not _FILLER.match(k)]


def _without_province(text: str) -> str:
    for tail, keep_words in _PROVINCE_TAILS:
        short = tail.sub("", text)
        if short != text and len(short.split()) >= keep_words:
            return short
    return text


def _keys(text: str) -> tuple[str, ...]:
    """Keys of a name: plain and OCR-repaired fold (they differ on "&", digits), with and without tails."""
    bare = normalize_space(_PARENS.sub(" ", nfc(text or "")))
    keys: list[str] = []
    for variant in dict.fromkeys((bare, _without_province(bare))):
        keys += _normalize(fold(variant)) + _normalize(ocr_fold(variant))
    return tuple(dict.fromkeys(keys))


def _compact(key: str) -> str:
    return key.replace(" ", "")


# ---- splitting a printed field ------------------------------------------------

_FIELD_TOKEN = re.compile(r"[(),;]|[^\s(),;]+")
_BULLETS = re.compile(r"^[\s\-–—~+*•·.‘'`_]+")
_TRAILING = re.compile(r"[\s.;,:]+$")


def _clean(text: str) -> str:
    return _TRAILING.sub("", _BULLETS.sub("", normalize_space(nfc(text))))


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of `text` between commas, semicolons and "và", outside parentheses."""
    spans: list[tuple[int, int]] = []
    start = end = None
    depth = 0
    for m in _FIELD_TOKEN.finditer(text):
        tok = m.group()
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (tok in ",;" or fold(tok) == "va"):
            if start is not None:
                spans.append((start, end))
            start = end = None
            continue
        if start is None:
            start = m.start()
        end = m.end()
    if start is not None:
        spans.append((start, end))
    return spans


# ---- free-text scanning -------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
# Unaccented "so" after these words is "số" ("chuyen doi so", "kinh te so", "ha tang so"),
# the plans' most common topic, not "Sở": "chuyen doi so y te" names no agency.
_DIGITAL_BEFORE = frozenset({"doi", "te", "hoi", "quyen", "lieu", "tang", "nghe", "thuat", "hoa"})


def _marked(token: str) -> bool:
    return not token.isascii()


def _nfc_with_origin(text: str) -> tuple[str, list[tuple[int, int]]]:
    """NFC text and, for each of its characters, the span of `text` it came from.

    Callers cut the question at a mention's offsets, so they must hold in the text as given.
    """
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])
        out.append(chunk)
        origin.extend([(i, j)] * len(chunk))
        i = j
    return "".join(out), origin


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    surfaces: set[str] = field(default_factory=set)   # lower-case tokens as printed in names
    terminals: set[str] = field(default_factory=set)  # entries whose form ends here
    below: set[str] = field(default_factory=set)      # entries whose form passes here


def _surface_forms(text: str) -> list[list[str]]:
    """Word lists a name may appear as in a question: as given, and without "tỉnh Quảng Ngãi"."""
    bare = normalize_space(_PARENS.sub(" ", nfc(text)))
    return [[w.lower() for w in _WORD.findall(v)] for v in dict.fromkeys((bare, _without_province(bare)))]


# ---- the directory --------------------------------------------------------------

_Step = tuple[Agency | None, bool, int, int]   # (agency, matched, first piece, end piece)

class Directory:
    """All agencies of one directory file, indexed for matching."""

    def __init__(self, entries: list[Agency]):
        self.entries = entries
        self._by_name = {e.name: e for e in entries}
        self._by_fold = {fold(e.name): e for e in entries}
        self._exact: dict[str, set[str]] = {}
        self._compact: dict[str, set[str]] = {}
        self._prefix: list[tuple[tuple[str, ...], str]] = []
        self._trie = _Node()
        self._entry_keys: dict[str, list[str]] = {}
        for e in entries:
            for form in (e.name, *e.aliases, *e.abbreviations):
                for key in _keys(form):
                    self._entry_keys.setdefault(e.name, []).append(key)
                    self._exact.setdefault(key, set()).add(e.name)
                    self._compact.setdefault(_compact(key), set()).add(e.name)
                    if form not in e.abbreviations:
                        self._prefix.append((tuple(key.split()), e.name))
                for words in _surface_forms(form):
                    self._add_surface(words, e.name)
        self._all_keys = list(self._exact)
        self._cache: dict[tuple[str, str | None], tuple[str, Agency | None, float]] = {}

    # -- loading --

    @staticmethod
    def load(path: str | Path | None = None) -> Directory:
        """The directory in `path` (default: the bundled agencies.json); loaded once per path."""
        return _load(str(Path(path or BUNDLED).resolve()))

    @classmethod
    def from_data(cls, data: object, origin: str = "<data>") -> Directory:
        def bad(detail: str) -> AgencyDataError:
            return AgencyDataError(f"Danh mục cơ quan không hợp lệ (invalid agency directory) {origin}: {detail}")

        rows = data.get("agencies") if isinstance(data, dict) else None
        if not isinstance(rows, list) or not rows:
            raise bad("thiếu danh sách 'agencies'")
        entries: list[Agency] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
                raise bad(f"mục {i} không có 'name'")
            if row.get("kind") not in KINDS:
                raise bad(f"{row['name']}: 'kind' phải là một trong {', '.join(KINDS)}")
            lists = {k: row.get(k) or [] for k in ("abbreviations", "aliases")}
            if any(not isinstance(v, list) or not all(isinstance(s, str) for s in v) for v in lists.values()):
                raise bad(f"{row['name']}: 'abbreviations'/'aliases' phải là danh sách chuỗi")
            date = row.get("successor_date")
            if date is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(date)):
                raise bad(f"{row['name']}: 'successor_date' phải có dạng YYYY-MM-DD")
            entries.append(Agency(
                name=nfc(row["name"].strip()), kind=row["kind"],
                abbreviations=tuple(nfc(s) for s in lists["abbreviations"]),
                aliases=tuple(nfc(s) for s in lists["aliases"]),
                parent=row.get("parent"), successor=row.get("successor"), successor_date=date,
            ))
        names = [e.name for e in entries]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise bad(f"tên trùng: {', '.join(dupes)}")
        for e in entries:
            for ref in (e.parent, e.successor):
                if ref is not None and ref not in names:
                    raise bad(f"{e.name}: tham chiếu tới cơ quan không có trong danh mục: {ref}")
        return cls(entries)

    # -- plain access --

    def get(self, name: str) -> Agency | None:
        """The entry whose canonical name is `name` (diacritics and case may differ)."""
        return self._by_name.get(nfc(name or "")) or self._by_fold.get(fold(name or ""))

    def departments(self, name: str) -> list[Agency]:
        return [e for e in self.entries if e.parent == name]

    # -- matching one name --

    def _pick(self, names: set[str]) -> Agency | None:
        """One entry out of several equal candidates: only if all are one agency over time."""
        if len(names) == 1:
            return self._by_name[next(iter(names))]
        for n in names:
            if all(n == m or n in self.successor_chain(m) for m in names):
                return self._by_name[n]
        return None

    def _allowed(self, name: str, issuer: Agency | None) -> bool:
        # A department code means the issuing Sở's department; in another Sở's plan it is unknown.
        parent = self._by_name[name].parent
        return parent is None or issuer is None or issuer.kind != "so" or parent == issuer.name

    def _match(self, text: str, issuer: Agency | None) -> tuple[str, Agency | None, float]:
        """("filler" | "match" | "none", agency, score 0-100) for one candidate name."""
        ck = (text, issuer.name if issuer else None)
        if ck not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[ck] = self._match_uncached(text, issuer)
        return self._cache[ck]

    def _match_uncached(self, text: str, issuer: Agency | None) -> tuple[str, Agency | None, float]:
        keys = _keys(text)
        if not keys:
            return "filler", None, 100.0
        relative = issuer is not None and issuer.kind == "so" and any(
            k.split()[-2:] == ["thuoc", "so"] for k in keys)
        if relative:
            # "các phòng, đơn vị thuộc Sở": the Sở is the one issuing the plan.
            own = _keys(issuer.name)[0]
            keys = tuple(k[: -len("so")] + own if k.split()[-2:] == ["thuoc", "so"] else k for k in keys)
        found: set[str] = set()
        for k in keys:
            found |= self._exact.get(k, set()) | self._compact.get(_compact(k), set())
        found = {n for n in found if self._allowed(n, issuer)}
        if found:
            agency = self._pick(found)
            return ("match", agency, 100.0) if agency else ("none", None, 0.0)
        best: dict[str, float] = {}
        for k in keys:
            if len(k) < FUZZY_MIN_CHARS:
                continue
            for key, score, _ in process.extract(k, self._all_keys, scorer=fuzz.ratio, limit=None,
                                                 score_cutoff=FUZZY_MIN - FUZZY_MARGIN):
                for n in self._exact[key]:
                    if self._allowed(n, issuer) and score > best.get(n, 0.0):
                        best[n] = score
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= FUZZY_MIN:
            rivals = {n for n, s in ranked if s > ranked[0][1] - FUZZY_MARGIN}
            agency = self._pick(rivals)
            if agency:
                return "match", agency, ranked[0][1]
        if relative:
            return "match", issuer, 100.0
        return "none", None, 0.0

    # -- public API --

    def resolve(self, text: str | None, issuer: str | None = None) -> Resolution:
        """Canonical agencies of a printed agency field, in order, and what could not be matched.

        `issuer` (e.g. "Sở Công Thương tỉnh Quảng Ngãi") gives "thuộc Sở" its meaning.
        Pieces are merged back where a name holds commas; the split chosen leaves the
        fewest pieces unmatched, then has the best-matching names.
        """
        cleaned = _clean(text or "")
        spans = _pieces(cleaned)
        if not spans:
            return Resolution()
        owner = self.lookup(issuer) if issuer else None
        n = len(spans)
        # best[i]: (unmatched pieces, -matched weight, segments, plan) for spans[i:]
        best: list[tuple[int, float, int, list[_Step]]] = [(0, 0.0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            u, w, s, plan = best[i + 1]
            options = [(u + 1, w, s + 1, [(None, False, i, i + 1), *plan])]
            for j in range(i + 1, min(n, i + MAX_SPAN) + 1):
                kind, agency, score = self._match(cleaned[spans[i][0]:spans[j - 1][1]], owner)
                if kind == "none" or (agency and score < 100 and j - i > 1 and not all(
                        self._fits(cleaned[a:b], agency) for a, b in spans[i:j])):
                    continue
                u, w, s, plan = best[j]
                options.append((u, w - score * (j - i), s + 1, [(agency, True, i, j), *plan]))
            best[i] = min(options, key=lambda o: o[:3])
        out = Resolution()
        pending: tuple[int, int] | None = None  # run of unmatched pieces, kept as one verbatim string

        def flush() -> None:
            if pending:
                raw = _clean(cleaned[spans[pending[0]][0]:spans[pending[1] - 1][1]])
                if raw and raw not in out.unresolved:
                    out.unresolved.append(raw)

        for agency, matched, i, j in best[0][3]:
            if not matched:
                pending = (pending[0], j) if pending else (i, j)
                continue
            flush()
            pending = None
            if agency and agency.name not in out.canonical:
                out.canonical.append(agency.name)
        flush()
        return out

    def lookup(self, text: str | None) -> Agency | None:
        """The agency a user means by `text` ("Sở TTTT", "so ke hoach", "BQL KKT"), or None if unsure."""
        if not text or not text.strip():
            return None
        got = self.get(text)
        if got:
            return got
        kind, agency, _ = self._match(_clean(text), None)
        if kind == "match":
            return agency
        for key in _keys(text):
            toks = key.split()
            if len(toks) < 2:
                continue
            head, last = tuple(toks[:-1]), toks[-1]
            found = {name for ktoks, name in self._prefix
                     if len(ktoks) > len(head) and ktoks[:len(head)] == head and ktoks[len(head)].startswith(last)}
            if found:
                return self._pick(found)
        return None

    def find_in_text(self, text: str | None) -> list[Mention]:
        """Agencies named in a question, left to right, each the longest name found at its place.

        Missing diacritics are tolerated, wrong ones are not: "số y tế" is not "Sở Y tế".
        """
        given = text or ""
        text, origin = _nfc_with_origin(given)
        words = list(_WORD.finditer(text))
        out: list[Mention] = []
        i = 0
        while i < len(words):
            node, hit = self._trie, None
            first = words[i].group()
            if fold(first) == "so" and not _marked(first) and i and fold(words[i - 1].group()) in _DIGITAL_BEFORE:
                i += 1
                continue
            for j in range(i, len(words)):
                word = words[j].group().lower()
                node = node.children.get(fold(word))
                if node is None or (_marked(word) and word not in node.surfaces):
                    break
                length = j - i + 1
                if node.terminals:
                    agency = self._pick(node.terminals)
                elif length >= PREFIX_MIN_TOKENS:
                    agency = self._pick(node.below)
                else:
                    agency = None
                if agency:
                    hit = (j + 1, agency)
            if hit:
                start, end = origin[words[i].start()][0], origin[words[hit[0] - 1].end() - 1][1]
                out.append(Mention(hit[1], start, end, given[start:end]))
                i = hit[0]
            else:
                i += 1
        return out

    def _fits(self, piece: str, agency: Agency) -> bool:
        keys = _keys(piece)
        return not keys or any(fuzz.partial_ratio(k, own) >= PIECE_FIT
                               for k in keys for own in self._entry_keys[agency.name])

    def _add_surface(self, words: list[str], name: str) -> None:
        node = self._trie
        for w in words:
            node = node.children.setdefault(fold(w), _Node())
            node.surfaces.add(w)
            node.below.add(name)
        node.terminals.add(name)

    def successor_chain(self, name: str) -> list[str]:
        """What the agency became, in order, ending with today's name; [] if it is unchanged."""
        agency = self.get(name) or self.lookup(name)
        chain: list[str] = []
        while agency and agency.successor and agency.successor not in chain:
            chain.append(agency.successor)
            agency = self._by_name.get(agency.successor)
        return chain

    def predecessors(self, name: str) -> list[str]:
        """Agencies that became this one, directly or through others, nearest first."""
        agency = self.get(name) or self.lookup(name)
        if agency is None:
            return []
        out: list[str] = []
        frontier = [agency.name]
        while frontier:
            nxt = [e.name for e in self.entries if e.successor in frontier and e.name not in out]
            out.extend(nxt)
            frontier = nxt
        return out

    def expand_filter(self, text: str | None) -> set[str]:
        """Canonical names a filter on agency `text` should accept.

        The agency, what it was before (filtering on today's Sở Tài chính finds tasks once
        given to Sở KH&ĐT), what it became (a filter typed with an old name still finds
        tasks assigned under the new one, as the user means the same office), and for a
        Sở its own departments. Empty when `text` names no agency.
        """
        agency = self.lookup(text)
        if agency is None:
            return set()
        names = {agency.name, *self.predecessors(agency.name), *self.successor_chain(agency.name)}
        if agency.kind == "so":
            names |= {e.name for e in self.departments(agency.name)}
        return names

    def unresolved_report(self, fields: Iterable[tuple[str, str]],
                          issuers: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
        """(doc, unresolved text, times seen) for agency fields (doc, printed text).

        `issuers` maps a doc to its issuer, for "thuộc Sở". Sorted by doc, most frequent first.
        """
        counts: Counter[tuple[str, str]] = Counter()
        for doc, text in fields:
            for raw in self.resolve(text, (issuers or {}).get(doc)).unresolved:
                counts[(doc, raw)] += 1
        return sorted(((d, r, c) for (d, r), c in counts.items()), key=lambda t: (t[0], -t[2], t[1]))


@lru_cache(maxsize=8)
def _load(path: str) -> Directory:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise AgencyDataError(f"Không đọc được danh mục cơ quan (cannot read agency directory) {path}: "
                              f"{exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise AgencyDataError(f"Danh mục cơ quan không phải JSON hợp lệ (invalid JSON) {path}: "
                              f"dòng {exc.lineno}") from exc
    return Directory.from_data(data, path)


# ---- module-level shortcuts on the bundled directory ------------------------------

def resolve(text: str | None, issuer: str | None = None) -> Resolution:
    return Directory.load().resolve(text, issuer)


def lookup(text: str | None) -> Agency | None:
    return Directory.load().lookup(text)


def find_in_text(text: str | None) -> list[Mention]:
    return Directory.load().find_in_text(text)


def successor_chain(name: str) -> list[str]:
    return Directory.load().successor_chain(name)


def predecessors(name: str) -> list[str]:
    return Directory.load().predecessors(name)


def expand_filter(text: str | None) -> set[str]:
    return Directory.load().expand_filter(text)


def unresolved_report(fields: Iterable[tuple[str, str]],
                      issuers: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
    return Directory.load().unresolved_report(fields, issuers)
