"""Rules of the assignment grammar added when `eval/unseen2` moved to development (session 4). Short excerpts
written for these tests (never copied from any evaluation document); each fails without its rule."""
import pytest

from kehoach.corpus.doc_terms import read_terms
from kehoach.corpus.grammar import deadline_phrase, heading_agencies, read_assignment, split_agencies
from kehoach.corpus.parser import parse


def test_a_subnumbered_sentence_that_assigns_is_a_task():
    lines = ["KẾ HOẠCH", "1. Công tác phòng dịch",
             "1.1. Sở Y tế chủ trì, phối hợp với Sở Tài chính mua sắm vật tư phòng dịch trước ngày 30/6/2031.",
             "1.2. Trung tâm Kiểm soát bệnh tật tỉnh giám sát ổ dịch tại các chợ đầu mối.",
             "2. Công tác truyền thông",
             "2.1. Xây dựng tài liệu truyền thông"]
    tasks, _ = parse("kh.txt", lines)
    got = [(t.section, t.raw_lead, t.raw_support, t.due) for t in tasks]
    assert got == [("1.1", "Sở Y tế", "Sở Tài chính", "2031-06-30"),
                   ("1.2", "Trung tâm Kiểm soát bệnh tật tỉnh", None, None)]


@pytest.mark.parametrize("text, lead", [
    ("Sở Y tế ứng dụng phần mềm quản lý hồ sơ sức khỏe cho người cao tuổi.", "Sở Y tế"),
    ("Sở Xây dựng công khai danh mục các công trình chậm tiến độ.", "Sở Xây dựng"),
    ("Chủ tịch UBND các xã trực tiếp kiểm tra việc khai thác cát trái phép.", "UBND các xã"),
    ("UBND các phường không để phát sinh điểm họp chợ tự phát.", "UBND các phường"),
    ("Ban Quản lý chợ dọn dẹp khu vực bãi xe trước Tết.", "Ban Quản lý chợ"),
])
def test_more_verbs_end_the_subject(text, lead):
    assert read_assignment(text).lead == lead


def test_a_title_over_a_group_heads_a_block_and_opens_an_agency_in_a_list():
    lines = ["CÔNG VĂN", "3. Trưởng các thôn, bản:", "- Vận động các hộ nuôi nhốt gia súc.",
             "- Báo cáo số gia súc chết về Phòng Nông nghiệp."]
    tasks, _ = parse("cv.txt", lines)
    assert [t.raw_lead for t in tasks] == ["các thôn, bản", "các thôn, bản"]
    said = read_assignment("- Chủ trì, phối hợp với Phòng Y tế và Trưởng các khu phố phun thuốc diệt muỗi.",
                           in_block=True)
    assert split_agencies(said.support) == ["Phòng Y tế", "các khu phố"]


def test_a_journal_and_a_portal_are_agencies_of_a_list():
    assert split_agencies("Tạp chí Xây dựng, Báo Lao động") == ["Tạp chí Xây dựng", "Báo Lao động"]
    assert heading_agencies("5. Đài Truyền thanh huyện, Cổng thông tin điện tử huyện") == \
        "Đài Truyền thanh huyện, Cổng thông tin điện tử huyện"
    assert split_agencies("Đài Truyền thanh huyện, Cổng thông tin điện tử huyện") == [
        "Đài Truyền thanh huyện", "Cổng thông tin điện tử huyện"]


def test_a_short_name_defined_after_a_list_marker_is_written_out_once():
    terms = read_terms(["2. Phòng Tài nguyên, Đất đai và Khoáng sản (sau đây gọi là Phòng Tài nguyên)",
                        "- Kiểm tra các mỏ đá.",
                        "4. Ban Quản lý các khu công nghiệp (sau đây gọi tắt là Ban Quản lý)"])
    assert terms.expand("Phòng Tài nguyên") == "Phòng Tài nguyên, Đất đai và Khoáng sản"
    assert terms.expand("Ban Quản lý") == "Ban Quản lý các khu công nghiệp"
    # the full name printed stays as printed, its short name inside is not written out again
    assert terms.expand("Phòng Tài nguyên, Đất đai và Khoáng sản") == "Phòng Tài nguyên, Đất đai và Khoáng sản"


