"""Agencies named in running text (questions, task sentences): the directory's names found
word by word in a trie, and, on request, names no directory lists found by their head.

A mixin of `agencies.Directory`, which builds the trie and supplies the matching.
"""
from __future__ import annotations

from dataclasses import dataclass

from kehoach.corpus import agency_heads as heads
from kehoach.corpus.agency_context import DocContext
from kehoach.corpus.agency_data import Agency
from kehoach.corpus.agency_keys import (BASE_BEFORE, DIGITAL_BEFORE, WORD, TrieNode, clean_field, marked,
                                        nfc_with_origin)
from kehoach.corpus.text import fold, nfc, normalize_space

PREFIX_MIN_TOKENS = 3  # "sở giáo dục" names an agency; "sở tài" does not


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


class TextScan:
    _trie: TrieNode

    def find_in_text(self, text: str | None, *, by_head: bool = False,
                     context: DocContext | None = None) -> list[Mention]:
        """Agencies named in free text, left to right, each the longest name found at its place.

        Missing diacritics are tolerated, wrong ones are not: "số y tế" is not "Sở Y tế".
        `by_head`: also names no directory lists, by their capitalised head ("Vụ Vận tải chủ
        trì" -> "Vụ Vận tải"), kept as printed (`agency.recognised`). Off for questions,
        where a lower-case "phòng" or "ban" is more often a common word.
        """
        given = text or ""
        text, origin = nfc_with_origin(given)
        words = list(WORD.finditer(text))
        out: list[Mention] = []
        i = 0
        while i < len(words):
            node, hit = self._trie, None
            first = words[i].group()
            if fold(first) == "so" and i and (words[i - 1].group().lower() in BASE_BEFORE or (
                    not marked(first) and fold(words[i - 1].group()) in DIGITAL_BEFORE)):
                i += 1
                continue
            for j in range(i, len(words)):
                word = words[j].group().lower()
                node = node.children.get(fold(word))
                if node is None or (marked(word) and word not in node.surfaces):
                    break
                length = j - i + 1
                if node.terminals:
                    agency = self._pick(self._in_province(node.terminals - self._weak_here(node, context), context))
                elif length >= PREFIX_MIN_TOKENS and not by_head:
                    # A prefix ("Sở giáo dục") stands for the name in a question; in a document, where
                    # names are printed whole, "Cục Quản lý …" is left to the head scan instead.
                    # A collective entry opens with generic words ("Các cơ sở …", "Các cơ quan …"): its
                    # start names no one ("cho các cơ sở khám, chữa bệnh" is not the vocational schools).
                    agency = self._pick(self._in_province(
                        {n for n in node.below if self._by_name[n].kind != "group"}, context))
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
        if by_head:
            out = self._head_mentions(text, origin, given, out, context)
        return out

    def _head_mentions(self, text: str, origin: list[tuple[int, int]], given: str,
                       found: list[Mention], context: DocContext | None) -> list[Mention]:
        toks = list(heads._TOKEN.finditer(text))
        words = [t.group() for t in toks]
        taken = [(m.start, m.end) for m in found]
        out = list(found)
        i = 0
        while i < len(toks):
            start = origin[toks[i].start()][0]
            inside = next((e for s, e in taken if s <= start < e), None)
            if inside is not None:
                while i < len(toks) and origin[toks[i].start()][0] < inside:
                    i += 1
                continue
            phrase = heads.scan(words, i)
            if phrase is None:
                i += 1
                continue
            end = origin[toks[phrase.end - 1].end() - 1][1]
            if any(s < end and start < e for s, e in taken):   # runs into a directory name
                i += 1
                continue
            surface = given[start:end]
            kind, agency, score = self._match(clean_field(surface), None, context)
            # Running text is not an agency field: only an exact name stands for a directory entry.
            if kind != "match" or agency is None or agency.kind == "group" or score < 100:
                agency = Agency(name=normalize_space(nfc(surface)), kind=phrase.head.kind, recognised=True,
                                level=None if phrase.head.level == "any" else phrase.head.level)
            out.append(Mention(agency, start, end, surface))
            i = phrase.end
        return sorted(out, key=lambda m: m.start)

    def _weak_here(self, node: TrieNode, context: DocContext | None) -> set[str]:
        """Province bodies whose form ends here only without their province ("UBND thành phố"):
        in a document whose province is unknown or another, they are not meant."""
        if context is None or not node.weak:
            return set()
        return {n for n in node.weak if self._by_name[n].province != context.province}

    def _in_province(self, names: set[str], context: DocContext | None) -> set[str]:
        if context is None or not context.province:
            return names
        return {n for n in names if self._allowed(n, None, context.province)}

    def _add_surface(self, words: list[str], name: str, weak: bool = False) -> None:
        node = self._trie
        for w in words:
            node = node.children.setdefault(fold(w), TrieNode())
            node.surfaces.add(w)
            node.below.add(name)
        node.terminals.add(name)
        if weak:
            node.weak.add(name)
