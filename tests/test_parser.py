"""The structure parser on the four bundled layouts, on small made-up plans, and on random text."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach.config import bundled_corpus_dir
from kehoach.corpus.parser import parse
from kehoach.corpus.text import match_label

CORPUS = bundled_corpus_dir()
SAMPLE = Path(__file__).resolve().parents[1] / "eval" / "parser_sample.jsonl"


def _name(prefix: str) -> str:
    return next(p.name for p in sorted(CORPUS.glob("*.txt")) if p.name.startswith(prefix))


@cache
def _lines(prefix: str) -> tuple[str, ...]:
    return tuple((CORPUS / _name(prefix)).read_text(encoding="utf-8").split("\n"))


@cache
def _parsed(prefix: str):
    return parse(_name(prefix), list(_lines(prefix)))


def _task(prefix: str, first_line: int):
    tasks = [t for t in _parsed(prefix)[0] if t.lines[0] == first_line]
    assert len(tasks) == 1, f"{prefix}: no single task starts at line {first_line}"
    return tasks[0]


# ---- counts --------------------------------------------------------------------------

@pytest.mark.parametrize("prefix, count", [("000", 56), ("001", 44), ("002", 31), ("003", 43), ("004", 0)])
def test_task_counts(prefix, count):
    assert len(_parsed(prefix)[0]) == count


def test_report_is_narrative_only():
    tasks, passages = _parsed("004")
    assert tasks == []
    assert len(passages) >= 10
    assert all(60 <= len(p.text.split()) <= 250 for p in passages[1:-1])
    assert any(p.section == "I.2" and "Trung tam dir li€u tinh" in p.text for p in passages)
    assert any(p.section.startswith("III") for p in passages)


# ---- spot checks, written from reading the documents -------------------------------------
# (prefix, first line, section, lines, raw_lead, raw_support, deadline, deadline_years)
SPOT = [
    # 000: OCR, lettered items and "*" sub-items under headings
    ("000", 59, "II.1.a", [59, 68], "S& Ké hoach va Pau tu",
     "S& Cong Thuong, Ban Quan Iy KKT Dung Quat va céc KCN Quang Ngai, UBND cac huyén, thanh pho lién quan",
     "nam 2020", [2020, 2020]),
    ("000", 100, "II.1.d", [100, 108], "S6 Cong Thuong",
     "Ban Quan ly KKT Dung Quit va cac KCN Quang Ngai, S6 Ké hoach va Pau tu, S& Tai chinh, UBND céc huyén, thanh pho",
     "nam 2019, 2020", [2019, 2020]),
    ("000", 116, "II.2.a.1", [116, 124], "S& Xay dung", "S& Tai nguyén va Méi trudng", "nam 2021", [2021, 2021]),
    ("000", 126, "II.2.b", [126, 135], "S¢ Tai nguyén va Moi trudng",
     "S6 Xay dung, S& Cong Thuong, UBND céc huyén, huyén, thanh phd lién quan",
     "theo thoi gian thuc hién quy hoach tinh", None),
    ("000", 139, "II.2.b.1", [139, 150], "So Nong nghiép va Phat trién nong thon",
     "S¢ Ké hoach va Pau tu, S¢ Tai chinh, UBND céc huyén, thanh pho lién quan", "nam 2021", [2021, 2021]),
    ("000", 154, "II.2.c.1", [154, 165], "S Nong nghiép va Phat trién néng thon",
     "S& Coéng Thuong, Ban Quéan 1y KKT Dung Quét va cac KCN Quang Ngai", "nam 2019", [2019, 2019]),
    ("000", 182, "II.2.d.2", [182, 185], "S¢ Xay dung", None, "thuc hién hang nam", None),
    ("000", 210, "II.2.đ.2", [210, 219], "S& Cong Thuong", "Ban Quan 1y KKT Dung Quét va cac KCN Quang Ngai",
     "dén nam 2025", [None, 2025]),
    ("000", 267, "II.2.f.3", [267, 276], "S¢ Ké hoach va Pau tu, Ban Quan 1y KKT Dung Quat va cac KCN Quang Ngai",
     None, "thyc hién thuong xuyén, hang nam", None),
    ("000", 310, "II.2.h", [310, 311], None, None, None, None),
    ("000", 418, "II.4.d", [418, 430], "Ban Quan ly KKT Dung Quat va cac KCN Quang Ngii; UBND cac huyén, thanh phb",
     None, "thuc hién thuong xuyén, hang nam", None),
    ("000", 453, "II.5.b", [453, 469], "S¢ Lao dong - Thuong binh va Xa héi; cac t6 chuc lién quan",
     "Ban Quan 1y KKT Dung Quét va cac KCN Quang Ngai",
     "Hoan thanh xay dung chinh sach trong nam 2020; Ky hop dong dao tao ngudn nhan luc gilra cac co s giao duc "
     "nghé nghiép v6i cac doanh nghiép FDI, tip doan 16n: It nhat c6 05 hop dong dugc ky két dén nam 2025",
     [2020, 2025]),
    ("000", 484, "II.5.d", [484, 499], "S& Giao duc va Pao tao",
     "Cac co quan, to chtc lién quan theo dé xuat cta co quan chu tri", "nam 2020", [2020, 2020]),
    ("000", 540, "II.6.b", [540, 560], "S& Khoa hoc va Cong nghg", None, "Tir ndm 2020 - 2025", [2020, 2025]),
    ("000", 646, "II.8.1", [646, 650], None, None, None, None),
    # 001: OCR, labels in either order, "2)" / "2 " for g), "I1." / "11" for Roman numerals
    ("001", 62, "II.1.a", [62, 72],
     "Céc so, ban, nganh, UBND céc huyén, thi x4, thanh phd va cac td chiic ¢4 nhan lién quan", None,
     "Thuong xuyén hang nim", None),
    ("001", 74, "II.1.b", [74, 80], "S& Théng tin va Truyén théng", None,
     "Nam 2021 va nhimg ndm tiép theo", [2021, None]),
    ("001", 105, "II.1.đ", [105, 113], "Mit tran T6 quéc Viét Nam va cac doan thé chinh tri - xa hoi cac cap", None,
     "Thudng xuyén hang nam", None),
    ("001", 178, "II.2.g", [178, 183], "S¢ Tai nguyén va Mai trudng", None, "Tirnam 2021 — 2025", [2021, 2025]),
    ("001", 194, "II.3.b", [194, 200], "S& Théng tin va Truyén thong", None,
     "Theo hudng dan cia B Théng tin va Tr uyén thong va theo thuc tién", None),
    ("001", 202, "II.3.c", [202, 208], "S6 Théng tin va Truyén théng", None,
     "Nam 2022 - 2024: X4y dung quy hoach. Nim 2025 va nhitng nam tiép theo: Trién khai thuc hién", [2022, None]),
    ("001", 237, "II.3.g", [237, 243], "S¢ Cong Thuong; S& Giao théng vén tai", None,
     "Tir nam 2021 — 2030", [2021, 2030]),
    ("001", 245, "II.3.h", [245, 250], "S& Thong tin va Truyén thong", None, "Tirndm 2021 - 2030", [2021, 2030]),
    ("001", 283, "II.4.d", [283, 291], "So Khoa hoc va Céng nghé; So Ké hoach va Pau tu", None,
     "Nam 2020 — 2030", [2020, 2030]),
    ("001", 339, "II.5.c", [339, 355], "S& Gido duc va Dao tao", None,
     "Nam 2025 - 2030: 80% truomg THPT dugc té chire day thi diém; 50% truong THCS duoc t6 chirc day thi diém. "
     "Nam 2030 — 2045: trién khai dai tra cho tat ¢4 cac truong THCS, THPT", [2025, 2045]),
    ("001", 391, "II.6.a", [391, 399],
     "S& Ké hoach va Piu tu, Ban Quén 1y Khu kinh té Dung Quit va cac Khu cong nghiép Quang Ngai", None,
     "Nam 2022 — 2025", [2022, 2025]),
    ("001", 414, "II.6.d", [414, 421], "So Y té", None, "Nam 2021- 2025", [2021, 2025]),
    ("001", 506, "II.8.e", [506, 511], "Van phong UBND tinh", None, "Thudng xuyén hang nim", None),
    # 002: clean, departments of Sở Công Thương
    ("002", 23, "II.1.a", [23, 29], "Phòng KHTCTH", "các phòng, đơn vị thuộc Sở", "thường xuyên", None),
    ("002", 39, "II.2.a", [39, 42], "Phòng KHTCTH", "các phòng, đơn vị thuộc Sở", None, None),
    ("002", 44, "II.2.b", [44, 47], "các phòng thuộc Sở", None, "thường xuyên", None),
    ("002", 54, "II.2.d", [54, 58], "Phòng KHTCTH", "các phòng, đơn vị thuộc Sở", "2021-2022", [2021, 2022]),
    ("002", 66, "II.2.g", [66, 70], "Phòng KHTCTH", "các phòng, đơn vị thuộc Sở", None, None),
    ("002", 90, "II.3.c", [90, 94],
     "theo chức năng nhiệm vụ của các phòng thuộc Sở, phù hợp với yêu cầu công việc cụ thể", None,
     "thường xuyên", None),
    ("002", 102, "II.3.e", [102, 106], "Phòng QLXNK", "các phòng, đơn vị thuộc Sở", "thường xuyên", None),
    ("002", 130, "II.4.e", [130, 133], "Phòng KTATMT", "các phòng, đơn vị thuộc Sở", None, None),
    ("002", 149, "II.5.c", [149, 155], "Phòng QLNL", "BQL các dự án cấp điện nông thôn, phòng KHTCTH",
     "theo kế hoạch vốn được phân bổ", None),
    ("002", 167, "II.6.a", [167, 173], "Trung tâm KC và XTTM Quảng Ngãi", "Các phòng QLTM, KHTCTH",
     "thường xuyên", None),
    ("002", 175, "II.6.b", [175, 181], "Phòng QLCN", "các phòng, đơn vị thuộc Sở", "2021-2022", [2021, 2022]),
    ("002", 189, "II.6.d", [189, 193], "Phòng QLXNK", "các phòng, đơn vị thuộc Sở", "2021", [2021, 2021]),
    ("002", 207, "II.6.h", [207, 211], "Trung tâm Khuyến công và XTTM Quảng Ngãi", "các phòng QLNL, KHTCTH",
     "thường xuyên", None),
    # 003: the flattened appendix table
    ("003", 81, "1.1", [81, 83], "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
     "Sở Thông tin và Truyền thông, Đài Phát thanh truyền hình tỉnh", None, None),
    ("003", 85, "1.2", [85, 85], None, None, None, None),
    ("003", 89, "2.1", [89, 91], "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None, None),
    ("003", 105, "3.6", [105, 107], "BCH Quân sự tỉnh, Công An tỉnh", "Sở Khoa học và Công nghệ", None, None),
    ("003", 111, "4.1", [111, 113], "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None, None),
    ("003", 136, "4.7", [136, 138], "Ngân hàng Nhà nước Việt Nam chi nhánh tỉnh Quảng Ngãi",
     "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None),
    ("003", 142, "5.1", [142, 143], "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None, None),
    ("003", 157, "5.5", [157, 160], "Sở Giáo dục và Đào tạo", "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
     None, None),
    ("003", 190, "7", [190, 193], "Sở Kế hoạch và Đầu tư", "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
     None, None),
    ("003", 197, "8.1", [197, 199], "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None, None),
    ("003", 219, "9.2", [219, 221], "Sở Công Thương", "Các sở, ban, ngành; UBND các huyện, thị xã. thành phố",
     None, None),
    ("003", 232, "9.5", [232, 234], "Sở Ngoại vụ, Sở Kế hoạch và Đầu tư",
     "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None),
    ("003", 262, "10.6", [262, 264], "Liên đoàn Lao động Việt Nam tỉnh Quảng Ngãi",
     "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố", None, None),
]


@pytest.mark.parametrize("prefix, first, section, lines, lead, support, deadline, years", SPOT,
                         ids=[f"{s[0]}-{s[2]}" for s in SPOT])
def test_spot_checks(prefix, first, section, lines, lead, support, deadline, years):
    t = _task(prefix, first)
    assert (t.section, t.lines) == (section, lines)
    assert (t.raw_lead, t.raw_support) == (lead, support)
    assert (t.deadline, t.deadline_years) == (deadline, years)
    assert t.lead == [] and t.support == []        # resolved later, by the agency directory


def test_spot_checks_cover_every_document():
    for prefix in ("000", "001", "002", "003"):
        assert sum(s[0] == prefix for s in SPOT) >= 12


def test_stem_tasks():
    t0 = _task("000", 484)
    assert "(STEM)" in t0.text and t0.headings[-1].startswith("Chinh sach phat trién ngudn nhén lyc")
    assert t0.text.startswith("Tham muu UBND tinh") and "Co quan" not in t0.text   # labels excluded
    t1 = _task("001", 339)
    assert "gido duc STEM" in t1.text and t1.section == "II.5.c"
    t3 = _task("003", 157)
    assert "(STEM, STEAM)" in t3.text
    assert t3.headings[-1].startswith("Phát triển khoa học - công nghệ, đổi mới sáng tạo")


def test_recurring_and_inline_deadlines():
    assert _task("000", 257).recurring and _task("000", 257).deadline == "thuc hién thuong xuyén, hang nam"
    assert _task("002", 23).recurring
    assert not _task("001", 74).recurring


def test_sample_structure_matches():
    """The hand-checked sample (eval/parser_sample.jsonl): section, span and deadline of every task."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 80
    for row in rows:
        t = _task(row["doc"][:3], row["lines"][0])
        assert [t.section, t.lines, t.deadline, t.deadline_years] == \
            [row["section"], row["lines"], row["deadline"], row["deadline_years"]], row


