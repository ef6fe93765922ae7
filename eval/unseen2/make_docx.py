"""Builds docs/qd-ubnd-gia-lai-phat-tien-du-lich-cong-dong-2026-2030.docx (held-out: never tune on it).

Run with the project venv: python eval/unseen2/make_docx.py. The text is the document; the script only lays it out.
"""
import os
import sys

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "docs", "qd-ubnd-gia-lai-phat-trien-du-lich-cong-dong-2026-2030.docx")

BEFORE = [
    "ỦY BAN NHÂN DÂN TỈNH GIA LAI",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 2315/QĐ-UBND",
    "Gia Lai, ngày 15 tháng 10 năm 2026",
    "QUYẾT ĐỊNH",
    "Ban hành Kế hoạch phát triển du lịch cộng đồng tỉnh Gia Lai giai đoạn 2026 - 2030",
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH GIA LAI",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Luật Du lịch ngày 19 tháng 6 năm 2017;",
    "Căn cứ Nghị quyết số 36/NQ-HĐND ngày 10 tháng 7 năm 2026 của Hội đồng nhân dân tỉnh về phát triển du lịch trở thành ngành kinh tế mũi nhọn;",
    "Theo đề nghị của Giám đốc Sở Văn hóa, Thể thao và Du lịch tại Tờ trình số 187/TTr-SVHTTDL ngày 30 tháng 9 năm 2026.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển du lịch cộng đồng tỉnh Gia Lai giai đoạn 2026 - 2030.",
    "Điều 2. Tổ chức thực hiện",
    "1. Sở Văn hóa, Thể thao và Du lịch là cơ quan thường trực, chủ trì, phối hợp với các sở, ngành, địa phương triển khai Kế hoạch; hướng dẫn, kiểm tra, đôn đốc việc thực hiện.",
    "2. Sở Tài chính tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện Kế hoạch trong dự toán của các cơ quan, đơn vị theo khả năng cân đối ngân sách; lồng ghép nguồn vốn các chương trình mục tiêu quốc gia.",
    "3. Các sở, ngành được giao chủ trì nhiệm vụ tại Phụ lục kèm theo xây dựng kế hoạch chi tiết của cơ quan mình, gửi Sở Văn hóa, Thể thao và Du lịch trước ngày 15/11/2026.",
    "4. Ủy ban nhân dân các xã, phường có điểm du lịch cộng đồng bảo đảm an ninh trật tự, vệ sinh môi trường tại các điểm du lịch; định kỳ 6 tháng (trước ngày 10/6 và 10/12) báo cáo kết quả về Sở Văn hóa, Thể thao và Du lịch.",
    "Điều 3. Quyết định này có hiệu lực từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Thủ trưởng các ban, ngành tỉnh, Chủ tịch Ủy ban nhân dân các xã, phường và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    "Nơi nhận:",
    "- Như Điều 3;",
    "- Bộ Văn hóa, Thể thao và Du lịch;",
    "- TT. Tỉnh ủy, TT. HĐND tỉnh;",
    "- Lưu: VT, KGVX.",
    "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "Nguyễn Thị Thanh Lịch",
    "KẾ HOẠCH",
    "Phát triển du lịch cộng đồng tỉnh Gia Lai giai đoạn 2026 - 2030",
    "(Ban hành kèm theo Quyết định số 2315/QĐ-UBND ngày 15/10/2026 của Chủ tịch Ủy ban nhân dân tỉnh)",
    "I. MỤC TIÊU",
    "Đến năm 2030, toàn tỉnh có ít nhất 45 điểm du lịch cộng đồng đạt tiêu chuẩn, thu hút 1,2 triệu lượt khách; 60% số hộ tham gia làm du lịch cộng đồng có thu nhập tăng trên 30% so với năm 2025.",
    "Bảo tồn, phát huy giá trị văn hóa cồng chiêng, nhà rông, nghề dệt thổ cẩm của đồng bào Bahnar, Jrai; gắn phát triển du lịch với giảm nghèo bền vững ở vùng đồng bào dân tộc thiểu số.",
    "II. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN",
    "Chi tiết tại Phụ lục kèm theo Kế hoạch này.",
    "PHỤ LỤC",
    "NHIỆM VỤ PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG GIAI ĐOẠN 2026 - 2030",
    "(Kèm theo Kế hoạch ban hành tại Quyết định số 2315/QĐ-UBND ngày 15/10/2026 của Chủ tịch Ủy ban nhân dân tỉnh)",
]

HEADER = ["STT", "Thời gian hoàn thành", "Cơ quan chủ trì", "Nội dung nhiệm vụ", "Cơ quan phối hợp", "Sản phẩm"]

