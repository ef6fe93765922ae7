"""The assignment grammar on phrasings of other provinces and ministries: where an agency list ends, names the
document defines for itself, deadlines that run on, tables read by their header. Short excerpts written for
these tests (not copied from any evaluation document)."""
import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.corpus.doc_terms import read_terms
from kehoach.corpus.grammar import deadline_phrase, heading_agencies, read_assignment, split_agencies
from kehoach.corpus.deadlines import read_deadline
from kehoach.corpus.loaders import load_lines
from kehoach.corpus.parser import parse


@pytest.mark.parametrize("text, lead, support", [
    # a remark in brackets does not end the list
    ("Sở Y tế chủ trì, phối hợp với Bệnh viện Đa khoa tỉnh (cơ sở đầu mối) và các sở, ngành liên quan tổ chức",
     "Sở Y tế", "Bệnh viện Đa khoa tỉnh và các sở, ngành liên quan"),
    # a name with a comma, lower or upper case after it
    ("Vụ Kế hoạch chủ trì, phối hợp với Vụ Hợp tác, phát triển nguồn nhân lực, Vụ Pháp chế tổ chức tập huấn",
     "Vụ Kế hoạch", "Vụ Hợp tác, phát triển nguồn nhân lực, Vụ Pháp chế"),
    ("Phòng Văn hóa, Khoa học và Thông tin chủ trì tổng hợp", "Phòng Văn hóa, Khoa học và Thông tin", None),
    # a level after a name is not the verb "cấp"; "đặc khu" goes on a list of places
    ("Cục Thuế cấp tỉnh, Chi cục Thuế cấp cơ sở có trách nhiệm rà soát",
     "Cục Thuế cấp tỉnh, Chi cục Thuế cấp cơ sở", None),
    ("Chủ tịch Ủy ban nhân dân các xã, phường, đặc khu chỉ đạo rà soát", "Ủy ban nhân dân các xã, phường, đặc khu",
     None),
    # "Cục quản lý …": a name that opens with its work
    ("Cục quản lý dược chủ trì kiểm tra", "Cục quản lý dược", None),
    # a joint office is one agency
    ("Văn phòng HĐND và UBND huyện tổng hợp kết quả", "Văn phòng HĐND và UBND huyện", None),
    # ", và" is one separator
    ("Sở Tài chính chủ trì, phối hợp với Sở Xây dựng, và các sở liên quan thẩm định", "Sở Tài chính",
     "Sở Xây dựng, và các sở liên quan"),
    # a condition before the subject
    ("Khi phát hiện dịch bệnh, Trạm Thú y khu vực báo cáo ngay", "Trạm Thú y khu vực", None),
])
def test_agency_list_boundaries(text, lead, support):
    said = read_assignment(text)
    assert (said.lead, said.support) == (lead, support)


@pytest.mark.parametrize("title, agencies", [
    ("3. Bộ trưởng các Bộ: Y tế, Giáo dục và Đào tạo, Công an theo chức năng được giao:",
     "Bộ Y tế, Bộ Giáo dục và Đào tạo, Bộ Công an"),
    ("2. Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT), Tổng công ty Viettel:",
     "Tập đoàn Bưu chính Viễn thông Việt Nam, Tổng công ty Viettel"),
    ("- VNPT, Tổng công ty Viettel:", "VNPT, Tổng công ty Viettel"),
    # "lập" of "công lập" is no verb
    ("4. Các đơn vị sự nghiệp công lập thuộc tỉnh:", "Các đơn vị sự nghiệp công lập thuộc tỉnh"),
    ("c) Thuế tỉnh", "Thuế tỉnh"),
    ("Các hợp tác xã nông nghiệp:", "Các hợp tác xã nông nghiệp"),
])
def test_more_agency_headings(title, agencies):
    assert heading_agencies(title) == agencies


@pytest.mark.parametrize("raw, names", [
    ("Bộ Tài chính (Kho bạc Nhà nước)", ["Bộ Tài chính", "Kho bạc Nhà nước"]),
    ("Phòng Tổ chức cán bộ (Sở Y tế)", ["Phòng Tổ chức cán bộ"]),             # the unit's parent
    ("Sở Nội vụ (cơ quan thường trực)", ["Sở Nội vụ"]),
    ("Sở Văn hóa và Thể thao, cơ quan báo chí của tỉnh", ["Sở Văn hóa và Thể thao", "cơ quan báo chí của tỉnh"]),
    ("Tập đoàn Dầu khí Việt Nam, Tập đoàn Điện lực Việt Nam", ["Tập đoàn Dầu khí Việt Nam",
                                                              "Tập đoàn Điện lực Việt Nam"]),
    ("Trung tâm Y tế, Cục quản lý dược", ["Trung tâm Y tế", "Cục quản lý dược"]),
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã"]),
])
def test_split_agencies_more(raw, names):
    assert split_agencies(raw) == names


