"""Writes docs/bc-ubnd-quang-ninh-tien-do-nhiem-vu-cai-cach-hanh-chinh-2025.docx (a hand-written development
document of eval/plansdev2: a progress report table whose one "Đơn vị thực hiện" column lists several
agencies and comes before the task, with a "Kết quả hiện nay" column that holds dates that are not
deadlines, a group row with sub-rows and two-digit row numbers). Run: python eval/plansdev2/make_docx2.py
"""
from pathlib import Path

import docx

OUT = Path(__file__).resolve().parent / "docs" / "bc-ubnd-quang-ninh-tien-do-nhiem-vu-cai-cach-hanh-chinh-2025.docx"
HEADER = ["STT", "Đơn vị thực hiện", "Nhiệm vụ", "Tiến độ", "Kết quả hiện nay"]
ROWS = [
    ("1", "Sở Nội vụ", "Tham mưu sắp xếp tổ chức bộ máy các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh",
     "Quý I/2025", "Đã hoàn thành ngày 28/02/2025"),
    ("2", "", "Nâng cao chất lượng giải quyết thủ tục hành chính", "", ""),
    ("2.1", "Trung tâm Phục vụ hành chính công tỉnh, Văn phòng Ủy ban nhân dân tỉnh",
     "Tiếp nhận, trả kết quả thủ tục hành chính không phụ thuộc địa giới hành chính", "Tháng 7/2025",
     "Đang thực hiện"),
    ("2.2", "Sở Khoa học và Công nghệ", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
     "Thường xuyên", "Đạt 85% (tháng 9/2025)"),
    ("3", "Sở Tư pháp", "Rà soát, công bố thủ tục hành chính thuộc thẩm quyền sau sắp xếp",
     "Trước 30/6/2025", "Đã hoàn thành"),
    ("4", "Sở Tài chính, Kho bạc Nhà nước khu vực V", "Giải ngân vốn đầu tư công cho các dự án chuyển đổi số",
     "Năm 2025", "Giải ngân 72% đến 30/9/2025"),
    ("5", "Công an tỉnh", "Làm sạch dữ liệu dân cư phục vụ Đề án 06", "6 tháng cuối năm 2025", ""),
    ("6", "Sở Y tế", "Triển khai sổ sức khỏe điện tử cho người dân", "Quý IV/2025", "Đạt 64%"),
    ("7", "Sở Giáo dục và Đào tạo", "Triển khai học bạ số trong các trường phổ thông", "Tháng 12/2025",
     "Đang thực hiện"),
    ("8", "Ủy ban nhân dân các xã, phường, đặc khu", "Thu phí, lệ phí thủ tục hành chính không dùng tiền mặt",
     "Thường xuyên", ""),
    ("9", "Sở Văn hóa, Thể thao và Du lịch", "Số hóa di sản văn hóa tiêu biểu của tỉnh", "Năm 2025",
     "Đã số hóa 40 di sản"),
    ("10", "Sở Xây dựng", "Cập nhật cơ sở dữ liệu về nhà ở và thị trường bất động sản", "Quý III/2025",
     "Đã hoàn thành tháng 8/2025"),
    ("11", "Ban Quản lý Khu kinh tế tỉnh", "Cung cấp dịch vụ công trực tuyến toàn trình về đầu tư",
     "Tháng 10/2025", ""),
]


def main() -> None:
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH")
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025")
    d.add_paragraph("(Kèm theo Báo cáo số 301/BC-UBND ngày 10 tháng 10 năm 2025 của Ủy ban nhân dân tỉnh)")
    t = d.add_table(rows=1, cols=len(HEADER))
    for i, h in enumerate(HEADER):
        t.rows[0].cells[i].text = h
    for row in ROWS:
        cells = t.add_row().cells
        if row[0] == "2":
            cells[0].text = row[0]
            merged = cells[1].merge(cells[len(HEADER) - 1])
            merged.text = row[2]
            continue
        for i, v in enumerate(row):
            cells[i].text = v
    d.save(OUT)


if __name__ == "__main__":
    main()
