import pytest

from kehoach.corpus.deadlines import parse_deadline, read_deadline, years_in_text


@pytest.mark.parametrize(
    "text, years, recurring",
    [
        ("năm 2020", [2020, 2020], False),
        ("nam 2019, 2020.", [2019, 2020], False),
        ("Tir ndm 2020 - 2025.", [2020, 2025], False),
        ("2021- 2030", [2021, 2030], False),
        ("Nam 2021 — 2030.", [2021, 2030], False),
        ("Tirnam 2021 — 2025", [2021, 2025], False),
        ("T nam 2021 — 2030", [2021, 2030], False),
        ("ndm 2030.", [2030, 2030], False),
        # a milestone sentence: the whole span its milestones cover
        ("Nam 2025 - 2030: 80% trường THPT được tổ chức dạy thí điểm. Nam 2030 — 2045: triển khai đại trà",
         [2025, 2045], False),
        ("Nam 2022 - 2024: X4y dung quy hoach. Nim 2025 va nhitng nam tiép theo: Trién khai", [2022, None], False),
        # "đến năm" states only the end
        ("đến năm 2025", [None, 2025], False),
        ("dén nam 2025 (dam bao ... dién thuong pham du bao dat 4.108 tri¢gu KWh)", [None, 2025], False),
        ("Pén nam 2030 Xa}y dung, V§1n hanh duoc it nhat 01 Nha may dién gio", [None, 2030], False),
        # open-ended
        ("Nam 2021 va nhimg nam tiép theo", [2021, None], False),
        ("Năm 2020 và những năm tiếp theo.", [2020, None], False),
        # several clauses: from the first start to the last end
        ("Hoan thanh xay dung chinh sach trong nam 2020; Ky hop dong ...: It nhat c6 05 hop dong dugc ky két dén "
         "nam 2025.", [2020, 2025], False),
        # recurring, no year
        ("thường xuyên, hằng năm", None, True),
        ("Thuong xuyén hang nim", None, True),
        ("Thudng xuyén.", None, True),
        ("thuc hién ki€m tra, ddnh gia hang nam", None, True),
        ("thường xuyên", None, True),
        # no deadline at all
        ("theo thời gian thực hiện quy hoạch tỉnh", None, False),
        ("Thyuc hién ngay sau khi c6 quy hoach tinh.", None, False),
        ("theo kế hoạch vốn được phân bổ", None, False),
        ("", None, False),
        (None, None, False),
    ],
)
def test_parse_deadline(text, years, recurring):
    assert parse_deadline(text) == (years, recurring)


def test_dates_and_document_numbers_are_not_deadlines():
    # a bare date as a deadline is a deadline (issue 9); the date of a cited document is not
    assert parse_deadline("ngày 22 tháng 3 năm 2018") == ([2018, 2018], False)
    assert parse_deadline("Quyết định số 36/2016/QĐ-UBND ngày 29/7/2016") == (None, False)
    # "tháng năm" holds "hang nam" inside a word: not recurring
    assert parse_deadline("tháng năm") == (None, False)


def test_years_in_text_skips_dates_and_numbers():
    text = ("Nghị quyết số 23-NQ/TW ngày 22 tháng 3 năm 2018 ... đến năm 2030, tầm nhìn đến năm 2045; "
            "Quyết định 1428/QĐ-UBND ngày 02/8/2016; 36/2016/QĐ-UBND; đạt 4.108 triệu kWh")
    assert years_in_text(text) == [2030, 2045]
    assert years_in_text("giai doan 2021-2025 va dinh hudng dén nam 2030") == [2021, 2025, 2030]
    assert years_in_text("") == []


@pytest.mark.parametrize(
    "text, years, due",
    [
        ("trước ngày 30/9/2010", [None, 2010], "2010-09-30"),
        ("trước 30/9/2010", [None, 2010], "2010-09-30"),
        ("chậm nhất ngày 15/3/2011", [None, 2011], "2011-03-15"),
        ("Từ tháng 1/2010", [2010, None], None),
        ("Tháng 3/2025", [2025, 2025], "2025-03-31"),
        ("7/2025", [2025, 2025], "2025-07-31"),
        ("Tháng 3-5/2025", [2025, 2025], "2025-05-31"),
        ("quý II/2025", [2025, 2025], "2025-06-30"),
        ("Quý I/2010", [2010, 2010], "2010-03-31"),
        ("quí 2 năm 2010", [2010, 2010], "2010-06-30"),
        ("trong quý IV năm 2009", [2009, 2009], "2009-12-31"),
        ("6 tháng đầu năm 2025", [2025, 2025], "2025-06-30"),
        ("6 tháng cuối năm 2024", [2024, 2024], "2024-12-31"),
        ("trong tháng 3 năm 2010", [2010, 2010], "2010-03-31"),
        ("trước ngày 27 tháng 02 năm 2010", [None, 2010], "2010-02-27"),
        ("hoàn thành trong năm 2011", [2011, 2011], "2011-12-31"),
        ("đến năm 2015", [None, 2015], "2015-12-31"),
        ("2021- 2030", [2021, 2030], "2030-12-31"),
        ("Năm 2021 và những năm tiếp theo", [2021, None], None),
        ("thường xuyên", None, None),
        ("trước ngày 15/12 hằng năm", None, None),
        ("định kỳ 6 tháng một lần", None, None),
        ("Quyết định số 36/2016/QĐ-UBND ngày 29/7/2016", None, None),
    ],
)
def test_due_dates(text, years, due):
    years_read, _, due_read = read_deadline(text)
    assert (years_read, due_read) == (years, due)
