"""One test per layout family, on short excerpts written like the plans of other provinces and ministries."""
import docx

from kehoach.corpus.loaders import load_lines
from kehoach.corpus.parser import parse


def _fields(tasks):
    return [(t.raw_lead, t.raw_support, t.deadline, t.due) for t in tasks]


def test_agency_headed_blocks_with_colon():
    lines = [
        "Chỉ thị về việc kiểm tra kinh doanh vật liệu xây dựng",
        "1. Sở Xây dựng:",
        "- Lập quy hoạch phát triển vật liệu xây dựng trên địa bàn.",
        "- Chủ trì, phối hợp với Sở Tài chính, Sở Nội vụ dự thảo quy định trước ngày 30/9/2010.",
        "2. Bộ Quốc phòng, Bộ Công an:",
        "Chỉ đạo các lực lượng phối hợp với lực lượng Hải quan kiểm tra.",
    ]
    tasks, _ = parse("ct.txt", lines)
    assert [t.lines for t in tasks] == [[3, 3], [4, 4], [6, 6]]
    assert _fields(tasks) == [
        ("Sở Xây dựng", None, None, None),
        ("Sở Xây dựng", "Sở Tài chính, Sở Nội vụ", "trước ngày 30/9/2010", "2010-09-30"),
        ("Bộ Quốc phòng, Bộ Công an", "Hải quan", None, None),   # "lực lượng X" is X
    ]


def test_lettered_agency_headings_and_own_line_deadline():
    lines = [
        "2. Nhiệm vụ của các Bộ, ngành",
        "a) Bộ Nội vụ",
        "Chủ trì, phối hợp với Bộ Tài chính ban hành văn bản hướng dẫn.",
        "b) Bộ Tài chính",
        "- Chủ trì, phối hợp với các cơ quan liên quan chuẩn bị phương án.",
        "Trước ngày 08 tháng 3 năm 2010, báo cáo Thủ tướng Chính phủ kết quả.",
        "- Cân đối vốn hằng năm cho Đề án.",
    ]
    tasks, _ = parse("tb.txt", lines)
    assert [t.lines for t in tasks] == [[3, 3], [5, 6], [7, 7]]
    assert [t.raw_lead for t in tasks] == ["Bộ Nội vụ", "Bộ Tài chính", "Bộ Tài chính"]
    assert tasks[1].deadline == "Trước ngày 08 tháng 3 năm 2010" and tasks[1].due == "2010-03-08"
    assert tasks[2].recurring and tasks[2].due is None


def test_agency_sub_blocks_under_an_addressee_heading():
    lines = [
        "4. Đối với các đơn vị chức năng thuộc Bộ:",
        "- Vụ Nuôi trồng thuỷ sản phối hợp với các tỉnh trọng điểm xây dựng quy trình.",
        "- Vụ Khoa học Công nghệ:",
        "+ Kết hợp với các Viện nghiên cứu xác định hình thái tôm bố mẹ.",
        "+ Phối hợp với Trung tâm Khuyến ngư Quốc gia tổ chức khảo sát.",
        "- Trung tâm Khuyến ngư Quốc gia phối hợp với các địa phương tăng cường khuyến ngư.",
    ]
    tasks, _ = parse("tb.txt", lines)
    assert [(t.lines, t.raw_lead, t.raw_support) for t in tasks] == [
        ([2, 2], "Vụ Nuôi trồng thuỷ sản", "các tỉnh trọng điểm"),
        ([4, 4], "Vụ Khoa học Công nghệ", "các Viện nghiên cứu"),
        ([5, 5], "Vụ Khoa học Công nghệ", "Trung tâm Khuyến ngư Quốc gia"),
        ([6, 6], "Trung tâm Khuyến ngư Quốc gia", "các địa phương"),
    ]


def test_inline_assignments_outside_agency_blocks():
    lines = [
        "II. Về công tác kế hoạch",
        "- Rà soát danh mục dự án năm 2010.",
        "- Vụ Kế hoạch Đầu tư chủ trì tổng hợp, báo cáo Bộ trưởng trong quý I/2010.",
        "IV. Tổ chức thực hiện",
        "1. Bộ Tài nguyên và Môi trường chủ trì, phối hợp với các Bộ, ngành liên quan tổ chức thực hiện Đề án; "
        "định kỳ hàng năm báo cáo Thủ tướng Chính phủ.",
        "2. Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp các sở, ban, ngành theo dõi việc thực hiện.",
    ]
    tasks, _ = parse("qd.txt", lines)
    # an item that names nobody, in a section without agency headings, is not a task
    assert [t.lines for t in tasks] == [[3, 3], [5, 5], [6, 6]]
    assert _fields(tasks) == [
        ("Vụ Kế hoạch Đầu tư", None, "trong quý I/2010", "2010-03-31"),
        ("Bộ Tài nguyên và Môi trường", "các Bộ, ngành liên quan", "định kỳ hàng năm", None),
        ("Sở Kế hoạch và Đầu tư", "các sở, ban, ngành", None, None),
    ]


