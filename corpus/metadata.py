"""What a plan is (kind, number, date, issuer, title, period): from the bundled metadata
file, read off the document's header (header.py), and overridden by the user's side file.

Bundled entries are matched by content hash, not by file name, so a user file that
happens to share a name never inherits a bundled title. A side file next to a document
(`FILE.meta.json` or `FILE.meta.toml`) replaces any field it names: the header of a
scanned or excerpted document may not say what the user knows.
"""
from __future__ import annotations

import json
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kehoach.corpus.header import Header, read_header
from kehoach.corpus.text import normalize_space, ocr_fold
from kehoach.records import PlanInfo

OVERRIDE_FIELDS = ("title", "number", "date", "issuer", "subject", "kind", "doc_type", "period")
OVERRIDE_SUFFIXES = (".meta.json", ".meta.toml")


class MetadataError(ValueError):
    """A side file that cannot be read; one line, in Vietnamese."""


@lru_cache(maxsize=1)
def _bundled() -> dict[str, dict]:
    raw = json.loads(resources.files("kehoach.corpus").joinpath("metadata.json").read_text("utf-8"))
    return {v["sha256"]: {**v, "doc": k} for k, v in raw.items() if not k.startswith("_") and "sha256" in v}


def plan_info(doc: str, lines: list[str], sha256: str, path: str | Path | None = None,
              reading: list[str] | None = None) -> PlanInfo:
    """`reading`: the restored text of a plan typed without marks, whose words the header is read from."""
    known = _bundled().get(sha256)
    if known:
        info = PlanInfo(doc=doc, title=known["title"], number=known.get("number"), date=known.get("date"),
                        issuer=known.get("issuer"), subject=None, kind=known.get("kind", "plan"),
                        doc_type=known.get("doc_type"), period=known.get("period"))
    else:
        info = infer_plan_info(doc, lines) if reading is None else infer_plan_info(doc, reading, printed=lines)
    return apply_override(info, read_override(path)) if path else info


# ---- the user's side file -----------------------------------------------------------

def override_path(path: str | Path) -> Path | None:
    p = Path(path)
    for suffix in OVERRIDE_SUFFIXES:
        side = p.with_name(p.name + suffix)
        if side.is_file():
            return side
    return None


def read_override(path: str | Path) -> dict:
    """Fields of the side file next to `path` ({} when there is none)."""
    side = override_path(path)
    if side is None:
        return {}
    try:
        text = side.read_text(encoding="utf-8")
        data = tomllib.loads(text) if side.suffix == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise MetadataError(f"Không đọc được tệp thông tin văn bản '{side}': {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise MetadataError(f"Tệp thông tin văn bản '{side}' phải là một bảng khóa - giá trị.")
    out = {k: (None if v in ("", None) else str(v)) for k, v in data.items() if k in OVERRIDE_FIELDS}
    if out.get("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", out["date"]):
        raise MetadataError(f"Tệp thông tin văn bản '{side}': 'date' phải có dạng YYYY-MM-DD.")
    if out.get("kind") not in (None, "plan", "report"):
        raise MetadataError(f"Tệp thông tin văn bản '{side}': 'kind' phải là 'plan' hoặc 'report'.")
    return out


def apply_override(info: PlanInfo, fields: dict) -> PlanInfo:
    if not fields:
        return info
    for k, v in fields.items():
        setattr(info, k, v)
    if "title" not in fields and set(fields) & {"number", "date", "issuer", "doc_type", "subject"}:
        info.title = _title(info.doc, info.doc_type, info.number, info.date, info.issuer, info.subject, False)
    if "kind" not in fields and "doc_type" in fields:
        info.kind = "report" if info.doc_type == "báo cáo" else "plan"
    return info


# ---- read off the document ----------------------------------------------------------

def _sentence_case(line: str) -> str:
    """"SỞ CÔNG THƯƠNG" -> "Sở Công Thương" when the directory knows it, else "Sở công thương"."""
    from kehoach.corpus.agencies import lookup
    text = normalize_space(line)
    if not text.isupper():
        return text
    known = lookup(text)
    if known and not known.recognised and ocr_fold(known.name) == ocr_fold(text):
        return known.name
    return text[:1] + text[1:].lower()


def _place(line: str) -> str | None:
    """"tỉnh Quảng Ngãi" out of a letterhead line ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "TỈNH QUẢNG NGÃI")."""
    m = re.search(r"\b(tỉnh|thành phố)\s+(.+)$", normalize_space(line), re.IGNORECASE)
    return f"{m.group(1).lower()} {m.group(2).title()}" if m else None


def _issuer(h: Header) -> str | None:
    """The issuing body: a Sở line of the letterhead beats the UBND above it; a decision's
    authority line under its title ("Thủ tướng Chính phủ") when there is no letterhead."""
    lines = h.letterhead or []
    place = None
    ubnd = False
    for i, line in enumerate(lines):
        f = ocr_fold(line)
        if f.startswith(("uy ban nhan dan", "ubnd")):
            ubnd = True
            place = _place(line) or (_place(lines[i + 1]) if i + 1 < len(lines) else None)
        elif f.startswith(("so ", "bo ", "tong cuc", "cuc ", "ban ", "van phong", "thanh tra", "ngan hang")):
            name = _sentence_case(line)
            return f"{name} {place}" if place and f.startswith("so ") else name
    if ubnd:
        return f"UBND {place}" if place else "UBND"
    return _sentence_case(h.authority) if h.authority else None


def _title(doc: str, doc_type: str | None, number: str | None, date: str | None, issuer: str | None,
           subject: str | None, inline: bool, label: str | None = None) -> str:
    label = label or (doc_type or "văn bản").capitalize()
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
        # "Chỉ thị về …" prints its subject on the title line: it reads on without a colon.
        title = f"{title} {short}" if inline else f"{title}: {short}"
    return title if title != label else f"{label} {doc}"


def infer_plan_info(doc: str, lines: list[str], printed: list[str] | None = None) -> PlanInfo:
    h = read_header(lines)
    if printed is not None:
        # Read from a restored text, but its number and date are digits the print states as well as the
        # reading ("So: 12/CT-UBND" may be restored as "Sở:", which no longer reads as a number).
        p = read_header(printed)
        h.number, h.date = h.number or p.number, h.date or p.date
    issuer = _issuer(h)
    title = _title(doc, h.doc_type, h.number, h.date, issuer, h.subject, h.subject_inline, h.label)
    return PlanInfo(doc=doc, title=title, number=h.number, date=h.date, issuer=issuer, subject=h.subject,
                    kind="report" if h.doc_type == "báo cáo" else "plan", doc_type=h.doc_type, period=h.period)