# ("I", title) = merged section row; otherwise six cells; "\n" inside a cell = two paragraphs
ROWS = [
    ("I", "HOÀN THIỆN CƠ CHẾ, CHÍNH SÁCH VÀ TIÊU CHÍ"),
    ["1", "Quý II/2026", "Sở Văn hóa, Thể thao và Du lịch",
     "Rà soát, đánh giá thực trạng 32 điểm du lịch cộng đồng hiện có; đề xuất danh mục điểm ưu tiên đầu tư giai đoạn 2026 - 2030",
     "Sở Nông nghiệp và Môi trường; UBND các xã, phường có điểm du lịch cộng đồng", "Báo cáo đánh giá; danh mục điểm ưu tiên"],
    ["2", "Năm 2026", "Sở Văn hóa, Thể thao và Du lịch",
     "Xây dựng, trình Hội đồng nhân dân tỉnh ban hành Nghị quyết quy định chính sách hỗ trợ phát triển du lịch cộng đồng",
     "Sở Tài chính, Sở Tư pháp", "Nghị quyết của HĐND tỉnh"],
    ["3", "", "", "Xây dựng tiêu chí và thương hiệu du lịch cộng đồng", "", ""],
    ["3.1", "Trước 30/9/2026", "Sở Văn hóa, Thể thao và Du lịch",
     "Ban hành Bộ tiêu chí đánh giá chất lượng dịch vụ lưu trú tại nhà dân (homestay) trên địa bàn tỉnh",
     "Sở Khoa học và Công nghệ", "Quyết định của UBND tỉnh"],
    ["3.2", "Quý I/2027", "Sở Khoa học và Công nghệ",
     "Xây dựng, đăng ký bảo hộ nhãn hiệu chứng nhận \"Du lịch cộng đồng Gia Lai\"",
     "Sở Văn hóa, Thể thao và Du lịch; Hiệp hội Du lịch tỉnh", "Giấy chứng nhận đăng ký nhãn hiệu"],
    ("II", "ĐẦU TƯ HẠ TẦNG VÀ PHÁT TRIỂN SẢN PHẨM"),
    ["4", "2026 - 2028", "Sở Xây dựng",
     "Đầu tư, nâng cấp đường giao thông đến các làng du lịch cộng đồng Kon Chư Răng, Đê Tar, Plei Ơi",
     "Sở Tài chính; UBND các xã Sơn Lang, Kông Bơ La, Ia Le", "Các tuyến đường được nâng cấp"],
    ["5", "Hằng năm", "UBND các xã, phường có điểm du lịch cộng đồng",
     "Hỗ trợ hộ gia đình cải tạo nhà ở truyền thống thành cơ sở lưu trú homestay theo chính sách của tỉnh",
     "Sở Văn hóa, Thể thao và Du lịch; Ngân hàng Chính sách xã hội chi nhánh tỉnh Gia Lai", "Số cơ sở homestay được hỗ trợ"],
    ["6", "Quý IV/2026", "Sở Văn hóa, Thể thao và Du lịch; Sở Công Thương",
     "Xây dựng 05 tour du lịch kết nối làng nghề dệt thổ cẩm, đan lát với các điểm du lịch cộng đồng",
     "Các doanh nghiệp lữ hành; Hiệp hội Du lịch tỉnh", "05 tour được công bố"],
    ["7", "Tháng 10 hằng năm", "Sở Văn hóa, Thể thao và Du lịch",
     "Tổ chức Lễ hội văn hóa cồng chiêng gắn với Tuần lễ du lịch cộng đồng",
     "Sở Tài chính; UBND các xã, phường", "Lễ hội được tổ chức"],
    ("III", "ĐÀO TẠO NGUỒN NHÂN LỰC, ỨNG DỤNG CÔNG NGHỆ VÀ QUẢNG BÁ"),
    ["8", "2026 - 2030", "Sở Giáo dục và Đào tạo",
     "Đào tạo kỹ năng giao tiếp, ngoại ngữ, chế biến món ăn cho 1.500 lượt người dân tham gia làm du lịch cộng đồng",
     "Trường Cao đẳng Gia Lai; Sở Văn hóa, Thể thao và Du lịch", "1.500 lượt người được đào tạo"],
    ["9", "Thường xuyên", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh",
     "Quảng bá sản phẩm du lịch cộng đồng trên nền tảng số, mạng xã hội và ứng dụng Gia Lai Tourism",
     "Báo và Phát thanh, Truyền hình Gia Lai", ""],
    ["10", "Trước 31/3/2027", "Sở Khoa học và Công nghệ",
     "Số hóa 3D, thuyết minh tự động đa ngôn ngữ cho 10 điểm du lịch cộng đồng tiêu biểu",
     "Sở Văn hóa, Thể thao và Du lịch; Viettel Gia Lai", "Dữ liệu số hóa; ứng dụng thuyết minh"],
    ["11", "6 tháng đầu năm 2027", "Công an tỉnh",
     "Hướng dẫn các cơ sở lưu trú homestay thông báo lưu trú cho khách qua ứng dụng VNeID",
     "Sở Văn hóa, Thể thao và Du lịch;\nUBND các xã, phường có điểm du lịch cộng đồng", "Cơ sở lưu trú thực hiện thông báo lưu trú"],
    ["12", "Định kỳ 6 tháng, hằng năm", "Sở Văn hóa, Thể thao và Du lịch",
     "Theo dõi, tổng hợp tình hình thực hiện Kế hoạch, báo cáo Ủy ban nhân dân tỉnh",
     "", "Báo cáo 6 tháng, năm"],
]


def _repeat_header(row):
    trPr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trPr.append(el)


def _fill(cell, text):
    parts = text.split("\n")
    cell.paragraphs[0].text = parts[0]
    for p in parts[1:]:
        cell.add_paragraph(p)


def build(path=OUT):
    d = Document()
    d.styles["Normal"].font.name = "Times New Roman"
    d.styles["Normal"].font.size = Pt(13)
    for t in BEFORE:
        d.add_paragraph(t)
    tb = d.add_table(rows=0, cols=len(HEADER))
    tb.style = "Table Grid"
    hr = tb.add_row()
    _repeat_header(hr)
    for c, t in zip(hr.cells, HEADER):
        _fill(c, t)
    for r in ROWS:
        row = tb.add_row()
        if isinstance(r, tuple):
            _fill(row.cells[0], r[0])
            merged = row.cells[1].merge(row.cells[len(HEADER) - 1])
            _fill(merged, r[1])
        else:
            for c, t in zip(row.cells, r):
                if t:
                    _fill(c, t)
    d.add_paragraph("Ghi chú: cơ quan ghi đầu tiên tại cột \"Cơ quan chủ trì\" là cơ quan đầu mối tổng hợp, báo cáo.")
    d.save(path)
    return path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else OUT))