def test_labelled_lines_are_unchanged_by_the_grammar():
    lines = ["II. NHIỆM VỤ", "1. Xây dựng đề án, Sở Tư pháp chủ trì thẩm định", "- Cơ quan chủ trì: Sở Nội vụ",
             "- Thời gian thực hiện: quý II/2025"]
    tasks, _ = parse("kh.txt", lines)
    assert _fields(tasks) == [("Sở Nội vụ", None, "quý II/2025", "2025-06-30")]


def _word_table(path, rows):
    document = docx.Document()
    document.add_paragraph("Phụ lục: DANH MỤC NHIỆM VỤ")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        if values[1] is None:                     # a section row merged across every column after TT
            table.cell(r, 0).text = values[0]
            table.cell(r, 1).merge(table.cell(r, len(values) - 1)).text = values[2]
            continue
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(path)
    return load_lines(path)


def test_word_table_read_by_header_in_any_column_order(tmp_path):
    rows = [
        ("TT", "NHIỆM VỤ", "KẾT QUẢ", "THỜI GIAN HOÀN THÀNH", "CƠ QUAN THỰC HIỆN", "TIẾN ĐỘ"),
        ("I", None, "Thể chế", "", "", ""),
        ("7.", "Rà soát chương trình hành động", "Chương trình được cập nhật", "Tháng 3/2025",
         "Bộ Khoa học và Công nghệ", "Hoàn thành"),
        ("140.", "Xây dựng luật", "", "7/2025", "Bộ Tư pháp, Bộ Công an", "Đang thực hiện"),
    ]
    lines = _word_table(tmp_path / "pl.docx", rows)
    tasks, _ = parse("pl.docx", lines)
    assert [(t.section, t.raw_lead, t.deadline, t.due) for t in tasks] == [
        ("7", "Bộ Khoa học và Công nghệ", "Tháng 3/2025", "2025-03-31"),
        ("140", "Bộ Tư pháp, Bộ Công an", "7/2025", "2025-07-31"),
    ]
    # other columns are kept by name; "tiến độ" is a result where a time column exists
    assert tasks[0].fields == {"Kết quả": "Chương trình được cập nhật", "Tiến độ": "Hoàn thành"}
    assert tasks[0].headings[-1] == "Thể chế"


def test_word_table_section_row_gives_its_horizon(tmp_path):
    rows = [
        ("TT", "Chỉ tiêu", "Đơn vị", "Cơ quan chủ trì theo dõi, đánh giá"),
        ("I", None, "Đến năm 2030", ""),
        ("1", "Tỉ lệ dịch vụ công trực tuyến", "%", "Văn phòng Chính phủ"),
        ("2", "Quy mô kinh tế số", "", "Bộ Tài chính"),
    ]
    lines = _word_table(tmp_path / "chi-tieu.docx", rows)
    tasks, _ = parse("chi-tieu.docx", lines)
    assert [(t.raw_lead, t.deadline, t.due) for t in tasks] == [
        ("Văn phòng Chính phủ", "Đến năm 2030", "2030-12-31"), ("Bộ Tài chính", "Đến năm 2030", "2030-12-31")]
    assert tasks[0].fields == {"Đơn vị": "%"}


