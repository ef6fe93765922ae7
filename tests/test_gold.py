"""The gold question sets (eval/dev.jsonl, eval/heldout.jsonl) are well formed and true to the corpus.

Every number the evaluation reports rests on these files, so a quote that drifts
off its line, an agency spelled off-list or a deadline that is not in the plan
must fail here rather than silently lower (or raise) a score.
"""
from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.text import fold, strip_marks

EVAL = Path(str(resources.files("kehoach.eval")))
CORPUS = bundled_corpus_dir()
SETS = {"dev": EVAL / "dev.jsonl", "heldout": EVAL / "heldout.jsonl"}

INTENTS = {"lead", "support", "deadline", "agency_tasks", "lookup", "fact"}
TAGS = {"no_diacritics", "abbrev", "paraphrase", "cross_doc", "ocr", "clean"}
QUESTION_KEYS = {"id", "question", "intent", "answerable", "tags", "gold"}
GOLD_KEYS = {"doc", "quote", "section", "lead", "support", "deadline", "deadline_years", "recurring"}
# Bundled fixtures whose text is damaged OCR output (see the common brief).
OCR_DOCS = {"000_1a3c12a4bbd0c4a1.txt", "001_221ff7e4d995610f.txt", "004_09f7ad3c659a1bb1.txt"}

# The common brief's canonical names; used only when corpus/agencies.json is absent.
FALLBACK_AGENCIES = {
    "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương", "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ",
    "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường",
    "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ", "Văn phòng UBND tỉnh", "UBND tỉnh",
    "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi", "Cục Quản lý thị trường tỉnh",
    "Các sở, ban, ngành", "UBND các huyện, thị xã, thành phố", "UBND huyện Bình Sơn", "UBND huyện Đức Phổ",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Các tổ chức chính trị - xã hội", "Bộ Chỉ huy Quân sự tỉnh",
    "Công an tỉnh", "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Quảng Ngãi", "Liên đoàn Lao động tỉnh",
    "Đài Phát thanh và Truyền hình tỉnh", "Các cơ quan, tổ chức liên quan",
    "Các cơ sở giáo dục nghề nghiệp, đại học trên địa bàn", "Phòng Quản lý Công nghiệp (Sở Công Thương)",
    "Phòng KHTCTH (Sở Công Thương)", "Phòng QLNL (Sở Công Thương)", "Phòng QLXNK (Sở Công Thương)",
    "Phòng KTATMT (Sở Công Thương)", "Phòng QLTM (Sở Công Thương)",
    "Trung tâm Khuyến công và Xúc tiến thương mại Quảng Ngãi (Sở Công Thương)",
    "Các phòng, đơn vị thuộc Sở Công Thương", "Ban Quản lý các dự án cấp điện nông thôn",
}


def _agency_names(data) -> set[str]:
    """Canonical names from agencies.json: {"agencies": [{"name": ...}, ...]} or a plain list of names."""
    if isinstance(data, dict):
        data = data.get("agencies", [])
    return {a["name"] if isinstance(a, dict) else a for a in data}


def canonical_agencies() -> set[str]:
    path = CORPUS / "agencies.json"
    if path.is_file():
        return _agency_names(json.loads(path.read_text(encoding="utf-8")))
    return FALLBACK_AGENCIES


def load(name: str) -> list[dict]:
    rows = []
    with SETS[name].open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:  # pragma: no cover - reported as a failure
                    pytest.fail(f"{SETS[name].name}:{n}: not JSON ({e})")
    return rows


_LINES: dict[str, list[str]] = {}


def doc_lines(doc: str) -> list[str]:
    if doc not in _LINES:
        _LINES[doc] = (CORPUS / doc).read_text(encoding="utf-8").split("\n")
    return _LINES[doc]


def locate(doc: str, quote: str) -> int:
    """The one line holding `quote` exactly once; anything else is an error naming the problem."""
    lines = doc_lines(doc)
    hits = [i for i, line in enumerate(lines, 1) if quote in line]
    if len(hits) != 1:
        raise ValueError(f"quote on {len(hits)} lines of {doc}: {quote!r}")
    if lines[hits[0] - 1].count(quote) != 1:
        raise ValueError(f"quote twice on line {hits[0]} of {doc}: {quote!r}")
    return hits[0]


def has_no_marks(text: str) -> bool:
    return strip_marks(text) == text


ROWS = {name: load(name) for name in SETS}
ALL = [(name, q) for name, rows in ROWS.items() for q in rows]
GOLD = [(name, q, g) for name, q in ALL for g in q["gold"]]


def _qid(item) -> str:
    return item[1]["id"]


def _gid(item) -> str:
    return f"{item[1]['id']}:{item[2]['doc'][:3]}"


# ---- the locator itself must be able to fail ------------------------------------------

def test_locate_rejects_missing_and_repeated_quotes():
    doc = "002_35167d8e84df94df.txt"
    assert locate(doc, "Xây dựng Phương án phát triển hạ tầng điện lực và năng lượng") == 60
    with pytest.raises(ValueError, match="on 0 lines"):
        locate(doc, "sân bay quốc tế Chu Lai mở rộng")
    with pytest.raises(ValueError, match="lines"):
        locate(doc, "- Phối hợp thực hiện: các phòng, đơn vị thuộc Sở.")