def test_a_document_defines_its_short_names():
    terms = read_terms([
        "BỘ Y TẾ",
        "Số: 12/CT-BYT",
        "Bộ trưởng Bộ Y tế yêu cầu Cục Quản lý Khám, chữa bệnh (sau đây gọi tắt là Cục QLKCB), Bảo hiểm xã hội "
        "Việt Nam (BHXHVN) và Tổ chức Y tế Thế giới (WHO) phối hợp",
        "phối hợp với Ban Chỉ đạo quốc gia (sau đây gọi là Ban Chỉ đạo) triển khai",
    ])
    assert terms.ministry == "Bộ Y tế"
    assert terms.abbreviations["Cục QLKCB"] == "Cục Quản lý Khám, chữa bệnh"
    assert terms.abbreviations["BHXHVN"] == "Bảo hiểm xã hội Việt Nam"
    assert "WHO" not in terms.abbreviations          # neither its initials nor a list item opened by a head
    assert terms.expand("Cục QLKCB, các đơn vị thuộc Bộ") == "Cục Quản lý Khám, chữa bệnh, các đơn vị thuộc Bộ Y tế"
    assert terms.expand("Các bệnh viện trực thuộc Bộ") == "Các bệnh viện trực thuộc Bộ Y tế"
    # "thuộc Bộ, cơ quan ngang Bộ" speaks of every ministry, not the issuer
    assert terms.expand("tổ chức pháp chế thuộc Bộ, cơ quan ngang Bộ") == "tổ chức pháp chế thuộc Bộ, cơ quan ngang Bộ"


def test_no_ministry_from_a_citation():
    assert read_terms(["THỦ TƯỚNG CHÍNH PHỦ", "Xét đề nghị của Bộ trưởng Bộ Xây dựng,"]).ministry is None
    assert read_terms(["Bộ trưởng Bộ Tư pháp chỉ thị:"]).ministry == "Bộ Tư pháp"


@pytest.mark.parametrize("text, phrase, due", [
    ("Ra quân từ ngày 01/4/2026 đến hết ngày 30/4/2026.", "từ ngày 01/4/2026 đến hết ngày 30/4/2026", "2026-04-30"),
    ("tiêm phòng đợt 1 trong tháng 3/2026 và đợt 2 trong tháng 9/2026.",
     "trong tháng 3/2026 và đợt 2 trong tháng 9/2026", "2026-09-30"),
    ("Cập nhật dữ liệu hằng tuần.", "hằng tuần", None),
    ("Phát thanh hằng ngày.", "hằng ngày", None),
    ("Định kỳ thứ Hai hằng tuần báo cáo Sở.", "Định kỳ thứ Hai hằng tuần", None),
    ("Kiểm tra định kỳ 02 lần/tháng.", "định kỳ 02 lần/tháng", None),
    ("báo cáo trước ngày 15/10 hằng năm.", "trước ngày 15/10 hằng năm", None),
    ("hoàn thành trước ngày 30-6-2026.", "trước ngày 30-6-2026", "2026-06-30"),
    ("hoàn thành đến ngày 31.12.2026.", "đến ngày 31.12.2026", "2026-12-31"),
    ("tổ chức trong tháng 11, 12/2026.", "trong tháng 11, 12/2026", "2026-12-31"),
    ("Quý I, II/2026", "Quý I, II/2026", "2026-06-30"),
    ("vốn 1.250.000 đồng mỗi hộ", None, None),
    # a bare year closing the work is its deadline; the year of the object is not
    ("Xây dựng phương án vay vốn, trình Thủ tướng Chính phủ năm 2026.", "năm 2026", "2026-12-31"),
    ("Sở Tài chính thẩm định, trình Ủy ban nhân dân tỉnh bố trí kinh phí năm 2026.", None, None),
    ("Ban hành Kế hoạch năm 2026.", None, None),
    # two duties with their own dates are not one run
    ("Hoàn thành trước ngày 30/6/2026 và gửi báo cáo tổng hợp kết quả về Sở Tài chính trước ngày 15/7/2026",
     "trước ngày 30/6/2026", "2026-06-30"),
])
def test_deadlines_that_run_on(text, phrase, due):
    assert deadline_phrase(text) == phrase
    assert read_deadline(phrase)[2] == due


def _tasks(lines):
    return [(t.raw_lead, t.raw_support, t.deadline) for t in parse("x.txt", lines)[0]]


