"""The agency directory's data files: entries, successions, provinces and head words.

The bundled directory is corpus/agencies.json (the bundled plans' province; its Sở
entries are the standard departments of any province) plus the national files of
corpus/data/agencies/: ministries.json (central bodies), provincial.json (departments
the first file lacks, old names), successions.json (who took over whose tasks, dated,
with the legal act), provinces.json and heads.json. A user's directory file may hold
its own "successor"/"successor_date" fields: they become succession records too.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from kehoach.corpus.text import nfc

KINDS = ("so", "bo", "central", "ban", "ubnd", "group", "department", "other")
# Kinds whose entries belong to one province: their mentions take the document's province.
PROVINCIAL_KINDS = frozenset({"so", "ban", "ubnd", "department"})
BUNDLED = Path(__file__).with_name("agencies.json")
NATIONAL_DIR = Path(__file__).with_name("data") / "agencies"
NATIONAL_FILES = ("ministries.json", "provincial.json")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


class AgencyDataError(ValueError):
    """The agency directory file is missing or malformed."""


@dataclass(frozen=True)
class Agency:
    name: str
    kind: str
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    parent: str | None = None          # the Sở a department belongs to
    successor: str | None = None       # what the agency became in its latest reorganisation
    successor_date: str | None = None  # ISO date of that change
    level: str | None = None           # "central" | "province" | None (groups, mixed)
    part_of: str | None = None         # the ministry a central unit belongs to (informational)
    recognised: bool = False           # not in the directory: named by its head, kept as printed
    uncertain: bool = False            # the entry itself is not checked against a legal act
    province: str | None = None        # a body of that province only (its districts, its own boards)


@dataclass(frozen=True)
class Succession:
    """From `date` on, tasks assigned to `source_name` are held by `target`."""

    source_name: str
    target: str
    date: str
    source: str                        # the legal act
    certain: bool = True
    note: str | None = None

    def as_dict(self) -> dict:
        return {"from": self.source_name, "to": self.target, "date": self.date, "source": self.source,
                "certain": self.certain, "note": self.note}


def _bad(origin: str, detail: str) -> AgencyDataError:
    return AgencyDataError(f"Danh mục cơ quan không hợp lệ (invalid agency directory) {origin}: {detail}")


def read_json(path: Path) -> object:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise AgencyDataError(f"Không đọc được danh mục cơ quan (cannot read agency directory) {path}: "
                              f"{exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise AgencyDataError(f"Danh mục cơ quan không phải JSON hợp lệ (invalid JSON) {path}: "
                              f"dòng {exc.lineno}") from exc


def _level(kind: str, name: str) -> str | None:
    if kind in ("bo", "central"):
        return "central"
    # "Công an tỉnh", "Kho bạc Nhà nước tỉnh": a province's body by its name.
    return "province" if kind in PROVINCIAL_KINDS or re.search(r"\btỉnh\b", name) else None


def parse_entries(data: object, origin: str) -> tuple[list[Agency], list[Succession]]:
    """Entries of one directory file, and the successions its rows state inline."""
    rows = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise _bad(origin, "thiếu danh sách 'agencies'")
    entries: list[Agency] = []
    steps: list[Succession] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"].strip():
            raise _bad(origin, f"mục {i} không có 'name'")
        if row.get("kind") not in KINDS:
            raise _bad(origin, f"{row['name']}: 'kind' phải là một trong {', '.join(KINDS)}")
        lists = {k: row.get(k) or [] for k in ("abbreviations", "aliases")}
        if any(not isinstance(v, list) or not all(isinstance(s, str) for s in v) for v in lists.values()):
            raise _bad(origin, f"{row['name']}: 'abbreviations'/'aliases' phải là danh sách chuỗi")
        date = row.get("successor_date")
        if date is not None and not _ISO.fullmatch(str(date)):
            raise _bad(origin, f"{row['name']}: 'successor_date' phải có dạng YYYY-MM-DD")
        name = nfc(row["name"].strip())
        entries.append(Agency(
            name=name, kind=row["kind"],
            abbreviations=tuple(nfc(s) for s in lists["abbreviations"]),
            aliases=tuple(nfc(s) for s in lists["aliases"]),
            parent=row.get("parent"), level=row.get("level") or _level(row["kind"], name),
            part_of=row.get("part_of"), uncertain=row.get("status") == "uncertain",
            province=nfc(row["province"]) if row.get("province") else None,
        ))
        if row.get("successor"):
            steps.append(Succession(name, nfc(row["successor"]), date or "0001-01-01",
                                    row.get("source") or origin, certain=date is not None))
    return entries, steps


def parse_successions(data: object, origin: str) -> list[Succession]:
    rows = data.get("successions") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise _bad(origin, "thiếu danh sách 'successions'")
    acts = data.get("sources") or {}
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("from", "to", "date", "source")):
            raise _bad(origin, f"succession {i}: cần 'from', 'to', 'date', 'source'")
        if not _ISO.fullmatch(row["date"]):
            raise _bad(origin, f"succession {i}: 'date' phải có dạng YYYY-MM-DD")
        out.append(Succession(nfc(row["from"]), nfc(row["to"]), row["date"], acts.get(row["source"], row["source"]),
                              certain=row.get("certain", True) is not False, note=row.get("note")))
    return out


def check_references(entries: list[Agency], steps: list[Succession], origin: str) -> None:
    names = [e.name for e in entries]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise _bad(origin, f"tên trùng: {', '.join(dupes)}")
    known = set(names)
    for e in entries:
        if e.parent is not None and e.parent not in known:
            raise _bad(origin, f"{e.name}: tham chiếu tới cơ quan không có trong danh mục: {e.parent}")
    for s in steps:
        for ref in (s.source_name, s.target):
            if ref not in known:
                raise _bad(origin, f"{s.source_name} → {s.target}: "
                                   f"tham chiếu tới cơ quan không có trong danh mục: {ref}")


def national() -> tuple[list[Agency], list[Succession]]:
    """Entries and successions of the national files (empty when the folder is absent)."""
    entries: list[Agency] = []
    steps: list[Succession] = []
    for name in NATIONAL_FILES:
        path = NATIONAL_DIR / name
        if path.is_file():
            e, s = parse_entries(read_json(path), str(path))
            entries += e
            steps += s
    path = NATIONAL_DIR / "successions.json"
    if path.is_file():
        steps += parse_successions(read_json(path), str(path))
    return entries, steps


def merge(own: list[Agency], extra: list[Agency]) -> list[Agency]:
    """`own` entries, then those of `extra` whose name `own` lacks (a user's file wins)."""
    names = {e.name for e in own}
    return [*own, *(e for e in extra if e.name not in names)]


def attach_successors(entries: list[Agency], steps: list[Succession]) -> list[Agency]:
    """Entries with `successor`/`successor_date` set from their latest succession (for older callers)."""
    latest: dict[str, Succession] = {}
    for s in steps:
        if s.source_name not in latest or s.date > latest[s.source_name].date:
            latest[s.source_name] = s
    out = []
    for e in entries:
        s = latest.get(e.name)
        out.append(Agency(**{**e.__dict__, "successor": s.target, "successor_date": s.date}) if s else e)
    return out
