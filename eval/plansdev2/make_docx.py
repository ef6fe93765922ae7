"""Writes docs/pl-bo-nong-nghiep-moi-truong-nhiem-vu-chuyen-doi-so-2026.docx (a hand-written development
document of eval/plansdev2: an appendix table of a ministry with the columns in an unusual order, a
merged section row per part, an extra "Sản phẩm" and "Ghi chú" column). Run: python eval/plansdev2/make_docx.py
"""
from pathlib import Path

import docx

OUT = Path(__file__).resolve().parent / "docs" / "pl-bo-nong-nghiep-moi-truong-nhiem-vu-chuyen-doi-so-2026.docx"
HEADER = ["TT", "Nội dung công việc", "Sản phẩm", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành",
          "Ghi chú"]
ROWS = [
    ("A", "XÂY DỰNG THỂ CHẾ, CƠ CHẾ CHÍNH SÁCH"),
    ("1", "Xây dựng Thông tư quy định kỹ thuật về cơ sở dữ liệu đất đai quốc gia", "Thông tư",
     "Cục Quản lý đất đai", "Vụ Pháp chế; Cục Chuyển đổi số", "Quý III/2026", ""),
    ("2", "Rà soát, sửa đổi quy định về chia sẻ dữ liệu tài nguyên nước", "Báo cáo rà soát",
     "Cục Quản lý tài nguyên nước", "Vụ Pháp chế", "Tháng 9/2026", "Chuyển tiếp từ năm 2025"),
    ("B", "PHÁT TRIỂN DỮ LIỆU SỐ"),
    ("3", "Xây dựng cơ sở dữ liệu quốc gia về trồng trọt, chăn nuôi", "Cơ sở dữ liệu được vận hành",
     "Cục Trồng trọt và Bảo vệ thực vật, Cục Chăn nuôi và Thú y", "Cục Chuyển đổi số", "31/12/2026", ""),
    ("4", "Số hóa hồ sơ địa chất, khoáng sản lưu trữ", "Dữ liệu số hóa",
     "Cục Địa chất và Khoáng sản Việt Nam", "Trung tâm Lưu trữ quốc gia về tài nguyên và môi trường",
     "Năm 2026", ""),
    ("5", "Cập nhật dữ liệu quan trắc môi trường tự động lên hệ thống của Bộ", "Dữ liệu quan trắc",
     "Cục Môi trường", "Sở Nông nghiệp và Môi trường các tỉnh, thành phố", "Hằng tháng", ""),
    ("C", "NỀN TẢNG SỐ VÀ AN TOÀN THÔNG TIN"),
    ("6", "Nâng cấp Hệ thống quản lý văn bản và điều hành của Bộ", "Hệ thống được nâng cấp",
     "Văn phòng Bộ", "Cục Chuyển đổi số", "30/6/2026", ""),
    ("7", "Kiểm tra, đánh giá an toàn thông tin các hệ thống thông tin cấp độ 3 trở lên", "Báo cáo kiểm tra",
     "Cục Chuyển đổi số", "", "Trước ngày 15/11/2026", "Định kỳ hằng năm"),
    ("8", "Bồi dưỡng kỹ năng số cho công chức, viên chức các đơn vị thuộc Bộ", "Lớp bồi dưỡng",
     "Trường Cán bộ quản lý nông nghiệp và phát triển nông thôn I", "Vụ Tổ chức cán bộ", "Quý IV năm 2026", ""),
]


def main() -> None:
    d = docx.Document()
    d.add_paragraph("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2026 CỦA BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
    d.add_paragraph("(Kèm theo Quyết định số 415/QĐ-BNNMT ngày 14 tháng 01 năm 2026 của Bộ trưởng "
                    "Bộ Nông nghiệp và Môi trường)")
    t = d.add_table(rows=1, cols=len(HEADER))
    for i, h in enumerate(HEADER):
        t.rows[0].cells[i].text = h
    for row in ROWS:
        cells = t.add_row().cells
        if len(row) == 2:
            cells[0].text = row[0]
            merged = cells[1].merge(cells[len(HEADER) - 1])
            merged.text = row[1]
            continue
        for i, v in enumerate(row):
            cells[i].text = v
    d.add_paragraph("Ghi chú: Các đơn vị chủ trì báo cáo kết quả thực hiện về Cục Chuyển đổi số trước ngày "
                    "05 của tháng cuối quý để tổng hợp, báo cáo Bộ trưởng.")
    d.save(OUT)


if __name__ == "__main__":
    main()