# ---- rules -------------------------------------------------------------------------------

def test_headings_are_not_tasks():
    starts = {t.lines[0] for t in _parsed("000")[0]}
    # "a) Cong nghiép khai thac khoang san", "b) Cong nghiép ché bién thyc pham", numbered and Roman headings
    assert not starts & {55, 57, 110, 112, 137, 152, 167, 197}
    starts3 = {t.lines[0] for t in _parsed("003")[0]}
    assert not starts3 & {78, 79, 139, 140, 188, 189, 265}     # section rows and the footnote


def test_labels_stay_with_their_task():
    """No task starts or ends next to a stray label: every labelled line went to the item above it."""
    for prefix in ("000", "001", "002"):
        lines = _lines(prefix)
        for t in _parsed(prefix)[0]:
            assert match_label(lines[t.lines[0] - 1]) is None, t.section
            after = [i for i in range(t.lines[1] + 1, len(lines) + 1) if lines[i - 1].strip()][:1]
            assert not after or match_label(lines[after[0] - 1]) is None, t.section
            assert "Co quan chu tri:" not in t.text and "Chủ trì thực hiện:" not in t.text


def test_task_spans_do_not_overlap_and_passages_skip_boilerplate():
    for prefix in ("000", "001", "002", "003", "004"):
        tasks, passages = _parsed(prefix)
        spans = sorted(t.lines for t in tasks)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
        for p in passages:
            assert not any(t.lines[0] <= p.lines[0] <= t.lines[1] for t in tasks)
            assert "Noi nh" not in p.text and "Nơi nhận" not in p.text


