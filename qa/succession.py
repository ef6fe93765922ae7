"""Who a task belongs to today: one-way succession for filters, rows and answers.

A filter on an agency keeps the tasks assigned to it (and to its own departments),
plus the tasks of the agencies it succeeded, marked with their origin. It never
pulls in its successor's tasks: the old Sở TTTT is not credited with the work of
Sở KH&CN it merged into; instead its rows say who holds them today.

The succession data and dates live in corpus/agencies.json (read through
Directory); this module only decides roles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

LEAD, SUPPORT, TAKEN = "chủ trì", "phối hợp", "tiếp nhận"


def _iso(as_of: date | str | None) -> str | None:
    return as_of.isoformat() if isinstance(as_of, date) else as_of


def successor_chain(directory, name: str, as_of=None) -> list[str]:
    """What `name` (a canonical name) became, in order, ending with today's holder; [] if unchanged."""
    return [n for n in directory.successor_chain(name, as_of=_iso(as_of)) if n != name]


def predecessors(directory, name: str, as_of=None) -> list[str]:
    return list(directory.predecessors(name, as_of=_iso(as_of)))


def holders(directory, name: str, as_of=None) -> list[str]:
    """Who holds `name`'s tasks on `as_of` (itself when nothing changed)."""
    return list(directory.holders(name, as_of=_iso(as_of)) or []) or [name]


def held_by(directory, lead: list[str], as_of=None) -> list[str]:
    """Today's holders of a task's lead agencies, in order, without repeats."""
    return list(dict.fromkeys(h for n in lead for h in holders(directory, n, as_of)))


@dataclass
class Scope:
    """What a filter on one agency accepts, and how each accepted row is marked."""

    name: str                                     # canonical name of the filtered agency
    own: set[str]                                 # it and its departments
    taken: list[str] = field(default_factory=list)  # agencies it succeeded, nearest first

    @property
    def names(self) -> set[str]:
        return self.own | set(self.taken)

    def role(self, lead: list[str], support: list[str]) -> tuple[str, list[str]] | None:
        """(role, taken_over_from) of a task for this agency, or None when it is not its task.

        One role per task, never counted twice: its own lead first, then a lead it took
        over (it leads that task now), then its own support, then a support it took over.
        """
        if self.own.intersection(lead):
            return LEAD, []
        if origin := [n for n in self.taken if n in lead]:
            return TAKEN, origin
        if self.own.intersection(support):
            return SUPPORT, []
        if origin := [n for n in self.taken if n in support]:
            return TAKEN, origin
        return None


def scope(directory, text: str | None, as_of=None) -> Scope | None:
    """The one-way filter for agency `text`; None when `text` names no agency."""
    agency = directory.lookup(text) if text else None
    if agency is None:
        return None
    own = {agency.name}
    if getattr(agency, "kind", None) == "so":
        own |= {d.name for d in directory.departments(agency.name)}
    taken = [p for p in predecessors(directory, agency.name, as_of) if p not in own]
    return Scope(name=agency.name, own=own, taken=taken)


def filter_names(directory, text: str | None, as_of=None) -> set[str]:
    """Canonical names an agency filter accepts (one way); empty when `text` names no agency."""
    found = scope(directory, text, as_of)
    return found.names if found else set()


def counts(roles: list[str]) -> dict[str, int]:
    return {r: sum(x == r for x in roles) for r in (LEAD, SUPPORT, TAKEN)}


def counts_text(roles: list[str]) -> str:
    """"12 chủ trì, 3 phối hợp, 5 tiếp nhận" (zero counts left out, chủ trì always shown)."""
    c = counts(roles)
    return ", ".join(f"{n} {r}" for r, n in c.items() if n or r == LEAD)