def test_flat_table_with_the_lead_before_the_task():
    lines = ["PHỤ LỤC", "STT", "Cơ quan chủ trì", "Nhiệm vụ", "Cơ quan phối hợp", "Thời hạn",
             "I", "THỂ CHẾ",
             "1", "Sở Tư pháp", "Rà soát văn bản quy phạm pháp luật", "Sở Nội vụ", "Quý II/2026",
             "2", "Sở Nội vụ", "Xây dựng quy chế làm việc", "Văn phòng Ủy ban nhân dân tỉnh", "Tháng 6/2026"]
    tasks, _ = parse("pl.txt", lines)
    assert [(t.text, t.raw_lead, t.raw_support, t.deadline, t.headings[-1]) for t in tasks] == [
        ("Rà soát văn bản quy phạm pháp luật", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2026", "THỂ CHẾ"),
        ("Xây dựng quy chế làm việc", "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh", "Tháng 6/2026", "THỂ CHẾ"),
    ]


def test_flat_table_under_a_two_row_header_whose_empty_cells_were_dropped():
    lines = ["TT", "Nội dung", "Cơ quan thực hiện", "Thời gian", "Chủ trì", "Phối hợp",
             "1", "Truyền thông nguy cơ", "Vụ Truyền thông và Thi đua, khen thưởng", "Cục Y tế dự phòng",
             "Thường xuyên",
             "2", "Chuẩn bị giường bệnh", "Cục Quản lý Khám, chữa bệnh", "Các bệnh viện trực thuộc Bộ",
             "Trước 15/6/2023"]
    assert _tasks(lines) == [
        ("Vụ Truyền thông và Thi đua, khen thưởng", "Cục Y tế dự phòng", "Thường xuyên"),
        ("Cục Quản lý Khám, chữa bệnh", "Các bệnh viện trực thuộc Bộ", "Trước 15/6/2023"),
    ]


def test_flat_table_row_with_every_cell_read_by_header_but_a_short_row_by_content():
    lines = ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Sản phẩm",
             "1", "Tổ chức hội nghị", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2026", "Hội nghị",
             "2", "Kết nối dữ liệu đất đai", "Sở Nông nghiệp và Môi trường", "Năm 2026", "Dữ liệu được kết nối"]
    tasks, _ = parse("pl.txt", lines)
    assert [(t.raw_lead, t.raw_support, t.deadline, t.fields) for t in tasks] == [
        ("Sở Tư pháp", "Sở Nội vụ", "Quý II/2026", {"Sản phẩm": "Hội nghị"}),
        ("Sở Nông nghiệp và Môi trường", None, "Năm 2026", {"Sản phẩm": "Dữ liệu được kết nối"}),
    ]


def test_word_table_with_lettered_section_rows(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=5)
    for c, value in enumerate(("TT", "Nội dung công việc", "Sản phẩm", "Đơn vị chủ trì", "Thời gian hoàn thành")):
        table.rows[0].cells[c].text = value
    for row in [("A", "THỂ CHẾ"), ("1", "Xây dựng thông tư", "Thông tư", "Cục Quản lý đất đai", "Quý III/2026"),
                ("B", "DỮ LIỆU"), ("2", "Số hóa hồ sơ", "Dữ liệu số", "Cục Địa chất", "Năm 2026")]:
        cells = table.add_row().cells
        cells[0].text = row[0]
        if len(row) == 2:
            cells[1].merge(cells[4]).text = row[1]
        else:
            for c, value in enumerate(row):
                cells[c].text = value
    path = tmp_path / "pl.docx"
    document.save(path)
    tasks, _ = parse("pl.docx", load_lines(path))
    assert [(t.raw_lead, t.deadline, t.headings[-1], t.fields) for t in tasks] == [
        ("Cục Quản lý đất đai", "Quý III/2026", "THỂ CHẾ", {"Sản phẩm": "Thông tư"}),
        ("Cục Địa chất", "Năm 2026", "DỮ LIỆU", {"Sản phẩm": "Dữ liệu số"}),
    ]


def test_unnumbered_agency_heading_and_a_deadline_line_under_a_block():
    lines = [
        "THÔNG BÁO KẾT LUẬN",
        "Giao Công an xã chủ trì, phối hợp với Ban Chỉ huy Quân sự xã tuần tra ban đêm.",
        "Các thôn, tổ dân phố:",
        "- Họp dân phổ biến nội dung Thông báo.",
        "- Báo cáo kết quả về Ủy ban nhân dân xã.",
        "Thời hạn: trong tháng 5/2026.",
    ]
    assert _tasks(lines) == [
        ("Công an xã", "Ban Chỉ huy Quân sự xã", None),
        ("Các thôn, tổ dân phố", None, None),
        ("Các thôn, tổ dân phố", None, "trong tháng 5/2026"),
    ]


