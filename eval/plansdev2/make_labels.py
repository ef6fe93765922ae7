# ruff: noqa: E501  (one hand label a line)
"""Writes eval/plansdev2/tasks.jsonl from the hand labels below (written from reading each document, before
any parser run). Each label gives a verbatim piece of the task's first line; the script finds its line, so a
span is (line, line + extra) or (line + a, line + b). Run: python eval/plansdev2/make_labels.py
"""
import json
import re
from pathlib import Path

from kehoach.corpus.loaders import load_lines

HERE = Path(__file__).resolve().parent
D = str(HERE / 'docs') + '/'
A = 'kh-ubnd-thai-nguyen-chuyen-doi-so-co-quan-nha-nuoc-2026.txt'
B = 'ct-bo-cong-thuong-bao-dam-cung-ung-xang-dau-dien-tet-2026.txt'
C = 'qd-ubnd-hai-phong-ke-hoach-cai-cach-hanh-chinh-2026.txt'
X = 'pl-bo-nong-nghiep-moi-truong-nhiem-vu-chuyen-doi-so-2026.docx'
E = 'cv-bo-giao-duc-dao-tao-chuan-bi-nam-hoc-2026-2027.txt'
KHCN, TC, NV = 'Sở Khoa học và Công nghệ', 'Sở Tài chính', 'Sở Nội vụ'
PV = 'Trung tâm Phục vụ hành chính công tỉnh'
SBN = 'Các sở, ban, ngành tỉnh'
XP = 'Ủy ban nhân dân các xã, phường'
CA_TP = ['Công an tỉnh', 'Sở Tư pháp']
DVB = 'Các đơn vị thuộc Bộ Công Thương'
CQL = 'Cục Quản lý và Phát triển thị trường trong nước'
VPB = 'Văn phòng Bộ'
TINH = 'Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương'
DN = ['Tập đoàn Điện lực Việt Nam', 'Tập đoàn Xăng dầu Việt Nam', 'Tổng công ty Dầu Việt Nam']
VPTP = 'Văn phòng Ủy ban nhân dân thành phố'
SGD = 'Các sở giáo dục và đào tạo'
# (doc, quote, extra lines, section, lead, support, deadline, due, recurring, layout, note)
S = [
 (A, 'Chủ trì, phối hợp với Sở Tài chính, Sở Nội vụ và Công an tỉnh tham mưu', 0, 'III.1', [KHCN], [TC, NV, 'Công an tỉnh'], 'trước ngày 15/3/2026', '2026-03-15', False, 'agency_blocks', 'heading with a parenthetical role and an abbreviation defined'),
 (A, 'Chủ trì nâng cấp Trung tâm dữ liệu tỉnh', 0, 'III.1', [KHCN], [], 'trong Quý III/2026', '2026-09-30', False, 'agency_blocks', ''),
 (A, 'Hướng dẫn các sở, ban, ngành và Ủy ban nhân dân các xã, phường sử dụng', 1, 'III.1', [KHCN], [], 'trong tháng 4 năm 2026', '2026-04-30', False, 'agency_blocks', 'deadline sentence on its own line; guided bodies are not support'),
 (A, 'Tổng hợp tình hình thực hiện Kế hoạch, báo cáo Ủy ban nhân dân tỉnh', 0, 'III.1', [KHCN], [], 'trước ngày 10 tháng 12 năm 2026', '2026-12-10', False, 'agency_blocks', 'reported-to bodies are not support'),
 (A, 'Tham mưu bố trí kinh phí thực hiện các nhiệm vụ chuyển đổi số', 0, 'III.2', [TC], [], None, None, False, 'agency_blocks', 'budget year of the object is not a deadline'),
 (A, 'Phối hợp với Sở Khoa học và Công nghệ thẩm định các dự án', 0, 'III.2', [TC], [KHCN], 'chậm nhất ngày 30 tháng 6 năm 2026', '2026-06-30', False, 'agency_blocks', 'bare Phối hợp với in a block: heading leads'),
 (A, 'Phối hợp làm sạch dữ liệu hộ tịch', 0, 'III.3', CA_TP, [], '7/2026', '2026-07-31', False, 'agency_blocks', 'two-agency heading; month written m/yyyy'),
 (A, 'Hướng dẫn Ủy ban nhân dân các xã, phường cấp bản sao', 0, 'III.3', CA_TP, [], None, None, False, 'agency_blocks', ''),
 (A, 'Văn phòng Ủy ban nhân dân tỉnh chủ trì, phối hợp với Trung tâm Phục vụ', 0, 'III.4', ['Văn phòng Ủy ban nhân dân tỉnh'], [PV, 'Các sở, ngành liên quan'], 'trước 31/5/2026', '2026-05-31', False, 'inline', 'abbreviation defined inside the sentence'),
 (A, 'Trung tâm PVHCC có trách nhiệm theo dõi', 0, 'III.5', [PV], [], 'định kỳ hằng quý', None, True, 'inline', 'abbreviation used: expanded in the label'),
 (A, 'Tham mưu đưa kết quả chuyển đổi số vào tiêu chí đánh giá', 0, 'III.6.a', [NV], [], None, None, False, 'agency_blocks', 'Giao Giám đốc Sở X: heading'),
 (A, 'Phối hợp với Sở Khoa học và Công nghệ tổ chức bồi dưỡng kỹ năng số', 0, 'III.6.b', [NV], [KHCN], '6 tháng đầu năm 2026', '2026-06-30', False, 'agency_blocks', ''),
 (A, 'Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Liên đoàn Lao động tỉnh', 0, 'III.7', ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'Liên đoàn Lao động tỉnh', 'Tỉnh đoàn Thái Nguyên'], [], None, None, False, 'inline', 'request, three agencies joined by comma and và'),
 (A, 'Cập nhật, số hóa hồ sơ, kết quả giải quyết thủ tục hành chính', 0, 'III.8', [SBN], [], 'thường xuyên', None, True, 'agency_blocks', 'collective heading kept as printed'),
 (A, 'Cử cán bộ đầu mối về chuyển đổi số', 0, 'III.8', [SBN], [], 'trước ngày 28/02/2026', '2026-02-28', False, 'agency_blocks', ''),
 (A, 'Bố trí cán bộ, công chức kiêm nhiệm công tác chuyển đổi số', 0, 'III.9', [XP], [], 'trong quý I năm 2026', '2026-03-31', False, 'agency_blocks', ''),
 (A, 'Duy trì hoạt động của Tổ công nghệ số cộng đồng', 0, 'III.9', [XP], [], None, None, False, 'agency_blocks', ''),
 (A, 'Định kỳ trước ngày 15 tháng 6 và trước ngày 15 tháng 11 năm 2026', 0, 'III.10', ['Các sở, ban, ngành', XP], [], 'Định kỳ trước ngày 15 tháng 6 và trước ngày 15 tháng 11 năm 2026', '2026-11-15', True, 'inline', 'reporting duty opened by a time clause'),
 (B, 'Quán triệt, triển khai nghiêm túc các chỉ đạo của Chính phủ', 0, '1.a', [DVB], [], None, None, False, 'agency_blocks', 'heading names heads of units without colon; year of the object not a deadline'),
 (B, 'Phân công lãnh đạo trực, bảo đảm thông tin thông suốt', 0, '1.b', [DVB], [], 'trước ngày 10/02/2026', '2026-02-10', False, 'agency_blocks', ''),
 (B, 'Chủ trì, phối hợp với Tập đoàn Điện lực Việt Nam (sau đây viết tắt là EVN)', 0, '2.a', ['Cục Điện lực'], ['Tập đoàn Điện lực Việt Nam', 'Trung tâm Điều độ hệ thống điện quốc gia'], None, None, False, 'agency_blocks', 'unit heading without colon; abbreviation defined in brackets'),
 (B, 'Rà soát tiến độ các dự án nguồn điện, lưới điện trọng điểm', 0, '2.b', ['Cục Điện lực'], [], 'trong tháng 12 năm 2025', '2025-12-31', False, 'agency_blocks', ''),
 (B, 'Chủ trì cùng Vụ Pháp chế hoàn thiện dự thảo Thông tư', 0, '2.c', ['Cục Điện lực'], ['Vụ Pháp chế'], 'trong Quý IV/2025', '2025-12-31', False, 'agency_blocks', ''),
 (B, 'Theo dõi chặt chẽ diễn biến thị trường xăng dầu trong nước', 0, '3', [CQL], [], None, None, False, 'agency_blocks', ''),
 (B, 'Phối hợp với Bộ Tài chính trong việc trích lập', 0, '3', [CQL], ['Bộ Tài chính'], None, None, False, 'agency_blocks', ''),
 (B, 'Kiểm tra việc bảo đảm nguồn cung của các thương nhân đầu mối', 0, '3', [CQL], [], 'trước 31 tháng 12 năm 2025', '2025-12-31', False, 'agency_blocks', ''),
 (B, 'Giao Cục trưởng Cục Quản lý và Phát triển thị trường trong nước phối hợp', 0, '4', [CQL], ['Cục Quản lý thị trường các tỉnh, thành phố'], None, None, False, 'inline', 'person title stands for the agency'),
 (B, 'Bố trí kinh phí và phương tiện bảo đảm cho các đoàn kiểm tra', 0, '5', ['Vụ Kế hoạch - Tài chính', VPB], [], None, None, False, 'agency_blocks', 'unmarked sentences under a two-agency heading'),
 (B, 'Tổng hợp kết quả kiểm tra, báo cáo Bộ trưởng chậm nhất ngày 15/01/2026', 0, '5', ['Vụ Kế hoạch - Tài chính', VPB], [], 'chậm nhất ngày 15/01/2026', '2026-01-15', False, 'agency_blocks', ''),
 (B, 'Chỉ đạo Sở Công Thương phối hợp với các cơ quan chức năng', 0, '6', [TINH], ['Các cơ quan chức năng'], None, None, False, 'agency_blocks', 'the directed Sở is not support; whom it works with is (as plansdev ct-kiem line 31)'),
 (B, 'Chỉ đạo Ủy ban nhân dân các xã, phường tăng cường tuyên truyền', 0, '6', [TINH], [], None, None, False, 'agency_blocks', ''),
 (B, 'Xây dựng phương án cung ứng điện, xăng dầu dịp Tết Nguyên đán', 0, '7', DN, [], 'trước ngày 30 tháng 11 năm 2025', '2025-11-30', False, 'agency_blocks', 'abbreviation EVN in a heading; festival is not a deadline'),
 (B, 'Bảo đảm dự trữ xăng dầu tối thiểu theo quy định', 0, '7', DN, [], None, None, False, 'agency_blocks', ''),
 (B, 'Vụ Pháp chế có trách nhiệm rà soát các văn bản quy phạm pháp luật', 0, '8', ['Vụ Pháp chế'], [], 'thường xuyên', None, True, 'inline', ''),
 (B, 'Văn phòng Bộ chủ trì theo dõi, đôn đốc việc thực hiện Chỉ thị này', 0, '9', [VPB], [], 'định kỳ hằng tháng', None, True, 'inline', 'a specific follow-up duty, not the generic closing clause'),
 (C, 'Sở Nội vụ là cơ quan thường trực, chủ trì, phối hợp với Văn phòng', 0, 'Điều 2.1', [NV], [VPTP, 'Sở Tư pháp', KHCN], 'trước ngày 05 tháng 12 năm 2026', '2026-12-05', False, 'inline', 'role phrase between the agency and chủ trì'),
 (C, 'Giao Sở Tài chính tham mưu Ủy ban nhân dân thành phố bố trí kinh phí', 0, 'Điều 2.2', [TC], [], None, None, False, 'inline', ''),
 (C, 'Thủ trưởng các sở, ban, ngành, Chủ tịch Ủy ban nhân dân các xã, phường', 0, 'Điều 2.3', ['Các sở, ban, ngành', 'Ủy ban nhân dân các xã, phường, đặc khu'], [], 'trước ngày 20/01/2026', '2026-01-20', False, 'inline', 'person titles of collective bodies'),
 (C, 'Rà soát, hệ thống hóa văn bản quy phạm pháp luật do Hội đồng nhân dân', (-2, 2), 'I.1', ['Sở Tư pháp'], ['Các sở, ban, ngành'], 'Quý II/2026', '2026-06-30', False, 'flat_table', 'lead column before the task column'),
 (C, 'Xây dựng Quy chế làm việc của Ủy ban nhân dân thành phố', (-2, 2), 'I.2', [VPTP], [NV, 'Sở Tư pháp'], 'Tháng 6/2026', '2026-06-30', False, 'flat_table', 'nhiệm kỳ 2026 - 2031 is the object'),
 (C, 'Kiểm tra, xử lý văn bản trái pháp luật theo thẩm quyền', (-2, 2), 'I.3', ['Sở Tư pháp'], [NV], 'Thường xuyên', None, True, 'flat_table', ''),
 (C, 'Công bố danh mục thủ tục hành chính được cắt giảm', (-2, 2), 'II.4', [VPTP], ['Các sở, ban, ngành', 'Ủy ban nhân dân các xã, phường, đặc khu'], 'Trước ngày 30/6/2026', '2026-06-30', False, 'flat_table', ''),
 (C, 'Triển khai tiếp nhận hồ sơ thủ tục hành chính không phụ thuộc', (-2, 2), 'II.5', ['Trung tâm Phục vụ hành chính công thành phố'], [KHCN, 'Bưu điện thành phố Hải Phòng'], 'Quý III năm 2026', '2026-09-30', False, 'flat_table', ''),
 (C, 'Tích hợp, cung cấp dịch vụ công trực tuyến toàn trình', (-2, 2), 'II.6', [KHCN], [VPTP], 'Hằng quý', None, True, 'flat_table', ''),
 (C, 'Rà soát, sắp xếp các đơn vị sự nghiệp công lập thuộc thành phố', (-2, 2), 'III.7', [NV], [TC, 'Sở Y tế', 'Sở Giáo dục và Đào tạo'], '31/10/2026', '2026-10-31', False, 'flat_table', ''),
 (C, 'Tổ chức kiểm tra công vụ, kỷ luật, kỷ cương hành chính', (-2, 2), 'III.8', [NV], ['Thanh tra thành phố'], 'Năm 2026', '2026-12-31', False, 'flat_table', ''),
 (C, 'Hướng dẫn các đơn vị sự nghiệp công lập xây dựng phương án tự chủ', (-2, 2), 'III.9', [TC], [NV], 'Trước 15/9/2026', '2026-09-15', False, 'flat_table', 'giai đoạn 2026 - 2030 is the object'),
 (X, 'Xây dựng Thông tư quy định kỹ thuật về cơ sở dữ liệu đất đai quốc gia', (-1, 5), 'A.1', ['Cục Quản lý đất đai'], ['Vụ Pháp chế', 'Cục Chuyển đổi số'], 'Quý III/2026', '2026-09-30', False, 'docx_table', 'columns: TT / task / product / lead / support / deadline / note'),
 (X, 'Rà soát, sửa đổi quy định về chia sẻ dữ liệu tài nguyên nước', (-1, 5), 'A.2', ['Cục Quản lý tài nguyên nước'], ['Vụ Pháp chế'], 'Tháng 9/2026', '2026-09-30', False, 'docx_table', 'note cell with a year is not a deadline'),
 (X, 'Xây dựng cơ sở dữ liệu quốc gia về trồng trọt, chăn nuôi', (-1, 4), 'B.3', ['Cục Trồng trọt và Bảo vệ thực vật', 'Cục Chăn nuôi và Thú y'], ['Cục Chuyển đổi số'], '31/12/2026', '2026-12-31', False, 'docx_table', 'two leads in one cell'),
 (X, 'Số hóa hồ sơ địa chất, khoáng sản lưu trữ', (-1, 4), 'B.4', ['Cục Địa chất và Khoáng sản Việt Nam'], ['Trung tâm Lưu trữ quốc gia về tài nguyên và môi trường'], 'Năm 2026', '2026-12-31', False, 'docx_table', ''),
 (X, 'Cập nhật dữ liệu quan trắc môi trường tự động', (-1, 4), 'B.5', ['Cục Môi trường'], ['Sở Nông nghiệp và Môi trường các tỉnh, thành phố'], 'Hằng tháng', None, True, 'docx_table', ''),
 (X, 'Nâng cấp Hệ thống quản lý văn bản và điều hành của Bộ', (-1, 4), 'C.6', ['Văn phòng Bộ'], ['Cục Chuyển đổi số'], '30/6/2026', '2026-06-30', False, 'docx_table', ''),
 (X, 'Kiểm tra, đánh giá an toàn thông tin các hệ thống thông tin cấp độ 3', (-1, 5), 'C.7', ['Cục Chuyển đổi số'], [], 'Trước ngày 15/11/2026', '2026-11-15', True, 'docx_table', 'empty support cell; note says yearly'),
 (X, 'Bồi dưỡng kỹ năng số cho công chức, viên chức các đơn vị thuộc Bộ', (-1, 4), 'C.8', ['Trường Cán bộ quản lý nông nghiệp và phát triển nông thôn I'], ['Vụ Tổ chức cán bộ'], 'Quý IV năm 2026', '2026-12-31', False, 'docx_table', ''),
 (E, 'Chỉ đạo rà soát, bố trí đủ giáo viên theo định mức', 0, '1.a', [TINH], [], None, None, False, 'agency_blocks', 'request heading naming a head of body, no colon'),
 (E, 'Bảo đảm kinh phí mua sắm thiết bị dạy học tối thiểu', 0, '1.b', [TINH], [], 'trước ngày 15 tháng 8 năm 2026', '2026-08-15', False, 'agency_blocks', ''),
 (E, 'Chủ trì, phối hợp với Sở Nội vụ, Sở Tài chính tham mưu', 0, '2', [SGD], [NV, TC], 'trước 31/7/2026', '2026-07-31', False, 'agency_blocks', 'abbreviation GDĐT defined in the intro'),
 (E, 'Hướng dẫn Ủy ban nhân dân các xã, phường rà soát cơ sở vật chất', 0, '2', [SGD], [], None, None, False, 'agency_blocks', ''),
 (E, 'Tổ chức bồi dưỡng giáo viên thực hiện Chương trình giáo dục phổ thông', 0, '2', [SGD], [], 'trong tháng 7 và tháng 8/2026', '2026-08-31', False, 'agency_blocks', ''),
 (E, 'Ủy ban nhân dân các xã, phường chủ trì bảo đảm an toàn trường học', 0, '3', [XP], ['Công an xã, phường', 'Trạm Y tế xã, phường'], None, None, False, 'inline', 'support after the work'),
 (E, 'Vụ Giáo dục phổ thông chủ trì, phối hợp với Cục Nhà giáo', 0, '4.a', ['Vụ Giáo dục phổ thông'], ['Cục Nhà giáo và Cán bộ quản lý giáo dục', 'Cục Cơ sở vật chất'], 'chậm nhất ngày 10/7/2026', '2026-07-10', False, 'inline', 'item names its own lead under a collective heading'),
 (E, 'Cục Khảo thí và Kiểm định chất lượng giáo dục: Tổng kết kỳ thi', 0, '4.b', ['Cục Khảo thí và Kiểm định chất lượng giáo dục'], [], 'trong Quý III/2026', '2026-09-30', False, 'agency_blocks', 'heading and task on one line'),
 (E, 'Duy trì đường dây nóng tiếp nhận phản ánh của phụ huynh', 0, '4.c', [VPB, 'Cục Công nghệ thông tin'], [], None, None, False, 'agency_blocks', ''),
 (E, 'Cập nhật cơ sở dữ liệu ngành giáo dục, bảo đảm kết nối', 0, '4.c', [VPB, 'Cục Công nghệ thông tin'], [], 'định kỳ 06 tháng một lần', None, True, 'agency_blocks', ''),
 (E, 'Giao Cục Cơ sở vật chất làm đầu mối tổng hợp tình hình', 0, '5', ['Cục Cơ sở vật chất'], [], 'trước ngày 25/8/2026', '2026-08-25', False, 'inline', ''),
]
F = 'tb-ubnd-phuong-hai-chau-chinh-trang-do-thi-2025.txt'
G = 'kh-so-nnmt-dong-thap-phong-chong-dich-ta-lon-chau-phi-2026.txt'
H = 'qd-ttg-chuong-trinh-nha-o-xa-hoi-2026-2030.txt'
KT = 'Phòng Kinh tế, Hạ tầng và Đô thị'
CC = 'Chi cục Chăn nuôi, Thú y và Thủy sản'
BXD = 'Bộ Xây dựng'
B4 = ['Bộ Tài chính', 'Bộ Nông nghiệp và Môi trường', 'Bộ Công an', 'Bộ Quốc phòng']
S += [
 (F, 'Giao Phòng Kinh tế, Hạ tầng và Đô thị chủ trì, phối hợp với Công an phường', 0, '1', [KT], ['Công an phường', 'Phòng Văn hóa - Xã hội', 'Ban Quản lý chợ Hàn'], 'chậm nhất là ngày 20/11/2025', '2025-11-20', False, 'inline', 'commune department whose name holds a comma'),
 (F, 'Công an phường có trách nhiệm tổ chức ra quân', 0, '2', ['Công an phường'], [], 'từ ngày 15/11/2025 đến hết ngày 31/12/2025', '2025-12-31', False, 'inline', 'a range: due is its end'),
 (F, 'Phòng Văn hóa - Xã hội phối hợp với Ủy ban Mặt trận', 0, '3', ['Phòng Văn hóa - Xã hội'], ['Ủy ban Mặt trận Tổ quốc Việt Nam phường'], 'trong tháng 11/2025', '2025-11-30', False, 'inline', ''),
 (F, 'Văn phòng HĐND và UBND phường đăng tải thông tin', 0, '4', ['Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường'], [], 'hằng tuần', None, True, 'inline', 'abbreviation defined in the intro; weekly'),
 (F, 'Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam phường và các tổ chức chính trị', 0, '5', ['Ủy ban Mặt trận Tổ quốc Việt Nam phường', 'Các tổ chức chính trị - xã hội phường'], [], None, None, False, 'inline', ''),
 (F, 'Ban Chỉ huy Quân sự phường bố trí lực lượng dân quân', 0, '6', ['Ban Chỉ huy Quân sự phường'], [], None, None, False, 'inline', 'helping another body is not working with a support'),
 (F, 'Tổ chức họp dân phổ biến nội dung Thông báo này', 0, '7', ['Các tổ dân phố'], [], None, None, False, 'agency_blocks', 'a festival is not a deadline'),
 (F, 'Phát hiện, báo cáo kịp thời các trường hợp lấn chiếm', 0, '7', ['Các tổ dân phố'], [], None, None, False, 'agency_blocks', ''),
 (F, 'Phòng Kinh tế, Hạ tầng và Đô thị là cơ quan đầu mối tổng hợp', 0, '8', [KT], [], 'trước ngày 05 tháng 01 năm 2026', '2026-01-05', False, 'inline', 'reporting duty'),
 (G, 'Tham mưu Giám đốc Sở kiện toàn Ban Chỉ đạo', 0, 'III.1', [CC], [], 'trước ngày 31/01/2026', '2026-01-31', False, 'agency_blocks', 'heading with a role after a dash'),
 (G, 'Chủ trì, phối hợp với Trung tâm Khuyến nông và Ủy ban nhân dân các xã', 0, 'III.1', [CC], ['Trung tâm Khuyến nông', 'Ủy ban nhân dân các xã, phường'], 'trong tháng 3-4/2026 và đợt 2 trong tháng 9-10/2026', '2026-10-31', False, 'agency_blocks', 'two rounds: due is the end of the last'),
 (G, 'Tổ chức lấy mẫu giám sát lưu hành vi rút', 2, 'III.1', [CC], [], 'trong quý IV/2026', '2026-12-31', False, 'agency_blocks', 'colon item with + rounds; due is the last round'),
 (G, 'Phòng Kế hoạch - Tài chính (Sở Nông nghiệp và Môi trường): Tham mưu', 0, 'III.2', ['Phòng Kế hoạch - Tài chính'], [], 'trước 28/02/2026', '2026-02-28', False, 'agency_blocks', 'heading and task on one line; the bracket names the parent'),
 (G, 'Xây dựng mô hình chăn nuôi lợn an toàn sinh học', 0, 'III.3', ['Trung tâm Khuyến nông'], [], 'quý III năm 2026', '2026-09-30', False, 'agency_blocks', 'heading without colon, unmarked task line'),
 (G, 'Sở Tài chính thẩm định, trình Ủy ban nhân dân tỉnh', 0, 'III.4.a', ['Sở Tài chính'], [], None, None, False, 'agency_blocks', 'item names its own lead under a bare list heading'),
 (G, 'Sở Công Thương chỉ đạo lực lượng Quản lý thị trường phối hợp', 0, 'III.4.b', ['Sở Công Thương'], [CC], None, None, False, 'agency_blocks', 'directed force works with the Chi cục: support (plansdev convention)'),
 (G, 'Sở Y tế hướng dẫn người dân không sử dụng thịt lợn bệnh', 0, 'III.4.c', ['Sở Y tế'], [], None, None, False, 'agency_blocks', ''),
 (G, 'Thành lập tổ kiểm tra liên ngành tại các chốt kiểm dịch', 0, 'III.5', ['Ủy ban nhân dân các xã, phường'], [], 'định kỳ 02 lần/tháng', None, True, 'agency_blocks', ''),
 (G, 'Thống kê tổng đàn lợn, báo cáo về Sở Nông nghiệp', 0, 'III.5', ['Ủy ban nhân dân các xã, phường'], [], 'trước ngày 10 hằng tháng', None, True, 'agency_blocks', 'monthly date without a year'),
 (G, 'Chế độ thông tin, báo cáo: Khi có dịch xảy ra', 0, 'III.6', ['Ủy ban nhân dân các xã, phường', CC], [], 'trước ngày 15/6/2026 và cả năm trước ngày 15/12/2026', '2026-12-15', False, 'inline', 'two actors; the Chi cục named short'),
 (H, 'Là cơ quan thường trực, chủ trì theo dõi, hướng dẫn', 0, 'Điều 2.1.a', [BXD], [], 'trước ngày 31 tháng 3 hằng năm', None, True, 'agency_blocks', 'yearly date: recurring, no due'),
 (H, 'Chủ trì, phối hợp với Bộ Tài chính, Bộ Nông nghiệp và Môi trường, Ngân hàng', 0, 'Điều 2.1.b', [BXD], ['Bộ Tài chính', 'Bộ Nông nghiệp và Môi trường', 'Ngân hàng Nhà nước Việt Nam', 'Các bộ, ngành có liên quan'], 'trong quý IV năm 2026', '2026-12-31', False, 'agency_blocks', ''),
 (H, 'Xây dựng hệ thống thông tin về nhà ở và thị trường bất động sản', 0, 'Điều 2.1.c', [BXD], [], 'chậm nhất trong tháng 6 năm 2027', '2027-06-30', False, 'agency_blocks', ''),
 (H, 'Rà soát quỹ đất do bộ, ngành quản lý để bố trí', 0, 'Điều 2.2', B4, [], 'trước 30/6/2026', '2026-06-30', False, 'agency_blocks', 'Bộ trưởng các Bộ: list of bare names'),
 (H, 'Phối hợp với Bộ Xây dựng hướng dẫn các địa phương tháo gỡ', 0, 'Điều 2.2', B4, [BXD], None, None, False, 'agency_blocks', ''),
 (H, 'Ngân hàng Nhà nước Việt Nam chỉ đạo các tổ chức tín dụng', 0, 'Điều 2.3', ['Ngân hàng Nhà nước Việt Nam'], [], 'định kỳ 6 tháng', None, True, 'inline', ''),
 (H, 'Ngân hàng Chính sách xã hội chủ trì cùng Bộ Tài chính', 0, 'Điều 2.4', ['Ngân hàng Chính sách xã hội'], ['Bộ Tài chính'], 'năm 2026', '2026-12-31', False, 'inline', 'bare year after the verb is the deadline; giai đoạn is the object'),
 (H, 'Đẩy mạnh cải cách thủ tục hành chính trong lĩnh vực đầu tư', 0, 'Điều 2.5', ['Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ'], [], None, None, False, 'agency_blocks', 'collective heading, unmarked task'),
 (H, 'Giao chỉ tiêu phát triển nhà ở xã hội hằng năm', 0, 'Điều 2.6.a', [TINH], [], 'hằng năm', None, True, 'agency_blocks', ''),
 (H, 'Bố trí đủ quỹ đất 20% trong các dự án nhà ở thương mại', 0, 'Điều 2.6.b', [TINH], [], 'trong năm 2026', '2026-12-31', False, 'agency_blocks', ''),
 (H, 'Đề nghị Tổng Liên đoàn Lao động Việt Nam đầu tư xây dựng', 0, 'Điều 2.7', ['Tổng Liên đoàn Lao động Việt Nam'], [], None, None, False, 'inline', ''),
]
GL = 'kh-ubnd-gia-lai-thuc-hien-luat-du-lieu-2026.txt'
J = 'bc-ubnd-quang-ninh-tien-do-nhiem-vu-cai-cach-hanh-chinh-2025.docx'
SBN2 = 'Các sở, ban, ngành'
S += [
 (GL, 'Hướng dẫn, đôn đốc các cơ quan, đơn vị triển khai Kế hoạch', 0, 'III.1.a', [KHCN], [], 'định kỳ trước ngày 10/12 hằng năm', None, True, 'agency_blocks', 'heading with a role after a dash; yearly reporting date'),
 (GL, 'Chủ trì, phối hợp Công an tỉnh xây dựng Kho dữ liệu dùng chung', 0, 'III.1.b', [KHCN], ['Công an tỉnh'], 'trong quý III/2026', '2026-09-30', False, 'agency_blocks', '"phối hợp" without "với"'),
 (GL, 'Giao Giám đốc Sở Tư pháp chủ trì, phối hợp với Sở Khoa học và Công nghệ', 0, 'III.2', ['Sở Tư pháp'], [KHCN, 'Văn phòng Ủy ban nhân dân tỉnh'], 'trước 30/9/2026', '2026-09-30', False, 'inline', 'person title inline'),
 (GL, 'Lập danh mục cơ sở dữ liệu chuyên ngành do cơ quan mình quản lý', 0, 'III.3', [SBN], [], 'trước ngày 15 tháng 4 năm 2026', '2026-04-15', False, 'agency_blocks', 'Trách nhiệm của heading'),
 (GL, 'Bố trí nhân lực chuyên trách về dữ liệu', 0, 'III.3', [SBN], [], None, None, False, 'agency_blocks', ''),
 (GL, 'Chỉ đạo cập nhật dữ liệu dân cư, đất đai, hộ tịch trên địa bàn', 0, 'III.4', [XP], [], 'thường xuyên', None, True, 'agency_blocks', 'Trách nhiệm của Chủ tịch …: unmarked task line'),
 (GL, 'Sở Tài chính tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí', 0, 'III.5', [TC], [], 'hằng năm', None, True, 'inline', 'yearly budget: recurring (plansdev convention)'),
 (GL, 'Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên', 0, 'III.6', ['Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh', 'Các tổ chức thành viên'], [], None, None, False, 'inline', ''),
 (GL, 'Tổ chức hội nghị phổ biến Luật Dữ liệu cho cán bộ, công chức', (-1, 4), 'PL.1', ['Sở Tư pháp'], [KHCN], 'Quý II/2026', '2026-06-30', False, 'flat_table', ''),
 (GL, 'Xây dựng Quy chế quản lý, khai thác, chia sẻ dữ liệu của tỉnh', (-1, 4), 'PL.2', [KHCN], ['Sở Tư pháp', 'Công an tỉnh', 'Văn phòng Ủy ban nhân dân tỉnh'], 'Tháng 8/2026', '2026-08-31', False, 'flat_table', 'product cell names the body that decides: not an agency of the task'),
 (GL, 'Kết nối, chia sẻ dữ liệu đất đai với Cơ sở dữ liệu quốc gia', (-1, 3), 'PL.3', ['Sở Nông nghiệp và Môi trường'], [], 'Năm 2026', '2026-12-31', False, 'flat_table', 'empty support cell dropped'),
 (GL, 'Đào tạo, bồi dưỡng kỹ năng quản trị dữ liệu cho công chức cấp xã', (-1, 4), 'PL.4', ['Sở Nội vụ'], [KHCN, XP], 'Hằng năm', None, True, 'flat_table', ''),
 (GL, 'Đánh giá chất lượng dữ liệu của các cơ sở dữ liệu chuyên ngành', (-1, 4), 'PL.5', [KHCN], [SBN2], 'Trước 31/12/2026', '2026-12-31', False, 'flat_table', ''),
 (J, 'Tham mưu sắp xếp tổ chức bộ máy các cơ quan chuyên môn', (-2, 2), '1', ['Sở Nội vụ'], [], 'Quý I/2025', '2025-03-31', False, 'docx_table', 'agency column before the task; result with a date is not a deadline'),
 (J, 'Tiếp nhận, trả kết quả thủ tục hành chính không phụ thuộc', (-2, 2), '2.1', ['Trung tâm Phục vụ hành chính công tỉnh', 'Văn phòng Ủy ban nhân dân tỉnh'], [], 'Tháng 7/2025', '2025-07-31', False, 'docx_table', 'one thực hiện column: every agency leads'),
 (J, 'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính', (-2, 2), '2.2', [KHCN], [], 'Thường xuyên', None, True, 'docx_table', ''),
 (J, 'Rà soát, công bố thủ tục hành chính thuộc thẩm quyền sau sắp xếp', (-2, 2), '3', ['Sở Tư pháp'], [], 'Trước 30/6/2025', '2025-06-30', False, 'docx_table', ''),
 (J, 'Giải ngân vốn đầu tư công cho các dự án chuyển đổi số', (-2, 2), '4', [TC, 'Kho bạc Nhà nước khu vực V'], [], 'Năm 2025', '2025-12-31', False, 'docx_table', ''),
 (J, 'Làm sạch dữ liệu dân cư phục vụ Đề án 06', (-2, 2), '5', ['Công an tỉnh'], [], '6 tháng cuối năm 2025', '2025-12-31', False, 'docx_table', ''),
 (J, 'Triển khai sổ sức khỏe điện tử cho người dân', (-2, 2), '6', ['Sở Y tế'], [], 'Quý IV/2025', '2025-12-31', False, 'docx_table', ''),
 (J, 'Triển khai học bạ số trong các trường phổ thông', (-2, 2), '7', ['Sở Giáo dục và Đào tạo'], [], 'Tháng 12/2025', '2025-12-31', False, 'docx_table', ''),
 (J, 'Thu phí, lệ phí thủ tục hành chính không dùng tiền mặt', (-2, 2), '8', ['Ủy ban nhân dân các xã, phường, đặc khu'], [], 'Thường xuyên', None, True, 'docx_table', ''),
 (J, 'Số hóa di sản văn hóa tiêu biểu của tỉnh', (-2, 2), '9', ['Sở Văn hóa, Thể thao và Du lịch'], [], 'Năm 2025', '2025-12-31', False, 'docx_table', 'agency name with a comma'),
 (J, 'Cập nhật cơ sở dữ liệu về nhà ở và thị trường bất động sản', (-2, 2), '10', ['Sở Xây dựng'], [], 'Quý III/2025', '2025-09-30', False, 'docx_table', 'two-digit row number'),
 (J, 'Cung cấp dịch vụ công trực tuyến toàn trình về đầu tư', (-2, 2), '11', ['Ban Quản lý Khu kinh tế tỉnh'], [], 'Tháng 10/2025', '2025-10-31', False, 'docx_table', ''),
]
K = 'ct-ubnd-tphcm-phong-chay-chua-chay-mua-kho-2026.txt'
CATP = ['Công an Thành phố', 'Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ']
XK = 'Ủy ban nhân dân các phường, xã, đặc khu'
S += [
 (K, 'Tổng kiểm tra an toàn phòng cháy, chữa cháy đối với chợ', 0, '1.a', CATP, [], 'trước ngày 31/3/2026', '2026-03-31', False, 'agency_blocks', 'bracket names the unit of the agency: both lead (plansdev convention)'),
 (K, 'Chủ trì cùng Bộ Tư lệnh Thành phố xây dựng phương án chữa cháy', 0, '1.b', CATP, ['Bộ Tư lệnh Thành phố'], None, None, False, 'agency_blocks', ''),
 (K, 'Quán triệt cán bộ, công chức thực hiện nghiêm quy định', 0, '2', ['Các sở, ban, ngành Thành phố'], [], None, None, False, 'agency_blocks', 'heads of bodies, heading without colon'),
 (K, 'Tự kiểm tra, khắc phục ngay các tồn tại về phòng cháy', 0, '2', ['Các sở, ban, ngành Thành phố'], [], 'trong tháng 3/2026', '2026-03-31', False, 'agency_blocks', ''),
 (K, 'Sở Xây dựng chủ trì, phối hợp Sở Công Thương, Tổng công ty Cấp nước', 0, '3', ['Sở Xây dựng'], ['Sở Công Thương', 'Tổng công ty Cấp nước Sài Gòn'], 'Quý II năm 2026', '2026-06-30', False, 'inline', 'abbreviation in brackets inside the support list'),
 (K, 'Giao Giám đốc Sở Giáo dục và Đào tạo chỉ đạo các cơ sở giáo dục', 0, '4', ['Sở Giáo dục và Đào tạo'], [], 'chậm nhất ngày 30 tháng 4 năm 2026', '2026-04-30', False, 'inline', ''),
 (K, 'Sở Nông nghiệp và Môi trường, Ban Quản lý rừng phòng hộ Cần Giờ: bố trí', 0, '5', ['Sở Nông nghiệp và Môi trường', 'Ban Quản lý rừng phòng hộ Cần Giờ'], [], None, None, False, 'agency_blocks', 'heading and task on one line; 24/24 giờ is not a date'),
 (K, 'Kiện toàn Đội dân phòng, trang bị phương tiện chữa cháy ban đầu', 0, '6', [XK], [], None, None, False, 'agency_blocks', ''),
 (K, 'Phối hợp với Công an Thành phố tuyên truyền, hướng dẫn hộ gia đình', 0, '6', [XK], ['Công an Thành phố'], None, None, False, 'agency_blocks', ''),
 (K, 'Định kỳ hằng quý (trước ngày 20 của tháng cuối quý), báo cáo kết quả', 0, '6', [XK], [], 'Định kỳ hằng quý', None, True, 'agency_blocks', 'reporting duty'),
 (K, 'Đài Truyền hình Thành phố, Báo Sài Gòn Giải Phóng và Báo Người Lao Động', 0, '7', ['Đài Truyền hình Thành phố', 'Báo Sài Gòn Giải Phóng', 'Báo Người Lao Động'], [], None, None, False, 'inline', ''),
 (K, 'Đề nghị Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố', 0, '8', ['Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố'], ['Công an Thành phố'], None, None, False, 'inline', ''),
 (K, 'Văn phòng Ủy ban nhân dân Thành phố theo dõi, đôn đốc', 0, '9', ['Văn phòng Ủy ban nhân dân Thành phố'], [], 'trước ngày 15 tháng 6 năm 2026', '2026-06-15', False, 'inline', 'follow-up duty'),
]
BYT = 'kh-bo-y-te-phong-chong-dich-benh-mua-he-2023.txt'
CC = 'cv-ubnd-huyen-cu-chi-chuan-bi-bau-cu-2024.txt'
YTDP = 'Cục Y tế dự phòng'
KCB = 'Cục Quản lý Khám, chữa bệnh'
VIEN = ['Các Viện Vệ sinh dịch tễ', 'Viện Pasteur']
SYT = 'Sở Y tế các tỉnh, thành phố trực thuộc trung ương'
PNV = 'Phòng Nội vụ huyện'
XTT = 'Ủy ban nhân dân các xã, thị trấn'
S += [
 (BYT, 'Xây dựng, cập nhật hướng dẫn giám sát, phòng chống bệnh tay chân miệng', (-1, 3), 'II.1', [YTDP], [KCB], 'Tháng 5/2023', '2023-05-31', False, 'flat_table', 'two-row header flattened with its empty cells dropped'),
 (BYT, 'Chỉ đạo các bệnh viện tuyến cuối chuẩn bị giường bệnh', (-1, 3), 'II.2', [KCB], ['Các bệnh viện trực thuộc Bộ Y tế'], 'Trước 15/6/2023', '2023-06-15', False, 'flat_table', '"trực thuộc Bộ" in a ministry plan is the issuer'),
 (BYT, 'Truyền thông nguy cơ trên các phương tiện thông tin đại chúng', (-1, 3), 'II.3', ['Vụ Truyền thông và Thi đua, khen thưởng'], [YTDP], 'Thường xuyên', None, True, 'flat_table', 'unit name with a comma'),
 (BYT, 'Bảo đảm kinh phí cho hoạt động phòng, chống dịch', (-1, 3), 'II.4', ['Vụ Kế hoạch - Tài chính'], [YTDP], 'Quý II/2023', '2023-06-30', False, 'flat_table', ''),
 (BYT, 'Cục Y tế dự phòng là đầu mối, chủ trì, phối hợp với các Viện', 0, 'III.1', [YTDP], VIEN, 'hằng tuần', None, True, 'inline', ''),
 (BYT, 'Tổng cục Dân số phối hợp với Cục Y tế dự phòng lồng ghép', 0, 'III.2', ['Tổng cục Dân số'], [YTDP], None, None, False, 'inline', ''),
 (BYT, 'Thanh tra Bộ chủ trì kiểm tra việc thực hiện Kế hoạch', 0, 'III.3', ['Thanh tra Bộ'], [], 'trong tháng 7 và tháng 8 năm 2023', '2023-08-31', False, 'inline', ''),
 (BYT, 'Hỗ trợ chuyên môn, kỹ thuật cho các địa phương trong khu vực', 0, 'III.4.a', VIEN, [], None, None, False, 'agency_blocks', ''),
 (BYT, 'Bảo đảm năng lực xét nghiệm, trả kết quả xét nghiệm chậm nhất', 0, 'III.4.b', VIEN, [], None, None, False, 'agency_blocks', '"sau 48 giờ" is no date'),
 (BYT, 'Tham mưu Ủy ban nhân dân cấp tỉnh ban hành kế hoạch phòng, chống dịch', 0, 'III.5', [SYT], [], 'trước ngày 31/5/2023', '2023-05-31', False, 'agency_blocks', 'request heading naming a head of body'),
 (BYT, 'Định kỳ thứ Sáu hằng tuần báo cáo tình hình dịch bệnh', 0, 'III.5', [SYT], [], 'Định kỳ thứ Sáu hằng tuần', None, True, 'agency_blocks', 'weekly reporting'),
 (CC, 'Chủ trì, phối hợp với Công an huyện và Phòng Tư pháp huyện hướng dẫn', 0, '1', [PNV], ['Công an huyện', 'Phòng Tư pháp huyện'], 'trước 16 giờ 00 ngày 25/3/2024', '2024-03-25', False, 'agency_blocks', 'Giao X: heading; a deadline with an hour'),
 (CC, 'Tham mưu thành lập các Tổ giúp việc của Ủy ban bầu cử huyện', 0, '1', [PNV], [], 'trước ngày 30/4/2024', '2024-04-30', False, 'agency_blocks', ''),
 (CC, 'Tổ chức rà soát, cập nhật danh sách cử tri trên địa bàn', 0, '2', [XTT], [], 'trong ngày 22/3/2024', '2024-03-22', False, 'agency_blocks', 'Yêu cầu Chủ tịch … heading with + items'),
 (CC, 'Kiểm tra cơ sở vật chất, địa điểm bỏ phiếu', 0, '2', [XTT], [], 'từ nay đến hết tháng 5/2024', '2024-05-31', False, 'agency_blocks', ''),
 (CC, 'Đề nghị Công an huyện, Ban Chỉ huy Quân sự huyện phối hợp xây dựng', 0, '3', ['Công an huyện', 'Ban Chỉ huy Quân sự huyện'], [], None, None, False, 'inline', 'two bodies acting together: both lead'),
 (CC, 'Phòng Tài chính - Kế hoạch huyện thẩm định dự toán kinh phí', 0, '4', ['Phòng Tài chính - Kế hoạch huyện'], [], 'trước ngày 10 tháng 4 năm 2024', '2024-04-10', False, 'inline', ''),
 (CC, 'Trung tâm Văn hóa - Thể thao và Truyền thông huyện đẩy mạnh tuyên truyền', 0, '5', ['Trung tâm Văn hóa - Thể thao và Truyền thông huyện'], [], 'hằng ngày', None, True, 'inline', 'daily'),
]
out = []
cache = {}
for doc, quote, extra, sec, lead, sup, dl, due, rec, layout, note in S:
    lines = cache.setdefault(doc, load_lines(D + doc))
    hits = [i for i, text in enumerate(lines, 1) if quote in text]
    assert len(hits) == 1, (doc, quote, hits)
    h = hits[0]
    span = [h + extra[0], h + extra[1]] if isinstance(extra, tuple) else [h, h + extra]
    q = lines[h - 1]
    q = re.sub(r'^\s*(?:[-+]|[a-zđ]\)|\d{1,2}\.)\s*', '', q)
    if len(q) > 80:
        q = q[:80].rsplit(' ', 1)[0]
    split = 'heldout' if doc in (E, K) else 'dev'
    out.append(dict(doc=doc, section=sec, lines=span, quote=q, lead=lead, support=sup, deadline=dl, due=due,
                    recurring=rec, complete_doc=True, split=split, layout=layout, note=note))
with open(HERE / 'tasks.jsonl', 'w', encoding='utf-8') as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + '\n')
print(len(out), sum(o['split'] == 'dev' for o in out))
