"""Rules of the assignment grammar and deadlines added when `eval/unseen4` and `eval/unseen5` became development
sets (session 5). Short excerpts written for these tests (never copied from any evaluation document); each
fails without its rule."""
import pytest

from kehoach.corpus.doc_terms import read_terms
from kehoach.corpus.grammar import deadline_phrase, heading_agencies, read_assignment, split_agencies
from kehoach.corpus.parser import parse


@pytest.mark.parametrize("letterhead", [["ỦY BAN NHÂN DÂN", "XÃ ĐÔNG SƠN"], ["UBND XÃ ĐÔNG SƠN"]])
def test_a_local_unit_of_a_commune_plan_is_the_issuing_communes(letterhead):
    lines = [*letterhead, "Số: 12/KH-UBND", "KẾ HOẠCH", "Phòng chống hạn mặn vụ Hè Thu",
             "1. Công an xã:", "- Bảo vệ các trạm bơm dã chiến.",
             "2. Văn phòng HĐND và UBND xã tổng hợp kết quả, báo cáo trước ngày 30/6/2031."]
    tasks, _ = parse("kh.txt", lines)
    assert [t.raw_lead for t in tasks] == ["Công an xã Đông Sơn", "Văn phòng HĐND và UBND xã Đông Sơn"]


def test_a_local_unit_keeps_its_short_name_outside_its_communes_plan():
    # a province's department writes to every commune: "Công an xã" is each commune's, named by none
    terms = read_terms(["UBND TỈNH ĐỒNG THÁP", "SỞ Y TẾ", "Số: 40/SYT", "Kính gửi: UBND các xã"])
    assert terms.expand("Công an xã") == "Công an xã"
    # another level than the commune's own stays as printed
    terms = read_terms(["ỦY BAN NHÂN DÂN", "PHƯỜNG MỸ PHÚ", "Số: 3/KH-UBND"])
    assert terms.expand("Trạm Y tế phường") == "Trạm Y tế phường Mỹ Phú"
    assert terms.expand("Công an tỉnh") == "Công an tỉnh"


@pytest.mark.parametrize("text, lead, support", [
    ("Đài Phát thanh và Truyền hình tỉnh tăng thời lượng chuyên mục nông thôn mới.",
     "Đài Phát thanh và Truyền hình tỉnh", None),
    ("Ủy ban nhân dân xã Tân Lập khởi công cầu dân sinh qua kênh N2 trong quý III/2031.",
     "Ủy ban nhân dân xã Tân Lập", None),
    ("Phòng Kinh tế chủ trì, phối hợp với Công ty Thủy lợi khơi thông kênh mương nội đồng.",
     "Phòng Kinh tế", "Công ty Thủy lợi"),
    ("Sở Tài chính phối hợp với Sở Xây dựng thỏa thuận phương án giá thuê nhà.", "Sở Tài chính", "Sở Xây dựng"),
    ("Công ty Điện lực phối hợp với Ủy ban nhân dân các phường đầu tư lưới điện hạ thế.",
     "Công ty Điện lực", "Ủy ban nhân dân các phường"),
    # "đầu tư" inside a name stays in it: capitalised, or inside "dự án đầu tư xây dựng"
    ("Vụ Kế hoạch Đầu tư chủ trì rà soát danh mục dự án.", "Vụ Kế hoạch Đầu tư", None),
    ("Ban Quản lý dự án đầu tư xây dựng huyện phối hợp với Phòng Tài chính lập hồ sơ quyết toán.",
     "Ban Quản lý dự án đầu tư xây dựng huyện", "Phòng Tài chính"),
])
def test_more_verbs_end_an_agency_phrase(text, lead, support):
    said = read_assignment(text)
    assert (said.lead, said.support) == (lead, support)
