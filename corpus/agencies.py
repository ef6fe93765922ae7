"""The country's agencies, and the one place that maps printed or typed names to canonical ones.

Plans print agencies in every form: full names, abbreviations ("Sở KH&ĐT"), OCR
damage ("S& Ké hoach va Pau tu"), several agencies in one field separated by
commas, semicolons or "và", while some names hold commas themselves ("Các sở,
ban, ngành"). Every layer stores the canonical names of the directory files
(agency_data.py); an agency no file lists is still recognised by its head
(agency_heads.py) and kept as printed. The document's issuer tells whose "Sở Tài
chính" it is (agency_context.py); successions are dated, one-way data (succession.py).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from kehoach.corpus import agency_heads as heads
from kehoach.corpus.agency_context import DocContext, context_for
from kehoach.corpus.agency_data import (BUNDLED, KINDS, PROVINCIAL_KINDS, Agency, AgencyDataError,  # noqa: F401
                                        Succession, attach_successors, check_references, merge, national,
                                        parse_entries, read_json)
from kehoach.corpus.agency_keys import (TrieNode, clean_field, compact, field_pieces,
                                        head_clash, name_keys, surface_forms)
from kehoach.corpus.agency_scan import PREFIX_MIN_TOKENS, Mention, TextScan  # noqa: F401
from kehoach.corpus.succession import Successions, SuccessionView
from kehoach.corpus.text import fold, nfc

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
# Below this length one changed word is most of the name ("Văn phòng Bộ" / "Văn phòng UBND"):
# fuzzy matches there need a higher score.
FUZZY_FULL_CHARS = 16
FUZZY_MIN_SHORT = 90.0
MAX_SPAN = 8           # pieces of a field merged into one name at most
# Each piece merged into a fuzzy match must itself be part of that name (partial_ratio),
# so a long name does not swallow an unknown neighbour ("Ban Quản lý KKT ..., Công ty X").
PIECE_FIT = 75.0
# Weight of a piece recognised by its head only: any directory match (>= FUZZY_MIN) beats it.
HEAD_SCORE = 50.0
# A piece this close (fuzz.ratio) to a directory key is that name damaged, never a new agency.
NEAR_KNOWN = 80.0


@dataclass
class Resolution:
    """Agencies of a printed field, in order: directory names, and names recognised by their
    head kept as printed (also listed in `recognised`); `unresolved` is what names no agency
    anyone could tell. `provinces` gives the document's province to provincial names."""

    canonical: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    recognised: list[str] = field(default_factory=list)
    provinces: dict[str, str] = field(default_factory=dict)


_Step = tuple[Agency | None, bool, int, int]   # (agency, matched, first piece, end piece)
_NO_CONTEXT = DocContext()


