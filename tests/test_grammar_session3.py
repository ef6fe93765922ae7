"""Rules of the assignment grammar added when the four plans-dev documents first held out moved to development
(session 3): names that open with their work after a plural or inner head, asides after a list, planning
horizons, clauses before the subject, places asked to act, the directory's standard short forms, and the
bullet that starts a new item after a broken one. Short excerpts written for these tests (not copied from any
evaluation document)."""
import pytest

from kehoach.corpus.doc_terms import DocTerms
from kehoach.corpus.grammar import deadline_phrase, read_assignment, split_agencies
from kehoach.corpus.parser import parse
from kehoach.eval.plansdev_eval import same_agencies


@pytest.mark.parametrize("text, lead", [
    # a plural head whose name opens with its work
    ("Các Cục quản lý chuyên ngành và các Sở Y tế tổ chức kiểm tra định kỳ",
     "Các Cục quản lý chuyên ngành và các Sở Y tế"),
    # a head inside a longer name, its own name opening with its work
    ("Hội đồng thành viên các Tổng công ty xây dựng thủy lợi tiến hành rà soát bộ máy",
     "Hội đồng thành viên các Tổng công ty xây dựng thủy lợi"),
])
def test_work_names_after_plural_or_inner_heads(text, lead):
    assert read_assignment(text).lead == lead


def test_news_agency_and_border_guard_open_a_new_agency_in_a_list():
    assert split_agencies("Đài Phát thanh và Truyền hình tỉnh, Thông tấn xã Việt Nam và Báo Nhân dân") == [
        "Đài Phát thanh và Truyền hình tỉnh", "Thông tấn xã Việt Nam", "Báo Nhân dân"]
    assert split_agencies("Công an tỉnh, Bộ đội biên phòng tỉnh") == ["Công an tỉnh", "Bộ đội biên phòng tỉnh"]


def test_an_aside_after_the_list_is_no_name():
    said = read_assignment("- Phối hợp với Cục Hải quan tỉnh và các đơn vị liên quan, đặc biệt tại các cửa khẩu, "
                           "ngăn chặn buôn lậu gia cầm", in_block=True)
    assert split_agencies(said.support) == ["Cục Hải quan tỉnh", "các đơn vị liên quan"]


@pytest.mark.parametrize("text, deadline", [
    ("Lập quy hoạch vùng nguyên liệu giai đoạn đến năm 2025 và tầm nhìn đến năm 2035.", None),
    ("Điều chỉnh quy hoạch đô thị đến năm 2030, tầm nhìn đến năm 2045 cho phù hợp.", None),
    ("Hoàn thành quy hoạch trong năm 2024, định hướng đến năm 2040.", "trong năm 2024"),
    # "vào" says when, it is no part of the deadline as labels and answers print it
    ("Chuẩn bị tài liệu cho hội thảo toàn quốc tổ chức vào quý II/2025.", "quý II/2025"),
])
def test_a_planning_horizon_is_no_deadline(text, deadline):
    assert deadline_phrase(text) == deadline


@pytest.mark.parametrize("text, lead", [
    ("Trên cơ sở danh sách được duyệt, Phòng Lao động huyện lập dự toán kinh phí hỗ trợ.", "Phòng Lao động huyện"),
    ("Vì vậy, các Sở, ngành cần chủ động bố trí kinh phí thực hiện.", "các Sở, ngành"),
    ("+ Đối với các công trình chuyển tiếp; các công trình khởi công mới: Ban Quản lý dự án tỉnh hoàn thiện hồ sơ.",
     "Ban Quản lý dự án tỉnh"),
])
def test_a_clause_before_the_subject_does_not_hide_it(text, lead):
    assert read_assignment(text).lead == lead


def test_places_asked_to_act_are_their_peoples_committees():
    said = read_assignment("- Đề nghị thị xã và các xã, phường tuyên truyền cho nhân dân về chính sách.")
    assert split_agencies(said.lead) == ["Ủy ban nhân dân thị xã", "Ủy ban nhân dân các xã, phường"]
    assert read_assignment("Đề nghị các xã tổng kết các mô hình hiệu quả.").lead == "Ủy ban nhân dân các xã"


def test_standard_short_forms_are_written_out():
    assert DocTerms().expand("Các Sở GD&ĐT, Bộ KH&CN") == "Các Sở Giáo dục và Đào tạo, Bộ Khoa học và Công nghệ"
    # a short form the directory does not hold stays as printed
    assert DocTerms().expand("Sở XYZW") == "Sở XYZW"


def test_the_first_bullet_starts_an_item_again_after_a_broken_one():
    lines = [
        "1. Công tác đầu tư công",
        "- Sở Y tế rà soát danh mục dự án bệnh viện tuyến huyện năm 2025.",
        "Sở Xây dựng tổ chức kiểm tra chất lượng các công trình chuyển tiếp.",
        "+ Tăng cường kiểm tra hiện trường các công trình trọng điểm.",
        "- Sở Tài chính bố trí đủ vốn đối ứng cho các dự án của ngành y tế.",
    ]
    tasks, _ = parse("t.txt", lines)
    last = [t for t in tasks if t.text.startswith("Sở Tài chính")]
    assert len(last) == 1 and last[0].raw_lead == "Sở Tài chính" and list(last[0].lines) == [5, 5]


def test_scorer_equivalences():
    assert same_agencies(["Sở Lao động TB&XH"], ["Sở Lao động - Thương binh và Xã hội"])
    assert same_agencies(["Hải quan"], ["Lực lượng Hải quan"])
    assert not same_agencies(["Sở Tài chính"], ["Sở Lao động - Thương binh và Xã hội"])


