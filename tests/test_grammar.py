"""The assignment grammar on short excerpts of real plans of other provinces and ministries."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach.corpus.grammar import deadline_phrase, heading_agencies, read_assignment, recurs, split_agencies


@pytest.mark.parametrize("title, agencies", [
    ("1. Sở Thông tin và Truyền thông:", "Sở Thông tin và Truyền thông"),
    ("5. Bộ Quốc phòng, Bộ Công an:", "Bộ Quốc phòng, Bộ Công an"),
    ("a) Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    ("Giao Giám đốc Sở Xây dựng:", "Sở Xây dựng"),
    ("h) Đề nghị Hội Nông dân Việt Nam", "Hội Nông dân Việt Nam"),
    ("i) Trách nhiệm của chính quyền các địa phương", "chính quyền các địa phương"),
    ("1. Sở Lao động - Thương binh và Xã hội - thường trực kế hoạch:", "Sở Lao động - Thương binh và Xã hội"),
    ("2. Sở Kế hoạch & Đầu tư và Sở Tài chính:", "Sở Kế hoạch & Đầu tư và Sở Tài chính"),
    ("4. Vụ Phổ biến, giáo dục pháp luật", "Vụ Phổ biến, giáo dục pháp luật"),
    ("- Cục Quản lý chất lượng, an toàn vệ sinh và thú y thủy sản (NAFIQAVED):",
     "Cục Quản lý chất lượng, an toàn vệ sinh và thú y thủy sản"),
    ("2. Các doanh nghiệp viễn thông và truyền hình cáp hoạt động trên địa bàn tỉnh:",
     "Các doanh nghiệp viễn thông và truyền hình cáp hoạt động trên địa bàn tỉnh"),
    # a bare list after "các Sở:" names each Sở
    ("4. Đối với các Sở: Kế hoạch và Đầu tư, Xây dựng; Uỷ ban nhân dân các huyện:",
     "Sở Kế hoạch và Đầu tư, Sở Xây dựng; Uỷ ban nhân dân các huyện"),
])
def test_agency_headings(title, agencies):
    assert heading_agencies(title) == agencies


@pytest.mark.parametrize("title", [
    "9. Tổ chức thực hiện", "II. NHIỆM VỤ VÀ GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN", "- Thành phố Mỹ Tho:",
    "2. Các nhiệm vụ cụ thể:", "3. Sở Xây dựng có trách nhiệm hướng dẫn các huyện kiểm tra.", "", ":",
])
def test_not_agency_headings(title):
    assert heading_agencies(title) is None


@pytest.mark.parametrize("text, in_block, lead, support", [
    ("Sở Tư pháp chủ trì, phối hợp với Sở Tài chính, Sở Nội vụ xây dựng đề án", False,
     "Sở Tư pháp", "Sở Tài chính, Sở Nội vụ"),
    ("- Vụ Kế hoạch Đầu tư chủ trì tổng hợp báo cáo", False, "Vụ Kế hoạch Đầu tư", None),
    ("Bộ Tài nguyên và Môi trường chủ trì, phối hợp với các Bộ, ngành liên quan xây dựng cơ chế", False,
     "Bộ Tài nguyên và Môi trường", "các Bộ, ngành liên quan"),
    ("3. Sở Xây dựng có trách nhiệm hướng dẫn, phối hợp cùng các sở, ban, ngành kiểm tra", False,
     "Sở Xây dựng", "các sở, ban, ngành"),
    ("Giao Sở Kế hoạch và Đầu tư chủ trì, phối hợp các sở, ban, ngành theo dõi", False,
     "Sở Kế hoạch và Đầu tư", "các sở, ban, ngành"),
    ("Định kỳ trước ngày 15/12 hằng năm, các phòng báo cáo kết quả", False, "các phòng", None),
    ("Cuối tháng 3 năm 2010: các cơ quan liên quan hoàn thành việc rà soát", False, "các cơ quan liên quan", None),
    ("Bộ Giáo dục và Đào tạo chủ trì soạn thảo", False, "Bộ Giáo dục và Đào tạo", None),
    ("Vụ trưởng Vụ Pháp chế chủ trì tổng kết", False, "Vụ Pháp chế", None),
    # inside an agency block the heading leads; the item names only its support
    ("a) Chủ trì phối hợp với Sở Xây dựng, Sở Giao thông Vận tải dự thảo quy định", True,
     None, "Sở Xây dựng, Sở Giao thông Vận tải"),
    ("- Phối hợp chặt chẽ với lực lượng Thanh tra giao thông, Công an kiểm tra", True,
     None, "Thanh tra giao thông, Công an"),
    ("- Chủ trì cùng các ngành liên quan, kiểm tra, xử lý vi phạm", True, None, "các ngành liên quan"),
    ("b) Uỷ ban nhân dân các huyện, thị xã Long Khánh quản lý chặt chẽ", True,
     "Uỷ ban nhân dân các huyện, thị xã Long Khánh", None),
    ("Các địa phương cần chủ động bố trí", True, None, None),      # a generic subject keeps the heading's lead
    # verbs that look like heads
    ("b) Bố trí kinh phí cho công tác bồi thường", True, None, None),
    ("Báo cáo tiến độ về Sở Thông tin và Truyền thông", True, None, None),
    ("Tham mưu cho UBND tỉnh ban hành quy định", False, None, None),
])
def test_inline_assignments(text, in_block, lead, support):
    said = read_assignment(text, in_block=in_block)
    assert (said.lead, said.support) == (lead, support)


@pytest.mark.parametrize("text, phrase", [
    ("hoàn thành việc giao dự toán trước ngày 27 tháng 02 năm 2010.", "trước ngày 27 tháng 02 năm 2010"),
    ("Ban hành văn bản trong tháng 3 năm 2010.", "trong tháng 3 năm 2010"),
    ("Xây dựng kế hoạch đến năm 2015 và báo cáo trong quý IV năm 2009;", "trong quý IV năm 2009"),
    ("Tổ chức tổng kết hết năm 2010", "hết năm 2010"),
    ("Báo cáo theo định kỳ 06 tháng một lần (tháng 01 và tháng 6 hàng năm) để tổng hợp",
     "định kỳ 06 tháng một lần (tháng 01 và tháng 6 hàng năm)"),
    ("Định kỳ đánh giá mức độ ô nhiễm môi trường", "Định kỳ"),
    ("theo Quyết định số 36/2016/QĐ-UBND ngày 29/7/2016 của UBND tỉnh", None),
    ("đảm bảo quy định kỹ thuật chuyên ngành", None),
    ("Rà soát thủ tục hành chính", None),
])
def test_deadline_phrases(text, phrase):
    assert deadline_phrase(text) == phrase


def test_recurring_duty_with_a_dated_deadline():
    text = "định kỳ 6 tháng báo cáo kết quả; hết năm 2010, tổ chức tổng kết"
    assert deadline_phrase(text) == "hết năm 2010" and recurs(text)


@pytest.mark.parametrize("raw, names", [
    ("Sở Xây dựng, Sở Giao thông Vận tải và các ngành, đơn vị liên quan",
     ["Sở Xây dựng", "Sở Giao thông Vận tải", "các ngành, đơn vị liên quan"]),
    ("Các sở, ban, ngành và địa phương", ["Các sở, ban, ngành và địa phương"]),
    ("Bộ Lao động - Thương binh và Xã hội", ["Bộ Lao động - Thương binh và Xã hội"]),
    ("Thanh tra giao thông, Công an, Cảnh sát giao thông", ["Thanh tra giao thông", "Công an", "Cảnh sát giao thông"]),
    ("Sở Khoa học và Công nghệ, Chủ tịch Uỷ ban nhân dân các huyện",
     ["Sở Khoa học và Công nghệ", "Uỷ ban nhân dân các huyện"]),
    (None, []),
])
def test_split_agencies(raw, names):
    assert split_agencies(raw) == names


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("SởBộTàichínhVụphốợpvớủtrìGaođ,;:.-()/0123456789 ")), max_size=80),
       st.booleans())
def test_grammar_never_raises(text, in_block):
    said = read_assignment(text, in_block=in_block)
    for value in (said.lead, said.support, said.deadline):
        assert value is None or value.strip()
    heading_agencies(text)
    split_agencies(text)


def test_agency_colon_then_its_work():
    said = read_assignment("- Sở Y tế: chủ trì, phối hợp với Sở Công Thương kiểm tra an toàn thực phẩm")
    assert (said.lead, said.support) == ("Sở Y tế", "Sở Công Thương")
    assert read_assignment("- Sở Y tế:").lead is None