class Directory(TextScan, SuccessionView):
    """All agencies of the directory files, indexed for matching, with their successions."""

    def __init__(self, entries: list[Agency], successions: Iterable[Succession] = ()):
        self.succession = Successions(successions)
        self.entries = attach_successors(entries, self.succession.steps)
        entries = self.entries
        self._by_name = {e.name: e for e in entries}
        self._by_fold = {fold(e.name): e for e in entries}
        self._exact: dict[str, set[str]] = {}
        self._compact: dict[str, set[str]] = {}
        self._prefix: list[tuple[tuple[str, ...], str]] = []
        self._trie = TrieNode()
        self._entry_keys: dict[str, list[str]] = {}
        # Keys a province's own body gets only by dropping its province ("ubnd thanh pho" of
        # "UBND thành phố Quảng Ngãi"): they name it only in a document of that province.
        self._weak: dict[str, set[str]] = {}
        for e in entries:
            for form in (e.name, *e.aliases, *e.abbreviations):
                if e.province:
                    for key in set(name_keys(form)) - set(name_keys(form, strip_province=False)):
                        self._weak.setdefault(key, set()).add(e.name)
                for key in name_keys(form):
                    self._entry_keys.setdefault(e.name, []).append(key)
                    self._exact.setdefault(key, set()).add(e.name)
                    self._compact.setdefault(compact(key), set()).add(e.name)
                    if form not in e.abbreviations:
                        self._prefix.append((tuple(key.split()), e.name))
                for n, words in enumerate(surface_forms(form)):
                    self._add_surface(words, e.name, weak=n > 0 and e.province is not None)
        self._all_keys = list(self._exact)
        self._cache: dict[tuple[str, str | None, str | None], tuple[str, Agency | None, float]] = {}

    # -- loading --

    @staticmethod
    def load(path: str | Path | None = None) -> Directory:
        """The directory in `path` (default: the bundled agencies.json) with the national files; loaded once."""
        return _load(str(Path(path or BUNDLED).resolve()))

    @classmethod
    def from_data(cls, data: object, origin: str = "<data>", with_national: bool = False) -> Directory:
        entries, steps = parse_entries(data, origin)
        if with_national:
            more, more_steps = national()
            entries = merge(entries, more)
            own = {s.source_name for s in steps}
            names = {e.name for e in entries}
            # A national step applies where the user's directory holds both its ends.
            steps = [*steps, *(s for s in more_steps if s.source_name not in own
                               and s.source_name in names and s.target in names)]
        check_references(entries, steps, origin)
        return cls(entries, steps)

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

    def _allowed(self, name: str, issuer: Agency | None, province: str | None = None) -> bool:
        # A department code means the issuing Sở's department; in another Sở's plan it is unknown.
        # A province's own body (its districts, its boards) is unknown in another province's plan.
        entry = self._by_name[name]
        if entry.province and province and entry.province != province:
            return False
        return entry.parent is None or issuer is None or issuer.kind != "so" or entry.parent == issuer.name

    def _pick_level(self, names: set[str], level: str | None) -> Agency | None:
        """One of a national body and a province's namesake ("Kho bạc Nhà nước"): the one at the
        document's level; without one, the entry listed first (the user's own directory file)."""
        levels = {self._by_name[n].level for n in names}
        if len(levels) < 2:
            return None
        same = [n for n in names if self._by_name[n].level == level] if level else []
        if len(same) == 1:
            return self._by_name[same[0]]
        return min((self._by_name[n] for n in names), key=self.entries.index) if not level else None

    def _match(self, text: str, issuer: Agency | None,
               ctx: DocContext | None = None) -> tuple[str, Agency | None, float]:
        """("filler" | "match" | "none", agency, score 0-100) for one candidate name."""
        ck = (text, issuer.name if issuer else None, ctx.level if ctx else None, ctx.province if ctx else None)
        if ck not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[ck] = self._match_uncached(text, issuer, ctx or _NO_CONTEXT)
        return self._cache[ck]

    def _match_uncached(self, text: str, issuer: Agency | None, ctx: DocContext) -> tuple[str, Agency | None, float]:
        keys = name_keys(text)
        if not keys:
            return "filler", None, 100.0
        relative = issuer is not None and issuer.kind == "so" and any(
            k.split()[-2:] == ["thuoc", "so"] for k in keys)
        if relative:
            # "các phòng, đơn vị thuộc Sở": the Sở is the one issuing the plan.
            own = name_keys(issuer.name)[0]
            keys = tuple(k[: -len("so")] + own if k.split()[-2:] == ["thuoc", "so"] else k for k in keys)
        # Keys as printed first: "Kho bạc Nhà nước tỉnh" is the province's, though without
        # "tỉnh" it would also name the national body.
        for k in keys:
            found = {n for n in self._exact.get(k, set()) | self._compact.get(compact(k), set())
                     if self._allowed(n, issuer, ctx.province)
                     and not (n in self._weak.get(k, ()) and ctx.province != self._by_name[n].province)}
            if found:
                agency = self._pick(found) or self._pick_level(found, ctx.level)
                return ("match", agency, 100.0) if agency else ("none", None, 0.0)
        best: dict[str, float] = {}
        for k in keys:
            if len(k) < FUZZY_MIN_CHARS:
                continue
            floor = FUZZY_MIN if len(k) >= FUZZY_FULL_CHARS else FUZZY_MIN_SHORT
            for key, score, _ in process.extract(k, self._all_keys, scorer=fuzz.ratio, limit=None,
                                                 score_cutoff=floor - FUZZY_MARGIN):
                if head_clash(k, key) or score < floor and len(k) < FUZZY_FULL_CHARS:
                    continue    # a Bộ is never a Sở
                for n in self._exact[key]:
                    if n in self._weak.get(key, ()) and ctx.province != self._by_name[n].province:
                        continue
                    if self._allowed(n, issuer, ctx.province) and score > best.get(n, 0.0):
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

    def _by_head(self, piece: str, carried: str | None, group: bool,
                 owner: Agency | None, ctx: DocContext) -> tuple[Agency | None, float]:
        """A piece no directory name covers: a bare name after a head ("các Sở: Xây dựng" ->
        "Sở Xây dựng"), or a name recognised by its own head, kept as printed."""
        if carried and not heads.leading_head(piece) and piece[:1].isupper():
            kind, agency, score = self._match(f"{carried} {piece}", owner, ctx)
            if kind == "match" and agency:
                return agency, score
            if group:
                head = heads.recognise_field(f"{carried} {piece}")
                if head:
                    return Agency(name=f"{carried} {piece}", kind=head.kind, recognised=True,
                                  level=None if head.level == "any" else head.level), HEAD_SCORE
        head = heads.recognise_field(piece)
        if head and not self._near_known(piece, ctx):
            return Agency(name=piece, kind=head.kind, recognised=True,
                          level=None if head.level == "any" else head.level), HEAD_SCORE
        return None, 0.0

    def _near_known(self, piece: str, ctx: DocContext) -> bool:
        """A piece close to a directory name ("Sở Tài", "Sở Ngoi vụ", "UBND huyện Sơn") is a
        damaged or cut name, not a new agency: it stays unresolved rather than kept."""
        for k in name_keys(piece):
            # A province body's name without its province ("UBND thành phố") is the generic phrase,
            # not that body's name cut short: it counts only in the body's own province.
            weak = {n for n in self._weak.get(k, ()) if ctx.province != self._by_name[n].province}
            near = set(self._exact.get(k, ())) - weak
            near |= {n for key in self._all_keys if key.startswith(k + " ") for n in self._exact[key]} - weak
            near |= {n for key, _, _ in process.extract(k, self._all_keys, scorer=fuzz.ratio, limit=None,
                                                        score_cutoff=NEAR_KNOWN if len(k) >= FUZZY_FULL_CHARS
                                                        else FUZZY_MIN_SHORT)
                     if not head_clash(k, key) for n in self._exact[key]} - weak
            if any(self._allowed(n, None, ctx.province) for n in near):
                return True
        return False

    # -- public API --

    def context(self, issuer: str | None, header: list[str] | None = None, title: str | None = None) -> DocContext:
        """Whose agencies a document names: its province and level, from its issuer, header and title."""
        return context_for(issuer, header, title)

    def resolve(self, text: str | None, issuer: str | None = None, *,
                context: DocContext | None = None) -> Resolution:
        """Canonical agencies of a printed agency field, in order, and what could not be matched.

        `issuer` (e.g. "Sở Công Thương tỉnh Quảng Ngãi") gives "thuộc Sở" its meaning and,
        with `context`, the province of provincial names. Pieces are merged back where a
        name holds commas; the split chosen leaves the fewest pieces unmatched, then has the
        best-matching names. A piece no directory name covers is kept as printed when its
        head says it is an agency; bare names after a head ("các Sở: Xây dựng, Tài chính")
        take that head.
        """
        cleaned = clean_field(text or "")
        carried, group = None, False
        if grouped := heads.group_prefix(cleaned):
            carried, cleaned, group = grouped[0], grouped[1], True
        spans = field_pieces(cleaned)
        if not spans:
            return Resolution()
        owner = self.lookup(issuer) if issuer else None
        ctx = context or context_for(issuer)
        n = len(spans)
        # The head each piece may take from the nearest piece before it that has one.
        carry: list[str | None] = []
        for a, b in spans:
            carry.append(carried)
            carried = heads.leading_head(cleaned[a:b]) or carried
        # best[i]: (unmatched pieces, -matched weight, segments, plan) for spans[i:]
        best: list[tuple[int, float, int, list[_Step]]] = [(0, 0.0, 0, [])] * (n + 1)
        for i in range(n - 1, -1, -1):
            u, w, s, plan = best[i + 1]
            options = [(u + 1, w, s + 1, [(None, False, i, i + 1), *plan])]
            agency, score = self._by_head(cleaned[spans[i][0]:spans[i][1]], carry[i], group, owner, ctx)
            if agency:
                options.append((u, w - score, s + 1, [(agency, True, i, i + 1), *plan]))
                # "Vụ Phổ biến, giáo dục pháp luật": lower-case pieces after a name kept as printed are
                # the rest of that name, not agencies of their own.
                j = i + 1
                while agency.recognised and j < n and cleaned[spans[j][0]:spans[j][0] + 1].islower() \
                        and not cleaned[spans[j][0]:spans[j][1]].startswith("các "):
                    j += 1
                    whole = clean_field(cleaned[spans[i][0]:spans[j - 1][1]])
                    u2, w2, s2, plan2 = best[j]
                    options.append((u2, w2 - score * (j - i), s2 + 1,
                                    [(Agency(**{**agency.__dict__, "name": whole}), True, i, j), *plan2]))
            for j in range(i + 1, min(n, i + MAX_SPAN) + 1):
                span = cleaned[spans[i][0]:spans[j - 1][1]]
                kind, agency, score = self._match(span, owner, ctx)
                if kind == "none" and j - i > 1 and carry[i] and not heads.leading_head(span):
                    # "các Sở: Kế hoạch và Đầu tư": a bare name with "và" inside takes the head too.
                    kind, agency, score = self._match(f"{carry[i]} {span}", owner, ctx)
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
                raw = clean_field(cleaned[spans[pending[0]][0]:spans[pending[1] - 1][1]])
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
                if agency.recognised:
                    out.recognised.append(agency.name)
                if ctx.province and (agency.level == "province" or agency.kind in PROVINCIAL_KINDS
                                     or agency.name.endswith(" tỉnh")):
                    out.provinces[agency.name] = ctx.province
        flush()
        return out

    def lookup(self, text: str | None) -> Agency | None:
        """The agency a user means by `text` ("Sở TTTT", "so ke hoach", "BQL KKT"), or None if unsure."""
        if not text or not text.strip():
            return None
        got = self.get(text)
        if got:
            return got
        kind, agency, _ = self._match(clean_field(text), None)
        if kind == "match":
            return agency
        for key in name_keys(text):
            toks = key.split()
            if len(toks) < 2:
                continue
            head, last = tuple(toks[:-1]), toks[-1]
            found = {name for ktoks, name in self._prefix
                     if len(ktoks) > len(head) and ktoks[:len(head)] == head and ktoks[len(head)].startswith(last)}
            if found:
                return self._pick(found)
        return None

    def _fits(self, piece: str, agency: Agency) -> bool:
        keys = name_keys(piece)
        return not keys or any(fuzz.partial_ratio(k, own) >= PIECE_FIT
                               for k in keys for own in self._entry_keys[agency.name])

    def unresolved_report(self, fields: Iterable[tuple[str, str]],
                          issuers: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
        """(doc, unresolved text, times seen) for agency fields (doc, printed text).

        `issuers` maps a doc to its issuer, for "thuộc Sở". Sorted by doc, most frequent first.
        Names recognised by their head are agencies, not unresolved.
        """
        counts: Counter[tuple[str, str]] = Counter()
        for doc, text in fields:
            for raw in self.resolve(text, (issuers or {}).get(doc)).unresolved:
                counts[(doc, raw)] += 1
        return sorted(((d, r, c) for (d, r), c in counts.items()), key=lambda t: (t[0], -t[2], t[1]))


@lru_cache(maxsize=8)
def _load(path: str) -> Directory:
    return Directory.from_data(read_json(Path(path)), path, with_national=True)


# ---- module-level shortcuts on the bundled directory ------------------------------

def resolve(text: str | None, issuer: str | None = None, *, context: DocContext | None = None) -> Resolution:
    return Directory.load().resolve(text, issuer, context=context)


def lookup(text: str | None) -> Agency | None:
    return Directory.load().lookup(text)


def find_in_text(text: str | None, *, by_head: bool = False, context: DocContext | None = None) -> list[Mention]:
    return Directory.load().find_in_text(text, by_head=by_head, context=context)


def successor_chain(name: str, as_of=None) -> list[str]:
    return Directory.load().successor_chain(name, as_of)


def holders(name: str, as_of=None) -> list[str]:
    return Directory.load().holders(name, as_of)


def predecessors(name: str, as_of=None) -> list[str]:
    return Directory.load().predecessors(name, as_of)


def expand_filter(text: str | None, include_predecessors: bool = False, as_of=None) -> set[str]:
    return Directory.load().expand_filter(text, include_predecessors, as_of)


def unresolved_report(fields: Iterable[tuple[str, str]],
                      issuers: dict[str, str] | None = None) -> list[tuple[str, str, int]]:
    return Directory.load().unresolved_report(fields, issuers)