def test_capitalised_work_words_inside_a_name_do_not_end_it():
    said = read_assignment("Sở Y tế chủ trì cùng Công ty Cổ phần Cấp thoát nước Bình Minh, Công ty TNHH Vệ sinh "
                           "Hải Đăng kiểm tra các bể chứa.")
    assert split_agencies(said.support) == ["Công ty Cổ phần Cấp thoát nước Bình Minh", "Công ty TNHH Vệ sinh Hải Đăng"]
    said = read_assignment("Ban Pháp chế, Thanh tra và Quản lý hội viên rà soát điều lệ của các hội.")
    assert said.lead == "Ban Pháp chế, Thanh tra và Quản lý hội viên"
    # a heading run on into its item: the capitalised verb there is the work, not the name
    assert read_assignment("Liên minh Hợp tác xã tỉnh Chỉ đạo các hợp tác xã đăng ký lại.").lead == \
        "Liên minh Hợp tác xã tỉnh"


def test_a_second_work_word_after_a_comma_goes_on_the_name():
    said = read_assignment("Trung tâm Tư vấn, hỗ trợ doanh nghiệp nhỏ và vừa tỉnh chủ trì mở lớp khởi nghiệp.")
    assert said.lead == "Trung tâm Tư vấn, hỗ trợ doanh nghiệp nhỏ và vừa tỉnh"


@pytest.mark.parametrize("text, deadline", [
    ("Các trạm y tế lấy mẫu nước giếng định kỳ 03 tháng/lần.", "định kỳ 03 tháng/lần"),
    ("Phòng Nội vụ tổng hợp số liệu, báo cáo định kỳ hằng quý, trước ngày 12.", "định kỳ hằng quý, trước ngày 12"),
    ("Đài truyền thanh xã phát bản tin an toàn giao thông 02 lần/ngày.", "02 lần/ngày"),
    ("Sở Tư pháp biên soạn sổ tay hỏi đáp pháp luật; thời gian: năm 2031 - 2032.", "năm 2031 - 2032"),
])
def test_frequencies_days_of_a_period_and_a_labelled_year_range(text, deadline):
    assert deadline_phrase(text) == deadline


def test_a_frequency_recurs_and_a_year_after_it_is_no_frequency():
    from kehoach.corpus.deadlines import read_deadline
    assert read_deadline("02 buổi/tuần") == (None, True, None)
    assert read_deadline("tổ chức 02 lần năm 2031")[1] is False


def test_a_time_label_naming_its_step_is_a_deadline_label():
    lines = ["KẾ HOẠCH", "1. Quyết định công bố danh mục thủ tục hành chính",
             "Cơ quan chủ trì: Sở Tư pháp.", "Thời gian trình Ủy ban nhân dân tỉnh: tháng 9/2031."]
    tasks, _ = parse("kh.txt", lines)
    assert [(t.raw_lead, t.deadline, t.due) for t in tasks] == [("Sở Tư pháp", "tháng 9/2031", "2031-09-30")]


def test_heads_of_kinds_of_bodies_in_a_row_are_one_group():
    lines = ["CHỈ THỊ", "1. Giám đốc các sở, Thủ trưởng các ban, ngành thành phố và Chủ tịch UBND các quận:",
             "a) Rà soát phương án phòng chống bão của đơn vị."]
    tasks, _ = parse("ct.txt", lines)
    assert split_agencies(tasks[0].raw_lead) == ["Các sở, ban, ngành thành phố", "UBND các quận"]
    lead = heading_agencies("2. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ:")
    assert split_agencies(lead) == ["Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ"]
    # one title over one named body stays that body
    assert read_assignment("Giám đốc Sở Y tế, Giám đốc Sở Tài chính rà soát dự toán.").lead == \
        "Sở Y tế, Giám đốc Sở Tài chính"


def test_named_places_as_the_subject_are_their_peoples_committees():
    said = read_assignment("c) Xã Phước Sơn, xã Hòa Lợi và xã Tân Long lắp đặt bồn nước cho điểm trường.",
                           in_block=True)
    assert split_agencies(said.lead) == ["Ủy ban nhân dân xã Phước Sơn", "Ủy ban nhân dân xã Hòa Lợi",
                                         "Ủy ban nhân dân xã Tân Long"]
    said = read_assignment("- Các huyện miền núi Trà Bồng, Sơn Tây phối hợp với Sở Y tế tổ chức khám bệnh lưu động.",
                           in_block=True)
    assert (split_agencies(said.lead), said.support) == (
        ["Ủy ban nhân dân huyện Trà Bồng", "Ủy ban nhân dân huyện Sơn Tây"], "Sở Y tế")
    # a place described, not acting, names no one
    assert read_assignment("Xã Phước Sơn có 12 thôn.").lead is None
    # bodies whose name opens with a place word are not places
    assert read_assignment("Tỉnh Đoàn chủ trì tổ chức hội trại hè.").lead == "Tỉnh Đoàn"
    assert read_assignment("Huyện ủy Sơn Tịnh chỉ đạo các chi bộ.").lead == "Huyện ủy Sơn Tịnh"