def test_an_aside_after_the_subject_narrows_it_and_the_work_follows():
    said = read_assignment("- Các đơn vị thuộc Sở, nhất là các Phòng chuyên môn cần tăng cường kiểm tra các cơ sở")
    assert said.lead == "Các đơn vị thuộc Sở"


def test_partners_singled_out_in_an_aside_are_partners_too():
    said = read_assignment("Sở Y tế tăng cường phối hợp với các huyện, đặc biệt là với các Trạm Y tế xã mà trọng tâm "
                           "là công tác tiêm chủng")
    assert said.lead == "Sở Y tế"
    assert split_agencies(said.support) == ["các huyện", "các Trạm Y tế xã"]


def test_continuing_education_and_recurrent_spending_are_no_recurrence():
    assert deadline_phrase("Xây dựng chương trình bồi dưỡng thường xuyên cho giáo viên mầm non.") is None
    assert deadline_phrase("Bố trí dự toán chi thường xuyên cho các trường.") is None
    assert deadline_phrase("Kiểm tra thường xuyên các cơ sở giết mổ.") == "thường xuyên"


def test_village_heads_are_partners():
    said = read_assignment("- Giao Ban Chỉ đạo xã phối hợp với trưởng thôn, tổ trưởng dân phố rà soát danh sách "
                           "hộ nghèo")
    assert split_agencies(said.support) == ["trưởng thôn", "tổ trưởng dân phố"]


def test_scorer_equivalences_of_places_and_own_units():
    assert same_agencies(["các xã ven biển"], ["Ủy ban nhân dân các xã ven biển"])
    assert same_agencies(["Thanh tra Bộ"], ["Thanh tra Bộ Nội vụ"])
    assert same_agencies(["Văn phòng Sở"], ["Văn phòng Sở Y tế"])
    # a plural head is not a unit named short: "các Bộ liên quan" is no particular ministry
    assert not same_agencies(["Bộ Tài chính", "các Bộ liên quan"], ["Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"])
    assert not same_agencies(["Ủy ban nhân dân tỉnh"], ["Sở Tài chính"])


def test_an_item_that_opens_with_its_work_has_no_subject_after_a_comma():
    # the year before the comma names the object ("Chỉ số … năm 2025"), not a time clause before a subject
    text = ("- Tổng hợp, đánh giá và công bố Chỉ số cải cách năm 2025 của các bộ, cơ quan ngang bộ, "
            "Ủy ban nhân dân các tỉnh trong quý II/2026.")
    assert read_assignment(text, in_block=True).lead is None
    # a real time clause still opens the sentence
    assert read_assignment("Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo kết quả.").lead == "các phòng"


def test_a_term_of_law_holding_a_verb_stays_inside_a_name():
    a = read_assignment("Phòng Kinh tế chủ trì, phối hợp với Ban Quản lý dự án đầu tư xây dựng khu vực Tây "
                        "kiểm tra các hồ chứa.")
    assert (a.lead, a.support) == ("Phòng Kinh tế", "Ban Quản lý dự án đầu tư xây dựng khu vực Tây")
    # outside a name the verb still starts the work
    assert read_assignment("Sở Y tế quản lý dự án đầu tư xây dựng bệnh viện.").lead == "Sở Y tế"


def test_merged_provincial_press_body_is_one_agency_in_a_list():
    assert split_agencies("Sở Văn hóa và Thể thao, Báo và Phát thanh, Truyền hình Hà Tĩnh") == [
        "Sở Văn hóa và Thể thao", "Báo và Phát thanh, Truyền hình Hà Tĩnh"]


def test_a_role_in_brackets_then_the_sentence_is_no_heading():
    line = ("Phòng Nông nghiệp (cơ quan thường trực Ban Chỉ huy) chủ trì, phối hợp với Phòng Tài chính rà soát "
            "phương án ứng phó, trình Ủy ban nhân dân huyện trước ngày 15/6/2024.")
    tasks, _ = parse("tb.txt", ["THÔNG BÁO", "2. Nhiệm vụ trọng tâm", line])
    assert [(t.raw_lead, t.raw_support) for t in tasks] == [("Phòng Nông nghiệp", "Phòng Tài chính")]
    from kehoach.corpus.grammar import heading_agencies
    assert heading_agencies("2. Sở Tài chính - thường trực kế hoạch:") == "Sở Tài chính"


def test_a_branch_after_a_dash_is_one_agency_with_its_body():
    assert split_agencies("Sở Y tế, Ngân hàng Nhà nước - Chi nhánh tỉnh Gia Lai") == [
        "Sở Y tế", "Ngân hàng Nhà nước - Chi nhánh tỉnh Gia Lai"]
    assert split_agencies("Sở Tài chính - Sở Y tế") == ["Sở Tài chính", "Sở Y tế"]


@pytest.mark.parametrize("text, deadline", [
    ("Văn phòng Sở tổng hợp, báo cáo kết quả định kỳ 6 tháng, hằng năm.", "định kỳ 6 tháng, hằng năm"),
    ("Các phòng báo cáo về Sở Nội vụ định kỳ trước ngày 10 của tháng cuối quý.",
     "định kỳ trước ngày 10 của tháng cuối quý"),
])
def test_recurring_deadlines_with_two_periods_or_a_day_of_the_period(text, deadline):
    assert deadline_phrase(text) == deadline


def test_a_scope_heading_closing_with_a_request_heads_its_items():
    lines = ["CÔNG VĂN", "2. Riêng đối với Ủy ban nhân dân các tỉnh, thành phố, đề nghị:",
             "- Chỉ đạo Ủy ban nhân dân cấp xã tiếp nhận trụ sở đã bàn giao."]
    tasks, _ = parse("cv.txt", lines)
    assert [t.raw_lead for t in tasks] == ["Ủy ban nhân dân các tỉnh, thành phố"]
