"""What a plan is (title, number, date, issuer): from the bundled metadata file,
or read off the header of a document a user brings.

Bundled entries are matched by content hash, not by file name, so a user file
that happens to share a name never inherits a bundled title.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from kehoach.corpus.text import fold, normalize_space, ocr_fold
from kehoach.records import PlanInfo

_HEADER_LINES = 40
_NUMBER = re.compile(r"\bS[ốoô6]\s*[:.]?\s*(\d{1,5}\s*/\s*[A-ZĐ][A-ZĐ0-9&\-]*(?:/[A-ZĐ0-9\-]+)?)")
_DATE = re.compile(r"ng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})", re.IGNORECASE)
_KINDS = {"ke hoach": ("plan", "Kế hoạch"), "bao cao": ("report", "Báo cáo"),
          "chuong trinh": ("plan", "Chương trình"), "quyet dinh": ("plan", "Quyết định"),
          "de an": ("plan", "Đề án")}


@lru_cache(maxsize=1)
def _bundled() -> dict[str, dict]:
    raw = json.loads(resources.files("kehoach.corpus").joinpath("metadata.json").read_text("utf-8"))
    return {v["sha256"]: {**v, "doc": k} for k, v in raw.items() if not k.startswith("_") and "sha256" in v}


def plan_info(doc: str, lines: list[str], sha256: str) -> PlanInfo:
    known = _bundled().get(sha256)
    if known:
        return PlanInfo(doc=doc, title=known["title"], number=known.get("number"), date=known.get("date"),
                        issuer=known.get("issuer"), subject=None, kind=known.get("kind", "plan"))
    return infer_plan_info(doc, lines)


def _issuer(header: list[str]) -> str | None:
    """The issuing body from the letterhead; a Sở line beats the UBND above it."""
    ubnd = None
    for i, line in enumerate(header[:8]):
        f = ocr_fold(line)
        if f.startswith("so ") and ":" not in line and not any(c.isdigit() for c in line) \
                and len(f.split()) <= 8:
            name = normalize_space(line)
            return name.title() if name.isupper() else name
        if ubnd is None and (f.startswith("uy ban nhan dan") or f.startswith("ubnd")):
            nxt = normalize_space(header[i + 1]) if i + 1 < len(header) else ""
            ubnd = f"UBND {nxt[:1].lower()}{nxt[1:].lower()}" if fold(nxt).startswith("tinh") else "UBND"
            if fold(nxt).startswith("tinh"):
                ubnd = "UBND tỉnh " + nxt.split(None, 1)[1].title() if len(nxt.split()) > 1 else "UBND tỉnh"
    return ubnd


def infer_plan_info(doc: str, lines: list[str]) -> PlanInfo:
    header = [ln for ln in lines[:_HEADER_LINES] if ln.strip()]
    text = "\n".join(header)
    number = (m := _NUMBER.search(text)) and re.sub(r"\s+", "", m.group(1))
    date = None
    if m := _DATE.search(text):
        d, mo, y = (int(x) for x in m.groups())
        if 1 <= d <= 31 and 1 <= mo <= 12:
            date = f"{y:04d}-{mo:02d}-{d:02d}"
    kind, label, subject = "plan", "Văn bản", None
    for i, line in enumerate(header):
        key = ocr_fold(line)
        hit = next((v for k, v in _KINDS.items() if key == k), None)
        if hit:
            kind, label = hit
            subject = normalize_space(header[i + 1]) if i + 1 < len(header) else None
            break
    issuer = _issuer(header)
    parts = [label]
    if number:
        parts.append(f"số {number}")
    if date:
        y, mo, d = date.split("-")
        parts.append(f"ngày {int(d):02d}/{int(mo):02d}/{y}")
    if issuer:
        parts.append(f"của {issuer}")
    title = " ".join(parts)
    if subject:
        short = subject if len(subject) <= 160 else subject[:157].rsplit(" ", 1)[0] + "…"
        # An all-capitals heading reads better in sentence case inside a title.
        short = short.lower() if short.isupper() else short[:1].lower() + short[1:]
        title = f"{title}: {short}"
    if title == label:
        title = f"{label} {doc}"
    return PlanInfo(doc=doc, title=title, number=number or None, date=date, issuer=issuer,
                    subject=subject, kind=kind)
