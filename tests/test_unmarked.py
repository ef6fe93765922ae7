"""A plan typed without marks is read from its restored text, and a scan's title is restored (invented
plans, not bundled ones)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from kehoach.corpus.ocr_detect import marked_share, written_without_marks
from kehoach.corpus.pipeline import parse_document
from kehoach.corpus.printed_text import printed_text

PLAN = """UY BAN NHAN DAN TINH BINH AN
So: 12/CT-UBND
CHI THI
Ve viec day manh ung dung cong nghe thong tin trong co quan nha nuoc
De trien khai hieu qua cac nhiem vu ve chinh quyen so, Chu tich Uy ban nhan dan tinh chi thi:
1. So Thong tin va Truyen thong:
a) Chu tri, phoi hop voi So Tai chinh xay dung ke hoach nang cap trung tam du lieu, hoan thanh trong quy IV nam 2026;
b) Huong dan cac co quan, don vi trien khai chu ky so.
2. So Noi vu:
a) Chu tri, phoi hop voi So Thong tin va Truyen thong dao tao ky nang so cho can bo, cong chuc, thuc hien hang nam.
"""


def _doc(text: str, name: str = "chi-thi-khong-dau.txt"):
    lines = text.splitlines()
    return parse_document(Path(name), lines, hashlib.sha256(text.encode()).hexdigest())


def test_a_plan_typed_without_marks_gives_its_tasks_leads_and_deadlines() -> None:
    doc = _doc(PLAN)
    assert doc.ocr
    leads = [t.lead for t in doc.tasks]
    assert ["Sở Thông tin và Truyền thông"] in leads and ["Sở Nội vụ"] in leads
    # The printed words stay beside the reading: the lexical index and the doubt marks use them.
    first = next(t for t in doc.tasks if "trung tam du lieu" in t.text)
    assert first.text.startswith("Chu tri, phoi hop") and first.text_restored.startswith("Chủ trì, phối hợp")
    assert first.support == ["Sở Tài chính"]
    assert first.due == "2026-12-31"
    assert next(t for t in doc.tasks if t.lead == ["Sở Nội vụ"]).recurring
    assert doc.info.title.startswith("Chỉ thị")
    # Read from the restored text, but the number from the print too ("So:" may be restored as "Sở:").
    assert doc.info.number == "12/CT-UBND"


def test_only_a_text_with_almost_no_marks_counts_as_typed_without_marks() -> None:
    scan = ["Sé Khoa hoc va Céng nghé chii tri, phéi hgp véi cac sé, nganh lién quan trién khai",
            "nhiém vu nay trong nam 2025; dinh ky bdo cao két qua thuc hién vé Uy ban nhan dan tinh."]
    clean = ["Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành liên quan triển khai."]
    assert not written_without_marks(scan) and not written_without_marks(clean)
    assert written_without_marks(PLAN.splitlines())
    assert marked_share(clean)[0] > 0.8 and marked_share(PLAN.splitlines())[0] == 0.0


@pytest.mark.parametrize(("text", "expected"), [
    ("Chủ trì, phối hợp", "Chu tri, phoi hop"),
    ("hướng dẫn các cơ quan", "Huong dan cac co quan"),
])
def test_printed_text_maps_reading_words_to_printed_words(text: str, expected: str) -> None:
    printed = ["a) Chu tri, phoi hop", "b) Huong dan cac co quan"]
    reading = ["a) Chủ trì, phối hợp", "b) Hướng dẫn các cơ quan"]
    got = printed_text(text.replace("hướng", "Hướng"), 1, 2, printed, reading)
    assert got == expected


def test_printed_text_falls_back_to_the_whole_lines_when_words_do_not_map() -> None:
    printed = ["a) Thuc hien quy ét dinh"]   # the restorer joined "quy ét"
    reading = ["a) Thực hiện quyết định"]
    assert printed_text("Thực hiện quyết định", 1, 1, printed, reading) == "a) Thuc hien quy ét dinh"


def test_a_labelled_plan_typed_without_marks_keeps_its_tasks() -> None:
    # A hand-labelled plan of another province (eval/unseen2), every mark stripped: every labelled task
    # is still found, with its lead (before the restored reading, none of its leads was read).
    from kehoach.eval.plansdev_eval import evaluate
    root = Path(__file__).resolve().parent.parent / "eval" / "unseen2"
    res = evaluate(root / "tasks.jsonl", root / "docs", only=("cv-ubnd-phuong-hoa-khanh",), strip=True)
    assert res["tasks"] == 19
    assert res["recall"] == 1.0 and res["lead"] >= 0.9


SCAN = """UY BAN NHAN DAN TINH BINH AN
Sé: 12/KH-UBND
KÉ HOACH
Trién khai thyc hién chuyén déi sé trong co quan nha nuéc nam 2026
I. MUC DiCH, YEU CAU
1. Nang cao hiéu qua quan ly nha nuéc bang céng nghé sé, cai cach thu tuc hanh chinh.
2. Sé Néi vu chu tri dao tao ky nang sé cho can bé, céng chitc, thuc hién hang nam."""


def test_a_scans_title_is_cited_restored() -> None:
    doc = _doc(SCAN, "kh-scan.txt")
    assert doc.ocr and not written_without_marks(SCAN.splitlines())
    assert "chuyển đổi số trong cơ quan nhà nước" in doc.info.title
    assert "chuyển đổi số" in (doc.info.subject or "")


def test_a_title_from_the_users_side_file_is_kept_as_written(tmp_path) -> None:
    path = tmp_path / "kh-scan.txt"
    path.write_text(SCAN, encoding="utf-8")
    title = "KH CDS Binh An 2026"   # as the user wrote it, marks or not
    (tmp_path / "kh-scan.txt.meta.json").write_text(json.dumps({"title": title}, ensure_ascii=False), "utf-8")
    doc = parse_document(path, SCAN.splitlines(), hashlib.sha256(SCAN.encode()).hexdigest())
    assert doc.info.title == title