def test_a_plural_group_narrowed_by_what_it_has():
    said = read_assignment("UBND các xã, thị trấn có chợ đầu mối kiểm tra nguồn gốc thịt gia cầm.")
    assert said.lead == "UBND các xã, thị trấn có chợ đầu mối"
    # one body with a duty stays the body
    assert read_assignment("Sở Công Thương có trách nhiệm kiểm tra thị trường.").lead == "Sở Công Thương"


def test_an_item_opening_with_an_agency_of_its_heading_names_its_own_lead():
    lines = ["KẾ HOẠCH", "1. Sở Y tế, Bệnh viện Đa khoa tỉnh và Mobifone Bình Định:",
             "- Mobifone Bình Định phối hợp với Bệnh viện Đa khoa tỉnh lắp đặt hệ thống đặt lịch khám.",
             "- Xây dựng quy trình khám bệnh từ xa."]
    tasks, _ = parse("kh.txt", lines)
    assert [(t.raw_lead, t.raw_support) for t in tasks] == [
        ("Mobifone Bình Định", "Bệnh viện Đa khoa tỉnh"),
        ("Sở Y tế, Bệnh viện Đa khoa tỉnh và Mobifone Bình Định", None)]


def test_a_group_short_name_defined_in_the_intro_stands_for_the_list_addressed():
    lines = ["Kính gửi: Các sở, ngành", "Để triển khai Đề án, UBND tỉnh yêu cầu các sở, ban, ngành tỉnh và Ủy ban "
             "nhân dân các huyện, thị xã (sau đây gọi chung là các đơn vị) thực hiện các nội dung sau:",
             "1. Các đơn vị", "a) Rà soát danh mục dự án chậm giải ngân."]
    terms = read_terms(lines)
    assert terms.expand("Các đơn vị") == "Các sở, ban, ngành tỉnh và Ủy ban nhân dân các huyện, thị xã"
    assert terms.expand("các đơn vị") == "các sở, ban, ngành tỉnh và Ủy ban nhân dân các huyện, thị xã"
    tasks, _ = parse("cv.txt", lines)
    assert split_agencies(tasks[0].raw_lead) == ["Các sở, ban, ngành tỉnh", "Ủy ban nhân dân các huyện, thị xã"]


def test_a_list_never_ends_on_a_dangling_or():
    said = read_assignment("Ban Quản lý rừng phòng hộ hoặc tổ chức được giao quản lý rừng tổ chức tuần tra.")
    assert said.lead == "Ban Quản lý rừng phòng hộ"
    assert split_agencies("Sở Y tế hoặc Trung tâm Y tế huyện") == ["Sở Y tế", "Trung tâm Y tế huyện"]


def test_a_second_clause_with_its_own_agency_and_work_adds_a_lead():
    said = read_assignment("Giao Sở Nội vụ thẩm định đề án vị trí việc làm; Sở Y tế hoàn thiện hồ sơ trước ngày "
                           "10/3/2031.")
    assert split_agencies(said.lead) == ["Sở Nội vụ", "Sở Y tế"]
    # a partner in the second clause, a support list cut by ";", a plural group asked along: no second lead
    assert read_assignment("Sở Nội vụ thẩm định đề án; Sở Y tế phối hợp cung cấp số liệu.").lead == "Sở Nội vụ"
    assert read_assignment("Giao Sở Xây dựng chủ trì, phối hợp các sở, ngành; các tổ chức, doanh nghiệp liên quan "
                           "theo dõi việc thực hiện.").lead == "Sở Xây dựng"
    assert read_assignment("Sở Giao thông vận tải lập quy chế phối hợp; các cơ quan thuộc Sở tổ chức thực hiện.").lead \
        == "Sở Giao thông vận tải"


def test_a_bare_head_in_the_second_clause_is_the_body_named_before():
    said = read_assignment("Khi phát hiện ổ dịch, Ủy ban nhân dân các xã báo cáo ngay về Trạm Thú y Phú Hòa; Trạm "
                           "tổng hợp, báo cáo Sở Nông nghiệp hằng tuần.")
    assert split_agencies(said.lead) == ["Ủy ban nhân dân các xã", "Trạm Thú y Phú Hòa"]


