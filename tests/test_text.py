import pytest

from kehoach.corpus.text import DEADLINE, LEAD, SUPPORT, fold, match_label, ocr_fold


def test_fold_removes_marks_case_and_punctuation():
    assert fold("Sở Giáo dục và Đào tạo") == "so giao duc va dao tao"
    assert fold("SỞ  KẾ-HOẠCH, ĐẦU TƯ!") == "so ke hoach dau tu"
    assert fold("") == ""
    assert fold("Sở nào chủ trì giáo dục STEM?") == fold("so nao chu tri giao duc stem")


def test_ocr_fold_undoes_symbol_confusions():
    assert ocr_fold("S& Ké hoach va Pau tu") == "so ke hoach va dau tu"
    assert ocr_fold("S6 Cong Thuong") == "so cong thuong"
    assert ocr_fold("ngày 22/3/2018") == "ngay 22 3 2018"   # numbers stay numbers


@pytest.mark.parametrize(
    "line, kind, value",
    [
        ("- Thoti gian thuc hién: nam 2020.", DEADLINE, "nam 2020."),
        ("- Co quan chu tri thyc hién: S& Xay dung.", LEAD, "S& Xay dung."),
        ("- Bon vi thyc hién: S& Tai nguyén va Moi truong.", LEAD, "S& Tai nguyén va Moi truong."),
        ("- Tho1i gian thuc hién:nam 2019.", DEADLINE, "nam 2019."),
        ("- Co quan phbi hop thuc hién: UBND huyén Binh Son.", SUPPORT, "UBND huyén Binh Son."),
        ("~ - Co quan phdi hop: So Khoa hoc va Cong ngh¢, Ban Quan ly KKT Dung", SUPPORT,
         "So Khoa hoc va Cong ngh¢, Ban Quan ly KKT Dung"),
        ("- Thoi gian hoan thanh: ndm 2030.", DEADLINE, "ndm 2030."),
        ("- Thoi gian thuc hién x4y dung ké hoach: nam 2020.", DEADLINE, "nam 2020."),
        ("+ Co quan chu tri: S Nong nghiép va Phat trién néng thon.", LEAD, "S Nong nghiép va Phat trién néng thon."),
        ("Co quan thuc hién: S¢ Xay dung.", LEAD, "S¢ Xay dung."),
        ("- Chủ trì thực hiện: Phòng QLCN.", LEAD, "Phòng QLCN."),
        ("- Phối hợp thực hiện: các phòng, đơn vị thuộc Sở.", SUPPORT, "các phòng, đơn vị thuộc Sở."),
        ("- Thoi gian: Nam 2020 va nhimg nim tiép theo.", DEADLINE, "Nam 2020 va nhimg nim tiép theo."),
        ("- Thoi gian thuc hién:", DEADLINE, ""),
    ],
)
def test_match_label_recognises_damaged_labels(line, kind, value):
    assert match_label(line) == (kind, value)


@pytest.mark.parametrize(
    "line",
    [
        # task sentences that merely mention "phối hợp" / "chủ trì"
        "a) Phối hợp với Sở Kế hoạch và Đầu tư tổ chức lập Quy hoạch tỉnh: bảo đảm tính khoa học",
        "c) Chủ trì, phối hợp với các sở, ban ngành, UBND các huyện, thị xã, thành phố triển khai",
        "- Chủ trì, phối hợp: Sở Công Thương",
        "- Phối hợp thực hiện các nhiệm vụ khác: theo yêu cầu",
        "Sở Công Thương có trách nhiệm chủ trì, phối hợp với các sở: theo dõi, đôn đốc",
        "- Phéi hop chat ché voi cac by, nganh thyc hién co cau lai hé thong quan ly cong nghiép",
        # prose that starts like a label
        "- Thời gian qua, Sở đã: tổ chức 5 cuộc thi",
        "- Quan 1y cong nghé, thi trudng cong nghé: Tham dinh cong nghé cac du an",
        "Cơ quan chủ trì",            # a table header cell: no colon, no value
        "",
    ],
)
def test_match_label_rejects_prose(line):
    assert match_label(line) is None