def test_objectives_and_organisation_become_passages():
    _, passages = _parsed("000")
    sections = {p.section for p in passages}
    assert {"I", "I.2"} <= sections and any(s.startswith("III") for s in sections)
    assert all(p.headings and p.headings[0].startswith(("MUC", "TO CHUC")) for p in passages if p.section)
    _, passages3 = _parsed("003")
    assert any(p.section == "V" and "Đến năm 2030" in p.text for p in passages3)
    assert any("[1] Theo Quyết định" in p.text for p in passages3)


# ---- made-up plans: the rules hold beyond the bundled files ------------------------------

def test_numbered_item_with_labels_is_a_task():
    lines = [
        "II. NHIỆM VỤ", "1. Xây dựng đề án chuyển đổi số", "- Cơ quan chủ trì: Sở Nội vụ",
        "- Thời gian thực hiện: năm 2026", "2. Rà soát thủ tục hành chính", "- Cơ quan chủ trì: Văn phòng UBND tỉnh",
        "III. TỔ CHỨC THỰC HIỆN", "Các sở báo cáo định kỳ hằng năm.",
    ]
    tasks, passages = parse("x.txt", lines)
    # the reporting duty under "Tổ chức thực hiện" names its lead: a task too (issue 9)
    assert [(t.section, t.lines, t.raw_lead) for t in tasks] == [
        ("II.1", [2, 4], "Sở Nội vụ"), ("II.2", [5, 6], "Văn phòng UBND tỉnh"), ("III.1", [8, 8], "Các sở")]
    assert tasks[2].recurring
    assert tasks[0].deadline_years == [2026, 2026]
    assert not any(p.lines[0] <= 8 <= p.lines[1] for p in passages)   # a task, not narrative