def test_a_committee_over_named_places_is_each_places_committee():
    said = read_assignment("UBND các xã biên giới Ia Mơr, Ia Púch và Ia Dom bố trí lực lượng tuần tra.")
    assert split_agencies(said.lead) == ["Ủy ban nhân dân xã Ia Mơr", "Ủy ban nhân dân xã Ia Púch",
                                         "Ủy ban nhân dân xã Ia Dom"]
    # one place keeps its printed name
    assert read_assignment("UBND huyện Ba Tơ bố trí lực lượng tuần tra.").lead == "UBND huyện Ba Tơ"


def test_a_proper_names_last_syllable_that_is_also_a_verb_stays_in_the_name():
    said = read_assignment("Sở Y tế phối hợp với Ủy ban nhân dân xã Tân Lập tổ chức khám sàng lọc.")
    assert said.support == "Ủy ban nhân dân xã Tân Lập"


def test_a_sentence_by_the_items_own_actor_named_again_goes_on_the_item():
    lines = ["CHỈ THỊ",
             "1. Ban Quản lý khai thác các công trình thủy lợi tỉnh (sau đây gọi là Ban Thủy lợi) vận hành các hồ "
             "chứa theo quy trình liên hồ.",
             "Ban Thủy lợi lập phương án xả lũ, gửi Sở Xây dựng trước ngày 15/9/2031.",
             "Sở Xây dựng kiểm tra an toàn các đập dâng trước ngày 30/9/2031."]
    tasks, _ = parse("ct.txt", lines)
    assert [(list(t.lines), t.deadline) for t in tasks] == [([2, 3], "trước ngày 15/9/2031"),
                                                            ([4, 4], "trước ngày 30/9/2031")]


def test_a_local_unit_named_by_its_level_is_the_one_the_document_names_in_full():
    lines = ["Kính gửi:", "- Công an xã Tân Phước;", "- Trạm Y tế xã.", "1. Công an xã",
             "- Tuần tra bảo vệ kho vật tư phòng chống lụt bão."]
    terms = read_terms(lines)
    assert terms.expand("Công an xã") == "Công an xã Tân Phước"
    # no full name printed, or a name broken by a line end, leaves it as printed
    assert terms.expand("Trạm Y tế xã") == "Trạm Y tế xã"
    assert read_terms(["Công an tỉnh", "Quý II"]).expand("Công an tỉnh") == "Công an tỉnh"


def test_departments_then_places_in_one_plural_list_are_two_groups():
    assert split_agencies("các sở, ngành, huyện, thị xã") == ["các sở, ngành", "huyện, thị xã"]
    assert split_agencies("Sở Y tế các tỉnh, thành phố") == ["Sở Y tế các tỉnh, thành phố"]
    assert split_agencies("các cơ quan thuộc huyện, thị xã") == ["các cơ quan thuộc huyện, thị xã"]


def test_a_period_the_work_is_completed_in_is_its_deadline():
    assert deadline_phrase("Số hóa hồ sơ địa chính, hoàn thành trong giai đoạn 2031–2032.") == \
        "trong giai đoạn 2031–2032"
    # the period of a plan the work is about stays no deadline
    assert deadline_phrase("Xây dựng kế hoạch phát triển du lịch giai đoạn 2031 - 2035.") is None


def test_a_capitalised_verb_after_an_acronym_starts_the_work():
    assert read_assignment("Sở GDĐT Tổ chức thi chọn học sinh giỏi cấp tỉnh.").lead == "Sở GDĐT"


def test_probes_of_the_new_rules_on_other_wordings():
    # places listed after a colon
    assert split_agencies(read_assignment("Các xã: Hành Thiện, Hành Đức tổ chức di dời dân.").lead) == [
        "Ủy ban nhân dân xã Hành Thiện", "Ủy ban nhân dân xã Hành Đức"]
    # a two-syllable verb capitalised after a proper name is the work
    assert read_assignment("Trung tâm Y tế huyện Minh Long Tổ chức tiêm chủng.").lead == \
        "Trung tâm Y tế huyện Minh Long"
    # a border post is an agency of a list
    said = read_assignment("UBND xã Bình Hải phối hợp với Đồn Biên phòng Bình Hải tuần tra bờ biển.")
    assert said.support == "Đồn Biên phòng Bình Hải"
