"""Who holds an agency's tasks after reorganisations: dated, one-way steps with their legal source.

A step "A → B on D" means tasks assigned to A are B's from D on. It never means B's
own tasks are A's: filters and answers follow the steps forwards to find today's
holder, and backwards only when asked what an agency took over.
"""
from __future__ import annotations

from collections.abc import Iterable

from kehoach.corpus.agency_data import Succession


def _iso(as_of) -> str | None:
    """"2026-01-01", a date or datetime -> ISO date; None -> no limit."""
    if as_of is None:
        return None
    return as_of.isoformat()[:10] if hasattr(as_of, "isoformat") else str(as_of)[:10]


class Successions:
    def __init__(self, steps: Iterable[Succession]):
        self.steps = list(steps)
        self._out: dict[str, list[Succession]] = {}
        self._in: dict[str, list[Succession]] = {}
        for s in self.steps:
            self._out.setdefault(s.source_name, []).append(s)
            self._in.setdefault(s.target, []).append(s)
        for lst in (*self._out.values(), *self._in.values()):
            lst.sort(key=lambda s: s.date)

    def steps_from(self, name: str, as_of=None) -> list[Succession]:
        """Steps out of `name` dated on or before `as_of` (all when None), earliest first."""
        limit = _iso(as_of)
        return [s for s in self._out.get(name, []) if limit is None or s.date <= limit]

    def steps_into(self, name: str, as_of=None) -> list[Succession]:
        limit = _iso(as_of)
        return [s for s in self._in.get(name, []) if limit is None or s.date <= limit]

    def path(self, name: str, as_of=None) -> list[Succession]:
        """The steps from `name` to today's holder, following the latest step out of each agency
        (a step out must come after the step in: an agency dissolved in 2025 does not pass on
        tasks through a 2008 step)."""
        out: list[Succession] = []
        seen = {name}
        current, since = name, ""
        while True:
            nxt = [s for s in self.steps_from(current, as_of) if s.date >= since and s.target not in seen]
            if not nxt:
                return out
            step = nxt[-1]
            out.append(step)
            seen.add(step.target)
            current, since = step.target, step.date

    def chain(self, name: str, as_of=None) -> list[str]:
        """[name, next, …, today's holder]; [name] when it never changed."""
        return [name, *(s.target for s in self.path(name, as_of))]

    def holders(self, name: str, as_of=None) -> list[str]:
        """Who holds, on `as_of`, a task assigned to `name`: the chain's end."""
        return [self.chain(name, as_of)[-1]]

    def predecessors(self, name: str, as_of=None) -> list[str]:
        """Agencies whose tasks `name` took over, directly or through others, nearest first."""
        out: list[str] = []
        frontier = [name]
        while frontier:
            nxt = [s.source_name for f in frontier for s in self.steps_into(f, as_of)
                   if s.source_name not in out and s.source_name != name]
            nxt = list(dict.fromkeys(nxt))
            out.extend(nxt)
            frontier = nxt
        return out


class SuccessionView:
    """What `agencies.Directory` answers about successions, on canonical names of its entries."""

    def _canonical(self, name: str) -> str | None:
        agency = self.get(name) or self.lookup(name)
        return agency.name if agency else None

    def successor_chain(self, name: str, as_of=None) -> list[str]:
        """[name, what it became, …, today's holder], steps dated on or before `as_of` (all
        when None); [name] when it never changed; [] when `name` names no agency."""
        own = self._canonical(name)
        return self.succession.chain(own, as_of) if own else []

    def successions(self, name: str, as_of=None) -> list[Succession]:
        """The dated steps (with their legal source) from `name` to today's holder."""
        own = self._canonical(name)
        return self.succession.path(own, as_of) if own else []

    def holders(self, name: str, as_of=None) -> list[str]:
        """Who holds, on `as_of` (default: every step known), a task assigned to `name`."""
        chain = self.successor_chain(name, as_of)
        return chain[-1:] if chain else []

    def predecessors(self, name: str, as_of=None) -> list[str]:
        """Agencies whose tasks `name` took over, directly or through others, nearest first."""
        own = self._canonical(name)
        return self.succession.predecessors(own, as_of) if own else []

    def expand_filter(self, text: str | None, include_predecessors: bool = False, as_of=None) -> set[str]:
        """Canonical names a filter on agency `text` accepts: the agency and, for a Sở, its own
        departments. `include_predecessors` adds the agencies it took over (their tasks are its
        now, and callers mark them "tiếp nhận từ"). Never the agency's successors: a filter on
        Sở TTTT does not list Sở KH&CN's own tasks. Empty when `text` names no agency."""
        agency = self.lookup(text)
        if agency is None:
            return set()
        names = {agency.name}
        if include_predecessors:
            names |= set(self.predecessors(agency.name, as_of))
        if agency.kind == "so":
            names |= {e.name for e in self.departments(agency.name)}
        return names
