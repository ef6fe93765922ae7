"""A deadline is printed with the words that introduce it, including what sharpens them ("chậm nhất trong",
"từ nay đến hết", an hour before the day), as the labels and the question gold write it."""
from __future__ import annotations

import pytest

from kehoach.corpus.phrases import deadline_phrase


@pytest.mark.parametrize("sentence,want", [
    ("Xây dựng hệ thống thông tin, hoàn thành chậm nhất trong tháng 6 năm 2027.", "chậm nhất trong tháng 6 năm 2027"),
    ("Gửi danh sách về Phòng Nội vụ trước 16 giờ 00 ngày 25/3/2024.", "trước 16 giờ 00 ngày 25/3/2024"),
    ("Kiểm tra địa điểm bỏ phiếu; từ nay đến hết tháng 5/2024 báo cáo tiến độ.", "từ nay đến hết tháng 5/2024"),
])
def test_sharpened_introduction_is_kept(sentence, want):
    assert deadline_phrase(sentence) == want


@pytest.mark.parametrize("sentence,want", [
    ("Hoàn thành trong tháng 6 năm 2027.", "trong tháng 6 năm 2027"),
    ("Báo cáo Bộ trưởng chậm nhất ngày 15/01/2026.", "chậm nhất ngày 15/01/2026"),
    ("Tổ chức ra quân đến hết ngày 31/12/2025.", "đến hết ngày 31/12/2025"),
    ("Hoàn thành trước ngày 30/4/2024.", "trước ngày 30/4/2024"),
])
def test_plain_introduction_unchanged(sentence, want):
    assert deadline_phrase(sentence) == want


def test_a_word_that_folds_like_a_trigger_is_not_one():
    # "đầu tư" folds to "dau tu", like "từ": printed with marks, it opens no deadline
    from kehoach.corpus.phrases import deadline_phrase
    assert deadline_phrase("Kêu gọi đầu tư trong năm 2026") == "trong năm 2026"
    assert deadline_phrase("thực hiện từ tháng 3/2026 đến hết tháng 5/2026") == "từ tháng 3/2026 đến hết tháng 5/2026"