def test_sub_numbered_items():
    lines = ["II. NHIỆM VỤ", "1. Chuyển đổi số", "1.1. Xây dựng kho dữ liệu dùng chung",
             "- Cơ quan chủ trì: Sở Khoa học và Công nghệ", "1.2. Đào tạo kỹ năng số", "a) Cho cán bộ, công chức",
             "- Cơ quan chủ trì: Sở Nội vụ"]
    tasks, _ = parse("s.txt", lines)
    assert [(t.section, t.lines, t.raw_lead) for t in tasks] == [
        ("II.1.1", [3, 4], "Sở Khoa học và Công nghệ"), ("II.1.2.a", [6, 7], "Sở Nội vụ")]
    assert tasks[1].headings == ["NHIỆM VỤ", "Chuyển đổi số", "Đào tạo kỹ năng số"]


def test_empty_deadline_label_takes_plus_lines():
    lines = [
        "II. NHIỆM VỤ", "a) Xây dựng chính sách hỗ trợ đào tạo nghề.", "- Thời gian thực hiện:",
        "+ Hoàn thành xây dựng chính sách trong năm 2020;", "+ Ký kết hợp đồng đến năm 2025.",
        "- Cơ quan chủ trì: Sở Lao động - Thương binh và Xã hội.", "b) Nhiệm vụ khác.",
        "- Cơ quan chủ trì: Sở Y tế.",
    ]
    a, b = parse("x.txt", lines)[0]
    assert a.deadline == "Hoàn thành xây dựng chính sách trong năm 2020; Ký kết hợp đồng đến năm 2025"
    assert a.deadline_years == [2020, 2025] and a.lines == [2, 6]
    assert b.raw_lead == "Sở Y tế" and b.lines == [7, 8]


