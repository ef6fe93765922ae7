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
