"""Groups of agencies a list names in other words than their heads.

- Heads of bodies named by their title over a group ("Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh",
  "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ") are one group: the bodies they head
  ("Các sở, ban, ngành tỉnh", "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ").
- Places that act, named ("Xã An Phú, xã Tân Hòa và xã Long Điền …", "Các huyện miền núi Ba Tơ, Sơn Hà …"),
  are each their People's Committee.
Used by corpus/agency_phrase.py and corpus/grammar.py; matching is on a lower-cased copy that keeps positions.
"""
from __future__ import annotations

import re

from kehoach.corpus.grammar_words import words
from kehoach.corpus.phrases import _lower

# Titles that head a kind of body rather than one named body: over a plural or bare group they stand for it.
_GROUP_TITLE = re.compile(r"(?:các\s+)?(?:bộ trưởng|giám đốc|thủ trưởng)(?!\w)\s*")
_PIECE = re.compile(r"\s*(,|(?<!\w)và(?!\w))\s*")


def merge_titled_groups(phrase: str) -> str:
    """"Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh và Chủ tịch UBND …" -> "Các sở, ban, ngành tỉnh và
    Chủ tịch UBND …": two or more group titles in a row, and the lower-case names that go on after them,
    become the one group they head; the list goes on after it unchanged."""
    low = _lower(phrase)
    if not _GROUP_TITLE.match(low):
        return phrase
    pieces, pos = [], 0
    for m in _PIECE.finditer(phrase):
        pieces.append((pos, m.start(), m.group(1)))
        pos = m.end()
    pieces.append((pos, len(phrase), ""))
    groups: list[str] = []
    titled = 0
    end = 0
    for start, stop, _ in pieces:
        text = phrase[start:stop]
        tm = _GROUP_TITLE.match(low, start, stop)
        if tm:
            obj = re.sub(r"^các\s+", "", phrase[tm.end():stop], flags=re.IGNORECASE).strip()
            if not obj and low.startswith("bộ trưởng", tm.start()) or low.startswith("các bộ trưởng", tm.start()):
                obj = obj or "bộ"       # "Bộ trưởng, …" without a ministry: the ministers of every ministry
            if not obj or obj[:1].isupper():
                break       # a title over one named body ("Giám đốc Sở Y tế") is that body, not a group
            groups.append(obj)
            titled += 1
        elif groups and text[:1].islower() and phrase[end:start].strip() == ",":
            groups.append(text.strip())     # "…, ngành tỉnh", "…, cơ quan thuộc Chính phủ"
        else:
            break
        end = stop
    if titled < 2:
        return phrase
    return "Các " + ", ".join(groups) + phrase[end:]


_PLACES = sorted(words("places"), key=len, reverse=True)
_PLACE_RX = re.compile(r"(?:các\s+)?(" + "|".join(re.escape(p) for p in _PLACES) + r")(?!\w)")
_COMMITTEE = re.compile(r"(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+")
_TOKEN = re.compile(r"\s*([,:]|[^\s,;.:()]+)")
_WEAK = set(words("weak_verbs"))


def _place_names(text: str, low: str, pos: int, verb_rx: re.Pattern[str]):
    """The places named from `pos` on: ([(place word, name words)], where the list stops, committee named), or
    None. "Phường An Lạc, phường Tân Phú và xã Bình Hưng" names three places; "các xã A, B" two of one kind."""
    committee = _COMMITTEE.match(low, pos)
    m = _PLACE_RX.match(low, committee.end() if committee else pos)
    if not m:
        return None
    kind = m.group(1)
    names: list[tuple[str, list[str]]] = []
    cur: list[str] = []
    described = 0
    named = False       # a name followed the last place word ("các huyện, thị xã X": "các huyện" names none)
    i = m.end()
    at = i
    while True:
        t = _TOKEN.match(text, i)
        if not t:
            at = len(text.rstrip())
            break
        w, at = t.group(1), t.start(1)
        again = _PLACE_RX.match(low, at) if not cur and names else None
        if w in ",:" or (w.lower() == "và" and (cur or names)):
            if cur:
                names.append((kind, cur))
                cur = []
            elif not named and w != ":":
                return None     # a plural level with no name of its own is a group, not named places
        elif again and not again.group(0).startswith("các"):
            kind = again.group(1)       # ", xã Tân Hòa": the place word again, or another level's
            named = False
            t = again
        elif w[:1].isupper() or w[:1].isdigit():
            cur.append(w)
            named = True
        elif not names and not cur and described < 3 and not verb_rx.match(low, at):
            described += 1      # "các xã vùng cao …": what the places share, before their names
        else:
            break
        i = t.end()
    if cur:
        names.append((kind, cur))
    return names, at, bool(committee)


def _committees(names: list[tuple[str, list[str]]]) -> list[str]:
    return [f"Ủy ban nhân dân {kind} {' '.join(n)}" for kind, n in names]


def named_places(text: str, low: str, pos: int, verb_rx: re.Pattern[str]) -> tuple[str, int] | None:
    """(lead, end) when the sentence at `pos` opens with places named by their proper names and then its work:
    "Xã An Phú, xã Tân Hòa và xã Long Điền bố trí …" -> "Ủy ban nhân dân xã An Phú, Ủy ban nhân dân xã Tân
    Hòa, Ủy ban nhân dân xã Long Điền"; "(UBND) các huyện miền núi Ba Tơ, Sơn Hà phối hợp …" likewise."""
    found = _place_names(text, low, pos, verb_rx)
    if not found:
        return None
    names, at, committee = found
    verb = verb_rx.match(low, at)
    if not names or not verb or verb.group(0) in _WEAK or committee and len(names) < 2:
        return None     # "UBND tỉnh X chủ trì" is read as any agency is; a list of places is each one's
    return ", ".join(_committees(names)), at


def place_committees(phrase: str, verb_rx: re.Pattern[str]) -> list[str] | None:
    """"Ủy ban nhân dân Thành phố A, Thành phố B và thành phố C", "Các xã A, B và phường C": a phrase that
    names nothing but two or more places is each place's People's Committee (None otherwise)."""
    low = _lower(phrase)
    found = _place_names(phrase, low, 0, verb_rx)
    if not found:
        return None
    names, at, _ = found
    return _committees(names) if len(names) >= 2 and not phrase[at:].strip(" .") else None