def test_table_with_deadline_column():
    lines = ["PHỤ LỤC", "STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
             "1", "Chuyển đổi số", "1.1", "Xây dựng kho dữ liệu dùng chung của tỉnh.", "Sở Khoa học và Công nghệ",
             "Các sở, ban, ngành", "Năm 2026", "1.2", "Đào tạo kỹ năng số cho cán bộ.", "Sở Nội vụ"]
    tasks, _ = parse("t.txt", lines)
    assert [(t.section, t.lines, t.raw_lead, t.raw_support, t.deadline) for t in tasks] == [
        ("1.1", [10, 13], "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Năm 2026"),
        ("1.2", [15, 16], "Sở Nội vụ", None, None)]
    assert tasks[0].headings == ["PHỤ LỤC", "Chuyển đổi số"]


def test_narrative_without_labels_has_no_tasks():
    lines = ["I. KẾT QUẢ", "a) Hạ tầng số", "- Hoàn thành 1.100 km cáp quang.", "- Mạng 5G phủ sóng toàn tỉnh."]
    tasks, passages = parse("r.txt", lines)
    assert tasks == [] and len(passages) == 1 and passages[0].lines == [1, 4]


@pytest.mark.parametrize("lines", [[], [""], ["   "], ["1"], ["STT"], ["- Cơ quan chủ trì: Sở Y tế"]])
def test_degenerate_inputs(lines):
    tasks, passages = parse("e.txt", lines)
    assert all(1 <= p.lines[0] <= p.lines[1] <= max(len(lines), 1) for p in passages)
    assert tasks == []