def test_word_table_with_a_two_row_header(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    for c, value in enumerate(("STT", "Nội dung công việc", "Cơ quan thực hiện", "", "Thời gian hoàn thành")):
        table.cell(0, c).text = value
    table.cell(0, 2).merge(table.cell(0, 3))
    for c in (0, 1, 4):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(1, 2).text, table.cell(1, 3).text = "Chủ trì", "Phối hợp"
    for r, row in enumerate([("1", "Xây dựng cơ sở dữ liệu", "Sở Tư pháp", "Sở Nội vụ", "Quý II/2025"),
                             ("2", "Tập huấn cán bộ", "Sở Nội vụ", "", "Năm 2025")], start=2):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "two-rows.docx"
    document.save(path)
    tasks, _ = parse("two-rows.docx", load_lines(path))
    assert [(t.raw_lead, t.raw_support, t.deadline, t.due) for t in tasks] == [
        ("Sở Tư pháp", "Sở Nội vụ", "Quý II/2025", "2025-06-30"), ("Sở Nội vụ", None, "Năm 2025", "2025-12-31")]


def test_flattened_table_without_empty_cells_keeps_closing_columns_and_one_agency_column():
    lines = [
        "PHỤ LỤC", "STT", "Nhiệm vụ", "Cơ quan thực hiện", "Thời gian", "Sản phẩm",
        "1", "Xây dựng kho dữ liệu dùng chung", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Năm 2026",
        "Kho dữ liệu được vận hành",
        "2", "Đào tạo kỹ năng số", "Sở Nội vụ", "Quý III/2026",
    ]
    tasks, _ = parse("pl.txt", lines)
    assert [(t.raw_lead, t.raw_support, t.deadline, t.fields) for t in tasks] == [
        ("Sở Khoa học và Công nghệ; Sở Tài chính", None, "Năm 2026", {"Sản phẩm": "Kho dữ liệu được vận hành"}),
        ("Sở Nội vụ", None, "Quý III/2026", {}),
    ]
    assert tasks[0].text == "Xây dựng kho dữ liệu dùng chung"


def test_bracketed_months_of_a_period_keep_the_period():
    lines = [
        "Chỉ thị về hạ tầng viễn thông",
        "1. Các doanh nghiệp viễn thông:",
        "a) Báo cáo tiến độ về Sở theo định kỳ 06 tháng một lần (tháng 01 và tháng 6 hàng năm) để tổng hợp.",
        "b) Rà soát các tuyến cáp (thực hiện thường xuyên, hằng năm).",
    ]
    tasks, _ = parse("ct.txt", lines)
    assert [t.deadline for t in tasks] == ["định kỳ 06 tháng một lần (tháng 01 và tháng 6 hàng năm)",
                                           "thực hiện thường xuyên, hằng năm"]
    assert all(t.recurring for t in tasks)


def test_word_table_lead_opening_with_ban_is_an_agency(tmp_path):
    # The OCR reading of an opening "B" as "Đ" must not hide a clean "Ban Quản lý …" cell, or its row is
    # read by content and the support cell becomes the lead.
    rows = [
        ("STT", "Nhiệm vụ", "Kết quả", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"),
        ("1", "Kiểm đếm đất đai", "", "Sở Tài chính", "Sở Xây dựng", "Tháng 3/2026"),
        ("2", "Đầu tư hạ tầng khu tái định cư", "Khu tái định cư", "Ban Quản lý dự án đầu tư xây dựng tỉnh",
         "Sở Xây dựng; Ủy ban nhân dân phường An Lạc", "Quý III/2026"),
    ]
    tasks, _ = parse("bt.docx", _word_table(tmp_path / "bt.docx", rows))
    assert [(t.raw_lead, t.raw_support) for t in tasks][1] == (
        "Ban Quản lý dự án đầu tư xây dựng tỉnh", "Sở Xây dựng; Ủy ban nhân dân phường An Lạc")


def test_flattened_table_section_row_after_a_full_row_is_not_its_cells(tmp_path):
    # a roman section row ("II" + title) closes the row above; with sub-rows ("3.1") elsewhere, a row with
    # every cell is still a task
    rows = ["TT", "Nội dung", "Thời gian", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "I", "ĐẤT ĐAI",
            "1.", "Công khai quy hoạch sử dụng đất", "7/2026", "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã",
            "Danh mục công khai", "2.", "Bồi thường khu công nghiệp Tây", "Năm 2027", "Ủy ban nhân dân phường Tây",
            "Sở Tài chính", "Mặt bằng bàn giao", "II", "THỦ TỤC", "3.", "Thanh tra doanh nghiệp", "3.1",
            "Ban hành kế hoạch thanh tra", "Quý IV/2026", "Thanh tra thành phố", "Sở Tư pháp", "Kế hoạch"]
    path = tmp_path / "pl.txt"
    path.write_text("PHỤ LỤC\n" + "\n".join(rows) + "\n", encoding="utf-8")
    tasks, _ = parse("pl.txt", load_lines(path))
    got = [(t.section, t.raw_lead, t.raw_support, t.deadline) for t in tasks]
    assert ("2", "Ủy ban nhân dân phường Tây", "Sở Tài chính", "Năm 2027") in got
    assert ("3.1", "Thanh tra thành phố", "Sở Tư pháp", "Quý IV/2026") in got
