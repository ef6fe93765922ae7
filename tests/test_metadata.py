"""Plan metadata from the header block of any document, never from its body; the user's side file."""
from __future__ import annotations

import json

import pytest

from kehoach.corpus import metadata as md
from kehoach.corpus.header import read_header
from kehoach.corpus.metadata import MetadataError, infer_plan_info, plan_info

# Headers as ministries and provinces print them (written for these tests).
PROVINCE_PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 125/KH-UBND
Đồng Nai, ngày 12 tháng 3 năm 2024
KẾ HOẠCH
THỰC HIỆN CHUYỂN ĐỔI SỐ TỈNH ĐỒNG NAI ĐẾN NĂM 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030
Căn cứ Quyết định số 749/QĐ-TTg ngày 03 tháng 6 năm 2020 của Thủ tướng Chính phủ;
I. MỤC ĐÍCH
""".splitlines()

SO_PLAN = """UBND TỈNH BẮC NINH
SỞ TÀI CHÍNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 45/KH-STC
Bắc Ninh, ngày 05 tháng 01 năm 2023
KẾ HOẠCH
Triển khai công tác kiểm tra năm 2023
Thời gian thực hiện: từ tháng 02 đến tháng 11 năm 2023.
""".splitlines()

MINISTRY_DIRECTIVE = """BỘ TƯ PHÁP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 03/CT-BTP
Hà Nội, ngày 15 tháng 01 năm 2010
CHỈ THỊ
Về triển khai thực hiện Luật Trách nhiệm bồi thường của Nhà nước
""".splitlines()

# A directive with no header block whose body cites an older decision: the date stays unknown.
BODY_ONLY = """Chỉ thị về việc đảm bảo mỹ quan hạ tầng viễn thông trên địa bàn tỉnh
Thực hiện Quyết định số 32/2006/QĐ-UBND ngày 01 tháng 9 năm 2006 của UBND tỉnh;
Số: 12 trong văn bản dẫn chiếu không phải số của văn bản này.
""".splitlines()

DECISION = """Quyết định về việc phê duyệt chương trình phát triển nhà ở tỉnh đến năm 2010, định hướng đến năm 2020
Ủy ban nhân dân tỉnh Tiền Giang
Căn cứ Luật Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân ngày 26 tháng 11 năm 2003;
""".splitlines()


def test_province_plan_header():
    info = infer_plan_info("a.txt", PROVINCE_PLAN)
    assert (info.doc_type, info.kind, info.number, info.date) == ("kế hoạch", "plan", "125/KH-UBND", "2024-03-12")
    assert info.issuer == "UBND tỉnh Đồng Nai"
    assert info.period == "đến năm 2025, định hướng đến năm 2030"
    assert info.title.startswith("Kế hoạch số 125/KH-UBND ngày 12/03/2024 của UBND tỉnh Đồng Nai: thực hiện")


def test_department_plan_names_its_province_and_period_label():
    info = infer_plan_info("b.txt", SO_PLAN)
    assert info.issuer == "Sở Tài chính tỉnh Bắc Ninh"
    assert (info.number, info.date) == ("45/KH-STC", "2023-01-05")
    assert info.period == "từ tháng 02 đến tháng 11 năm 2023"


def test_ministry_directive():
    info = infer_plan_info("c.txt", MINISTRY_DIRECTIVE)
    assert (info.doc_type, info.issuer, info.number, info.date) == ("chỉ thị", "Bộ Tư pháp", "03/CT-BTP", "2010-01-15")


def test_body_dates_and_numbers_are_never_the_documents():
    info = infer_plan_info("d.txt", BODY_ONLY)
    assert info.doc_type == "chỉ thị" and info.date is None and info.number is None and info.issuer is None
    assert info.title.startswith("Chỉ thị về việc đảm bảo mỹ quan")


def test_decision_authority_line_and_title_period():
    info = infer_plan_info("e.txt", DECISION)
    assert info.doc_type == "quyết định" and info.issuer == "Ủy ban nhân dân tỉnh Tiền Giang" and info.date is None
    assert info.period == "đến năm 2010, định hướng đến năm 2020"


@pytest.mark.parametrize("first, doc_type, kind", [
    ("Thông báo kết luận của Phó Thủ tướng tại cuộc họp", "thông báo", "plan"),
    ("Điện: Uỷ ban nhân dân thành phố Hà Nội", "công điện", "plan"),
    ("PHỤ LỤC I", "phụ lục", "plan"),
    ("BÁO CÁO", "báo cáo", "report"),
    ("Căn cứ Luật Tổ chức chính quyền địa phương", None, "plan"),
])
def test_kinds(first, doc_type, kind):
    info = infer_plan_info("f.txt", [first, "Nội dung."])
    assert (info.doc_type, info.kind) == (doc_type, kind)


def test_appendix_label_keeps_its_numeral():
    h = read_header(["PHỤ LỤC I", "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ", "TT"])
    assert h.label == "Phụ lục I" and h.subject == "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ"


def test_period_label_repeated_under_tasks_is_not_the_plans():
    lines = ["KẾ HOẠCH", "Phát triển công nghiệp", "1. Nhiệm vụ A", "Thời gian thực hiện: năm 2021",
             "2. Nhiệm vụ B", "Thời gian thực hiện: năm 2022"]
    assert infer_plan_info("g.txt", lines).period is None


def test_side_file_overrides_fields(tmp_path):
    doc = tmp_path / "ct.txt"
    doc.write_text("\n".join(BODY_ONLY), encoding="utf-8")
    (tmp_path / "ct.txt.meta.json").write_text(json.dumps(
        {"number": "18/CT-UBND", "date": "2009-10-02", "issuer": "UBND tỉnh Đồng Nai", "ignored": 1}), encoding="utf-8")
    info = plan_info("ct.txt", BODY_ONLY, "0" * 64, path=doc)
    assert (info.number, info.date, info.issuer, info.doc_type) == ("18/CT-UBND", "2009-10-02", "UBND tỉnh Đồng Nai",
                                                                      "chỉ thị")
    assert info.title.startswith("Chỉ thị số 18/CT-UBND ngày 02/10/2009 của UBND tỉnh Đồng Nai")


def test_side_file_toml_and_errors(tmp_path):
    doc = tmp_path / "kh.docx"
    (tmp_path / "kh.docx.meta.toml").write_text('title = "Kế hoạch của tôi"\nperiod = "2025-2030"\n', encoding="utf-8")
    info = plan_info("kh.docx", ["KẾ HOẠCH", "X"], "0" * 64, path=doc)
    assert (info.title, info.period) == ("Kế hoạch của tôi", "2025-2030")
    (tmp_path / "kh.docx.meta.toml").write_text('date = "2/10/2009"\n', encoding="utf-8")
    with pytest.raises(MetadataError, match="YYYY-MM-DD"):
        plan_info("kh.docx", ["KẾ HOẠCH"], "0" * 64, path=doc)


def test_bundled_metadata_still_wins_by_hash():
    sha, entry = next(iter(md._bundled().items()))
    info = plan_info("renamed.txt", ["CHỈ THỊ", "khác"], sha)
    assert info.title == entry["title"] and info.number == entry.get("number") and info.kind == entry["kind"]
