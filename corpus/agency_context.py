"""The document an agency is named in: whose "Sở Tài chính" it is.

A plan of UBND thành phố Hà Nội that assigns a task to "Sở Tài chính" means Hà Nội's.
Canonical names carry no province (the bundled plans' answers stay as they are); the
province travels beside them (`Resolution.provinces`). The issuer decides the level:
a ministry's or the Prime Minister's document is central, a province's is provincial.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kehoach.corpus.agency_data import NATIONAL_DIR, read_json
from kehoach.corpus.text import fold, nfc

# Heads of an issuer that make its document central (folded).
_CENTRAL_HEADS = ("bo ", "thu tuong", "chinh phu", "van phong chinh phu", "thanh tra chinh phu",
                  "ngan hang nha nuoc viet nam", "uy ban dan toc", "tong cuc ", "quoc hoi")
_LOCAL_HEADS = ("ubnd", "uy ban nhan dan", "so ", "hdnd", "hoi dong nhan dan", "tinh uy", "thanh uy")


@dataclass(frozen=True)
class Province:
    name: str
    city: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocContext:
    issuer: str | None = None
    province: str | None = None      # canonical province name ("Hà Nội"), None when unknown or central
    level: str | None = None         # "central" | "province" | None


@lru_cache(maxsize=1)
def provinces() -> tuple[list[Province], list[dict]]:
    path = NATIONAL_DIR / "provinces.json"
    if not path.is_file():
        return [], []
    data = read_json(path)
    acts = data.get("sources", {})
    rows = [Province(nfc(p["name"]), bool(p.get("city")), tuple(nfc(a) for a in p.get("aliases", [])))
            for p in data.get("provinces", [])]
    mergers = [{**m, "source": acts.get(m["source"], m["source"])} for m in data.get("mergers", [])]
    return rows, mergers


@lru_cache(maxsize=1)
def _province_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    by_fold: dict[str, str] = {}
    for p in provinces()[0]:
        for form in (p.name, *p.aliases):
            by_fold[fold(form)] = p.name
    alts = "|".join(re.escape(k) for k in sorted(by_fold, key=len, reverse=True))
    return re.compile(rf"(?:^|\b)(?:tinh|thanh pho|tp\.?)\s+({alts})\b|\b({alts})$"), by_fold


def find_province(text: str | None) -> str | None:
    """The province a name or place line names ("UBND tỉnh Đồng Nai", "Sở Y tế Hà Nội"), or None."""
    if not text or not provinces()[0]:
        return None
    pattern, by_fold = _province_pattern()
    m = pattern.search(fold(text).replace(",", " ").strip())
    if not m:
        return None
    return by_fold.get(m.group(1) or m.group(2))


def province_successor(name: str, as_of=None) -> tuple[str, dict | None]:
    """The province that holds `name`'s tasks on `as_of` (after the 1 July 2025 merger), and the merger."""
    limit = as_of.isoformat()[:10] if hasattr(as_of, "isoformat") else (str(as_of)[:10] if as_of else None)
    for m in provinces()[1]:
        if m["from"] == name and (limit is None or m["date"] <= limit):
            return m["to"], m
    return name, None


def context_for(issuer: str | None, header: list[str] | None = None, title: str | None = None) -> DocContext:
    """Context of a document from its issuer and, when the issuer names no province, its header lines.

    The place of the place-and-date line ("Hà Nội, ngày …") only counts for a local issuer:
    every ministry signs in Hà Nội.
    """
    f = fold(issuer or "")
    level = ("central" if f.startswith(_CENTRAL_HEADS) else
             "province" if f.startswith(_LOCAL_HEADS) else None)
    province = find_province(issuer) if level != "central" else None
    if province is None and level == "province" and header:
        for line in header[:15]:
            m = re.match(r"\s*([^,\d]{3,40}),\s*ng[aà]y\b", nfc(line))
            if m and (found := find_province(m.group(1).strip())):
                province = found
                break
    if level is None and header:
        # An appendix's caption says whose document it goes with: "(Kèm theo … của Chính phủ)".
        for line in header[:6]:
            m = re.search(r"kèm theo\b.*\bcủa\s+(.+?)\)?\s*$", nfc(line), re.IGNORECASE)
            if m:
                owner = context_for(m.group(1))
                level, province = owner.level, owner.province
                if level is None and re.match(r"(Chính phủ|Thủ tướng|Bộ |Đảng ủy Chính phủ)", m.group(1)):
                    level = "central"
                break
    if province is None and level is None and title:
        # No issuer printed, but the title says where the plan applies ("trên địa bàn tỉnh Đồng Nai").
        m = re.search(r"\b(?:tỉnh|thành phố)\s+(\w+(?:\s+\w+){0,3})", nfc(title), re.IGNORECASE)
        words = m.group(1).split() if m else []
        province = next((p for n in range(len(words), 0, -1)
                         if (p := find_province(" ".join(["tỉnh", *words[:n]])))), None)
        level = "province" if province else None
        if level is None and re.search(r"\b(Thủ tướng|Bộ trưởng|Thứ trưởng|Chính phủ)\b", nfc(title)):
            level = "central"   # "Thông báo kết luận của Phó Thủ tướng …": a central document
    return DocContext(issuer=issuer, province=province, level=level)