# ---- properties --------------------------------------------------------------------------

REAL_LINES = [line for prefix in ("000", "001", "002", "003", "004") for line in _lines(prefix)]


def _check(lines: list[str]) -> None:
    tasks, passages = parse("h.txt", lines)
    n = len(lines)
    for item in [*tasks, *passages]:
        a, b = item.lines
        assert 1 <= a <= b <= n
    spans = sorted(t.lines for t in tasks)
    assert all(x[1] < y[0] for x, y in zip(spans, spans[1:]))
    for t in tasks:
        assert t.text.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(REAL_LINES), max_size=60))
def test_property_real_line_mixes(lines):
    _check(lines)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), max_size=30))
def test_property_arbitrary_text(lines):
    _check(lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "I. NHIỆM VỤ", "II1 KINH PHI", ". Kết quả", "1. Mục tiêu", "2. Yêu cầu", "a) Xây dựng", "d) Việc khác",
    "d) Lặp lại", "2) Nhiệm vụ", "2 Nhiệm vụ", "* Ý một", "- Ý hai", "+ Ý ba", "~ Ý bốn", "- Cơ quan chủ trì: Sở A",
    "- Thời gian thực hiện:", "+ năm 2020", "Cơ quan phối hợp: Sở B, Sở C và", "UBND huyện.", "STT",
    "Nội dung nhiệm vụ", "Cơ quan chủ trì", "1", "1.1", "5.5", "[1] Chú thích", "Nơi nhận:", "PHỤ LỤC", "",
    "văn bản thường",
]), max_size=40))
def test_property_structural_soup(lines):
    _check(lines)


# The assignment grammar's own shapes: agency headings, inline leads, tables by header, time clauses.
GRAMMAR_LINES = [
    "1. Sở Thông tin và Truyền thông:", "2. Bộ Quốc phòng, Bộ Công an:",
    "a) Bộ Lao động - Thương binh và Xã hội",
    "Giao Giám đốc Sở Xây dựng:", "h) Đề nghị Hội Nông dân Việt Nam",
    "4. Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng:",
    "- Vụ Khoa học Công nghệ:", "+ Phối hợp với các Viện nghiên cứu tập huấn", "- Chủ trì, phối hợp với Sở Tài chính",
    "Sở Tư pháp chủ trì, phối hợp với Sở Nội vụ xây dựng đề án trước ngày 30 tháng 12 năm 2010.",
    "Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo kết quả.", "Trước ngày 08 tháng 3 năm 2010, họp.",
    "TT", "NHIỆM VỤ", "THỜI GIAN HOÀN THÀNH", "CƠ QUAN THỰC HIỆN", "I", "", "7.", "140.", "11.12",
    "Tháng 3/2025", "Bộ Khoa học và Công nghệ", "Cuối tháng 3 năm 2010: các cơ quan hoàn thành", ":", "(", "- ",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(GRAMMAR_LINES), max_size=50))
def test_property_grammar_soup(lines):
    _check(lines)
    for t in parse("g.txt", lines)[0]:
        assert t.due is None or (t.deadline and len(t.due) == 10)