def test_agency_list_reader_accepts_both_shapes():
    assert _agency_names({"agencies": [{"name": "Sở Y tế", "kind": "so"}]}) == {"Sở Y tế"}
    assert _agency_names(["Sở Y tế"]) == {"Sở Y tế"}


# ---- per question -----------------------------------------------------------------------

@pytest.mark.parametrize("item", ALL, ids=_qid)
def test_question_schema(item):
    name, q = item
    assert set(q) == QUESTION_KEYS, f"keys {sorted(set(q) ^ QUESTION_KEYS)}"
    assert re.fullmatch(("d" if name == "dev" else "h") + r"\d{3}", q["id"])
    assert isinstance(q["question"], str) and 5 <= len(q["question"].strip()) <= 200
    assert q["intent"] in INTENTS
    assert isinstance(q["answerable"], bool)
    assert isinstance(q["tags"], list) and set(q["tags"]) <= TAGS and len(set(q["tags"])) == len(q["tags"])
    assert isinstance(q["gold"], list)
    assert q["answerable"] == bool(q["gold"]), "answerable iff it has gold"


@pytest.mark.parametrize("item", ALL, ids=_qid)
def test_tags_agree_with_question_and_gold(item):
    _, q = item
    tags = set(q["tags"])
    assert ("no_diacritics" in tags) == has_no_marks(q["question"])
    docs = {g["doc"] for g in q["gold"]}
    assert ("cross_doc" in tags) == (len(docs) > 1)
    assert ("ocr" in tags) == bool(docs & OCR_DOCS)
    assert ("clean" in tags) == bool(docs - OCR_DOCS)


@pytest.mark.parametrize("item", GOLD, ids=_gid)
def test_gold_entry(item):
    _, q, g = item
    assert set(g) == GOLD_KEYS, f"keys {sorted(set(g) ^ GOLD_KEYS)}"
    assert (CORPUS / g["doc"]).is_file(), g["doc"]
    assert isinstance(g["section"], str) and g["section"]
    assert 15 <= len(g["quote"]) <= 80, len(g["quote"])
    locate(g["doc"], g["quote"])
    names = canonical_agencies()
    for field in ("lead", "support"):
        assert isinstance(g[field], list)
        off = [a for a in g[field] if a not in names]
        assert not off, f"{field} not canonical: {off}"
        assert len(set(g[field])) == len(g[field])
    assert not set(g["lead"]) & set(g["support"])
    assert isinstance(g["recurring"], bool)
    if q["intent"] == "fact":
        assert not g["lead"] and not g["support"] and g["deadline"] is None


@pytest.mark.parametrize("item", [it for it in GOLD if it[2]["deadline"] is not None], ids=_gid)
def test_deadline_is_printed_in_the_plan(item):
    _, _, g = item
    text = fold(" ".join(doc_lines(g["doc"])))
    assert fold(g["deadline"]) in text, f"deadline not in {g['doc']}: {g['deadline']!r}"


@pytest.mark.parametrize("item", GOLD, ids=_gid)
def test_deadline_years_match_the_deadline(item):
    _, _, g = item
    years = g["deadline_years"]
    if years is None:
        return
    assert g["deadline"] is not None, "years without a deadline"
    assert isinstance(years, list) and len(years) == 2 and any(y is not None for y in years)
    for y in years:
        assert y is None or (isinstance(y, int) and 1990 <= y <= 2100)
        assert y is None or str(y) in g["deadline"], f"{y} not in {g['deadline']!r}"
    if None not in years:
        assert years[0] <= years[1]


# ---- per set -----------------------------------------------------------------------------

def test_ids_and_questions_unique_across_sets():
    ids = [q["id"] for _, q in ALL]
    assert len(ids) == len(set(ids))
    seen: dict[str, str] = {}
    for _, q in ALL:
        key = fold(q["question"])
        assert key not in seen, f"{q['id']} repeats {seen[key]}"
        seen[key] = q["id"]


def test_sizes():
    dev, held = ROWS["dev"], ROWS["heldout"]
    assert len(dev) >= 100
    assert sum(not q["answerable"] for q in dev) >= 10
    assert len(held) >= 30
    assert sum(not q["answerable"] for q in held) >= 5


@pytest.mark.parametrize("name", sorted(SETS))
def test_share_without_diacritics(name):
    rows = ROWS[name]
    share = sum(has_no_marks(q["question"]) for q in rows) / len(rows)
    assert 0.20 <= share <= 0.35, f"{share:.2f}"


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_intent_and_document_is_covered(name):
    rows = ROWS[name]
    assert {q["intent"] for q in rows} == INTENTS
    docs = {p.name for p in CORPUS.glob("*.txt")}
    per_doc = {d: sum(any(g["doc"] == d for g in q["gold"]) for q in rows) for d in docs}
    least = 4 if name == "heldout" else 10
    assert min(per_doc.values()) >= least, per_doc