def test_colon_item_is_due_at_its_last_dated_sub_item():
    lines = ["KẾ HOẠCH", "1. Trung tâm Kiểm soát bệnh tật:", "- Giám sát ca bệnh tại cộng đồng:",
             "+ Đợt 1: trong quý I/2026;", "+ Đợt 2: trong quý III/2026."]
    tasks, _ = parse("kh.txt", lines)
    assert [(t.lines, t.deadline, t.due) for t in tasks] == [([3, 5], "trong quý III/2026", "2026-09-30")]


def test_letterhead_is_not_a_task_and_short_names_are_written_out():
    lines = ["ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH", "Số: 15/KH-UBND",
             "KẾ HOẠCH",
             "Giao Trung tâm Phục vụ hành chính công tỉnh (sau đây gọi là Trung tâm PVHCC) rà soát quy trình.",
             "Trung tâm PVHCC có trách nhiệm công khai kết quả, báo cáo trước ngày 30/6/2026."]
    assert _tasks(lines) == [
        ("Trung tâm Phục vụ hành chính công tỉnh", None, None),
        ("Trung tâm Phục vụ hành chính công tỉnh", None, "trước ngày 30/6/2026"),
    ]


_PIECES = ["Sở Tài chính", "(sau đây gọi là STC)", "STC", "chủ trì", "phối hợp với", ", ", " và ", "Phòng Kinh tế",
           "Hạ tầng", ":", "- ", "1", "I", "TT", "Cơ quan chủ trì", "Nhiệm vụ", "trước ngày 30/6/2026", "đến hết",
           "Văn phòng HĐND và UBND", "các xã, phường", "(Sở Y tế)", "thuộc Bộ", "BỘ NỘI VỤ", "Thời hạn:"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join), min_size=1, max_size=14))
def test_parse_never_raises_and_spans_stay_inside(lines):
    tasks, passages = parse("x.txt", lines)
    for t in tasks:
        assert 1 <= t.lines[0] <= t.lines[1] <= len(lines)
        for raw in (t.raw_lead, t.raw_support):
            assert raw is None or raw.strip()
    read_terms(lines)


def test_closing_clauses_and_meetings_are_not_tasks():
    lines = [
        "Ngày 04 tháng 5 năm 2026, Chủ tịch Ủy ban nhân dân xã chủ trì cuộc họp về phòng chống thiên tai.",
        "1. Công an xã có trách nhiệm tuần tra bảo đảm an ninh trật tự trong mùa mưa bão.",
        "2. Đề nghị các Sở: Tài chính, Y tế",
        "a) Sở Tài chính bố trí kinh phí.",
        "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Sở Nội vụ.",
        "Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        "Ủy ban nhân dân xã thông báo để các cơ quan, đơn vị biết, thực hiện./.",
    ]
    tasks, _ = parse("tb.txt", lines)
    assert [(t.lines, t.raw_lead) for t in tasks] == [([2, 2], "Công an xã"), ([4, 4], "Sở Tài chính")]


def test_table_header_words_of_other_drafters(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    rows = [("STT", "Hoạt động", "Trách nhiệm thực hiện", "Đơn vị phối hợp", "Hạn hoàn thành"),
            ("1", "Tập huấn cán bộ", "Sở Nội vụ", "Sở Tư pháp", "Quý III/2026"),
            ("2", "Kiểm tra thực hiện", "Thanh tra tỉnh", "", "Tháng 11/2026")]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "pl.docx"
    document.save(path)
    tasks, _ = parse("pl.docx", load_lines(path))
    assert [(t.text, t.raw_lead, t.raw_support, t.deadline) for t in tasks] == [
        ("Tập huấn cán bộ", "Sở Nội vụ", "Sở Tư pháp", "Quý III/2026"),
        ("Kiểm tra thực hiện", "Thanh tra tỉnh", None, "Tháng 11/2026")]


@pytest.mark.parametrize("text, lead, support, deadline", [
    ("Rà soát mạng lưới cơ sở y tế (Sở Y tế chủ trì, Sở Nội vụ phối hợp; hoàn thành trong quý III/2026).",
     "Sở Y tế", "Sở Nội vụ", "trong quý III/2026"),
    ("Đào tạo nhân lực y tế: Sở Y tế chủ trì; Sở Nội vụ, Sở Tài chính phối hợp.", "Sở Y tế",
     "Sở Nội vụ, Sở Tài chính", None),
    ("Nâng cấp trạm y tế. Cơ quan chủ trì: Sở Y tế; cơ quan phối hợp: Sở Tài chính; thời gian: năm 2026.",
     "Sở Y tế", "Sở Tài chính", "năm 2026"),
])
def test_roles_written_after_the_work(text, lead, support, deadline):
    said = read_assignment(text)
    assert (said.lead, said.support, said.deadline) == (lead, support, deadline)
